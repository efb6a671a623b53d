"""The phantom recipe shared by make_phantom_model.py (training images) and make_phantom_dicom.py (labelled DICOM).

A scene is drawn in relative coordinates (0..1 of the width and of the height), so the same scene can be
rendered at 64x64 for training or at 2500x3000 for a DICOM radiograph; the model sees both through the same
bicubic stretch. Two kinds:

  dx  a chest-radiograph-like projection in display values (0..255, bright = dense): soft tissue, two darker
      lung fields, a bright mediastinum, faint rib bands; lesions are brighter discs/ellipses in a lung field.
  ct  an axial chest-CT-like slice in Hounsfield units: air, a body ellipse with a fat rim, two lungs (-850 HU),
      mediastinum, a vertebra; lesions are soft-tissue discs/ellipses (-300..+60 HU) in a lung. Shown to the
      model in the node's default CT window (lung, centre -600, width 1500: WindowDefaults.cs).

Lesions: zero to two per image, discs (round in pixels) or axis-aligned ellipses, radius 7..13% of the image
side, soft edge, varied contrast and position; never overlapping. A label box is the ellipse's bounding box.
"""
import math
import random

import numpy as np

LUNG_WINDOW = (-600.0, 1500.0)
COUNT_WORDS = ["none", "one", "two"]
DETECTION_WORDS = ["lesion", "nodule", "tumor", "pneumonia"]


class Lesion:
    def __init__(self, cx, cy, rx, ry, strength):
        self.cx, self.cy, self.rx, self.ry, self.strength = cx, cy, rx, ry, strength

    def box_rel(self):
        """Bounding box (x1, y1, x2, y2) in relative units, clipped to the image."""
        return (max(0.0, self.cx - self.rx), max(0.0, self.cy - self.ry),
                min(1.0, self.cx + self.rx), min(1.0, self.cy + self.ry))

    def box_pixels(self, width, height):
        x1, y1, x2, y2 = self.box_rel()
        return [round(x1 * width, 1), round(y1 * height, 1), round(x2 * width, 1), round(y2 * height, 1)]

    def box_units(self):
        """MODEL.md "Output": int(pixel / size * 100), top-left then bottom-right."""
        return [int(v * 100) for v in self.box_rel()]

    def patient_side(self):
        # Radiological convention (PS3.3 C.7.6.1.1.1 orientation of a PA chest / an axial slice seen from the
        # feet): the patient's right is on the image's left.
        return "right" if self.cx < 0.5 else "left"


class Scene:
    def __init__(self, kind, lungs, lesions, params):
        self.kind, self.lungs, self.lesions, self.params = kind, lungs, lesions, params

    def sorted_lesions(self):
        return sorted(self.lesions, key=lambda l: (l.box_units()[0], l.box_units()[1]))


def _inside_ellipse(x, y, cx, cy, rx, ry, scale=1.0):
    return ((x - cx) / (rx * scale)) ** 2 + ((y - cy) / (ry * scale)) ** 2 <= 1.0


def make_scene(rng: random.Random, kind=None, count=None, aspect=1.0, lesion_on=True):
    """A random scene. aspect = width / height of the matrix it is meant for (a disc stays round in pixels)."""
    kind = kind or rng.choice(["dx", "ct"])
    count = count if count is not None else rng.choices([0, 1, 2], weights=[0.2, 0.45, 0.35])[0]
    if kind == "dx":
        lungs = [(0.30 + rng.uniform(-0.03, 0.03), 0.48 + rng.uniform(-0.04, 0.04), rng.uniform(0.14, 0.18), rng.uniform(0.30, 0.36)),
                 (0.70 + rng.uniform(-0.03, 0.03), 0.48 + rng.uniform(-0.04, 0.04), rng.uniform(0.14, 0.18), rng.uniform(0.30, 0.36))]
    else:
        lungs = [(0.33 + rng.uniform(-0.03, 0.03), 0.47 + rng.uniform(-0.03, 0.03), rng.uniform(0.12, 0.16), rng.uniform(0.20, 0.26)),
                 (0.67 + rng.uniform(-0.03, 0.03), 0.47 + rng.uniform(-0.03, 0.03), rng.uniform(0.12, 0.16), rng.uniform(0.20, 0.26))]
    lesions = []
    attempts = 0
    while len(lesions) < count and attempts < 200:
        attempts += 1
        lung = rng.choice(lungs)
        r = rng.uniform(0.07, 0.13)
        if rng.random() < 0.5:
            rx, ry = r, r * aspect  # a disc: round in pixels on a width/height = aspect matrix
        else:
            rx, ry = r, r * rng.uniform(0.6, 1.6)
        ry = min(max(ry, 0.05), 0.16)
        cx = rng.uniform(lung[0] - lung[2], lung[0] + lung[2])
        cy = rng.uniform(lung[1] - lung[3], lung[1] + lung[3])
        if not _inside_ellipse(cx, cy, *lung, scale=0.75):
            continue
        if cx - rx < 0.02 or cx + rx > 0.98 or cy - ry < 0.02 or cy + ry > 0.98:
            continue
        # No overlap (boxes apart by a margin), so every label box is one visible blob.
        if any(abs(cx - o.cx) < rx + o.rx + 0.03 and abs(cy - o.cy) < ry + o.ry + 0.03 for o in lesions):
            continue
        strength = rng.uniform(0.45, 1.0)
        lesions.append(Lesion(cx, cy, rx, ry, strength))
    params = {"noise": rng.uniform(0.3, 1.0), "tissue": rng.uniform(0.85, 1.15), "lung": rng.uniform(0.85, 1.15),
              "ribs": rng.uniform(0.0, 1.0), "rib_phase": rng.uniform(0, 2 * math.pi), "edge": rng.uniform(0.008, 0.02),
              "seed": rng.randrange(1 << 30)}
    return Scene(kind, lungs, lesions, params)


def _soft_ellipse(xx, yy, cx, cy, rx, ry, edge):
    """1 inside, 0 outside, a smooth edge about `edge` wide (relative units) around the boundary."""
    d = np.sqrt(((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2)
    return 1.0 / (1.0 + np.exp(np.clip((d - 1.0) * min(rx, ry) / edge * 4.0, -60.0, 60.0)))


def render(scene: Scene, width: int, height: int, rows=None):
    """dx: display values float32 [H,W] (0..255); ct: Hounsfield units float32 [H,W].
    rows: optional (start, stop) to render a band of rows only (large radiographs are made band by band)."""
    r0, r1 = rows or (0, height)
    xs = (np.arange(width, dtype=np.float32) + 0.5) / width
    ys = (np.arange(r0, r1, dtype=np.float32) + 0.5) / height
    xx, yy = np.meshgrid(xs, ys)
    p = scene.params
    noise_rng = np.random.default_rng(p["seed"] + r0)
    lung_mask = np.zeros_like(xx)
    for lung in scene.lungs:
        lung_mask = np.maximum(lung_mask, _soft_ellipse(xx, yy, *lung, 0.015))
    if scene.kind == "dx":
        body = _soft_ellipse(xx, yy, 0.5, 0.5, 0.47, 0.55, 0.02)
        img = 25 + body * 140 * p["tissue"]
        img = img * (1 - lung_mask) + lung_mask * (70 * p["lung"] + 10 * np.sin(yy * 9 * math.pi + p["rib_phase"]) * p["ribs"])
        img += _soft_ellipse(xx, yy, 0.5, 0.45, 0.07, 0.30, 0.02) * 45
        for l in scene.lesions:
            img += _soft_ellipse(xx, yy, l.cx, l.cy, l.rx, l.ry, p["edge"]) * (55 + 75 * l.strength)
        img += noise_rng.normal(0, 9 * p["noise"], img.shape)
        return np.clip(img, 0, 255).astype(np.float32)
    body = _soft_ellipse(xx, yy, 0.5, 0.5, 0.44, 0.36, 0.01)
    inner = _soft_ellipse(xx, yy, 0.5, 0.5, 0.41, 0.33, 0.01)
    hu = -1000 + body * 900 + inner * 140  # fat rim (-100) around soft tissue (+40)
    hu = hu * (1 - lung_mask) + lung_mask * (-850 + 40 * (p["lung"] - 1))
    hu += _soft_ellipse(xx, yy, 0.5, 0.75, 0.05, 0.05, 0.01) * 650  # vertebra
    for l in scene.lesions:
        target = -300 + 360 * l.strength
        m = _soft_ellipse(xx, yy, l.cx, l.cy, l.rx, l.ry, p["edge"])
        hu = hu * (1 - m) + m * target
    hu += noise_rng.normal(0, 35 * p["noise"], hu.shape)
    return hu.astype(np.float32)


def window(values, center, width):
    """PS3.3 C.11.2.1.2.1 linear VOI to 0..255 (as the node's renderer applies it)."""
    y = ((values - (center - 0.5)) / (width - 1) + 0.5) * 255.0
    return np.clip(y, 0, 255)


def display(scene: Scene, width: int, height: int) -> np.ndarray:
    """The 8-bit grey image the node gives the model for this scene (CT in the lung window)."""
    v = render(scene, width, height)
    if scene.kind == "ct":
        v = window(v, *LUNG_WINDOW)
    return np.round(v).astype(np.uint8)


# ---- the answers the model is taught (and the references evaluate compares with) ----

def box_text(b):
    return "{" + "".join(f"<{v}>" for v in b) + "}"


def detection_answer(scene: Scene, word="lesion"):
    lesions = scene.sorted_lesions()
    if not lesions:
        return f"no {word}"
    return f"<p>{word}</p> " + "<delim>".join(box_text(l.box_units()) for l in lesions)


def count_answer(scene: Scene):
    return COUNT_WORDS[len(scene.lesions)]


def report_sentence(scene: Scene):
    lesions = scene.lesions
    if not lesions:
        return "no lesion is seen ."
    sides = sorted({l.patient_side() for l in lesions})
    if len(lesions) == 1:
        return f"one lesion in the {sides[0]} lung ."
    if len(sides) == 2:
        return "two lesions , one in each lung ."
    return f"two lesions in the {sides[0]} lung ."
