#!/usr/bin/python3
"""Builds the small test model that ships in models/small and the goldens the C# tests compare against.

  /usr/bin/python3 tools/make_small_model.py            # Debian: python3-torch python3-onnx python3-sentencepiece python3-pil

Steps (deterministic, fixed seeds; about two minutes on two cores):
 1. trains a LLaMA-style SentencePiece model (BPE, identity normalisation, dummy prefix, byte fallback,
    split digits, UNK 0 / BOS 1 / EOS 2) on tools/radiology_corpus.txt;
 2. builds tiny modules with MiniGPT-Med's structure (minigptmed_modules.py) and trains them for a
    minute on synthetic images with a bright "nodule" and prompt/answer pairs for the six tasks, so
    that greedy decoding emits answers, boxes and EOS rather than noise;
 3. exports the ONNX contract + manifest (with each file's size and SHA-256) into models/small (minigptmed_export.py);
 4. writes goldens (tokenizer ids, preprocessing, prefill/decode logits, greedy ids per task) to
    tests/MiniGptMed.Inference.Tests/Goldens;
 5. optionally (--checkpoints DIR) saves the weights in the layout of the real inputs (a Hugging Face
    Llama directory, an eva_vit_g.pth, a MiniGPT-Med checkpoint with LoRA) for export_minigptmed.py
    (minigptmed_checkpoints.py).
"""
import argparse
import base64
import io
import json
import os
import random
import sys
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minigptmed_modules import VisionConfig, DecoderConfig, VisionEncoder, LlamaForCausalLM  # noqa: E402
from minigptmed_export import export_vision, export_embed, export_decoder, build_manifest, write_manifest, TASKS  # noqa: E402
from minigptmed_checkpoints import write_reference_checkpoints  # noqa: E402
from minigptmed_reference import prompt_segments, build_instruction, preprocess, ReferenceGenerator, tokenize_segment  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "tools")
MODEL_DIR = os.path.join(ROOT, "models", "small")
GOLDEN_DIR = os.path.join(ROOT, "tests", "MiniGptMed.Inference.Tests", "Goldens")

VCFG = VisionConfig(image_size=32, patch_size=4, width=64, depth=2, heads=4, mlp_hidden=128, merge=4)
DCFG = DecoderConfig(vocab_size=640, hidden=128, layers=4, heads=4, kv_heads=4, intermediate=344)
IMAGE_TOKENS = (VCFG.image_size // VCFG.patch_size) ** 2 // VCFG.merge

# Radiology sentences the tokenizer goldens cover: leading spaces, digits, unicode in and out of the
# training text (byte fallback), the task tags and box syntax.
TOKENIZER_CASES = [
    "Describe this image in detail",
    " there is a 12 mm nodule in the right upper lobe.",
    "  two leading spaces and  double  spaces",
    "[detection] pneumonia",
    "<p>pneumonia</p> {<12><30><40><71>}<delim>{<0><5><100><99>}",
    "[identify] what is it in {<8><16><64><90>}",
    "Opacity measuring 3.5 × 2.1 cm at T10–T11, 45° angle",
    "Lésion hépatique de 2 cm",
    "肺结节 in the left lung 🙂",
    "CT 2024-03-17: HU -1000 to +3071",
    "",
    " ",
    "no acute cardiopulmonary process .",
]

NODULE_WORDS = ["nodule", "pneumonia", "tumor", "opacity"]


def train_tokenizer():
    prefix = os.path.join(MODEL_DIR, "tokenizer")
    # The model file keeps its trainer's input and model_prefix strings: paths relative to the repository make its
    # bytes (and so the manifest's SHA-256) the same from every checkout.
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        _train_tokenizer(os.path.relpath(os.path.join(TOOLS, "radiology_corpus.txt"), ROOT), os.path.relpath(prefix, ROOT))
    finally:
        os.chdir(cwd)
    os.remove(prefix + ".vocab")
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def _train_tokenizer(corpus, prefix):
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=prefix, model_type="bpe",
        vocab_size=DCFG.vocab_size, character_coverage=1.0, normalization_rule_name="identity",
        add_dummy_prefix=True, remove_extra_whitespaces=False, byte_fallback=True, split_digits=True,
        split_by_unicode_script=True, split_by_whitespace=True, split_by_number=True,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, max_sentencepiece_length=16,
        allow_whitespace_only_pieces=True, num_threads=2, minloglevel=2)


def box_text(b):
    return "{" + "".join(f"<{v}>" for v in b) + "}"


def synthetic_case(rng: random.Random):
    """A 32x32 'radiograph': grey noise, two darker lung fields, maybe a bright blob (the finding)."""
    s = VCFG.image_size
    img = np.full((s, s), 40, dtype=np.float32)
    img[4:28, 3:14] = 20
    img[4:28, 18:29] = 20
    img += np.array([rng.random() * 12 for _ in range(s * s)], dtype=np.float32).reshape(s, s)
    has = rng.random() < 0.8
    box = None
    if has:
        w, h = rng.randint(4, 10), rng.randint(4, 10)
        x0, y0 = rng.randint(1, s - w - 1), rng.randint(1, s - h - 1)
        img[y0:y0 + h, x0:x0 + w] = 200 + rng.random() * 40
        # MODEL.md: int(pixel / size * 100), top-left then bottom-right.
        box = [int(x0 / s * 100), int(y0 / s * 100), int((x0 + w) / s * 100), int((y0 + h) / s * 100)]
    rgb = np.repeat(np.clip(img, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)
    return rgb, box


def side(box):
    cx = (box[0] + box[2]) / 2
    cy = (box[1] + box[3]) / 2
    return ("right" if cx < 50 else "left"), ("upper" if cy < 50 else "lower")


def task_pair(rng, task, box):
    word = rng.choice(NODULE_WORDS)
    if task == "report":
        if box is None:
            return "Describe this image in detail", "the lungs are clear . no acute cardiopulmonary process ."
        lr, ul = side(box)
        return "Describe this image in detail", f"there is a {word} in the {lr} {ul} lung . the heart size is normal ."
    if task == "vqa":
        return f"is there a {word} ?", ("yes" if box is not None else "no")
    if task == "detection":
        return word, (f"<p>{word}</p> {box_text(box)}" if box is not None else f"no {word}")
    if task == "grounding":
        if box is None:
            return "please describe this image in details", "the lungs are clear ."
        return "please describe this image in details", f"a <p>{word}</p> {box_text(box)} in the {side(box)[0]} lung ."
    if task == "refer":
        return f"where is {word} ?", (box_text(box) if box is not None else "none")
    if task == "identify":
        b = box if box is not None else [10, 10, 40, 40]
        return "what is it in {box}", (word if box is not None else "normal lung"), b
    raise ValueError(task)


def make_example(sp, manifest, rng):
    rgb, box = synthetic_case(rng)
    task = rng.choice(list(TASKS))
    pair = task_pair(rng, task, box)
    instr, answer = pair[0], pair[1]
    ibox = box_text(pair[2]) if len(pair) > 2 else None
    s0, s1 = prompt_segments(sp, manifest, build_instruction(TASKS[task], instr, ibox))
    target = tokenize_segment(sp, answer + "</s>", 1, 2, False)
    return preprocess(rgb, manifest), s0, s1, target


def train(vision, lm, sp, manifest, seconds: float, steps: int):
    rng = random.Random(7)
    params = list(vision.parameters()) + list(lm.parameters())
    opt = torch.optim.AdamW(params, lr=2e-3, weight_decay=0.0)
    start = time.time()
    cfg = lm.cfg
    for step in range(steps):
        batch = [make_example(sp, manifest, rng) for _ in range(16)]
        pix = torch.stack([b[0] for b in batch])
        img = vision(pix)
        embed = lm.model.embed_tokens
        rows, labels = [], []
        for i, (_, s0, s1, tgt) in enumerate(batch):
            ids_in = torch.tensor(tgt[:-1])
            rows.append(torch.cat((embed(torch.tensor(s0)), img[i], embed(torch.tensor(s1)), embed(ids_in)), 0))
            n_prompt = len(s0) + img.shape[1] + len(s1)
            labels.append([-100] * (n_prompt - 1) + tgt)
        length = max(r.shape[0] for r in rows)
        x = torch.zeros(len(rows), length, cfg.hidden)
        mask = torch.zeros(len(rows), length, dtype=torch.int64)
        lab = torch.full((len(rows), length), -100, dtype=torch.int64)
        for i, r in enumerate(rows):
            x[i, length - r.shape[0]:] = r
            mask[i, length - r.shape[0]:] = 1
            lab[i, length - len(labels[i]):] = torch.tensor(labels[i])
        pos = (mask.cumsum(-1) - 1).clamp(min=0)
        past = [(torch.zeros(len(rows), cfg.kv_heads, 0, cfg.head_dim),) * 2 for _ in range(cfg.layers)]
        logits, _ = lm.decode(x, mask, pos, past)
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab_size), lab.reshape(-1), ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if step % 20 == 0 or step == steps - 1:
            print(f"step {step} loss {loss.item():.4f} ({time.time() - start:.0f}s)", flush=True)
        if time.time() - start > seconds:
            print(f"stopping at step {step} (time budget)")
            break


def rounded(t):
    return [float(f"{v:.6g}") for v in t.reshape(-1).tolist()]


def b64(arr: np.ndarray) -> str:
    return base64.b64encode(arr.tobytes()).decode("ascii")


def write_goldens(sp, vision, lm, manifest):
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    tok = {"cases": [{"text": t, "ids": sp.encode(t), "decoded": sp.decode(sp.encode(t))} for t in TOKENIZER_CASES]}
    with open(os.path.join(GOLDEN_DIR, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)

    # Preprocessing: a non-square image through PIL bicubic (downsampling and upsampling axes), then CLIP norm.
    prng = np.random.RandomState(3)
    odd = (prng.rand(45, 20, 3) * 255).astype(np.uint8)
    odd[10:30, 5:15] = 250
    pre = {"width": 20, "height": 45, "rgb": b64(odd), "pixel_values": rounded(preprocess(odd, manifest))}

    rng = random.Random(1234)
    images = []
    while len(images) < 2:
        rgb, box = synthetic_case(rng)
        if box is not None:
            images.append((rgb, box))
    cases = []
    gen = ReferenceGenerator(vision, lm, manifest)
    for task_name, task in TASKS.items():
        for img_index, (rgb, box) in enumerate(images):
            ibox = box_text(box) if task_name == "identify" else None
            instruction = build_instruction(task, {"detection": "nodule", "refer": "where is nodule ?",
                                                   "vqa": "is there a nodule ?"}.get(task_name), ibox)
            s0, s1 = prompt_segments(sp, manifest, instruction)
            pix = preprocess(rgb, manifest).unsqueeze(0)
            record = (0, 3, 6) if (task_name == "detection" and img_index == 0) else ()
            out, logits = gen.generate(pix, [(s0, s1)], [task["max_new_tokens"]], record)
            case = {"task": task_name, "image": img_index, "instruction": instruction, "box": box if ibox else None,
                    "segment_ids": [s0, s1], "generated_ids": out[0], "text": sp.decode(out[0])}
            if record:
                case["logits"] = {str(k): rounded(v[0]) for k, v in logits.items()}
            cases.append(case)
            print(f"{task_name}/{img_index}: {instruction!r} -> {sp.decode(out[0])!r}")
    golden = {"images": [{"width": VCFG.image_size, "height": VCFG.image_size, "rgb": b64(r), "box": b}
                         for r, b in images],
              "preprocess": pre, "cases": cases}
    with open(os.path.join(GOLDEN_DIR, "small_model.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f)


def save_state(vision, lm, path):
    torch.save({"vision": {k: v.half() for k, v in vision.state_dict().items()},
                "lm": {k: v.half() for k, v in lm.state_dict().items()}}, path)


def load_small_model(path=None):
    """The shipped small model as PyTorch modules (for benchmarks against the ONNX engine)."""
    state = torch.load(path or os.path.join(TOOLS, "small_model_state.pt"))
    vision = VisionEncoder(VCFG, DCFG.hidden)
    lm = LlamaForCausalLM(DCFG)
    vision.load_state_dict({k: v.float() for k, v in state["vision"].items()})
    lm.load_state_dict({k: v.float() for k, v in state["lm"].items()})
    return vision.eval(), lm.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train-seconds", type=float, default=240)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--checkpoints", help="also write reference-layout checkpoints here")
    ap.add_argument("--weights", default=os.path.join(TOOLS, "small_model_state.pt"),
                    help="trained PyTorch state (float16): loaded when present (no training), else trained and saved")
    ap.add_argument("--more-seconds", type=float, default=0, help="with --weights present: train that much longer, then save")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_flush_denormal(True)
    torch.set_num_threads(args.threads)
    os.makedirs(MODEL_DIR, exist_ok=True)
    sp = train_tokenizer()
    assert sp.get_piece_size() == DCFG.vocab_size, sp.get_piece_size()
    vision = VisionEncoder(VCFG, DCFG.hidden)
    lm = LlamaForCausalLM(DCFG)
    for p in list(vision.parameters()) + list(lm.parameters()):
        if p.dim() > 1:
            torch.nn.init.normal_(p, std=0.02)
    manifest_args = dict(name="minigptmed-small-test", vcfg=VCFG, dcfg=DCFG, dtype="float32", image_tokens=IMAGE_TOKENS,
                         bos_on_first_segment=False)
    manifest = build_manifest(**manifest_args)
    if os.path.exists(args.weights):
        state = torch.load(args.weights)
        vision.load_state_dict({k: v.float() for k, v in state["vision"].items()})
        lm.load_state_dict({k: v.float() for k, v in state["lm"].items()})
        if args.more_seconds > 0:
            train(vision, lm, sp, manifest, args.more_seconds, args.steps)
            save_state(vision, lm, args.weights)
    else:
        train(vision, lm, sp, manifest, args.train_seconds, args.steps)
        save_state(vision, lm, args.weights)
    # The weights are kept at float16 precision (values exactly representable in fp16), so the
    # committed half-size state file and the float32 ONNX files hold the very same numbers.
    with torch.no_grad():
        for p in list(vision.parameters()) + list(lm.parameters()):
            p.copy_(p.half().float())
    vision.eval()
    lm.eval()
    export_vision(vision, MODEL_DIR, VCFG.image_size, torch.float32)
    export_embed(lm.model.embed_tokens, MODEL_DIR)
    export_decoder(lm, MODEL_DIR, torch.float32)
    write_manifest(MODEL_DIR, **manifest_args)
    write_goldens(sp, vision, lm, manifest)
    if args.checkpoints:
        write_reference_checkpoints(vision, lm, os.path.join(MODEL_DIR, "tokenizer.model"), args.checkpoints)
    total = sum(os.path.getsize(os.path.join(MODEL_DIR, f)) for f in os.listdir(MODEL_DIR))
    print(f"models/small: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
