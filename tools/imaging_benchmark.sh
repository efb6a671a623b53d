#!/usr/bin/env bash
# Imaging benchmark (docs/benchmarks.md, Imaging): decode + window to 8 bits, ours in-process vs pydicom+numpy, and
# for JPEG lossless against DCMTK dcmj2pnm as whole processes (PGM and PNG output), with `minigptmed render` both as
# the Native AOT binary (published here) and as the JIT build.
# Usage: tools/imaging_benchmark.sh [ITERATIONS] [WHOLE_PROCESS_RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-30}
runs=${2:-21}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
corpus=/usr/lib/python3/dist-packages/pydicom/data/test_files
gdcmconv --raw "$corpus/693_J2KI.dcm" "$data/ct512.dcm"                 # 512x512 CT, 16 bit, native
/usr/bin/python3 tools/imaging_benchmark_data.py "$data"               # 3000x2500 CR, 16 bit, native
dcmcjpeg +e1 "$data/ct512.dcm" "$data/ct512_jpll.dcm"                  # JPEG lossless SV1
dcmcjpeg +e1 "$data/cr3000x2500.dcm" "$data/cr3000x2500_jpll.dcm"
files=("$data/ct512.dcm" "$data/cr3000x2500.dcm" "$data/ct512_jpll.dcm" "$data/cr3000x2500_jpll.dcm")

dotnet build tools/ImagingBenchmark -c Release -v q -nologo >/dev/null
dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
jit=src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed
aot="$data/aot"
dotnet publish src/MiniGptMed.DicomNode -c Release -r linux-x64 -p:PublishAot=true -o "$aot" -v q -nologo >/dev/null
aot="$aot/minigptmed"

echo "== ours, in-process, JIT after warm-up (read + decode + rescale + window 40,400 to 8 bits)"
dotnet tools/ImagingBenchmark/bin/Release/net10.0/ImagingBenchmark.dll 40,400 "$n" "${files[@]}"
echo "== pydicom $(/usr/bin/python3 -c 'import pydicom; print(pydicom.__version__)') + numpy, in-process (dcmread + pixel_array + rescale + window)"
/usr/bin/python3 tools/imaging_benchmark_pydicom.py 40,400 "$n" "${files[@]}"

whole() { # median and minimum wall time of $runs runs of a command (after one untimed run), ms
  /usr/bin/python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
times = []
for _ in range(n):
    t = time.perf_counter(); subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL); times.append((time.perf_counter() - t) * 1000)
times.sort(); print(f"median {times[n // 2]:6.1f} ms  min {times[0]:6.1f} ms")
PY
}
echo "== whole process, JPEG lossless, window 40,400, $runs runs each (interleaved per file)"
for f in "$data/ct512_jpll.dcm" "$data/cr3000x2500_jpll.dcm"; do
  b=$(basename "$f")
  echo "$b: dcmj2pnm -> PGM        $(whole dcmj2pnm +Ww 40 400 "$f" "$data/out.pgm")"
  echo "$b: dcmj2pnm +on -> PNG    $(whole dcmj2pnm +on +Ww 40 400 "$f" "$data/out.png")"
  echo "$b: minigptmed AOT -> PNG  $(whole "$aot" render "$f" --window 40,400 --out "$data/ours.png")"
  echo "$b: minigptmed JIT -> PNG  $(whole "$jit" render "$f" --window 40,400 --out "$data/ours.png")"
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
