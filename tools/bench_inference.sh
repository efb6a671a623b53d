#!/usr/bin/env bash
# CPU benchmark of the inference engine against the PyTorch eager reference loop on the same weights
# (the small model), in one run. Figures go to docs/benchmarks.md.
#   bash tools/bench_inference.sh [NEW_TOKENS=64] [REPEATS=5] [THREADS=1]
set -euo pipefail
cd "$(dirname "$0")/.."
new=${1:-64}; repeats=${2:-5}; threads=${3:-1}
out=$(mktemp -d)
dotnet build tools/bench/InferenceBench -c Release -o "$out/bench" >/dev/null
dotnet "$out/bench/InferenceBench.dll" models/small "$new" "$repeats" "$threads" 1 4 16 > "$out/ort.jsonl"
/usr/bin/python3 tools/bench_reference.py "$new" "$repeats" "$threads" 1 4 16 2>/dev/null > "$out/torch.jsonl"
/usr/bin/python3 - "$out/ort.jsonl" "$out/torch.jsonl" "$new" "$threads" <<'PY'
import json, sys
ort = {r["batch"]: r for r in map(json.loads, open(sys.argv[1]))}
ref = {r["batch"]: r for r in map(json.loads, open(sys.argv[2]))}
print(f"small model, CPU, {sys.argv[4]} thread(s), {sys.argv[3]} new tokens, EOS ignored, median of runs")
print("| batch | prefill ms (ORT) | prefill ms (PyTorch) | decode tok/s (ORT) | decode tok/s (PyTorch) | decode speed-up | loop overhead over decoder session |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for b in sorted(ort):
    o, r = ort[b], ref[b]
    print(f"| {b} | {o['prefill_ms']:.2f} | {r['prefill_ms']:.2f} | {o['decode_tokens_per_s']:.0f} | {r['decode_tokens_per_s']:.0f} "
          f"| {o['decode_tokens_per_s'] / r['decode_tokens_per_s']:.2f}x | {100 * o['loop_overhead']:.1f}% |")
PY
rm -rf "$out"
