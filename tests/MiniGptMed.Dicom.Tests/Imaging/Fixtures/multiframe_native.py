#!/usr/bin/python3
"""Test fixture: a native (Explicit VR Little Endian) multi-frame 16-bit grey image made from pydicom's MR_small
(64 x 64): FRAMES frames, each the slice shifted sideways and offset, so that every frame differs.
Usage: multiframe_native.py OUT.dcm FRAMES"""
import sys
import numpy as np
import pydicom
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
import pydicom.data

out, frames = sys.argv[1], int(sys.argv[2])
ds = pydicom.dcmread(pydicom.data.get_testdata_file("MR_small.dcm"))
base = ds.pixel_array.astype(np.int32)
stack = np.stack([np.roll(base, 5 * k, axis=1) + 10 * k for k in range(frames)])
dtype = np.int16 if ds.PixelRepresentation == 1 else np.uint16
ds.PixelData = stack.astype(dtype).tobytes()
ds.NumberOfFrames = frames
ds.SOPInstanceUID = generate_uid()
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.is_implicit_VR = False
ds.is_little_endian = True
ds.save_as(out, write_like_original=False)
