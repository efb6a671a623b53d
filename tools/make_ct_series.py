#!/usr/bin/python3
"""Writes synthetic CT instances for the network benchmark (tools/bench_network.sh).

  make_ct_series.py series DIR N      N slices of 512x512 16-bit CT, one series, explicit VR little endian
  make_ct_series.py large FILE MB     one multi-frame instance of about MB megabytes of pixel data
"""
import sys

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT = "1.2.840.10008.5.1.4.1.1.2"


def base(sop_instance, study, series):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT
    meta.MediaStorageSOPInstanceUID = sop_instance
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = CT
    ds.SOPInstanceUID = sop_instance
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.Modality = "CT"
    ds.PatientName = "BENCH^SYNTHETIC"
    ds.PatientID = "BENCH"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    return ds


def series(folder, count):
    import os
    os.makedirs(folder, exist_ok=True)
    study, ser = generate_uid(), generate_uid()
    rng = np.random.default_rng(1)
    for i in range(count):
        ds = base(generate_uid(), study, ser)
        ds.InstanceNumber = i + 1
        ds.Rows = ds.Columns = 512
        ds.ImagePositionPatient = [0, 0, i]
        ds.PixelData = rng.integers(0, 2000, (512, 512), dtype=np.int16).tobytes()
        ds.save_as(f"{folder}/ct{i:04d}.dcm", write_like_original=False)


def large(path, megabytes):
    frames = max(1, megabytes * 1024 * 1024 // (512 * 512 * 2))
    ds = base(generate_uid(), generate_uid(), generate_uid())
    ds.Rows = ds.Columns = 512
    ds.NumberOfFrames = frames
    ds.PixelData = np.zeros((frames, 512, 512), dtype=np.int16).tobytes()
    ds.save_as(path, write_like_original=False)


if __name__ == "__main__":
    if sys.argv[1] == "series":
        series(sys.argv[2], int(sys.argv[3]))
    else:
        large(sys.argv[2], int(sys.argv[3]))
