#!/usr/bin/env bash
# Parse throughput: ours against pydicom's dcmread on the same 500-slice CT series, in one run,
# then peak memory while reading a 1 GB instance. Figures go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
series=${1:-/tmp/minigptmed-ct500}
[ -d "$series" ] && [ "$(ls "$series" | wc -l)" -ge 500 ] || /usr/bin/python3 tools/make_ct_series.py "$series" --slices 500
dotnet build -c Release tools/MiniGptMed.Benchmarks -v q -nologo >/dev/null
bench=tools/MiniGptMed.Benchmarks/bin/Release/net10.0/MiniGptMed.Benchmarks
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uname -m)"
/usr/bin/python3 tools/bench_pydicom_parse.py "$series" 3
"$bench" parse "$series" --repeat 5
"$bench" read-large --size-mb 1024
