#!/usr/bin/python3
"""Test fixture: for every image in pydicom's test corpus, write its pixel attributes, its frames as stored,
and a reference decoding made by GDCM (gdcmconv --raw) or DCMTK (dcmdjpeg/dcmdrle/dcmconv).

pydicom only parses the files and splits fragments into frames; the reference pixels come from GDCM/DCMTK.
Usage: corpus_fixture.py OUTDIR [FILE...]   (default: every .dcm in pydicom's test_files)
"""
import json, os, subprocess, sys, glob, warnings
warnings.filterwarnings("ignore")
import pydicom
import pydicom.data
from pydicom.encaps import generate_pixel_data_frame

NATIVE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2"}


def attrs(ds):
    def num(name, default=None):
        v = ds.get(name, default)
        return None if v is None else (float(v) if not isinstance(v, (int,)) else v)

    def first(name):
        v = ds.get(name)
        if v is None:
            return None
        try:
            return float(v[0]) if isinstance(v, pydicom.multival.MultiValue) else float(v)
        except Exception:
            return None

    return {
        "rows": int(ds.Rows), "columns": int(ds.Columns),
        "samplesPerPixel": int(ds.get("SamplesPerPixel", 1)),
        "bitsAllocated": int(ds.BitsAllocated), "bitsStored": int(ds.BitsStored),
        "highBit": int(ds.get("HighBit", int(ds.BitsStored) - 1)),
        "pixelRepresentation": int(ds.get("PixelRepresentation", 0)),
        "planarConfiguration": int(ds.get("PlanarConfiguration", 0) or 0),
        "photometric": str(ds.PhotometricInterpretation),
        "frames": int(str(ds.get("NumberOfFrames", 1) or 1).strip() or 1) if str(ds.get("NumberOfFrames", 1)).strip().isdigit() else 1,
        "sopInstanceUid": str(ds.get("SOPInstanceUID", "")),
        "sopClassUid": str(ds.get("SOPClassUID", "")),
        "modality": str(ds.get("Modality", "")),
        "windowCenter": first("WindowCenter"), "windowWidth": first("WindowWidth"),
        "rescaleSlope": first("RescaleSlope"), "rescaleIntercept": first("RescaleIntercept"),
    }


def reference(src, ts, out):
    """Decode with GDCM; fall back to DCMTK where GDCM cannot."""
    tools = [["gdcmconv", "--raw", src, out]]
    if ts in NATIVE:
        # Uncompressed: the reference is pydicom's numpy unpacking of the file itself (dcmconv would swap 32-bit
        # big-endian OW data as 16-bit words).
        import shutil
        shutil.copyfile(src, out)
        return "pydicom"
    elif ts.startswith("1.2.840.10008.1.2.4.5") or ts in ("1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"):
        # DCMTK converts YCbCr to RGB as a viewer would (+cp); GDCM --raw keeps YCbCr.
        tools.insert(0, ["dcmdjpeg", src, out])
    elif ts == "1.2.840.10008.1.2.5":
        tools.insert(0, ["dcmdrle", src, out])
    for cmd in tools:
        r = subprocess.run(cmd, capture_output=True)
        if r.returncode == 0 and os.path.exists(out):
            return cmd[0]
    return None


def main():
    outdir = sys.argv[1]
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(os.path.dirname(pydicom.data.__file__), "test_files", "*.dcm")))
    manifest = []
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            ds = pydicom.dcmread(path)
            ts = str(ds.file_meta.TransferSyntaxUID)
            if "PixelData" not in ds:
                continue
            a = attrs(ds)
        except Exception as e:
            continue
        d = os.path.join(outdir, name)
        os.makedirs(d, exist_ok=True)
        entry = {"name": name, "path": path, "transferSyntax": ts, "info": a, "frameFiles": []}
        data = ds.PixelData
        if ts in NATIVE:
            # pydicom has already byte-swapped big endian OW to native order when reading the element value? No:
            # it keeps the raw bytes, so say which order they are in.
            entry["bigEndian"] = ts == "1.2.840.10008.1.2.2" and ds["PixelData"].VR == "OW"
            with open(os.path.join(d, "native.bin"), "wb") as f:
                f.write(data)
            entry["nativeFile"] = "native.bin"
        else:
            try:
                for i, frame in enumerate(generate_pixel_data_frame(data, a["frames"])):
                    fn = f"frame_{i}.bin"
                    with open(os.path.join(d, fn), "wb") as f:
                        f.write(frame)
                    entry["frameFiles"].append(fn)
            except Exception as e:
                entry["frameError"] = str(e)
        ref = os.path.join(d, "ref.dcm")
        tool = reference(path, ts, ref)
        if tool:
            try:
                r = pydicom.dcmread(ref)
                ref_attrs = attrs(r)
                # The decoded file is native: pydicom's numpy unpacking (another implementation than ours)
                # gives the reference samples, interleaved, all frames, as int32.
                import numpy as np
                arr = np.ascontiguousarray(r.pixel_array).astype("<i4")
                with open(os.path.join(d, "ref.bin"), "wb") as f:
                    f.write(arr.tobytes())
                entry["refTool"] = tool
                entry["ref"] = ref_attrs
            except Exception as e:
                entry["refError"] = str(e)
        manifest.append(entry)
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
