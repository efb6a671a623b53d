"""PyTorch modules with MiniGPT-Med's structure and the reference checkpoints' parameter names.

The vision side mirrors EVA-CLIP ViT-g as LAVIS/MiniGPT-4 build it (patch_embed.proj, cls_token,
pos_embed, blocks.N.{norm1,attn.qkv,attn.q_bias,attn.v_bias,attn.proj,norm2,mlp.fc1,mlp.fc2}, no
final norm), then MiniGPT-Med's ln_vision, the 4-consecutive-token merge and llama_proj. The decoder
mirrors Hugging Face's LlamaForCausalLM names (model.embed_tokens, model.layers.N.self_attn.q_proj,
..., model.norm, lm_head), so the same classes load the tiny test model and the real checkpoints.
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class VisionConfig:
    image_size: int = 448
    patch_size: int = 14
    width: int = 1408
    depth: int = 39
    heads: int = 16
    mlp_hidden: int = 6144
    eps: float = 1e-6
    merge: int = 4  # MiniGPT-v2/Med: 4 consecutive raster-order tokens are concatenated


@dataclass
class DecoderConfig:
    vocab_size: int = 32000
    hidden: int = 4096
    layers: int = 32
    heads: int = 32
    kv_heads: int = 32
    intermediate: int = 11008
    rms_eps: float = 1e-5
    rope_theta: float = 10000.0

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads


class EvaAttention(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        # EVA keeps q and v biases apart and no k bias.
        self.q_bias = nn.Parameter(torch.zeros(width))
        self.v_bias = nn.Parameter(torch.zeros(width))
        self.proj = nn.Linear(width, width)

    def forward(self, x):
        b, n, c = x.shape
        bias = torch.cat((self.q_bias, torch.zeros_like(self.v_bias), self.v_bias))
        qkv = F.linear(x, self.qkv.weight, bias).reshape(b, n, 3, self.heads, c // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        attn = (q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1)
        attn = attn.softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(out)


class EvaMlp(nn.Module):
    def __init__(self, width: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class EvaBlock(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.norm1 = nn.LayerNorm(cfg.width, eps=cfg.eps)
        self.attn = EvaAttention(cfg.width, cfg.heads)
        self.norm2 = nn.LayerNorm(cfg.width, eps=cfg.eps)
        self.mlp = EvaMlp(cfg.width, cfg.mlp_hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.proj = nn.Conv2d(3, cfg.width, kernel_size=cfg.patch_size, stride=cfg.patch_size)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class EvaViT(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        grid = cfg.image_size // cfg.patch_size
        self.patch_embed = PatchEmbed(cfg)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.width))
        self.pos_embed = nn.Parameter(torch.zeros(1, grid * grid + 1, cfg.width))
        self.blocks = nn.ModuleList([EvaBlock(cfg) for _ in range(cfg.depth)])

    def forward(self, x):
        x = self.patch_embed(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        return x


class VisionEncoder(nn.Module):
    """pixel_values [B,3,S,S] -> image_embeds [B,N,H]: ViT -> ln_vision -> drop CLS -> merge -> llama_proj."""

    def __init__(self, vcfg: VisionConfig, hidden: int):
        super().__init__()
        self.cfg = vcfg
        self.visual_encoder = EvaViT(vcfg)
        self.ln_vision = nn.LayerNorm(vcfg.width)
        self.llama_proj = nn.Linear(vcfg.width * vcfg.merge, hidden)

    def forward(self, pixel_values):
        x = self.ln_vision(self.visual_encoder(pixel_values))[:, 1:, :]
        b, n, c = x.shape
        # MiniGPT-v2 encode_img: view(B, N/4, 4C): raster-order neighbours, not a 2x2 block.
        x = x.reshape(b, n // self.cfg.merge, c * self.cfg.merge)
        return self.llama_proj(x)


class RMSNorm(nn.Module):
    def __init__(self, hidden: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden))
        self.eps = eps

    def forward(self, x):
        # Statistics in float32 (as Hugging Face's LlamaRMSNorm); the casts only exist for a float16 model,
        # since torch 1.13's exporter can leave a dangling reference behind for a no-op Cast.
        h = x.float() if x.dtype != torch.float32 else x
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * (h.to(x.dtype) if x.dtype != torch.float32 else h)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class LlamaAttention(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.head_dim
        self.q_proj = nn.Linear(cfg.hidden, cfg.heads * d, bias=False)
        self.k_proj = nn.Linear(cfg.hidden, cfg.kv_heads * d, bias=False)
        self.v_proj = nn.Linear(cfg.hidden, cfg.kv_heads * d, bias=False)
        self.o_proj = nn.Linear(cfg.heads * d, cfg.hidden, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, t, _ = x.shape
        d = self.cfg.head_dim
        q = self.q_proj(x).view(b, t, self.cfg.heads, d).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.cfg.kv_heads, d).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.cfg.kv_heads, d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat((past_k, k), dim=2)
        v = torch.cat((past_v, v), dim=2)
        rep = self.cfg.heads // self.cfg.kv_heads
        kk = k.repeat_interleave(rep, dim=1) if rep > 1 else k
        vv = v.repeat_interleave(rep, dim=1) if rep > 1 else v
        scores = (q @ kk.transpose(-2, -1)) / math.sqrt(d)
        scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
        out = scores.softmax(dim=-1) @ vv
        out = out.transpose(1, 2).reshape(b, t, self.cfg.heads * d)
        return self.o_proj(out), k, v


class LlamaMlp(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden, cfg.intermediate, bias=False)
        self.up_proj = nn.Linear(cfg.hidden, cfg.intermediate, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate, cfg.hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaLayer(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.self_attn = LlamaAttention(cfg)
        self.mlp = LlamaMlp(cfg)
        self.input_layernorm = RMSNorm(cfg.hidden, cfg.rms_eps)
        self.post_attention_layernorm = RMSNorm(cfg.hidden, cfg.rms_eps)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        h, k, v = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v)
        x = x + h
        return x + self.mlp(self.post_attention_layernorm(x)), k, v


class LlamaModel(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden)
        self.layers = nn.ModuleList([LlamaLayer(cfg) for _ in range(cfg.layers)])
        self.norm = RMSNorm(cfg.hidden, cfg.rms_eps)


class LlamaForCausalLM(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.model = LlamaModel(cfg)
        self.lm_head = nn.Linear(cfg.hidden, cfg.vocab_size, bias=False)

    def decode(self, inputs_embeds, attention_mask, position_ids, past):
        """One decoder call: embeds [B,T,H], mask [B,past+T], positions [B,T], past [(k,v)] -> logits, present."""
        cfg = self.cfg
        d = cfg.head_dim
        inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, d, 2, dtype=torch.float32, device=position_ids.device) / d))
        freqs = position_ids.to(torch.float32).unsqueeze(-1) * inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        cos = emb.cos().unsqueeze(1)
        sin = emb.sin().unsqueeze(1)
        if inputs_embeds.dtype != torch.float32:
            cos, sin = cos.to(inputs_embeds.dtype), sin.to(inputs_embeds.dtype)
        # Query i of this call sits at absolute index past+i; it sees keys j <= past+i that are not padding.
        total = attention_mask.shape[1]
        t = inputs_embeds.shape[1]
        k_idx = torch.arange(total, device=inputs_embeds.device)
        q_idx = k_idx[total - t:]
        causal = k_idx.unsqueeze(0) <= q_idx.unsqueeze(1)
        mask = causal.unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(1)
        x = inputs_embeds
        present = []
        for i, layer in enumerate(self.model.layers):
            x, k, v = layer(x, cos, sin, mask, past[i][0], past[i][1])
            present.append((k, v))
        logits = self.lm_head(self.model.norm(x))
        return logits, present


class DecoderExport(nn.Module):
    """The decoder.onnx signature: flat past/present tensors."""

    def __init__(self, lm: LlamaForCausalLM, last_logits_only: bool = False):
        super().__init__()
        self.lm = lm
        self.last_logits_only = last_logits_only

    def forward(self, inputs_embeds, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, present = self.lm.decode(inputs_embeds, attention_mask, position_ids, past)
        # Generation reads only the last position; keeping just it spares B x T x V floats at prefill.
        out = [logits[:, -1:, :] if self.last_logits_only else logits]
        for k, v in present:
            out += [k, v]
        return tuple(out)


class EmbedExport(nn.Module):
    def __init__(self, embed: nn.Embedding):
        super().__init__()
        self.embed = embed

    def forward(self, input_ids):
        return self.embed(input_ids)


def config_dict(vcfg: VisionConfig, dcfg: DecoderConfig) -> dict:
    return {"vision": asdict(vcfg), "decoder": asdict(dcfg)}
