#!/usr/bin/python3
"""Test fixture: a native 16-bit allocated, 12-bit stored grey radiograph (CR) of ROWS x COLS: a smooth field with
noise, written by pydicom as Explicit VR Little Endian.
Usage: grey12_native.py OUT.dcm ROWS COLS"""
import sys
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

out, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
y, x = np.mgrid[0:rows, 0:cols].astype(np.float64)
rng = np.random.default_rng(7)
field = 2000 + 1200 * np.sin(x / 30) * np.cos(y / 40)
img = np.clip(field + rng.normal(0, 40, size=field.shape), 0, 4095).astype(np.uint16)

meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1"  # CR Image Storage
meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = Dataset()
ds.file_meta = meta
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.Modality = "CR"
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.Rows, ds.Columns = rows, cols
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
ds.PixelData = img.tobytes()
ds.is_implicit_VR = False
ds.is_little_endian = True
ds.save_as(out, write_like_original=False)
