#!/usr/bin/env bash
# Optional check (needs python3-torch python3-onnx python3-sentencepiece python3-pil; CI does not run it):
# 1. regenerates models/small, models/small-fp16, the kv-gather graphs and the goldens from the committed
#    weights and checks the ONNX files are byte-identical and the goldens equal within float noise;
# 2. runs tools/export_minigptmed.py on the tiny weights laid out as the real three inputs and checks
#    that the exported model answers exactly as models/small does, for every task.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"; git checkout -q -- tests/MiniGptMed.Inference.Tests/Goldens' EXIT

/usr/bin/python3 tools/make_small_model.py --checkpoints "$work/ckpt" >/dev/null 2>&1
/usr/bin/python3 tools/make_small_fp16.py >/dev/null
/usr/bin/python3 tools/make_kv_gather.py >/dev/null
git diff --exit-code --stat -- models src/MiniGptMed.Inference/Resources
/usr/bin/python3 - <<'PY'
import json, subprocess
path = "tests/MiniGptMed.Inference.Tests/Goldens/small_model.json"
new, old = json.load(open(path)), json.loads(subprocess.check_output(["git", "show", "HEAD:" + path]))
for a, b in zip(new["cases"], old["cases"]):
    for k in a:
        if k == "logits":
            worst = max(abs(x - y) for s in a[k] for x, y in zip(a[k][s], b[k][s]))
            assert worst < 1e-4, f"{a['task']} logits moved by {worst}"
        else:
            assert a[k] == b[k], f"{a['task']}/{a['image']} {k} changed"
assert new["images"] == old["images"] and new["preprocess"] == old["preprocess"]
tok = "tests/MiniGptMed.Inference.Tests/Goldens/tokenizer.json"
assert json.load(open(tok)) == json.loads(subprocess.check_output(["git", "show", "HEAD:" + tok]))
print("regeneration: ONNX files identical, goldens equal")
PY

/usr/bin/python3 tools/export_minigptmed.py --minigptmed "$work/ckpt/minigptmed.pth" --llama "$work/ckpt/llama" \
  --eva "$work/ckpt/eva_vit_g.pth" --vision-config "$work/ckpt/vision_config.json" --out "$work/export" \
  --dtype float32 --name minigptmed-small-test --single-bos >/dev/null 2>&1
# The same manifest but for its weights list (external-data files; the LoRA merge rounds the q/v weights: other
# bytes, same answers below), which must cover every file of the export.
/usr/bin/python3 - "$work/export/manifest.json" models/small/manifest.json <<'PY'
import json, os, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
listed = set(a.pop("weights"))
b.pop("weights")
assert listed == set(os.listdir(os.path.dirname(sys.argv[1]))) - {"manifest.json"}, listed
assert a == b, "the export's manifest differs from models/small's"
PY
dotnet build src/MiniGptMed.DicomNode -c Release -o "$work/cli" >/dev/null
/usr/bin/python3 - "$work" <<'PY'
import base64, json, subprocess, sys
import numpy as np
from PIL import Image
work = sys.argv[1]
g = json.load(open("tests/MiniGptMed.Inference.Tests/Goldens/small_model.json"))
for i, im in enumerate(g["images"]):
    Image.fromarray(np.frombuffer(base64.b64decode(im["rgb"]), np.uint8).reshape(32, 32, 3)).save(f"{work}/img{i}.png")
for task in ["report", "vqa", "detection", "grounding", "refer", "identify"]:
    for i in range(2):
        args = ["dotnet", f"{work}/cli/minigptmed.dll", "analyze", f"{work}/img{i}.png", "--task", task, "--json", "--provider", "cpu"]
        if task == "identify":
            args += ["--box", "8,6,15,14"]
        a = json.loads(subprocess.check_output(args + ["--model", "models/small"], stderr=subprocess.DEVNULL))
        b = json.loads(subprocess.check_output(args + ["--model", f"{work}/export"], stderr=subprocess.DEVNULL))
        assert a["raw"] == b["raw"], (task, i, a["raw"], b["raw"])
print("export_minigptmed.py: the exported model answers as models/small for every task")
PY
