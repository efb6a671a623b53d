#!/usr/bin/env python3
"""Source images for the result writers' validation tests (issue #9): small but realistic.

Usage: /usr/bin/python3 tools/make_results_inputs.py OUTDIR

Writes, each a valid instance that dciodvfy accepts without errors:
  dx_mono2.dcm      DX chest PA, 3000 x 2500, 16 bits allocated / 12 stored, MONOCHROME2,
                    Pixel Spacing, View Position, Body Part CHEST, Procedure Code Sequence
  dx_mono1.dcm      the same radiograph as MONOCHROME1 (inverted, Presentation LUT INVERSE)
  ct_signed.dcm     CT slice 512 x 512, signed, Rescale Slope 1 / Intercept -1024, two windows,
                    Image Position/Orientation; patient name in ISO 2022 IR 87 (Japanese)
  mf_grayscale.dcm  Multi-frame Grayscale Word Secondary Capture, 3 frames of 256 x 256
  us_jpeg.dcm       ultrasound-like RGB image, JPEG baseline YBR_FULL_422 (made by DCMTK:
                    dcmj2pnm writes the JPEG, img2dcm wraps it), Secondary Capture, Modality US
  dx_nonsquare.dcm  DX 400 rows x 640 columns, Pixel Spacing 0.5\\0.8 (row \\ column spacing)

Deterministic: fixed UIDs (2.25 form of UUIDv5 of the file's name), dates and seeds; pixel data
is synthetic. Needs Debian's python3-pydicom and python3-numpy, and DCMTK on PATH.
"""
import os
import subprocess
import sys
import tempfile
import uuid

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, JPEGBaseline8Bit

DX_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
MF_GRAYSCALE_WORD_SC = "1.2.840.10008.5.1.4.1.1.7.3"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
STUDY_DATE = "20260115"
STUDY_TIME = "093000"


def uid(name):
    """PS3.5 B.2: 2.25.<UUID as decimal>, here of a fixed name so that every run gives the same."""
    return "2.25." + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://minigptmed.example/results-inputs/" + name).int)


def code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def common(name, sop_class, modality, patient_name, patient_id, sex="F", birth="19600131"):
    """Patient, General Study, General Series, General Equipment, General Image and SOP Common."""
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = uid(name + "/instance")
    ds.InstanceCreationDate = STUDY_DATE
    ds.InstanceCreationTime = STUDY_TIME
    ds.PatientName = patient_name
    ds.PatientID = patient_id
    ds.PatientBirthDate = birth
    ds.PatientSex = sex
    ds.StudyInstanceUID = uid(name + "/study")
    ds.StudyDate = STUDY_DATE
    ds.StudyTime = STUDY_TIME
    ds.ReferringPhysicianName = ""
    ds.StudyID = "S" + patient_id[-4:]
    ds.AccessionNumber = "A" + patient_id[-6:]
    ds.StudyDescription = "Results input " + name
    ds.Modality = modality
    ds.SeriesInstanceUID = uid(name + "/series")
    ds.SeriesNumber = 1
    ds.SeriesDate = STUDY_DATE
    ds.SeriesTime = STUDY_TIME
    ds.Manufacturer = "MiniGPT-Med test fixtures"
    ds.InstanceNumber = 1
    ds.ContentDate = STUDY_DATE
    ds.ContentTime = STUDY_TIME
    return ds


def monochrome(ds, pixels, bits_stored, signed=False):
    """Image Pixel module for one grayscale frame (or frames) of 16-bit words."""
    frames = pixels.shape[0] if pixels.ndim == 3 else 1
    ds.SamplesPerPixel = 1
    ds.Rows, ds.Columns = pixels.shape[-2], pixels.shape[-1]
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.PixelData = pixels.astype("<i2" if signed else "<u2").tobytes()


def save(ds, path, syntax=ExplicitVRLittleEndian):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = uid("implementation")
    meta.ImplementationVersionName = "MGM_FIXTURES"
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.preamble = b"\0" * 128
    ds.save_as(path, write_like_original=False)


def chest(rows, columns, rng):
    """A chest-like radiograph, 12-bit values, brighter where more attenuation (MONOCHROME2)."""
    y, x = np.mgrid[0:rows, 0:columns].astype(np.float32)
    y /= rows
    x /= columns
    body = np.exp(-(((x - 0.5) / 0.42) ** 8 + ((y - 0.55) / 0.5) ** 8))
    lungs = sum(np.exp(-(((x - cx) / 0.15) ** 2 + ((y - 0.48) / 0.28) ** 2) * 2.5) for cx in (0.32, 0.68))
    heart = np.exp(-(((x - 0.55) / 0.12) ** 2 + ((y - 0.62) / 0.12) ** 2) * 2)
    spine = np.exp(-((x - 0.5) / 0.03) ** 2)
    image = 300 + 2600 * body - 1500 * lungs * body + 900 * heart + 700 * spine * body
    image += rng.normal(0, 25, size=image.shape).astype(np.float32)
    return np.clip(image, 0, 4095).astype(np.uint16)


def dx(name, pixels, photometric, spacing, patient_name, patient_id):
    ds = common(name, DX_PRESENTATION, "DX", patient_name, patient_id)
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.PresentationIntentType = "FOR PRESENTATION"
    ds.BodyPartExamined = "CHEST"
    ds.ViewPosition = "PA"
    ds.PositionerType = "NONE"
    ds.ImageLaterality = "U"
    ds.PatientOrientation = ["L", "F"]
    ds.AnatomicRegionSequence = Sequence([code("43799004", "SCT", "Chest")])
    ds.ViewCodeSequence = Sequence([code("399348003", "SCT", "postero-anterior")])
    ds.ProcedureCodeSequence = Sequence([code("36554-4", "LN", "XR Chest Single view")])
    ds.AcquisitionContextSequence = Sequence()
    ds.PhotometricInterpretation = photometric
    ds.PixelIntensityRelationship = "LIN"
    ds.PixelIntensityRelationshipSign = 1 if photometric == "MONOCHROME2" else -1
    ds.RescaleIntercept = "0"
    ds.RescaleSlope = "1"
    ds.RescaleType = "US"
    ds.PresentationLUTShape = "IDENTITY" if photometric == "MONOCHROME2" else "INVERSE"
    ds.WindowCenter = "2048"
    ds.WindowWidth = "4096"
    ds.LossyImageCompression = "00"
    ds.BurnedInAnnotation = "NO"
    ds.DetectorType = "DIRECT"
    ds.ImagerPixelSpacing = [str(s) for s in spacing]
    ds.PixelSpacing = [str(s) for s in spacing]
    ds.PixelSpacingCalibrationType = "GEOMETRY"
    ds.PixelSpacingCalibrationDescription = "Imager pixel spacing at the detector"
    ds.KVP = "125"
    monochrome(ds, pixels, 12)
    return ds


def ct(name, rng):
    ds = common(name, CT_IMAGE, "CT", "Yamada^Tarou=山田^太郎=やまだ^たろう", "JP000042", sex="M")
    ds.SpecificCharacterSet = ["", "ISO 2022 IR 87"]
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.PatientPosition = "HFS"
    ds.BodyPartExamined = "CHEST"
    ds.ProcedureCodeSequence = Sequence([code("24627-2", "LN", "CT Chest")])
    ds.FrameOfReferenceUID = uid(name + "/frame-of-reference")
    ds.PositionReferenceIndicator = ""
    ds.PixelSpacing = ["0.703125", "0.703125"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.ImagePositionPatient = ["-180", "-180", "-120.5"]
    ds.SliceThickness = "1.25"
    ds.SliceLocation = "-120.5"
    ds.KVP = "120"
    ds.AcquisitionNumber = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    ds.WindowCenter = ["40", "-600"]
    ds.WindowWidth = ["400", "1500"]
    ds.WindowCenterWidthExplanation = ["MEDIASTINUM", "LUNG"]
    y, x = np.mgrid[0:512, 0:512].astype(np.float32)
    r = np.hypot(x - 256, (y - 256) * 1.3)
    hu = np.where(r < 230, 40.0, -1000.0)
    for cx in (170, 342):
        hu = np.where(np.hypot(x - cx, (y - 250) * 0.8) < 80, -850.0, hu)
    hu = np.where(np.hypot(x - 256, y - 380) < 22, 700.0, hu)
    hu += rng.normal(0, 12, size=hu.shape)
    # Stored = HU - intercept; signed words, so air outside the body may go below 0 and stay valid.
    stored = np.clip(np.round(hu + 1024 - 30), -2000, 4000).astype(np.int16)
    monochrome(ds, stored, 16, signed=True)
    ds.SmallestImagePixelValue = int(stored.min())
    ds.LargestImagePixelValue = int(stored.max())
    ds["SmallestImagePixelValue"].VR = "SS"
    ds["LargestImagePixelValue"].VR = "SS"
    return ds


def multiframe(name, rng):
    ds = common(name, MF_GRAYSCALE_WORD_SC, "OT", "Frames^Three", "MF000003", sex="O")
    ds.ConversionType = "WSD"
    ds.BodyPartExamined = "CHEST"
    ds.PatientOrientation = ""
    ds.ImageType = ["DERIVED", "SECONDARY"]
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.RescaleIntercept = "0"
    ds.RescaleSlope = "1"
    ds.RescaleType = "US"
    ds.PresentationLUTShape = "IDENTITY"
    ds.WindowCenter = "2048"
    ds.WindowWidth = "4096"
    ds.BurnedInAnnotation = "NO"
    ds.PixelSpacing = ["0.8", "0.8"]
    ds.FrameIncrementPointer = pydicom.tag.Tag("SliceLocationVector")
    ds.SliceLocationVector = ["-10", "0", "10"]
    frames = np.stack([chest(256, 256, rng) // (k + 1) + 400 * k for k in range(3)])
    monochrome(ds, frames, 12)
    return ds


def ultrasound(name, out_path, rng, work):
    """RGB sector image -> DICOM -> JPEG (dcmj2pnm, 4:2:2) -> img2dcm -> attributes of a US source."""
    rows, columns = 480, 640
    y, x = np.mgrid[0:rows, 0:columns].astype(np.float32)
    angle = np.arctan2(x - columns / 2, y + 40)
    radius = np.hypot(x - columns / 2, y + 40)
    sector = (np.abs(angle) < 0.6) & (radius > 60) & (radius < 460)
    speckle = rng.gamma(2.0, 40.0, size=(rows, columns)).astype(np.float32)
    gray = np.where(sector, np.clip(speckle * (1.2 - radius / 600), 0, 255), 0)
    rgb = np.stack([gray, gray, gray], axis=-1)
    rgb[20:60, 20:200] = (255, 200, 0)  # a coloured scale bar, so the chroma planes carry something
    rgb = rgb.astype(np.uint8)

    raw = common(name + "/raw", SECONDARY_CAPTURE, "US", "Sono^Graphy", "US000007")
    raw.ConversionType = "WSD"
    raw.SamplesPerPixel = 3
    raw.PhotometricInterpretation = "RGB"
    raw.PlanarConfiguration = 0
    raw.Rows, raw.Columns = rows, columns
    raw.BitsAllocated = 8
    raw.BitsStored = 8
    raw.HighBit = 7
    raw.PixelRepresentation = 0
    raw.PixelData = rgb.tobytes()
    raw_path = os.path.join(work, "us_raw.dcm")
    jpeg_path = os.path.join(work, "us.jpg")
    wrapped_path = os.path.join(work, "us_wrapped.dcm")
    save(raw, raw_path)
    subprocess.run(["dcmj2pnm", "+oj", "+Jq", "90", "+Js2", raw_path, jpeg_path], check=True)
    subprocess.run(["img2dcm", "-i", "JPEG", jpeg_path, wrapped_path], check=True)

    ds = pydicom.dcmread(wrapped_path)
    if ds.PhotometricInterpretation != "YBR_FULL_422" or ds.file_meta.TransferSyntaxUID != JPEGBaseline8Bit:
        raise SystemExit(f"img2dcm gave {ds.PhotometricInterpretation} in {ds.file_meta.TransferSyntaxUID}")
    source = common(name, SECONDARY_CAPTURE, "US", "Sono^Graphy", "US000007")
    for element in source:
        ds[element.tag] = element
    for keyword in ("InstanceCreatorUID",):
        if keyword in ds:
            delattr(ds, keyword)
    ds.ConversionType = "WSD"
    ds.BodyPartExamined = "ABDOMEN"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.LossyImageCompression = "01"
    ds.LossyImageCompressionRatio = "10"
    ds.LossyImageCompressionMethod = "ISO_10918_1"
    ds.BurnedInAnnotation = "NO"
    ds.PatientOrientation = ""
    save(ds, out_path, syntax=JPEGBaseline8Bit)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20260115)

    radiograph = chest(3000, 2500, rng)
    save(dx("dx_mono2", radiograph, "MONOCHROME2", (0.139, 0.139), "Chest^Mono^Two", "DX000002"),
         os.path.join(out, "dx_mono2.dcm"))
    save(dx("dx_mono1", 4095 - radiograph, "MONOCHROME1", (0.139, 0.139), "Chest^Mono^One", "DX000001"),
         os.path.join(out, "dx_mono1.dcm"))
    save(ct("ct_signed", rng), os.path.join(out, "ct_signed.dcm"))
    save(multiframe("mf_grayscale", rng), os.path.join(out, "mf_grayscale.dcm"))
    save(dx("dx_nonsquare", chest(400, 640, rng), "MONOCHROME2", (0.5, 0.8), "Wide^Pixels", "DX000640"),
         os.path.join(out, "dx_nonsquare.dcm"))
    with tempfile.TemporaryDirectory() as work:
        ultrasound("us_jpeg", os.path.join(out, "us_jpeg.dcm"), rng, work)


if __name__ == "__main__":
    main()
