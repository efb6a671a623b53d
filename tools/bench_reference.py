#!/usr/bin/python3
"""PyTorch eager reference loop on the small model's weights (tools/small_model_state.pt): the same
prompt, image and batch sizes as tools/bench/InferenceBench, greedy with a KV cache, EOS ignored so
every run decodes the same number of tokens. Prints one JSON object per batch size.

  /usr/bin/python3 tools/bench_reference.py NEW_TOKENS REPEATS THREADS BATCH...
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import sentencepiece as spm
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_small_model import load_small_model, MODEL_DIR  # noqa: E402
from minigptmed_reference import prompt_segments, build_instruction, preprocess  # noqa: E402


@torch.no_grad()
def run(vision, lm, pixel_values, segments, new_tokens):
    t0 = time.perf_counter()
    img = vision(pixel_values)
    embed = lm.model.embed_tokens
    rows = [torch.cat((embed(torch.tensor(s0)), img[b], embed(torch.tensor(s1))), 0) for b, (s0, s1) in enumerate(segments)]
    b, length, h = len(rows), max(r.shape[0] for r in rows), rows[0].shape[-1]
    x = torch.zeros(b, length, h)
    mask = torch.zeros(b, length, dtype=torch.int64)
    for i, r in enumerate(rows):
        x[i, length - r.shape[0]:] = r
        mask[i, length - r.shape[0]:] = 1
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    cfg = lm.cfg
    past = [(torch.zeros(b, cfg.kv_heads, 0, cfg.head_dim),) * 2 for _ in range(cfg.layers)]
    logits, past = lm.decode(x, mask, pos, past)
    tok = logits[:, -1, :].argmax(-1)
    t1 = time.perf_counter()
    next_pos = pos[:, -1:] + 1
    steps = 0
    for _ in range(new_tokens - 1):
        mask = torch.cat((mask, torch.ones(b, 1, dtype=torch.int64)), dim=1)
        logits, past = lm.decode(embed(tok.unsqueeze(1)), mask, next_pos, past)
        tok = logits[:, -1, :].argmax(-1)
        next_pos = next_pos + 1
        steps += 1
    t2 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, steps


def main():
    new_tokens, repeats, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    batches = [int(a) for a in sys.argv[4:]]
    torch.set_num_threads(threads)
    torch.set_flush_denormal(True)
    vision, lm = load_small_model()
    manifest = json.load(open(os.path.join(MODEL_DIR, "manifest.json")))
    sp = spm.SentencePieceProcessor(model_file=os.path.join(MODEL_DIR, "tokenizer.model"))
    s = manifest["image"]["size"]
    gray = (np.arange(s * s) * 37 % 251).astype(np.uint8).reshape(s, s)
    pix = preprocess(np.repeat(gray[:, :, None], 3, axis=2), manifest)
    seg = prompt_segments(sp, manifest, build_instruction(manifest["tasks"]["report"]))
    for b in batches:
        pv = pix.unsqueeze(0).expand(b, -1, -1, -1).contiguous()
        run(vision, lm, pv, [seg] * b, new_tokens)
        results = [run(vision, lm, pv, [seg] * b, new_tokens) for _ in range(repeats)]
        steps = results[0][2]
        print(json.dumps({"engine": "pytorch-eager", "batch": b,
                          "prefill_ms": statistics.median(r[0] for r in results),
                          "decode_tokens_per_s": statistics.median(b * steps / (r[1] / 1000) for r in results),
                          "steps": steps}), flush=True)


if __name__ == "__main__":
    main()
