#!/usr/bin/env python3
"""Make the sample studies of sample-dicom/: a chest DX study and a 40-slice chest CT series.

Usage: /usr/bin/python3 tools/make_sample_dicom.py [OUT_DIR]   (default: sample-dicom beside tools/)

What `minigptmed send localhost 11112 sample-dicom` sends to show the node's whole path (reception,
catalogue, assembly, analysis by rule, export). Synthetic through and through: no person's data.
  chest-dx/IM0001.dcm        Digital X-Ray Image Storage - For Presentation (PS3.3 A.26), PA chest,
                             1024x1024, 12 bits stored, MONOCHROME2; rule "CR/DX chest" (report + pneumonia).
  chest-ct/IM0001..40.dcm    CT Image Storage (PS3.3 A.3), 40 axial slices of 256x256, 5 mm apart,
                             signed 16-bit with Rescale Intercept -1024 (HU); rule "CT chest" (lung window,
                             8 slices, nodule). The phantom has a body, lungs with vessels, a heart, a spine,
                             a table and one 10 mm nodule in the right lung, so the lung window shows something.
Deterministic: the same script gives byte-identical files (fixed UIDs, dates and noise seed).
The files are committed; tests check them with dciodvfy (dicom3tools) and pydicom.
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

DX_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
PREFIX = "1.2.826.0.1.3680043.8.498."
SLICES = 40


def uid(*parts):
    # Derived from fixed text: the same UIDs at every run (PS3.5 9.1: digits and dots, 64 characters at most).
    return generate_uid(PREFIX, ["minigptmed-sample", *parts])


def patient_and_study(ds, study_uid, accession, description, time):
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.PatientName = "SAMPLE^CHEST"
    ds.PatientID = "MGM-SAMPLE-0001"
    ds.PatientBirthDate = "19600101"
    ds.PatientSex = "O"
    ds.StudyInstanceUID = study_uid
    ds.StudyDate = "20260301"
    ds.StudyTime = time
    ds.StudyID = accession[-4:]
    ds.AccessionNumber = accession
    ds.ReferringPhysicianName = ""
    ds.StudyDescription = description
    ds.Manufacturer = "MiniGPT-Med sample generator"
    ds.InstitutionName = "Synthetic"
    ds.StationName = "SAMPLE"
    ds.ManufacturerModelName = "make_sample_dicom.py"
    ds.SoftwareVersions = "1"


def file_meta(sop_class, sop_instance):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_instance
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = uid("implementation")
    meta.ImplementationVersionName = "MGM_SAMPLE_1"
    return meta


def save(ds, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(path, write_like_original=False)


def code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def chest_radiograph(size, rng):
    """A PA chest projection in 12 bits: dark lungs, bright mediastinum, spine, ribs, clavicles, diaphragm."""
    y, x = np.mgrid[0:size, 0:size] / size  # 0..1, y downwards (feet), x towards the patient's left (PA view)
    image = np.full((size, size), 150.0)  # direct exposure outside the patient: nearly black
    body = ((x - 0.5) / 0.44) ** 2 + ((y - 0.55) / 0.52) ** 2 <= 1
    image[body] = 2300.0
    lung_r = ((x - 0.31) / 0.15) ** 2 + ((y - 0.45) / 0.30) ** 2 <= 1
    lung_l = ((x - 0.69) / 0.14) ** 2 + ((y - 0.45) / 0.29) ** 2 <= 1
    # The domes of the diaphragm cut the lungs from below; the left one sits lower.
    dome_r = y < 0.70 - 0.10 * ((x - 0.31) / 0.15) ** 2
    dome_l = y < 0.73 - 0.10 * ((x - 0.69) / 0.14) ** 2
    lungs = (lung_r & dome_r) | (lung_l & dome_l)
    image[lungs] = 900.0
    for k in range(9):  # ribs: arcs across each lung, a little brighter than lung
        arc = np.abs(y - (0.22 + 0.055 * k) - 0.10 * (np.abs(x - 0.5) - 0.15) ** 2 * 8) < 0.010
        image[arc & lungs] += 450.0
    # The heart's shadow covers the ribs and the medial part of the left lung.
    heart = ((x - 0.55) / 0.14) ** 2 + ((y - 0.60) / 0.12) ** 2 <= 1
    image[heart & ~(lung_r & dome_r)] = 2200.0
    spine = np.abs(x - 0.5) < 0.035
    image[spine & body] += 500.0
    clavicles = (np.abs(y - (0.17 + 0.12 * (np.abs(x - 0.5) - 0.05))) < 0.012) & (np.abs(x - 0.5) > 0.04) & (np.abs(x - 0.5) < 0.30)
    image[clavicles] += 700.0
    # Smooth the edges (a projection has no hard ones), then quantum noise.
    kernel = np.ones(9) / 9
    image = np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="same"), 0, image)
    image = np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="same"), 1, image)
    image += rng.normal(0, 25, size=image.shape)
    return np.clip(image, 0, 4095).astype(np.uint16)


def write_dx(out, rng):
    study = uid("dx", "study")
    series = uid("dx", "series")
    sop = uid("dx", "image", "1")
    size = 1024
    ds = Dataset()
    ds.file_meta = file_meta(DX_FOR_PRESENTATION, sop)
    patient_and_study(ds, study, "MGMDX0001", "XR CHEST PA", "081500")
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.SOPClassUID = DX_FOR_PRESENTATION
    ds.SOPInstanceUID = sop
    ds.SeriesDate = ds.ContentDate = ds.AcquisitionDate = "20260301"
    ds.SeriesTime = ds.ContentTime = ds.AcquisitionTime = "081530"
    ds.Modality = "DX"
    ds.SeriesInstanceUID = series
    ds.SeriesNumber = 1
    ds.SeriesDescription = "Chest PA"
    ds.BodyPartExamined = "CHEST"
    ds.PresentationIntentType = "FOR PRESENTATION"
    ds.InstanceNumber = 1
    ds.PatientOrientation = ["L", "F"]  # PA view: rows run to the patient's left, columns to the feet
    ds.ImageLaterality = "U"
    ds.ViewPosition = "PA"
    ds.PositionerType = "COLUMN"  # a chest stand
    # PS3.3 C.8.11.5: the anatomy in codes; PS3.16 Annex L maps Body Part CHEST to SCT 43799004.
    ds.AnatomicRegionSequence = Sequence([code("43799004", "SCT", "Chest")])
    view = code("399348003", "SCT", "postero-anterior")
    view.ViewModifierCodeSequence = Sequence()
    ds.ViewCodeSequence = Sequence([view])
    ds.AcquisitionContextSequence = Sequence()
    ds.KVP = "120"
    ds.ExposureTime = 10
    ds.XRayTubeCurrent = 250
    ds.DistanceSourceToDetector = "1800"
    ds.DetectorType = "DIRECT"
    ds.ImagerPixelSpacing = ["0.4", "0.4"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = size
    ds.Columns = size
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.PixelIntensityRelationship = "LIN"
    ds.PixelIntensityRelationshipSign = 1
    ds.RescaleIntercept = "0"
    ds.RescaleSlope = "1"
    ds.RescaleType = "US"
    ds.WindowCenter = "2048"
    ds.WindowWidth = "4096"
    ds.PresentationLUTShape = "IDENTITY"
    ds.LossyImageCompression = "00"
    ds.BurnedInAnnotation = "NO"
    ds.PixelData = chest_radiograph(size, rng).tobytes()
    save(ds, os.path.join(out, "chest-dx", "IM0001.dcm"))


def ct_slice(size, spacing, z, rng):
    """One axial slice in HU; z runs from the lung apices (0) down to the bases (1)."""
    half = size * spacing / 2
    coords = (np.arange(size) + 0.5) * spacing - half  # mm from the centre of the field of view
    y, x = np.meshgrid(coords, coords, indexing="ij")  # y posterior, x to the patient's left
    hu = np.full((size, size), -1000.0)
    body = (x / 165) ** 2 + ((y - 10) / 115) ** 2 <= 1
    hu[body] = -90.0  # subcutaneous fat
    hu[(x / 152) ** 2 + ((y - 10) / 102) ** 2 <= 1] = 40.0  # muscle and mediastinum
    # The lungs widen from the apex and lose height to the domes of the diaphragm near the bases.
    scale = 0.55 + 0.45 * np.sin(np.pi * min(1.0, 0.15 + z * 0.95))
    for side in (-1, 1):
        lung = ((x - side * 68) / (52 * scale)) ** 2 + ((y - 5) / (80 * scale)) ** 2 <= 1
        hu[lung & body] = -860.0
    lungs = hu == -860.0
    # Vessels: a fixed pattern of small dots, brighter near the hila.
    vessels = np.zeros_like(hu, dtype=bool)
    vessel_rng = np.random.default_rng(7)
    for vx, vy, r in zip(vessel_rng.uniform(-120, 120, 70), vessel_rng.uniform(-80, 90, 70), vessel_rng.uniform(1.0, 3.0, 70)):
        vessels |= ((x - vx) ** 2 + (y - vy) ** 2) <= r ** 2
    hu[vessels & lungs] = -80.0
    if 0.35 < z < 0.85:  # the heart, left-anterior, between the lungs
        heart = ((x - 25) / 55) ** 2 + ((y + 15) / 45) ** 2 <= 1
        hu[heart & body] = 45.0
    if z < 0.3:  # the trachea above the carina
        hu[(x ** 2 + (y + 20) ** 2) <= 9 ** 2] = -1000.0
    vertebra = (x ** 2 + (y - 70) ** 2) <= 18 ** 2
    hu[vertebra] = 700.0
    hu[(x ** 2 + (y - 70) ** 2) <= 12 ** 2] = 250.0  # cancellous bone inside the cortex
    # A 10 mm nodule in the right lung (the patient's right: x < 0), about one third down.
    nodule_z = 0.38
    r = np.sqrt(max(0.0, 25 - ((z - nodule_z) * SLICES * 5) ** 2))
    if r > 0:
        hu[((x + 75) ** 2 + (y + 20) ** 2) <= r ** 2] = 30.0
    table = (np.abs(y - 145) < 4) & (np.abs(x) < 170)
    hu[table] = 200.0
    hu += rng.normal(0, 10, size=hu.shape)
    return np.clip(hu, -1024, 3071)


def write_ct(out, rng):
    study = uid("ct", "study")
    series = uid("ct", "series")
    frame = uid("ct", "frame")
    size, spacing, thickness = 256, 1.40625, 5.0
    first = -(size * spacing) / 2 + spacing / 2  # centre of the first pixel (PS3.3 C.7.6.2.1.1)
    for i in range(SLICES):
        z_mm = -40.0 - i * thickness  # head first supine: each slice further towards the feet
        sop = uid("ct", "image", str(i + 1))
        ds = Dataset()
        ds.file_meta = file_meta(CT_IMAGE, sop)
        patient_and_study(ds, study, "MGMCT0001", "CT CHEST", "090000")
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID = CT_IMAGE
        ds.SOPInstanceUID = sop
        ds.SeriesDate = ds.ContentDate = ds.AcquisitionDate = "20260301"
        ds.SeriesTime = "090100"
        ds.AcquisitionTime = ds.ContentTime = f"0901{i // 10:02d}"
        ds.Modality = "CT"
        ds.SeriesInstanceUID = series
        ds.SeriesNumber = 2
        ds.SeriesDescription = "Chest 5.0 mm"
        ds.BodyPartExamined = "CHEST"
        ds.PatientPosition = "HFS"
        ds.FrameOfReferenceUID = frame
        ds.PositionReferenceIndicator = ""
        ds.InstanceNumber = i + 1
        ds.AcquisitionNumber = 1
        ds.PatientOrientation = ""
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.ImagePositionPatient = [f"{first:.5f}", f"{first:.5f}", f"{z_mm:.1f}"]
        ds.SliceLocation = f"{z_mm:.1f}"
        ds.SliceThickness = f"{thickness:.1f}"
        ds.SpacingBetweenSlices = f"{thickness:.1f}"
        ds.PixelSpacing = [f"{spacing:.5f}", f"{spacing:.5f}"]
        ds.KVP = "120"
        ds.XRayTubeCurrent = 200
        ds.ConvolutionKernel = "B30f"
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = size
        ds.Columns = size
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1
        ds.RescaleIntercept = "-1024"
        ds.RescaleSlope = "1"
        ds.RescaleType = "HU"
        ds.WindowCenter = ["-600", "40"]  # lung, then mediastinum
        ds.WindowWidth = ["1500", "400"]
        ds.WindowCenterWidthExplanation = ["LUNG", "MEDIASTINUM"]
        ds.LossyImageCompression = "00"
        hu = ct_slice(size, spacing, i / (SLICES - 1), rng)
        ds.PixelData = np.round(hu + 1024).astype("<i2").tobytes()  # stored = HU - intercept
        save(ds, os.path.join(out, "chest-ct", f"IM{i + 1:04d}.dcm"))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample-dicom")
    rng = np.random.default_rng(20260301)
    write_dx(out, rng)
    write_ct(out, rng)


if __name__ == "__main__":
    main()
