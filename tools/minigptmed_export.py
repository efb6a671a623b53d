"""Export functions shared by make_small_model.py (the tiny test model) and export_minigptmed.py (the real one).

They write the ONNX contract of shared/MODEL.md:
  vision.onnx        pixel_values float[B,3,S,S] -> image_embeds float[B,N,H]
  embed_tokens.onnx  input_ids int64[B,T] -> inputs_embeds float[B,T,H]
  decoder.onnx       inputs_embeds [B,T,H], attention_mask int64[B,past+T], position_ids int64[B,T],
                     past_key_values.{i}.key|value [B,kv,past,d] -> logits [B,T,V], present.{i}.key|value
plus manifest.json (schema in models/README.md), written last: it lists every file's size and SHA-256.
"""
import os

import onnx
import torch

import model_manifest
from minigptmed_modules import DecoderExport, EmbedExport

OPSET = 17

# MiniGPT-Med's evaluation transform (Blip2ImageEvalProcessor): CLIP normalisation.
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]

PROMPT_TEMPLATE = "<s>[INST] <Img><ImageHere></Img> {instruction} [/INST]"

# Task tags and evaluation settings from MiniGPT-Med's eval scripts (MODEL.md "Prompt", "Generation").
TASKS = {
    "report": {"tag": "", "default_instruction": "Describe this image in detail", "max_new_tokens": 300},
    "vqa": {"tag": "[vqa]", "default_instruction": "what abnormality is seen in this image ?", "max_new_tokens": 300},
    "detection": {"tag": "[detection]", "default_instruction": "pneumonia", "max_new_tokens": 100},
    "grounding": {"tag": "[grounding]", "default_instruction": "please describe this image in details", "max_new_tokens": 100},
    "refer": {"tag": "[refer]", "default_instruction": "where is pneumonia ?", "max_new_tokens": 100},
    "identify": {"tag": "[identify]", "default_instruction": "what is it in {box}", "max_new_tokens": 100},
}


def merge_lora(weight: torch.Tensor, lora_a: torch.Tensor, lora_b: torch.Tensor, alpha: float, r: int) -> torch.Tensor:
    """PEFT LoRA: W' = W + (alpha / r) * B @ A (MiniGPT-Med: r=64, alpha=16, so 0.25)."""
    return weight + (alpha / r) * (lora_b.float() @ lora_a.float()).to(weight.dtype)


def _device(module: torch.nn.Module) -> torch.device:
    return next(module.parameters()).device


def _save(model_path: str, external_data: bool) -> None:
    if not external_data:
        return
    # Re-save with one side file: protobuf cannot hold more than 2 GB (the 7B decoder is 13.5 GB in fp16).
    proto = onnx.load(model_path, load_external_data=True)
    data_name = os.path.basename(model_path) + ".data"
    data_path = os.path.join(os.path.dirname(model_path), data_name)
    if os.path.exists(data_path):
        os.remove(data_path)
    onnx.save_model(proto, model_path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data_name, size_threshold=1024)


def export_vision(vision: torch.nn.Module, out_dir: str, image_size: int, dtype: torch.dtype,
                  external_data: bool = False) -> str:
    path = os.path.join(out_dir, "vision.onnx")
    dummy = torch.zeros(2, 3, image_size, image_size, dtype=dtype, device=_device(vision))
    torch.onnx.export(vision, (dummy,), path, input_names=["pixel_values"], output_names=["image_embeds"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    _save(path, external_data)
    return path


def export_embed(embed: torch.nn.Embedding, out_dir: str, external_data: bool = False) -> str:
    path = os.path.join(out_dir, "embed_tokens.onnx")
    dummy = torch.ones(2, 3, dtype=torch.int64, device=embed.weight.device)
    torch.onnx.export(EmbedExport(embed), (dummy,), path, input_names=["input_ids"], output_names=["inputs_embeds"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "inputs_embeds": {0: "batch", 1: "sequence"}},
                      opset_version=OPSET, do_constant_folding=True)
    _save(path, external_data)
    return path


def export_decoder(lm: torch.nn.Module, out_dir: str, dtype: torch.dtype, external_data: bool = False,
                   last_logits_only: bool = False) -> str:
    cfg = lm.cfg
    path = os.path.join(out_dir, "decoder.onnx")
    b, t, past = 2, 3, 4
    dev = _device(lm)
    embeds = torch.zeros(b, t, cfg.hidden, dtype=dtype, device=dev)
    mask = torch.ones(b, past + t, dtype=torch.int64, device=dev)
    pos = torch.arange(past, past + t, dtype=torch.int64, device=dev).unsqueeze(0).expand(b, -1).contiguous()
    past_flat = []
    input_names = ["inputs_embeds", "attention_mask", "position_ids"]
    output_names = ["logits"]
    dynamic = {"inputs_embeds": {0: "batch", 1: "sequence"},
               "attention_mask": {0: "batch", 1: "total_sequence"},
               "position_ids": {0: "batch", 1: "sequence"},
               "logits": {0: "batch", 1: "sequence"}}
    for i in range(cfg.layers):
        for kind in ("key", "value"):
            past_flat.append(torch.zeros(b, cfg.kv_heads, past, cfg.head_dim, dtype=dtype, device=dev))
            name = f"past_key_values.{i}.{kind}"
            input_names.append(name)
            dynamic[name] = {0: "batch", 2: "past_sequence"}
    for i in range(cfg.layers):
        for kind in ("key", "value"):
            name = f"present.{i}.{kind}"
            output_names.append(name)
            dynamic[name] = {0: "batch", 2: "total_sequence"}
    torch.onnx.export(DecoderExport(lm, last_logits_only), (embeds, mask, pos, *past_flat), path, input_names=input_names,
                      output_names=output_names, dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)
    _save(path, external_data)
    return path


def build_manifest(*, name: str, vcfg, dcfg, dtype: str, image_tokens: int, bos_on_first_segment: bool,
                   tasks: dict = None) -> dict:
    return {
        "format": "minigptmed-onnx/1",
        "name": name,
        "dtype": dtype,
        "files": {"vision": "vision.onnx", "embed_tokens": "embed_tokens.onnx", "decoder": "decoder.onnx",
                  "tokenizer": "tokenizer.model"},
        "image": {"size": vcfg.image_size, "mean": CLIP_MEAN, "std": CLIP_STD, "resize": "bicubic-stretch",
                  "tokens": image_tokens},
        "decoder": {"hidden_size": dcfg.hidden, "layers": dcfg.layers, "kv_heads": dcfg.kv_heads,
                    "head_dim": dcfg.head_dim, "vocab_size": dcfg.vocab_size},
        "tokens": {"bos": 1, "eos": 2, "pad": 0},
        "prompt": {"template": PROMPT_TEMPLATE, "image_placeholder": "<ImageHere>",
                   "bos_on_first_segment": bos_on_first_segment},
        "tasks": tasks or TASKS,
    }


def write_manifest(out_dir: str, **kwargs) -> str:
    """manifest.json with the `weights` field (tools/model_manifest.py): call it last, once every other file of
    the model is in out_dir, since it records their sizes and SHA-256."""
    return model_manifest.write(out_dir, build_manifest(**kwargs))
