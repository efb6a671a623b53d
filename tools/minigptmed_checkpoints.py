"""Tiny trained weights laid out as the three inputs of tools/export_minigptmed.py, in the layout of the real files
(shared/MODEL.md), so that the tiny models go through the real checkpoint's export path:

  OUT/llama/              a Hugging Face Llama directory: config.json, pytorch_model.bin, tokenizer.model
  OUT/eva_vit_g.pth       the ViT's state dict (EVA-CLIP's names)
  OUT/minigptmed.pth      {'model': llama_proj, ln_vision and the LoRA pairs, 'lora': {'r', 'alpha'}}
  OUT/vision_config.json  {'vision': VisionConfig, 'decoder': DecoderConfig} (export_minigptmed.py --vision-config)

The q/v projections are split into a base weight and a random LoRA pair (r 8, alpha 2, fixed seed), so the export
must merge them back (W += alpha/r * B @ A) to rebuild the trained weights. Used by make_small_model.py
(--checkpoints) and make_phantom_model.py.
"""
import json
import os
import shutil
from dataclasses import asdict

import torch

LORA_R = 8
LORA_ALPHA = 2.0
LORA_SEED = 11


def write_reference_checkpoints(vision, lm, tokenizer: str, out_dir: str) -> None:
    os.makedirs(os.path.join(out_dir, "llama"), exist_ok=True)
    g = torch.Generator().manual_seed(LORA_SEED)
    r, alpha = LORA_R, LORA_ALPHA
    lm_sd = {k: v.detach().clone() for k, v in lm.state_dict().items()}
    ckpt = {"llama_proj.weight": vision.llama_proj.weight.detach().clone(),
            "llama_proj.bias": vision.llama_proj.bias.detach().clone(),
            "ln_vision.weight": vision.ln_vision.weight.detach().clone(),
            "ln_vision.bias": vision.ln_vision.bias.detach().clone()}
    for i in range(lm.cfg.layers):
        for proj in ("q_proj", "v_proj"):
            key = f"model.layers.{i}.self_attn.{proj}.weight"
            w = lm_sd[key]
            a = torch.randn(r, w.shape[1], generator=g) * 0.05
            b = torch.randn(w.shape[0], r, generator=g) * 0.05
            lm_sd[key] = w - (alpha / r) * (b @ a)
            prefix = f"llama_model.base_model.model.model.layers.{i}.self_attn.{proj}"
            ckpt[f"{prefix}.lora_A.weight"] = a
            ckpt[f"{prefix}.lora_B.weight"] = b
    torch.save(lm_sd, os.path.join(out_dir, "llama", "pytorch_model.bin"))
    d = lm.cfg
    with open(os.path.join(out_dir, "llama", "config.json"), "w") as f:
        json.dump({"vocab_size": d.vocab_size, "hidden_size": d.hidden, "num_hidden_layers": d.layers,
                   "num_attention_heads": d.heads, "num_key_value_heads": d.kv_heads,
                   "intermediate_size": d.intermediate, "rms_norm_eps": d.rms_eps, "rope_theta": d.rope_theta}, f)
    shutil.copy(tokenizer, os.path.join(out_dir, "llama", "tokenizer.model"))
    torch.save(vision.visual_encoder.state_dict(), os.path.join(out_dir, "eva_vit_g.pth"))
    torch.save({"model": ckpt, "lora": {"r": r, "alpha": alpha}}, os.path.join(out_dir, "minigptmed.pth"))
    with open(os.path.join(out_dir, "vision_config.json"), "w") as f:
        json.dump({"vision": asdict(vision.cfg), "decoder": asdict(d)}, f)
