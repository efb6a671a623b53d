#!/usr/bin/python3
"""Makes the imaging benchmark's inputs in OUTDIR: a 3000 x 2500 16-bit (12 stored) radiograph with a smooth
anatomy-like field and noise, written as native Explicit VR Little Endian by pydicom.
Usage: imaging_benchmark_data.py OUTDIR"""
import sys, os
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

out = sys.argv[1]
rows, cols = 3000, 2500
y, x = np.mgrid[0:rows, 0:cols].astype(np.float64)
rng = np.random.default_rng(42)
field = 2000 + 1200 * np.sin(x / 300) * np.cos(y / 400) + 400 * np.exp(-((x - 1250) ** 2 + (y - 1500) ** 2) / 6e5)
img = np.clip(field + rng.normal(0, 40, size=field.shape), 0, 4095).astype(np.uint16)

meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1"  # CR Image Storage
meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = Dataset()
ds.file_meta = meta
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID = generate_uid()
ds.SeriesInstanceUID = generate_uid()
ds.Modality = "CR"
ds.PatientName = "Benchmark^Radiograph"
ds.PatientID = "BENCH"
ds.Rows, ds.Columns = rows, cols
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
ds.RescaleSlope, ds.RescaleIntercept = 1, 0
ds.WindowCenter, ds.WindowWidth = 2048, 4096
ds.PixelData = img.tobytes()
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(os.path.join(out, "cr3000x2500.dcm"), write_like_original=False)
