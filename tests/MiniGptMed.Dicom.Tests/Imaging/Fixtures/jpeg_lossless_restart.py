#!/usr/bin/python3
"""Test fixture: re-encode a native single-frame grey or RGB image as JPEG lossless (ITU T.81 process 14, Huffman)
WITH restart intervals, because DCMTK 3.6.7's dcmcjpeg has no option to write them. The stream is checked by the
test against DCMTK's dcmdjpeg (IJG), which is the reference decoder; this script is only a way to get such files.

Usage: jpeg_lossless_restart.py IN.dcm OUT.dcm PREDICTOR RESTART_INTERVAL_IN_MCUS

Huffman table: fixed canonical code lengths chosen so that short codes hit the decoder's lookup tables, 12-bit codes
the slower table path and 16-bit codes its bit-by-bit path (T.81 C: no code of all ones, Kraft sum below 1).
Components are interleaved (one MCU = one sample of each component, T.81 H.1.1 / A.2.3).
"""
import sys
import numpy as np
import pydicom
from pydicom.encaps import encapsulate
from pydicom.uid import UID

LENGTHS = {0: 2, 1: 3, 2: 3, 3: 3, 4: 5, 5: 5, 6: 5, 7: 5, 8: 5, 9: 5,
           10: 12, 11: 12, 12: 12, 13: 12, 14: 12, 15: 16, 16: 16}


def canonical_codes(lengths):
    # T.81 C.2: codes assigned in order of length, then symbol.
    codes, code, previous = {}, 0, 0
    for sym in sorted(lengths, key=lambda s: (lengths[s], s)):
        code <<= lengths[sym] - previous
        previous = lengths[sym]
        codes[sym] = (code, lengths[sym])
        code += 1
    return codes


class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0x00)  # T.81 F.1.2.3 byte stuffing
                self.acc = 0
                self.n = 0

    def flush(self):
        # T.81 F.1.2.3: pad the last byte with 1-bits.
        while self.n:
            self.put(1, 1)


def predict(img, y, x, c, predictor, first_line, restart_start, initial):
    # T.81 H.1.2.1: the first sample of the scan and of each restart interval uses 2^(P-Pt-1); the rest of the
    # first line uses Ra; the first sample of every other line Rb; elsewhere the selected predictor.
    if first_line:
        return initial if x == restart_start else int(img[y, x - 1, c])
    if x == 0:
        return int(img[y - 1, x, c])
    ra, rb, rc = int(img[y, x - 1, c]), int(img[y - 1, x, c]), int(img[y - 1, x - 1, c])
    return {1: ra, 2: rb, 3: rc, 4: ra + rb - rc, 5: ra + ((rb - rc) >> 1),
            6: rb + ((ra - rc) >> 1), 7: (ra + rb) >> 1}[predictor]


def encode(img, precision, predictor, restart):
    rows, cols, comps = img.shape
    codes = canonical_codes(LENGTHS)
    initial = 1 << (precision - 1)
    bits = BitWriter()
    scan = bytearray()
    mcus_left, marker = restart, 0
    first_line, restart_start, next_row_first = True, 0, False

    def restart_marker():
        nonlocal bits, scan, marker, mcus_left
        bits.flush()
        scan += bits.out + bytes([0xFF, 0xD0 + marker])  # T.81 E.1.4: RSTm, m counting modulo 8
        bits = BitWriter()
        marker = (marker + 1) % 8
        mcus_left = restart

    for y in range(rows):
        if y > 0:
            first_line, restart_start, next_row_first = next_row_first, 0, False
        for x in range(cols):
            if restart and mcus_left == 0:
                restart_marker()
                first_line, restart_start = True, x
            for c in range(comps):
                diff = (int(img[y, x, c]) - predict(img, y, x, c, predictor, first_line, restart_start, initial)) % 65536
                if diff == 32768:
                    bits.put(*codes[16])  # H.1.2.2: SSSS 16 is 32768, with no extra bits
                    continue
                if diff > 32768:
                    diff -= 65536
                ssss = 0 if diff == 0 else abs(diff).bit_length()
                bits.put(*codes[ssss])
                if ssss:
                    bits.put(diff if diff > 0 else diff + (1 << ssss) - 1, ssss)  # F.1.2.1 extra bits
            if restart:
                mcus_left -= 1
        if restart and mcus_left == 0 and y + 1 < rows:
            # An interval that ends with the line: the next line starts the new interval as its first line.
            restart_marker()
            next_row_first = True
    bits.flush()
    scan += bits.out

    out = bytearray(b"\xFF\xD8")
    sof = bytes([precision]) + rows.to_bytes(2, "big") + cols.to_bytes(2, "big") + bytes([comps])
    for c in range(comps):
        sof += bytes([c + 1, 0x11, 0])
    out += b"\xFF\xC3" + (len(sof) + 2).to_bytes(2, "big") + sof
    counts = [0] * 16
    for sym, length in LENGTHS.items():
        counts[length - 1] += 1
    dht = bytes([0x00]) + bytes(counts) + bytes(sorted(LENGTHS, key=lambda s: (LENGTHS[s], s)))
    out += b"\xFF\xC4" + (len(dht) + 2).to_bytes(2, "big") + dht
    if restart:
        out += b"\xFF\xDD\x00\x04" + restart.to_bytes(2, "big")
    sos = bytes([comps]) + b"".join(bytes([c + 1, 0x00]) for c in range(comps)) + bytes([predictor, 0, 0])
    out += b"\xFF\xDA" + (len(sos) + 2).to_bytes(2, "big") + sos
    out += scan + b"\xFF\xD9"
    return bytes(out)


def main():
    src, dst, predictor, restart = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    ds = pydicom.dcmread(src)
    arr = ds.pixel_array
    comps = int(ds.SamplesPerPixel)
    img = arr.reshape(int(ds.Rows), int(ds.Columns), comps).astype(np.int64)
    precision = int(ds.BitsStored)
    if ds.PixelRepresentation == 1:
        img &= (1 << precision) - 1  # PS3.5 8.2.1: signed samples are encoded as their bit pattern
    stream = encode(img, precision, predictor, restart)
    ds.PixelData = encapsulate([stream])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = UID("1.2.840.10008.1.2.4.70" if predictor == 1 else "1.2.840.10008.1.2.4.57")
    ds.is_implicit_VR = False
    ds.is_little_endian = True
    ds.save_as(dst, write_like_original=False)


if __name__ == "__main__":
    main()
