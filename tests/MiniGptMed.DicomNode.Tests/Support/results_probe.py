"""Independent reading of the objects `analyze` writes (pydicom + numpy, Debian packages).

Usage: python3 results_probe.py FILE... ; prints one JSON object keyed by path:
  sop_class, modality, patient_name (decoded), texts (every TEXT value of an SR), regions:
  SR: each SCOORD's graphic data with the referenced SOP Instance UID and frame of the IMAGE it is selected from;
  PR: each graphic object's data (PIXEL units) with the images its annotation applies to;
  SC: frame count, rows, columns, and per frame the bounding box of the pixels of the overlay colour given by
      the environment variable OVERLAY_RGB (r,g,b), found in pydicom's decoded pixel array.
"""
import json
import os
import sys

import numpy as np
import pydicom


def sr_regions(ds):
    texts, regions = [], []

    def walk(items, parent_image=None):
        for item in items:
            vt = item.get("ValueType", "")
            if vt == "TEXT":
                texts.append(item.TextValue)
            if vt == "SCOORD":
                for child in item.get("ContentSequence", []):
                    if child.get("ValueType") == "IMAGE":
                        ref = child.ReferencedSOPSequence[0]
                        frames = [int(f) for f in ref.get("ReferencedFrameNumber", [])] if "ReferencedFrameNumber" in ref else []
                        regions.append({"sop": ref.ReferencedSOPInstanceUID, "frames": frames,
                                        "type": item.GraphicType, "data": [float(v) for v in item.GraphicData]})
            if "ContentSequence" in item:
                walk(item.ContentSequence)

    walk(ds.ContentSequence)
    return texts, regions


def pr_regions(ds):
    regions = []
    for ann in ds.get("GraphicAnnotationSequence", []):
        refs = []
        for r in ann.get("ReferencedImageSequence", []):
            frames = [int(f) for f in r.ReferencedFrameNumber] if "ReferencedFrameNumber" in r else []
            refs.append({"sop": r.ReferencedSOPInstanceUID, "frames": frames})
        for g in ann.get("GraphicObjectSequence", []):
            regions.append({"refs": refs, "units": g.GraphicAnnotationUnits, "type": g.GraphicType,
                            "data": [float(v) for v in g.GraphicData]})
    return regions


def sc_boxes(ds, rgb):
    pixels = ds.pixel_array
    if int(ds.get("NumberOfFrames", 1)) == 1:
        pixels = pixels[np.newaxis]
    boxes = []
    for frame in pixels:
        mask = np.all(frame[:, :, :3] == np.array(rgb, dtype=frame.dtype), axis=2)
        ys, xs = np.nonzero(mask)
        boxes.append(None if len(xs) == 0 else [int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()), int(len(xs))])
    return boxes


def main():
    rgb = [int(v) for v in os.environ.get("OVERLAY_RGB", "255,0,0").split(",")]
    out = {}
    for path in sys.argv[1:]:
        ds = pydicom.dcmread(path)
        entry = {"sop_class": ds.SOPClassUID, "modality": ds.Modality, "patient_name": str(ds.get("PatientName", "")),
                 "charset": list(ds.get("SpecificCharacterSet", [])) if ds.get("SpecificCharacterSet") else []}
        if ds.Modality == "SR":
            entry["texts"], entry["regions"] = sr_regions(ds)
        elif ds.Modality == "PR":
            entry["regions"] = pr_regions(ds)
        elif "PixelData" in ds:
            entry["rows"], entry["columns"] = int(ds.Rows), int(ds.Columns)
            entry["frames"] = int(ds.get("NumberOfFrames", 1))
            entry["boxes"] = sc_boxes(ds, rgb)
        out[path] = entry
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
