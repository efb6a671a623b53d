#!/usr/bin/python3
"""Write one synthetic multi-frame CT instance of about MB megabytes of pixel data (tools/bench_network.sh).

Usage: /usr/bin/python3 tools/make_large_instance.py FILE MB
Fresh UIDs every time, so it never collides with another benchmark instance.
"""
import sys

import numpy as np
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT = "1.2.840.10008.5.1.4.1.1.2"


def main(path, megabytes):
    frames = max(1, megabytes * 1024 * 1024 // (512 * 512 * 2))
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = CT
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "CT"
    ds.PatientName = "BENCH^SYNTHETIC"
    ds.PatientID = "BENCH"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.Rows = ds.Columns = 512
    ds.NumberOfFrames = frames
    ds.PixelData = np.zeros((frames, 512, 512), dtype=np.uint16).tobytes()
    ds.save_as(path, write_like_original=False)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
