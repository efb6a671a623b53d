#!/usr/bin/env python3
"""Make a synthetic CT series for benchmarks: N axial 512x512 16-bit slices, one file each.

Usage: /usr/bin/python3 tools/make_ct_series.py OUT_DIR [--slices 500] [--syntax explicit|implicit]

The headers are those of a real CT Image Storage instance (patient, study, series, frame of
reference, image plane, pixel module, rescale, window), the pixels a smooth phantom with noise, so
files have realistic sizes (about 525 KB each). Deterministic: the same arguments give the same files.
"""
import argparse
import os

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"


def phantom(rows, cols, z, rng):
    y, x = np.mgrid[0:rows, 0:cols]
    cy, cx = rows / 2, cols / 2
    body = ((x - cx) ** 2 / (0.42 * cols) ** 2 + (y - cy) ** 2 / (0.33 * rows) ** 2) <= 1
    lungs = (((x - cx * 0.6) ** 2 + (y - cy) ** 2) < (0.12 * cols) ** 2) | (((x - cx * 1.4) ** 2 + (y - cy) ** 2) < (0.12 * cols) ** 2)
    image = np.full((rows, cols), -1000.0)
    image[body] = 40.0
    image[lungs & body] = -850.0 + 20 * np.sin(z / 7.0)
    image += rng.normal(0, 12, size=image.shape)
    return np.clip(image + 1024, 0, 4095).astype(np.uint16)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--slices", type=int, default=500)
    parser.add_argument("--syntax", choices=["explicit", "implicit"], default="explicit")
    parser.add_argument("--size", type=int, default=512, help="rows and columns (default 512)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261128)
    prefix = "1.2.826.0.1.3680043.8.498."
    # The size is part of the UIDs only when it is not the default, so the 512x512 series keep their UIDs.
    tag = str(args.slices) if args.size == 512 else f"{args.slices}-{args.size}"
    study = generate_uid(prefix, ["study", tag])
    series = generate_uid(prefix, ["series", tag])
    frame = generate_uid(prefix, ["frame", tag])
    syntax = ExplicitVRLittleEndian if args.syntax == "explicit" else ImplicitVRLittleEndian
    for i in range(args.slices):
        sop = generate_uid(prefix, ["sop", tag, str(i)])
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = syntax
        ds = Dataset()
        ds.file_meta = meta
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID = CT_IMAGE_STORAGE
        ds.SOPInstanceUID = sop
        ds.StudyDate = "20261128"
        ds.StudyTime = "101500"
        ds.AccessionNumber = "BENCH0001"
        ds.Modality = "CT"
        ds.Manufacturer = "MiniGPT-Med benchmark"
        ds.ReferringPhysicianName = ""
        ds.StudyDescription = "CT CHEST"
        ds.SeriesDescription = "AXIAL 1.0"
        ds.PatientName = "Bench^Patient"
        ds.PatientID = "BENCH-001"
        ds.PatientBirthDate = "19600101"
        ds.PatientSex = "O"
        ds.BodyPartExamined = "CHEST"
        ds.SliceThickness = "1.0"
        ds.KVP = "120"
        ds.StudyInstanceUID = study
        ds.SeriesInstanceUID = series
        ds.StudyID = "1"
        ds.SeriesNumber = 1
        ds.InstanceNumber = i + 1
        ds.ImagePositionPatient = ["-250.0", "-250.0", f"{-i * 1.0:.1f}"]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.FrameOfReferenceUID = frame
        ds.SliceLocation = f"{-i * 1.0:.1f}"
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = args.size
        ds.Columns = args.size
        ds.PixelSpacing = ["0.9765625", "0.9765625"]
        ds.BitsAllocated = 16
        ds.BitsStored = 12
        ds.HighBit = 11
        ds.PixelRepresentation = 0
        ds.WindowCenter = "40"
        ds.WindowWidth = "400"
        ds.RescaleIntercept = "-1024"
        ds.RescaleSlope = "1"
        ds.PixelData = phantom(args.size, args.size, i, rng).tobytes()
        ds.is_little_endian = True
        ds.is_implicit_VR = args.syntax == "implicit"
        pydicom.dcmwrite(os.path.join(args.out, f"CT{i + 1:04d}.dcm"), ds, write_like_original=False)


if __name__ == "__main__":
    main()
