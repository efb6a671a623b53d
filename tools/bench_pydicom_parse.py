#!/usr/bin/env python3
"""pydicom's parse throughput over a folder, measured like ours (best of N after a warm-up run).

Usage: /usr/bin/python3 tools/bench_pydicom_parse.py DIR [REPEAT]
Modes: "open" = dcmread (values stay raw until accessed, pixel data read into memory);
"open+values" = dcmread then every header value converted (str(elem.value)).
"""
import os
import sys
import time

import pydicom


def measure(files, mode):
    start = time.perf_counter()
    sink = 0
    for path in files:
        ds = pydicom.dcmread(path)
        sink += len(ds)
        if mode == "open+values":
            for elem in ds:
                if elem.VR not in ("OB", "OW", "UN", "OF", "OD", "OL", "OV"):
                    sink += len(str(elem.value))
    return time.perf_counter() - start


def main():
    folder = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".dcm"))
    size = sum(os.path.getsize(f) for f in files)
    for mode in ("open", "open+values"):
        measure(files, mode)
        best = min(measure(files, mode) for _ in range(repeat))
        print(f"pydicom {mode:<12} {len(files)} files {size / 1e6:.0f} MB: best {best * 1000:.0f} ms = {len(files) / best:.0f} files/s, {size / 1e6 / best:.0f} MB/s")


if __name__ == "__main__":
    main()
