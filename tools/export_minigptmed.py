#!/usr/bin/python3
"""Exports the real MiniGPT-Med to the node's ONNX contract (shared/MODEL.md), with the same export
functions and modules as the small test model.

Inputs (see docs/inference.md "Exporting the real model"):
  --minigptmed  the MiniGPT-Med checkpoint (.pth; holds llama_proj and the LoRA weights under 'model')
  --llama       a Hugging Face Llama-2-7b-chat-hf directory (config.json, tokenizer.model, pytorch_model*.bin
                or *.safetensors)
  --eva         eva_vit_g.pth (EVA-CLIP ViT-g/14, as MiniGPT-4/LAVIS download it)

  /usr/bin/python3 tools/export_minigptmed.py --minigptmed minigptmed.pth --llama Llama-2-7b-chat-hf \
      --eva eva_vit_g.pth --out models/minigptmed --dtype float16 --device cuda

What it does: merges LoRA into q_proj/v_proj (W += alpha/r * B @ A; MiniGPT-Med r=64, alpha=16),
drops the ViT's 40th block (MiniGPT-4 builds ViT-g with 39), interpolates the 224-pixel position
embedding to 448 as LAVIS does, keeps ln_vision from the checkpoint or LayerNorm's initial values
(MiniGPT-4 freezes it untrained and does not save it), then writes vision.onnx, embed_tokens.onnx,
decoder.onnx (external-data format, one .data file each), tokenizer.model and manifest.json.
"""
import argparse
import glob
import json
import os
import shutil
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minigptmed_modules import VisionConfig, DecoderConfig, VisionEncoder, LlamaForCausalLM  # noqa: E402
from minigptmed_export import export_vision, export_embed, export_decoder, write_manifest, merge_lora  # noqa: E402

LORA_PREFIX = "llama_model.base_model.model."


def lora_a_suffix(key: str):
    """PEFT names the pair lora_A.weight (0.2, MiniGPT-4's era) or lora_A.default.weight (later versions)."""
    if not key.startswith(LORA_PREFIX):
        return None
    for suffix in (".lora_A.weight", ".lora_A.default.weight"):
        if key.endswith(suffix):
            return suffix
    return None


def load_llama_state(llama_dir: str) -> dict:
    state = {}
    bins = sorted(glob.glob(os.path.join(llama_dir, "pytorch_model*.bin")))
    tensors = sorted(glob.glob(os.path.join(llama_dir, "*.safetensors")))
    if bins:
        for path in bins:
            state.update(torch.load(path, map_location="cpu"))
    elif tensors:
        from safetensors.torch import load_file  # python3-safetensors / pip safetensors
        for path in tensors:
            state.update(load_file(path))
    else:
        raise SystemExit(f"no pytorch_model*.bin or *.safetensors in {llama_dir}")
    # Hugging Face keeps rotary inv_freq buffers in some versions; our module computes them.
    return {k: v for k, v in state.items() if not k.endswith("rotary_emb.inv_freq")}


def decoder_config(llama_dir: str) -> DecoderConfig:
    with open(os.path.join(llama_dir, "config.json")) as f:
        c = json.load(f)
    return DecoderConfig(vocab_size=c["vocab_size"], hidden=c["hidden_size"], layers=c["num_hidden_layers"],
                         heads=c["num_attention_heads"], kv_heads=c.get("num_key_value_heads", c["num_attention_heads"]),
                         intermediate=c["intermediate_size"], rms_eps=c.get("rms_norm_eps", 1e-5),
                         rope_theta=c.get("rope_theta", 10000.0))


def interpolate_pos_embed(pos: torch.Tensor, grid: int) -> torch.Tensor:
    """LAVIS interpolate_pos_embed: keep CLS, bicubic-resize the patch grid."""
    old = int((pos.shape[1] - 1) ** 0.5)
    if old == grid:
        return pos
    cls, patches = pos[:, :1], pos[:, 1:]
    patches = patches.reshape(1, old, old, -1).permute(0, 3, 1, 2)
    patches = F.interpolate(patches.float(), size=(grid, grid), mode="bicubic", align_corners=False)
    return torch.cat((cls, patches.permute(0, 2, 3, 1).reshape(1, grid * grid, -1).to(pos.dtype)), dim=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minigptmed", required=True)
    ap.add_argument("--llama", required=True)
    ap.add_argument("--eva", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    ap.add_argument("--device", default="cpu", help="cuda for a float16 export (CPU half kernels are incomplete)")
    ap.add_argument("--vision-config", help="JSON with 'vision' sizes (default: EVA ViT-g/14 at 448)")
    ap.add_argument("--lora-r", type=int, default=64)
    ap.add_argument("--lora-alpha", type=float, default=16.0)
    ap.add_argument("--name", default="minigptmed")
    ap.add_argument("--single-bos", action="store_true",
                    help="one BOS: do not reproduce Hugging Face's extra BOS before the template's literal <s>")
    ap.add_argument("--no-external-data", action="store_true")
    ap.add_argument("--all-logits", action="store_true",
                    help="logits for every position (default: the last only, which is all generation reads)")
    args = ap.parse_args()

    dcfg = decoder_config(args.llama)
    vcfg = VisionConfig()
    if args.vision_config:
        with open(args.vision_config) as f:
            vcfg = VisionConfig(**json.load(f)["vision"])
    dtype = torch.float16 if args.dtype == "float16" else torch.float32

    ckpt = torch.load(args.minigptmed, map_location="cpu")
    model_sd = ckpt.get("model", ckpt)
    lora = ckpt.get("lora", {})
    r, alpha = lora.get("r", args.lora_r), lora.get("alpha", args.lora_alpha)

    lm = LlamaForCausalLM(dcfg)
    llama_sd = load_llama_state(args.llama)
    # Any full LLaMA weight the checkpoint carries (besides LoRA) overrides the base model's.
    for k, v in model_sd.items():
        if k.startswith(LORA_PREFIX) and ".lora_" not in k:
            llama_sd[k[len(LORA_PREFIX):].replace(".base_layer.", ".")] = v
    merged = 0
    for k in list(model_sd):
        suffix = lora_a_suffix(k)
        if suffix is None:
            continue
        base = k[len(LORA_PREFIX):-len(suffix)] + ".weight"
        b_key = k.replace(".lora_A.", ".lora_B.")
        llama_sd[base] = merge_lora(llama_sd[base].float(), model_sd[k], model_sd[b_key], alpha, r)
        merged += 1
    missing, unexpected = lm.load_state_dict({k: v.float() for k, v in llama_sd.items()}, strict=False)
    if missing or unexpected:
        raise SystemExit(f"LLaMA weights do not fit: missing {missing[:5]}, unexpected {unexpected[:5]}")
    print(f"merged LoRA into {merged} projections (alpha/r = {alpha}/{r})")

    vision = VisionEncoder(vcfg, dcfg.hidden)
    eva_sd = torch.load(args.eva, map_location="cpu")
    eva_sd = {k: v for k, v in eva_sd.items() if not (k.startswith("blocks.") and int(k.split(".")[1]) >= vcfg.depth)}
    grid = vcfg.image_size // vcfg.patch_size
    eva_sd["pos_embed"] = interpolate_pos_embed(eva_sd["pos_embed"], grid)
    missing, unexpected = vision.visual_encoder.load_state_dict({k: v.float() for k, v in eva_sd.items()}, strict=False)
    if missing:
        raise SystemExit(f"EVA weights do not fit: missing {missing[:5]}")
    if unexpected:
        # LAVIS loads this file with strict=False as well (heads and norms it does not use).
        print(f"EVA keys not used: {unexpected[:8]}{' ...' if len(unexpected) > 8 else ''}")
    vision.llama_proj.load_state_dict({"weight": model_sd["llama_proj.weight"].float(), "bias": model_sd["llama_proj.bias"].float()})
    if "ln_vision.weight" in model_sd:
        vision.ln_vision.load_state_dict({"weight": model_sd["ln_vision.weight"].float(), "bias": model_sd["ln_vision.bias"].float()})
        print("ln_vision from the checkpoint")
    else:
        print("ln_vision not in the checkpoint: LayerNorm initial values (as MiniGPT-4 leaves it frozen)")

    os.makedirs(args.out, exist_ok=True)
    vision = vision.to(args.device, dtype).eval()
    lm = lm.to(args.device, dtype).eval()
    external = not args.no_external_data
    with torch.no_grad():
        export_vision(vision, args.out, vcfg.image_size, dtype, external)
        export_embed(lm.model.embed_tokens, args.out, external)
        export_decoder(lm, args.out, dtype, external, last_logits_only=not args.all_logits)
    shutil.copy(os.path.join(args.llama, "tokenizer.model"), os.path.join(args.out, "tokenizer.model"))
    image_tokens = grid * grid // vcfg.merge
    write_manifest(args.out, name=args.name, vcfg=vcfg, dcfg=dcfg, dtype=args.dtype, image_tokens=image_tokens,
                   bos_on_first_segment=not args.single_bos)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
