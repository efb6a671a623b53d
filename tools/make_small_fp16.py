#!/usr/bin/python3
"""Makes models/small-fp16: the small model with the float16 contract (pixels, embeddings, logits and
KV cache in float16) and last-position-only logits ([B,1,V], as the real export writes them) for testing the engine's float16 path on CPU, where ONNX Runtime lacks most
float16 kernels. Each graph keeps float32 arithmetic inside: float16 inputs are cast up, outputs
cast down, and the weights are stored as float16 (exact: the small model's weights are
float16-representable) behind Casts that ONNX Runtime folds at load.

  /usr/bin/python3 tools/make_small_fp16.py
"""
import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_manifest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "models", "small")
DST = os.path.join(ROOT, "models", "small-fp16")


def convert(name):
    model = onnx.load(os.path.join(SRC, name))
    g = model.graph
    head, tail = [], []
    for inp in g.input:
        if inp.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = inp.name + "_f32"
            for n in g.node:
                for i, x in enumerate(n.input):
                    if x == inp.name:
                        n.input[i] = inner
            inp.type.tensor_type.elem_type = TensorProto.FLOAT16
            head.append(helper.make_node("Cast", [inp.name], [inner], to=TensorProto.FLOAT, name=inp.name + "_cast_up"))
    for out in g.output:
        if out.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = out.name + "_f32"
            for n in g.node:
                for i, x in enumerate(n.output):
                    if x == out.name:
                        n.output[i] = inner
                for i, x in enumerate(n.input):
                    if x == out.name:
                        n.input[i] = inner
            out.type.tensor_type.elem_type = TensorProto.FLOAT16
            if out.name == "logits":
                # Keep the last position only, as the real export does (the engine reads one row per sequence).
                g.initializer.extend([numpy_helper.from_array(np.array([v], dtype=np.int64), n)
                                      for v, n in ((-1, "last_start"), (2**62, "last_end"), (1, "last_axis"))])
                tail.append(helper.make_node("Slice", [inner, "last_start", "last_end", "last_axis"], [inner + "_last"], name="logits_last"))
                inner += "_last"
                out.type.tensor_type.shape.dim[1].dim_value = 1
            tail.append(helper.make_node("Cast", [inner], [out.name], to=TensorProto.FLOAT16, name=out.name + "_cast_down"))
    kept = []
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype == np.float32 and arr.size > 16 and np.array_equal(arr.astype(np.float16).astype(np.float32), arr):
            half = numpy_helper.from_array(arr.astype(np.float16), init.name + "_f16")
            kept.append(half)
            head.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT, name=init.name + "_cast_w"))
        else:
            kept.append(init)
    del g.initializer[:]
    g.initializer.extend(kept)
    nodes = head + list(g.node) + tail
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(DST, name))


def main():
    os.makedirs(DST, exist_ok=True)
    for name in ("vision.onnx", "embed_tokens.onnx", "decoder.onnx"):
        convert(name)
    shutil.copy(os.path.join(SRC, "tokenizer.model"), os.path.join(DST, "tokenizer.model"))
    manifest = json.load(open(os.path.join(SRC, "manifest.json")))
    manifest["dtype"] = "float16"
    manifest["name"] = "minigptmed-small-test-fp16"
    model_manifest.write(DST, manifest)  # this folder's own files' sizes and SHA-256, not models/small's
    total = sum(os.path.getsize(os.path.join(DST, f)) for f in os.listdir(DST))
    print(f"models/small-fp16: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
