"""Independent reading of the objects `analyze` writes (pydicom + numpy, Debian packages).

Usage: python3 results_probe.py FILE... ; prints one JSON object keyed by path:
  sop_class, modality, patient_name (decoded), texts (every TEXT value of an SR), nums (every NUM of an SR: concept
  code, scheme, meaning, value, unit), regions:
  SR: each SCOORD's graphic data with the referenced SOP Instance UID and frame of the IMAGE it is selected from,
      and images: the SOP Instance UIDs every IMAGE item references (the image library's and the regions');
  PR: each graphic object's data (PIXEL units) with the images its annotation applies to;
  SC: frame count, rows, columns, and per frame the bounding box of the pixels of the overlay colour given by
      the environment variable OVERLAY_RGB (r,g,b), found in pydicom's decoded pixel array.
"""
import json
import os
import sys

import numpy as np
import pydicom


def frame_numbers(ref):
    if "ReferencedFrameNumber" not in ref:
        return []
    value = ref.ReferencedFrameNumber
    return [int(f) for f in (value if isinstance(value, (list, tuple)) or hasattr(value, "__iter__") and not isinstance(value, str) else [value])]


def sr_regions(ds, nums=None, images=None):
    texts, regions = [], []

    def walk(items, parent_image=None):
        for item in items:
            vt = item.get("ValueType", "")
            if vt == "TEXT":
                texts.append(item.TextValue)
            if vt == "NUM" and nums is not None:
                name = item.ConceptNameCodeSequence[0]
                mv = item.MeasuredValueSequence[0]
                unit = mv.MeasurementUnitsCodeSequence[0]
                nums.append({"code": name.CodeValue, "scheme": name.CodingSchemeDesignator, "meaning": name.CodeMeaning,
                             "value": float(mv.NumericValue), "unit": unit.CodeValue})
            if vt == "IMAGE" and images is not None:
                images.add(item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)
            if vt == "SCOORD":
                for child in item.get("ContentSequence", []):
                    if child.get("ValueType") == "IMAGE":
                        ref = child.ReferencedSOPSequence[0]
                        frames = frame_numbers(ref)
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
            frames = frame_numbers(r)
            refs.append({"sop": r.ReferencedSOPInstanceUID, "frames": frames})
        for g in ann.get("GraphicObjectSequence", []):
            regions.append({"refs": refs, "units": g.GraphicAnnotationUnits, "type": g.GraphicType,
                            "data": [float(v) for v in g.GraphicData]})
    return regions


def largest_component(mask):
    """The pixels of the largest 4-connected component of a boolean mask (numpy only, iterative fill)."""
    seen = np.zeros_like(mask, dtype=bool)
    best = None
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        stack, pixels = [start], []
        seen[start] = True
        while stack:
            y, x = stack.pop()
            pixels.append((y, x))
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < mask.shape[0] and 0 <= nx < mask.shape[1] and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        if best is None or len(pixels) > len(best):
            best = pixels
    out = np.zeros_like(mask, dtype=bool)
    for y, x in best or []:
        out[y, x] = True
    return out


def stroke_centres(outline):
    """Left, top, right, bottom: the centre line of each side of a rectangular outline (mean pixel centre of the
    columns or rows that carry at least half the outline's extent)."""
    ys, xs = np.nonzero(outline)
    height, width = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    cols = [c for c in range(xs.min(), xs.max() + 1) if outline[:, c].sum() >= height / 2]
    rows = [r for r in range(ys.min(), ys.max() + 1) if outline[r, :].sum() >= width / 2]
    mid_x, mid_y = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    left = [c + 0.5 for c in cols if c < mid_x]
    right = [c + 0.5 for c in cols if c > mid_x]
    top = [r + 0.5 for r in rows if r < mid_y]
    bottom = [r + 0.5 for r in rows if r > mid_y]
    return [float(np.mean(v)) if v else None for v in (left, top, right, bottom)]


def sc_boxes(ds, rgb):
    pixels = ds.pixel_array
    if int(ds.get("NumberOfFrames", 1)) == 1:
        pixels = pixels[np.newaxis]
    boxes = []
    for frame in pixels:
        # Pixels wholly covered by the stroke carry the overlay colour exactly; the label's colour strip is a
        # smaller separate component, so the box is the largest one.
        mask = np.all(frame[:, :, :3] == np.array(rgb, dtype=frame.dtype), axis=2)
        boxes.append(None if not mask.any() else stroke_centres(largest_component(mask)))
    return boxes


def main():
    rgb = [int(v) for v in os.environ.get("OVERLAY_RGB", "255,221,0").split(",")]
    out = {}
    for path in sys.argv[1:]:
        ds = pydicom.dcmread(path)
        entry = {"sop_class": ds.SOPClassUID, "modality": ds.Modality, "patient_name": str(ds.get("PatientName", "")),
                 "charset": list(ds.get("SpecificCharacterSet", [])) if ds.get("SpecificCharacterSet") else []}
        if ds.Modality == "SR":
            entry["nums"], images = [], set()
            entry["texts"], entry["regions"] = sr_regions(ds, entry["nums"], images)
            entry["images"] = sorted(images)
        elif ds.Modality == "PR":
            entry["regions"] = pr_regions(ds)
        elif "PixelData" in ds:
            entry["rows"], entry["columns"] = int(ds.Rows), int(ds.Columns)
            entry["frames"] = int(ds.get("NumberOfFrames", 1))
            entry["boxes"] = sc_boxes(ds, rgb)
        out[path] = entry
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
