#!/usr/bin/python3
"""Writes the two tiny graphs the engine uses to drop finished sequences from the KV cache on the
device (Gather along the batch axis), one per cache dtype, into src/MiniGptMed.Inference/Resources.

  /usr/bin/python3 tools/make_kv_gather.py
"""
import os

import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src", "MiniGptMed.Inference", "Resources")

for name, elem in (("kv_gather_f32.onnx", TensorProto.FLOAT), ("kv_gather_f16.onnx", TensorProto.FLOAT16)):
    data = helper.make_tensor_value_info("data", elem, ["batch", "heads", "sequence", "head_dim"])
    idx = helper.make_tensor_value_info("indices", TensorProto.INT64, ["kept"])
    out = helper.make_tensor_value_info("output", elem, ["kept", "heads", "sequence", "head_dim"])
    node = helper.make_node("Gather", ["data", "indices"], ["output"], axis=0)
    graph = helper.make_graph([node], "kv_gather", [data, idx], [out])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="minigptmed-tools")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))
    print(name)
