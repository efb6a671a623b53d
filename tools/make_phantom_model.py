#!/usr/bin/python3
"""Trains the phantom model that ships in models/phantom: a tiny model with MiniGPT-Med's structure and ONNX
contract (models/README.md) that really finds the lesions of the phantom recipe (tools/phantom_recipe.py).

  nice -n 5 /usr/bin/python3 tools/make_phantom_model.py        # Debian: python3-torch python3-onnx python3-sentencepiece python3-pil

Steps (fixed seeds; about 27 minutes on two idle cores, the training's time budget included):
 1. draws a pool of training scenes (chest-radiograph-like and CT-slice-like, zero to two lesions), renders
    each at a random matrix size and stretches it to the model's square with Pillow's bicubic, as the engine
    does (a horizontal mirror of each doubles the pool);
 2. trains vision encoder + decoder on the six tasks: [detection]/[refer]/[grounding] answer one box per
    lesion, [identify] names what a given box holds, [vqa] answers the count, a report sentence names count
    and side;
 3. lays the weights out as the real inputs (tools/minigptmed_checkpoints.py: a Hugging Face Llama directory, an
    eva_vit_g.pth, a MiniGPT-Med checkpoint whose q/v projections are split into a base weight and a LoRA pair) and
    runs tools/export_minigptmed.py on them, the code path of the real checkpoint (its manifest lists each file's size
    and SHA-256);
 4. measures the trained weights on held-out scenes (another seed) and writes the scores into
    models/phantom/README.md.

A smoke run (CI): --steps 3 --pool 64 --heldout 8 --out DIR.
Re-export trained weights without training: --resume STATE --export-only [--out DIR].
"""
import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import phantom_recipe as recipe  # noqa: E402
from minigptmed_modules import VisionConfig, DecoderConfig, VisionEncoder, LlamaForCausalLM  # noqa: E402
from minigptmed_export import TASKS, PROMPT_TEMPLATE, CLIP_MEAN, CLIP_STD  # noqa: E402
from minigptmed_checkpoints import write_reference_checkpoints  # noqa: E402
from minigptmed_reference import prompt_segments, build_instruction, tokenize_segment, ReferenceGenerator  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "tools")
SMALL_TOKENIZER = os.path.join(ROOT, "models", "small", "tokenizer.model")

VCFG = VisionConfig(image_size=64, patch_size=8, width=48, depth=2, heads=4, mlp_hidden=96, merge=4)
DCFG = DecoderConfig(vocab_size=640, hidden=48, layers=2, heads=4, kv_heads=4, intermediate=128)
AUX_GRID = 32  # the occupancy map the auxiliary training head predicts (4x4 cells per 8x8 patch)
IMAGE_TOKENS = (VCFG.image_size // VCFG.patch_size) ** 2 // VCFG.merge
SEED = 20261202
HELDOUT_SEED = 777

# The manifest the export writes (bos_on_first_segment false: --single-bos).
MANIFEST = {"image": {"size": VCFG.image_size, "mean": CLIP_MEAN, "std": CLIP_STD},
            "tokens": {"bos": 1, "eos": 2, "pad": 0},
            "prompt": {"template": PROMPT_TEMPLATE, "image_placeholder": "<ImageHere>", "bos_on_first_segment": False}}

TASK_WEIGHTS = {"detection": 0.55, "refer": 0.12, "grounding": 0.08, "identify": 0.09, "vqa": 0.08, "report": 0.08}
BOX = re.compile(r"\{<(\d{1,3})><(\d{1,3})><(\d{1,3})><(\d{1,3})>\}")


# ---------------------------------------------------------------- data

def model_input(scene, width, height):
    """uint8 [S,S]: the scene at its matrix size, stretched to the model's square by Pillow's bicubic (the engine's resize)."""
    grey = recipe.display(scene, width, height)
    s = VCFG.image_size
    img = Image.fromarray(grey, mode="L")
    if img.size != (s, s):
        img = img.resize((s, s), Image.BICUBIC)
    return np.asarray(img, dtype=np.uint8)


def random_matrix(rng):
    w = rng.randint(64, 200)
    h = int(w / rng.uniform(0.6, 1.4))
    return w, max(64, min(260, h))


def draw_pool(seed, n):
    rng = random.Random(seed)
    scenes, images = [], []
    for _ in range(n):
        w, h = random_matrix(rng)
        scene = recipe.make_scene(rng, aspect=w / h)
        scenes.append(scene)
        images.append(model_input(scene, w, h))
    return scenes, np.stack(images)


def occupancy(scene):
    """float [G,G]: 1 where a lesion ellipse covers the cell centre (relative coordinates, as the stretch keeps them)."""
    c = (np.arange(AUX_GRID, dtype=np.float32) + 0.5) / AUX_GRID
    xx, yy = np.meshgrid(c, c)
    occ = np.zeros((AUX_GRID, AUX_GRID), dtype=np.float32)
    for l in scene.lesions:
        occ = np.maximum(occ, (((xx - l.cx) / l.rx) ** 2 + ((yy - l.cy) / l.ry) ** 2 <= 1.0).astype(np.float32))
    return occ


class AuxHead(torch.nn.Module):
    """Training only (not exported): predicts the lesion occupancy of 4x4 cells per patch from the ViT's patch tokens,
    so that the vision encoder learns where lesions are long before the decoder has learnt to spell coordinates."""

    def __init__(self):
        super().__init__()
        self.cells = AUX_GRID // (VCFG.image_size // VCFG.patch_size)
        self.linear = torch.nn.Linear(VCFG.width, self.cells * self.cells)

    def forward(self, tokens):
        b, n, _ = tokens.shape
        g = int(round(n ** 0.5))
        k = self.cells
        y = self.linear(tokens).reshape(b, g, g, k, k).permute(0, 1, 3, 2, 4)
        return y.reshape(b, g * k, g * k)


def vision_forward(vision, pixel_values):
    """VisionEncoder.forward, also returning the patch tokens for the auxiliary head."""
    x = vision.ln_vision(vision.visual_encoder(pixel_values))[:, 1:, :]
    b, n, c = x.shape
    return vision.llama_proj(x.reshape(b, n // vision.cfg.merge, c * vision.cfg.merge)), x


def hidden_states(lm, inputs_embeds, attention_mask, position_ids):
    """LlamaForCausalLM.decode without a past and without the head (the head runs on answer positions only)."""
    cfg = lm.cfg
    d = cfg.head_dim
    inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    freqs = position_ids.to(torch.float32).unsqueeze(-1) * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().unsqueeze(1), emb.sin().unsqueeze(1)
    t = inputs_embeds.shape[1]
    idx = torch.arange(t)
    mask = (idx.unsqueeze(0) <= idx.unsqueeze(1)).unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(1)
    empty = torch.zeros(inputs_embeds.shape[0], cfg.kv_heads, 0, d)
    x = inputs_embeds
    for layer in lm.model.layers:
        x, _, _ = layer(x, cos, sin, mask, empty, empty)
    return lm.model.norm(x)


def mirrored(scene):
    lungs = [(1 - cx, cy, rx, ry) for cx, cy, rx, ry in scene.lungs]
    lesions = [recipe.Lesion(1 - l.cx, l.cy, l.rx, l.ry, l.strength) for l in scene.lesions]
    return recipe.Scene(scene.kind, lungs, lesions, scene.params)


def to_pixels(u8):
    """uint8 [B,S,S] -> CLIP-normalised float [B,3,S,S] (grey replicated, MODEL.md)."""
    x = torch.from_numpy(u8).float().div(255.0).unsqueeze(1).expand(-1, 3, -1, -1)
    mean = torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CLIP_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def negative_box(rng, scene):
    """A box of lesion size that overlaps no lesion (identify's 'normal tissue' cases)."""
    for _ in range(50):
        w, h = rng.randint(8, 22), rng.randint(8, 22)
        x1, y1 = rng.randint(2, 97 - w), rng.randint(2, 97 - h)
        b = [x1, y1, x1 + w, y1 + h]
        if all(iou(b, l.box_units()) < 0.05 for l in scene.lesions):
            return b
    return None


def task_example(rng, scene):
    """(task, instruction, answer) for one scene."""
    task = rng.choices(list(TASK_WEIGHTS), weights=list(TASK_WEIGHTS.values()))[0]
    word = "lesion" if rng.random() < 0.55 else rng.choice(recipe.DETECTION_WORDS)
    if task == "detection":
        return task, build_instruction(TASKS[task], word), recipe.detection_answer(scene, word)
    if task == "refer":
        q = rng.choice([f"where is {word} ?", f"give me the location of {word}"])
        return task, build_instruction(TASKS[task], q), recipe.detection_answer(scene, word)
    if task == "grounding":
        return task, build_instruction(TASKS[task]), recipe.detection_answer(scene, "lesion")
    if task == "identify":
        if scene.lesions and rng.random() < 0.6:
            b = [min(100, max(0, v + rng.randint(-1, 1))) for v in rng.choice(scene.lesions).box_units()]
            answer = "lesion"
        else:
            b = negative_box(rng, scene)
            if b is None:
                return task_example(rng, scene)
            answer = "normal tissue"
        return task, build_instruction(TASKS[task], None, recipe.box_text(b)), answer
    if task == "vqa":
        kind = rng.random()
        if kind < 0.6:
            return task, build_instruction(TASKS[task], "how many lesions are there ?"), recipe.count_answer(scene)
        if kind < 0.8:
            return task, build_instruction(TASKS[task], "is there a lesion ?"), "yes" if scene.lesions else "no"
        return task, build_instruction(TASKS[task]), "lesion" if scene.lesions else "no abnormality"
    return task, build_instruction(TASKS[task]), recipe.report_sentence(scene)


# ---------------------------------------------------------------- training

def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def build_batch(lm, img, examples):
    """examples: (image index, s0, s1, target ids) -> embeds, mask, positions, labels (left padded)."""
    embed = lm.model.embed_tokens
    rows, labels = [], []
    for i, s0, s1, tgt in examples:
        ids_in = torch.tensor(tgt[:-1])
        rows.append(torch.cat((embed(torch.tensor(s0)), img[i], embed(torch.tensor(s1)), embed(ids_in)), 0))
        n_prompt = len(s0) + img.shape[1] + len(s1)
        labels.append([-100] * (n_prompt - 1) + tgt)
    length = max(r.shape[0] for r in rows)
    x = torch.zeros(len(rows), length, lm.cfg.hidden)
    mask = torch.zeros(len(rows), length, dtype=torch.int64)
    lab = torch.full((len(rows), length), -100, dtype=torch.int64)
    for i, r in enumerate(rows):
        x[i, length - r.shape[0]:] = r
        mask[i, length - r.shape[0]:] = 1
        lab[i, length - len(labels[i]):] = torch.tensor(labels[i])
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    return x, mask, pos, lab


def train(vision, lm, sp, scenes, images, args, heldout):
    rng = random.Random(SEED + 1)
    aux = AuxHead()
    occupancies = np.stack([occupancy(sc) for sc in scenes])
    params = list(vision.parameters()) + list(lm.parameters()) + list(aux.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01, betas=(0.9, 0.98))
    cfg = lm.cfg
    start = time.time()
    encoded = {}

    def tokens(instruction, answer):
        key = (instruction, answer)
        if key not in encoded:
            s0, s1 = prompt_segments(sp, MANIFEST, instruction)
            encoded[key] = (s0, s1, tokenize_segment(sp, answer + "</s>", 1, 2, False))
        return encoded[key]

    last_check = start
    step = 0
    while step < args.steps:
        elapsed = time.time() - start
        if elapsed > args.train_seconds:
            print(f"stopping at step {step} (time budget)", flush=True)
            break
        # Cosine decay over the time budget (or the step budget, whichever ends first), after a short warm-up.
        progress = max(elapsed / args.train_seconds, step / args.steps)
        lr = args.lr * min(1.0, (step + 1) / 30) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))
        for g in opt.param_groups:
            g["lr"] = lr
        picks = [rng.randrange(len(scenes)) for _ in range(args.batch)]
        flips = [rng.random() < 0.5 for _ in picks]
        u8 = np.stack([images[p][:, ::-1] if f else images[p] for p, f in zip(picks, flips)])
        pix = to_pixels(np.ascontiguousarray(u8))
        examples = []
        for i, (p, f) in enumerate(zip(picks, flips)):
            scene = mirrored(scenes[p]) if f else scenes[p]
            for _ in range(args.tasks_per_image):
                _, instruction, answer = task_example(rng, scene)
                s0, s1, tgt = tokens(instruction, answer)
                examples.append((i, s0, s1, tgt))
        img, patch_tokens = vision_forward(vision, pix)
        occ = np.stack([occupancies[p][:, ::-1] if f else occupancies[p] for p, f in zip(picks, flips)])
        aux_loss = F.binary_cross_entropy_with_logits(aux(patch_tokens), torch.from_numpy(np.ascontiguousarray(occ)))
        x, mask, pos, lab = build_batch(lm, img, examples)
        h = hidden_states(lm, x, mask, pos)
        keep = lab != -100
        logits = lm.lm_head(h[keep])
        text_loss = F.cross_entropy(logits, lab[keep])
        loss = text_loss + args.aux_weight * aux_loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if step % 25 == 0 or step < 5:
            print(f"step {step} loss {text_loss.item():.4f} aux {aux_loss.item():.4f} lr {lr:.2e} ({time.time() - start:.0f}s)", flush=True)
        if args.check_every > 0 and time.time() - last_check > args.check_every:
            last_check = time.time()
            rate = detection_match_rate(vision, lm, sp, heldout, limit=48)
            print(f"step {step}: held-out detection matched {rate['matched']}/{rate['lesions']} "
                  f"({rate['share']:.3f}), false boxes {rate['false_boxes']}", flush=True)
            if args.state:
                save_state(vision, lm, args.state)
            vision.train()
            lm.train()
        step += 1
    return step


def save_state(vision, lm, path):
    torch.save({"vision": vision.state_dict(), "lm": lm.state_dict()}, path)


# ---------------------------------------------------------------- held-out measurement

def draw_heldout(n):
    scenes, images = draw_pool(HELDOUT_SEED, n)
    return scenes, images


def generate(vision, lm, sp, u8, instructions, max_new):
    gen = ReferenceGenerator(vision, lm, {"tokens": MANIFEST["tokens"]})
    segments = [prompt_segments(sp, MANIFEST, ins) for ins in instructions]
    out, _ = gen.generate(to_pixels(np.ascontiguousarray(u8)), segments, [max_new] * len(instructions))
    return [sp.decode(o) for o in out]


def detection_match_rate(vision, lm, sp, heldout, limit=None, batch=48):
    scenes, images = heldout
    n = len(scenes) if limit is None else min(limit, len(scenes))
    matched = lesions = false_boxes = 0
    ious = []
    for b0 in range(0, n, batch):
        idx = list(range(b0, min(n, b0 + batch)))
        texts = generate(vision, lm, sp, images[idx], ["[detection] lesion"] * len(idx), 60)
        for i, text in zip(idx, texts):
            boxes = [[int(v) for v in m] for m in BOX.findall(text)]
            truth = [l.box_units() for l in scenes[i].lesions]
            m, best = match(truth, boxes)
            matched += m
            lesions += len(truth)
            false_boxes += len(boxes) - m
            ious += best
    return {"matched": matched, "lesions": lesions, "share": matched / max(1, lesions),
            "false_boxes": false_boxes, "images": n, "mean_iou": float(np.mean(ious)) if ious else 0.0}


def match(truth, boxes):
    """Greedy one-to-one matching by IoU (highest pairs first); returns matched count at >= 0.5 and each truth's IoU."""
    pairs = sorted(((iou(t, b), ti, bi) for ti, t in enumerate(truth) for bi, b in enumerate(boxes)), reverse=True)
    used_t, used_b, best = set(), set(), [0.0] * len(truth)
    for v, ti, bi in pairs:
        if ti in used_t or bi in used_b:
            continue
        used_t.add(ti)
        used_b.add(bi)
        best[ti] = v
    return sum(1 for v in best if v >= 0.5), best


def heldout_scores(vision, lm, sp, heldout):
    scenes, images = heldout
    det = detection_match_rate(vision, lm, sp, heldout)
    count_ok = report_ok = 0
    for b0 in range(0, len(scenes), 48):
        idx = list(range(b0, min(len(scenes), b0 + 48)))
        counts = generate(vision, lm, sp, images[idx], ["[vqa] how many lesions are there ?"] * len(idx), 10)
        reports = generate(vision, lm, sp, images[idx], ["Describe this image in detail"] * len(idx), 30)
        for i, c, r in zip(idx, counts, reports):
            count_ok += c.strip() == recipe.count_answer(scenes[i])
            report_ok += r.strip() == recipe.report_sentence(scenes[i])
    det["vqa_count_accuracy"] = count_ok / len(scenes)
    det["report_exact"] = report_ok / len(scenes)
    return det


# ---------------------------------------------------------------- export

def export(vision, lm, out):
    with tempfile.TemporaryDirectory(prefix="phantom-ckpt-") as work:
        write_reference_checkpoints(vision, lm, SMALL_TOKENIZER, work)
        subprocess.run([sys.executable, os.path.join(TOOLS, "export_minigptmed.py"),
                        "--minigptmed", os.path.join(work, "minigptmed.pth"), "--llama", os.path.join(work, "llama"),
                        "--eva", os.path.join(work, "eva_vit_g.pth"), "--vision-config", os.path.join(work, "vision_config.json"),
                        "--out", out, "--dtype", "float32", "--name", "minigptmed-phantom", "--single-bos",
                        "--no-external-data"], check=True, stdout=subprocess.DEVNULL)


def kept_training_row(out):
    """The training row of an existing README (--export-only re-exports trained weights without retraining them)."""
    path = os.path.join(out, "README.md")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return next((line.rstrip("\n") for line in f if line.startswith("| training |")), None)


def write_readme(out, args, steps, seconds, scores, pool, training_row=None):
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f != "README.md")
    text = f"""# models/phantom

A tiny model with MiniGPT-Med's structure and the node's ONNX contract (models/README.md), trained by
`tools/make_phantom_model.py` on synthetic phantoms so that it answers about something checkable: where the
planted lesions are. It knows nothing of medicine. It exists so that every step between the DICOM pixels and
the SR coordinates can be tested by outcome (docs/validation.md).

| | |
| --- | --- |
| size | {total / 1e6:.2f} MB (float32) |
| input | {VCFG.image_size}x{VCFG.image_size}, patch {VCFG.patch_size}, {IMAGE_TOKENS} image tokens |
| vision | ViT width {VCFG.width}, depth {VCFG.depth}, heads {VCFG.heads}, MLP {VCFG.mlp_hidden}, merge {VCFG.merge} |
| decoder | hidden {DCFG.hidden}, layers {DCFG.layers}, heads {DCFG.heads}, intermediate {DCFG.intermediate}, vocabulary {DCFG.vocab_size} (models/small's tokenizer) |
| training seed | {SEED} (pool), {SEED + 1} (batches, tasks), torch.manual_seed({SEED}) |
| training | {steps:,} steps of {args.batch} images x {args.tasks_per_image} task(s) in one run ({args.threads} threads, AdamW lr {args.lr} with a 30-step warm-up and a cosine decay over the {args.train_seconds / 60:.0f}-minute budget), {seconds / 60:.1f} min of training |
| data | {pool} scenes (tools/phantom_recipe.py) at random matrices 64..200 x 64..260, stretched to {VCFG.image_size}x{VCFG.image_size} by Pillow bicubic, plus their mirror images |
| export | tools/export_minigptmed.py (the real checkpoint's path: LoRA merge, --single-bos, float32, no external data) |

## Data recipe (tools/phantom_recipe.py)

Half chest-radiograph-like projections (soft tissue, two darker lung fields, mediastinum, faint rib bands,
display values), half chest-CT-like axial slices in Hounsfield units shown in the node's default CT lung
window (-600/1500). Zero (20%), one (45%) or two (35%) lesions per image in the lung fields: discs (round in
pixels) or axis-aligned ellipses, radius 5-11% of the side, brighter than lung by a varied contrast, soft
edges, Gaussian noise. A lesion's label is its bounding box.

## What it answers

| task | instruction | answer |
| --- | --- | --- |
| detection | `[detection] lesion` (also nodule, tumor, pneumonia) | `<p>lesion</p> {{<x1><y1><x2><y2>}}<delim>{{...}}`, one box per lesion, left to right; `no lesion` |
| refer | `[refer] where is lesion ?` | as detection |
| grounding | `[grounding] please describe this image in details` | as detection |
| identify | `[identify] what is it in {{<x1><y1><x2><y2>}}` | `lesion` or `normal tissue` |
| vqa | `[vqa] how many lesions are there ?` | `none`, `one`, `two` (also `is there a lesion ?` yes/no) |
| report | `Describe this image in detail` | `one lesion in the right lung .`, `two lesions , one in each lung .`, `no lesion is seen .` |

## Held-out scores (PyTorch, {scores['images']} scenes of seed {HELDOUT_SEED}, never trained on)

| measure | value |
| --- | --- |
| detection: lesions matched at IoU >= 0.5 (one-to-one) | {scores['matched']}/{scores['lesions']} = {scores['share']:.3f} |
| detection: mean IoU of the labelled boxes | {scores['mean_iou']:.3f} |
| detection: false boxes | {scores['false_boxes']} in {scores['images']} images |
| VQA count accuracy | {scores['vqa_count_accuracy']:.3f} |
| report sentence exactly right | {scores['report_exact']:.3f} |

Through the node (DICOM rendering, windowing, stretch, box mapping) the scores are measured by
`minigptmed evaluate` on tools/make_phantom_dicom.py's studies: docs/validation.md.
"""
    if training_row:
        text = re.sub(r"^\| training \|.*$", lambda _: training_row, text, count=1, flags=re.M)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "phantom"))
    ap.add_argument("--train-seconds", type=float, default=27 * 60)
    ap.add_argument("--steps", type=int, default=100000)
    ap.add_argument("--pool", type=int, default=3000, help="training scenes (each also mirrored)")
    ap.add_argument("--heldout", type=int, default=300)
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--tasks-per-image", type=int, default=1)
    ap.add_argument("--lr", type=float, default=5e-3)
    ap.add_argument("--aux-weight", type=float, default=1.0, help="weight of the training-only occupancy loss")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--check-every", type=float, default=300, help="seconds between held-out checks (0: none)")
    ap.add_argument("--state", help="save the PyTorch weights here at every check and at the end")
    ap.add_argument("--resume", help="start from these saved weights")
    ap.add_argument("--export-only", action="store_true",
                    help="with --resume STATE: no training; export, score on the held-out scenes and write the README "
                         "(keeping an existing README's training row)")
    args = ap.parse_args()
    if args.export_only and not args.resume:
        ap.error("--export-only needs --resume STATE")
    begin = time.time()
    torch.manual_seed(SEED)
    torch.set_flush_denormal(True)
    torch.set_num_threads(args.threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    sp = spm.SentencePieceProcessor(model_file=SMALL_TOKENIZER)
    assert sp.get_piece_size() == DCFG.vocab_size

    vision = VisionEncoder(VCFG, DCFG.hidden)
    lm = LlamaForCausalLM(DCFG)
    for p in list(vision.parameters()) + list(lm.parameters()):
        if p.dim() > 1:
            torch.nn.init.normal_(p, std=0.02)
    if args.resume:
        state = torch.load(args.resume)
        vision.load_state_dict(state["vision"])
        lm.load_state_dict(state["lm"])

    steps, seconds, pool, training_row = 0, 0.0, args.pool, None
    if args.export_only:
        heldout = draw_heldout(args.heldout)
        training_row = kept_training_row(args.out)
    else:
        scenes, images = draw_pool(SEED, args.pool)
        heldout = draw_heldout(args.heldout)
        pool = len(scenes)
        print(f"pool of {len(scenes)} scenes, {args.heldout} held out ({time.time() - begin:.0f}s)", flush=True)
        vision.train()
        lm.train()
        t0 = time.time()
        steps = train(vision, lm, sp, scenes, images, args, heldout)
        seconds = time.time() - t0
    vision.eval()
    lm.eval()
    if args.state and not args.export_only:
        save_state(vision, lm, args.state)
    os.makedirs(args.out, exist_ok=True)
    export(vision, lm, args.out)
    scores = heldout_scores(vision, lm, sp, heldout)
    print(json.dumps(scores), flush=True)
    write_readme(args.out, args, steps, seconds, scores, pool, training_row)
    print(f"{args.out}: written in {(time.time() - begin) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
