#!/usr/bin/python3
"""The pydicom + numpy side of the imaging benchmark: dcmread, pixel_array, rescale, window to 8 bits
(PS3.3 C.11.2.1.2.1 LINEAR), per file; warm-up, then median and minimum of N runs in milliseconds.
Usage: imaging_benchmark_pydicom.py CENTRE,WIDTH ITERATIONS FILE..."""
import sys, time, statistics
import numpy as np
import pydicom


def render(path, c, w):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array.astype(np.float64)
    arr = arr * float(ds.get("RescaleSlope", 1) or 1) + float(ds.get("RescaleIntercept", 0) or 0)
    y = ((arr - (c - 0.5)) / (w - 1) + 0.5) * 255
    return np.clip(np.rint(y), 0, 255).astype(np.uint8)


c, w = (float(v) for v in sys.argv[1].split(","))
n = int(sys.argv[2])
for path in sys.argv[3:]:
    try:
        for _ in range(5):
            render(path, c, w)
    except RuntimeError as e:  # Debian's pydicom has no JPEG lossless handler (needs GDCM or pylibjpeg bindings)
        print(f"{path.split('/')[-1]}\tcannot decode: {str(e)[:80]}")
        continue
    times = []
    for _ in range(n):
        t = time.perf_counter()
        render(path, c, w)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"{path.split('/')[-1]}\tmedian {times[n // 2]:.2f} ms\tmin {times[0]:.2f} ms")
