#!/usr/bin/python3
"""Writes labelled phantom DICOM studies from the phantom recipe (tools/phantom_recipe.py), covering what breaks
geometry between the pixels and the SR coordinates, and the labels `minigptmed evaluate --labels` reads.

  /usr/bin/python3 tools/make_phantom_dicom.py OUT [--seed N] [--small]     # Debian: python3-pydicom python3-numpy,
                                                                             # dcmtk (dcmcjpeg), libgdcm-tools (gdcmconv)

One study per geometry case (labels "group"), 60 images in all:
  dx-monochrome2        10 DX, MONOCHROME2, 12 bits, non-square matrices, one 2500x3000
  dx-monochrome1        10 DX, MONOCHROME1 (inverted stored values, same display)
  dx-pixel-spacing       8 DX with non-square Pixel Spacing (0.2 \\ 0.1 mm) on non-square matrices
  ct-few-slices         12 CT slices of one series; lesions on three slices only (a sphere cut at 0.8, 1, 0.8)
  ct-signed-rescale      8 CT slices, signed 16-bit, Rescale Slope 0.5 and Intercept -10
  dx-jpeg-lossless       6 DX encoded JPEG Lossless, Process 14 SV1 (1.2.840.10008.1.2.4.70, dcmcjpeg)
  dx-jpeg2000            6 DX encoded JPEG 2000 lossless (1.2.840.10008.1.2.4.90, gdcmconv --j2k)
Labels (OUT/labels.json): per frame its SOP Instance UID, frame 1, the lesions' bounding boxes in pixels
([x1, y1, x2, y2], PS3.3 C.18.6.1.2: 0,0 is the top-left corner of the top-left pixel), the count, the reference
report sentence and the count question. The seed differs from every training seed, so none of these was trained on.
--small replaces the 2500x3000 radiograph by a 500x600 one (quick tests).
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import phantom_recipe as recipe  # noqa: E402

DX_CLASS = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image Storage - For Presentation
CT_CLASS = "1.2.840.10008.5.1.4.1.1.2"
ROOT_UID = "1.2.826.0.1.3680043.10.1374."  # names derived with pydicom's generate_uid from a fixed entropy
COUNT_QUESTION = "how many lesions are there ?"


def uid(*parts):
    return generate_uid(prefix=ROOT_UID, entropy_srcs=["phantom"] + [str(p) for p in parts])


def base(sop_class, sop_uid, study, series, modality, number, series_number, description):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = ROOT_UID + "1"
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.PatientName = "PHANTOM^" + description.replace("-", "^").upper()[:40]
    ds.PatientID = "PHANTOM-" + description
    ds.PatientBirthDate = ""
    ds.PatientSex = "O"
    ds.StudyDate = "20261202"
    ds.StudyTime = "120000"
    ds.AccessionNumber = ""
    ds.ReferringPhysicianName = ""
    ds.StudyID = "1"
    ds.StudyDescription = "Phantom " + description
    ds.SeriesDescription = description
    ds.Modality = modality
    ds.SeriesNumber = series_number
    ds.InstanceNumber = number
    ds.BodyPartExamined = "CHEST"
    ds.Manufacturer = "MiniGptMed phantom"
    ds.SamplesPerPixel = 1
    return ds


def dx(scene, width, height, ids, monochrome1=False, spacing=(0.15, 0.15)):
    """12-bit stored values with a window that maps them back to the recipe's display values exactly."""
    ds = base(DX_CLASS, ids[0], ids[1], ids[2], "DX", ids[3], ids[4], ids[5])
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.PresentationIntentType = "FOR PRESENTATION"
    disp = np.empty((height, width), dtype=np.float32)
    band = 256
    for r0 in range(0, height, band):
        r1 = min(height, r0 + band)
        disp[r0:r1] = recipe.render(scene, width, height, rows=(r0, r1))
    stored = np.round(disp / 255.0 * 4095).astype(np.uint16)
    if monochrome1:
        stored = (4095 - stored).astype(np.uint16)
    ds.PhotometricInterpretation = "MONOCHROME1" if monochrome1 else "MONOCHROME2"
    ds.Rows, ds.Columns = height, width
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelSpacing = [f"{spacing[0]:g}", f"{spacing[1]:g}"]
    ds.ImagerPixelSpacing = [f"{spacing[0]:g}", f"{spacing[1]:g}"]
    # PS3.3 C.11.2.1.2: centre 2047.5, width 4096 maps 0..4095 onto the full output range.
    ds.WindowCenter, ds.WindowWidth = "2047.5", "4096"
    ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = "0", "1", "US"
    ds.PixelData = stored.tobytes()
    return ds


def ct(scene, size, ids, z, signed=False):
    ds = base(CT_CLASS, ids[0], ids[1], ids[2], "CT", ids[3], ids[4], ids[5])
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    hu = recipe.render(scene, size, size)
    if signed:
        slope, intercept = 0.5, -10.0
        stored = np.clip(np.round((hu - intercept) / slope), -32768, 32767).astype(np.int16)
        ds.PixelRepresentation = 1
    else:
        slope, intercept = 1.0, -1024.0
        stored = np.clip(np.round((hu - intercept) / slope), 0, 4095).astype(np.uint16)
        ds.PixelRepresentation = 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = ds.Columns = size
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.RescaleIntercept, ds.RescaleSlope = f"{intercept:g}", f"{slope:g}"
    ds.RescaleType = "HU"
    ds.PixelSpacing = ["0.7", "0.7"]
    ds.SliceThickness = "2"
    ds.ImagePositionPatient = ["-90", "-90", f"{z:g}"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.FrameOfReferenceUID = uid("frame-of-reference", ids[2])
    ds.KVP = "120"
    ds.WindowCenter, ds.WindowWidth = "-600", "1500"
    ds.PixelData = stored.tobytes()
    return ds


def label(ds, scene, group):
    w, h = int(ds.Columns), int(ds.Rows)
    return {"sopInstanceUid": ds.SOPInstanceUID, "frame": 1, "group": group,
            "boxes": [l.box_pixels(w, h) for l in scene.sorted_lesions()], "count": len(scene.lesions),
            "report": recipe.report_sentence(scene), "vqa": [{"question": COUNT_QUESTION, "answer": recipe.count_answer(scene)}]}


def scene_with(rng, kind, width, height, count=None):
    return recipe.make_scene(rng, kind=kind, count=count if count is not None else rng.choice([1, 1, 2, 2, 0]), aspect=width / height)


def write(ds, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.save_as(path, write_like_original=False)


def encode(tool_args, src, dst):
    subprocess.run(tool_args + [src, dst], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if tool_args[0] == "gdcmconv":
        # gdcmconv 3.0 writes every data set element with VR UN; readers that do not resolve UN through the
        # dictionary (DCMTK's storescu: "missing SOP class") cannot send the file. pydicom reads them by the
        # dictionary and writes them back with their VRs; the encapsulated pixel data is kept as it is.
        ds = pydicom.dcmread(dst)
        for _ in ds:  # pydicom converts an element (UN -> its dictionary VR) when it is first accessed
            pass
        ds.save_as(dst, write_like_original=False)


def make(out, seed, small):
    rng = random.Random(seed)
    labels = []
    os.makedirs(out, exist_ok=True)

    def study(group):
        return uid(seed, group, "study"), uid(seed, group, "series")

    # DX, MONOCHROME2 and MONOCHROME1: non-square matrices, one very large radiograph.
    for group, mono1 in (("dx-monochrome2", False), ("dx-monochrome1", True)):
        st, se = study(group)
        for i in range(10):
            if i == 0 and not mono1:
                w, h = (500, 600) if small else (2500, 3000)
            else:
                w = rng.randrange(320, 640, 8)
                h = int(w * rng.uniform(1.05, 1.35)) // 2 * 2
            scene = scene_with(rng, "dx", w, h)
            ds = dx(scene, w, h, (uid(seed, group, i), st, se, i + 1, 1, group), monochrome1=mono1)
            write(ds, os.path.join(out, group, f"{i + 1:02d}.dcm"))
            labels.append(label(ds, scene, group))

    # DX with non-square Pixel Spacing: the model and the SR work in pixels, so spacing must not move a box.
    group = "dx-pixel-spacing"
    st, se = study(group)
    for i in range(8):
        w, h = rng.choice([(600, 360), (640, 400), (480, 320), (560, 420)])
        scene = scene_with(rng, "dx", w, h)
        ds = dx(scene, w, h, (uid(seed, group, i), st, se, i + 1, 1, group), spacing=(0.2, 0.1))
        write(ds, os.path.join(out, group, f"{i + 1:02d}.dcm"))
        labels.append(label(ds, scene, group))

    # A CT series with lesions on three slices only (slices 5-7 of 12: a sphere cut at 0.8, 1.0, 0.8 of its radius).
    group = "ct-few-slices"
    st, se = study(group)
    chest = recipe.make_scene(rng, kind="ct", count=2, aspect=1.0)
    for k in range(12):
        lesions = []
        scale = {4: 0.8, 5: 1.0, 6: 0.8}.get(k)
        if scale is not None:
            lesions = [recipe.Lesion(l.cx, l.cy, l.rx * scale, l.ry * scale, l.strength) for l in chest.lesions]
        scene = recipe.Scene("ct", chest.lungs, lesions, dict(chest.params, seed=chest.params["seed"] + k))
        ds = ct(scene, 256, (uid(seed, group, k), st, se, k + 1, 1, group), z=-100 + 2 * k)
        write(ds, os.path.join(out, group, f"{k + 1:02d}.dcm"))
        labels.append(label(ds, scene, group))

    # Signed CT with a rescale: stored = (HU + 10) / 0.5, negative values stored.
    group = "ct-signed-rescale"
    st, se = study(group)
    for k in range(8):
        scene = scene_with(rng, "ct", 256, 256)
        ds = ct(scene, 256, (uid(seed, group, k), st, se, k + 1, 1, group), z=-50 + 5 * k, signed=True)
        write(ds, os.path.join(out, group, f"{k + 1:02d}.dcm"))
        labels.append(label(ds, scene, group))

    # Compressed copies: JPEG Lossless SV1 (dcmcjpeg) and JPEG 2000 lossless (gdcmconv).
    with tempfile.TemporaryDirectory(prefix="phantom-dicom-") as work:
        for group, tool in (("dx-jpeg-lossless", ["dcmcjpeg", "+e1"]), ("dx-jpeg2000", ["gdcmconv", "--j2k"])):
            st, se = study(group)
            for i in range(6):
                w = rng.randrange(320, 560, 8)
                h = int(w * rng.uniform(1.05, 1.3)) // 2 * 2
                scene = scene_with(rng, "dx", w, h)
                ds = dx(scene, w, h, (uid(seed, group, i), st, se, i + 1, 1, group), monochrome1=(group == "dx-jpeg2000" and i % 2 == 1))
                plain = os.path.join(work, f"{group}-{i}.dcm")
                write(ds, plain)
                target = os.path.join(out, group, f"{i + 1:02d}.dcm")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                encode(tool, plain, target)
                labels.append(label(ds, scene, group))

    with open(os.path.join(out, "labels.json"), "w", encoding="utf-8") as f:
        json.dump({"finding": "lesion", "images": labels}, f, indent=1)
        f.write("\n")
    lesions = sum(len(l["boxes"]) for l in labels)
    print(f"{out}: {len(labels)} images, {lesions} lesions, labels.json")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--small", action="store_true", help="no 2500x3000 radiograph (quick tests)")
    args = ap.parse_args()
    for tool in ("dcmcjpeg", "gdcmconv"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian: dcmtk, libgdcm-tools)")
    make(args.out, args.seed, args.small)


if __name__ == "__main__":
    main()
