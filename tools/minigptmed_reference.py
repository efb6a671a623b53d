"""The PyTorch reference path: prompt tokenization, preprocessing and KV-cache greedy decoding.

It mirrors MiniGPT-Med's own code (get_context_emb + generate) on our modules, and is what the C#
engine is checked against (goldens) and measured against (benchmarks).
"""
import re

import numpy as np
import torch
from PIL import Image

SPECIAL = re.compile(r"(<s>|</s>)")


def tokenize_segment(sp, text: str, bos: int, eos: int, add_bos: bool) -> list:
    """As Hugging Face's slow LlamaTokenizer does: literal <s>/</s> become their ids, the text between
    them is encoded by SentencePiece chunk by chunk (each with the dummy prefix), whitespace next to a
    special token is stripped, and add_special_tokens=True prepends one BOS."""
    ids = [bos] if add_bos else []
    parts = [p for p in SPECIAL.split(text) if p != ""]
    for i, part in enumerate(parts):
        if part == "<s>":
            ids.append(bos)
            continue
        if part == "</s>":
            ids.append(eos)
            continue
        if i > 0 and parts[i - 1] in ("<s>", "</s>"):
            part = part.lstrip()
        if i + 1 < len(parts) and parts[i + 1] in ("<s>", "</s>"):
            part = part.rstrip()
        if part:
            ids.extend(sp.encode(part))
    return ids


def build_instruction(task: dict, instruction: str = None, box: str = None) -> str:
    text = instruction if instruction is not None else task["default_instruction"]
    if box is not None:
        text = text.replace("{box}", box) if "{box}" in text else f"{text} {box}"
    return f"{task['tag']} {text}" if task["tag"] else text


def prompt_segments(sp, manifest: dict, instruction_text: str) -> tuple:
    p = manifest["prompt"]
    full = p["template"].replace("{instruction}", instruction_text)
    before, after = full.split(p["image_placeholder"])
    bos, eos = manifest["tokens"]["bos"], manifest["tokens"]["eos"]
    return (tokenize_segment(sp, before, bos, eos, p["bos_on_first_segment"]),
            tokenize_segment(sp, after, bos, eos, False))


def preprocess(rgb: np.ndarray, manifest: dict) -> torch.Tensor:
    """uint8 HxWx3 -> float[3,S,S]: bicubic stretch (PIL, as torchvision does on PIL images), /255, CLIP norm."""
    size = manifest["image"]["size"]
    img = Image.fromarray(rgb, mode="RGB")
    if img.size != (size, size):
        img = img.resize((size, size), Image.BICUBIC)
    x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
    mean = torch.tensor(manifest["image"]["mean"]).view(3, 1, 1)
    std = torch.tensor(manifest["image"]["std"]).view(3, 1, 1)
    return (x - mean) / std


class ReferenceGenerator:
    """Batched greedy decoding with a KV cache, left padding, finished rows kept (as Hugging Face does)."""

    def __init__(self, vision, lm, manifest):
        self.vision = vision.eval()
        self.lm = lm.eval()
        self.manifest = manifest

    @torch.no_grad()
    def prefill_embeds(self, pixel_values, segments):
        img = self.vision(pixel_values)
        embed = self.lm.model.embed_tokens
        rows = []
        for b, (s0, s1) in enumerate(segments):
            rows.append(torch.cat((embed(torch.tensor(s0)), img[b], embed(torch.tensor(s1))), dim=0))
        return rows

    @torch.no_grad()
    def generate(self, pixel_values, segments, max_new_tokens, record_logits_at=()):
        rows = self.prefill_embeds(pixel_values, segments)
        b = len(rows)
        h = rows[0].shape[-1]
        length = max(r.shape[0] for r in rows)
        embeds = torch.zeros(b, length, h, dtype=rows[0].dtype)
        mask = torch.zeros(b, length, dtype=torch.int64)
        for i, r in enumerate(rows):
            embeds[i, length - r.shape[0]:] = r
            mask[i, length - r.shape[0]:] = 1
        pos = (mask.cumsum(-1) - 1).clamp(min=0)
        cfg = self.lm.cfg
        past = [(torch.zeros(b, cfg.kv_heads, 0, cfg.head_dim), torch.zeros(b, cfg.kv_heads, 0, cfg.head_dim))
                for _ in range(cfg.layers)]
        eos = self.manifest["tokens"]["eos"]
        out = [[] for _ in range(b)]
        done = [False] * b
        recorded = {}
        next_pos = pos[:, -1:] + 1
        logits, past = self.lm.decode(embeds, mask, pos, past)
        step = 0
        while True:
            last = logits[:, -1, :]
            if step in record_logits_at:
                recorded[step] = last.clone()
            tok = last.argmax(-1)
            for i in range(b):
                if not done[i]:
                    if tok[i].item() == eos:
                        done[i] = True
                    else:
                        out[i].append(tok[i].item())
                        if len(out[i]) >= max_new_tokens[i]:
                            done[i] = True
            step += 1
            if all(done) and not any(s >= step for s in record_logits_at):
                break
            mask = torch.cat((mask, torch.ones(b, 1, dtype=torch.int64)), dim=1)
            logits, past = self.lm.decode(self.lm.model.embed_tokens(tok.unsqueeze(1)), mask, next_pos, past)
            next_pos = next_pos + 1
        return out, recorded
