#!/usr/bin/env bash
# Imaging benchmark (docs/benchmarks.md, Imaging): decode + window to 8 bits, ours in-process vs pydicom+numpy,
# and for JPEG lossless also against DCMTK dcmj2pnm as a whole process. Usage: tools/imaging_benchmark.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-30}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
corpus=/usr/lib/python3/dist-packages/pydicom/data/test_files
gdcmconv --raw "$corpus/693_J2KI.dcm" "$data/ct512.dcm"                 # 512x512 CT, 16 bit, native
/usr/bin/python3 tools/imaging_benchmark_data.py "$data"               # 3000x2500 CR, 16 bit, native
dcmcjpeg +e1 "$data/ct512.dcm" "$data/ct512_jpll.dcm"                  # JPEG lossless SV1
dcmcjpeg +e1 "$data/cr3000x2500.dcm" "$data/cr3000x2500_jpll.dcm"
files=("$data/ct512.dcm" "$data/cr3000x2500.dcm" "$data/ct512_jpll.dcm" "$data/cr3000x2500_jpll.dcm")

dotnet build tools/ImagingBenchmark -c Release -v q -nologo >/dev/null
dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
echo "== ours, in-process (read + decode + rescale + window 40,400 to 8 bits)"
dotnet tools/ImagingBenchmark/bin/Release/net10.0/ImagingBenchmark.dll 40,400 "$n" "${files[@]}"
echo "== pydicom $(/usr/bin/python3 -c 'import pydicom; print(pydicom.__version__)') + numpy, in-process (dcmread + pixel_array + rescale + window)"
/usr/bin/python3 tools/imaging_benchmark_pydicom.py 40,400 "$n" "${files[@]}"
echo "== whole process, JPEG lossless: dcmj2pnm +Ww 40 400 -> PGM vs minigptmed render --window 40,400 -> PNG"
whole() { # median wall time of N runs of a command, ms
  /usr/bin/python3 - "$@" <<'PY'
import subprocess, sys, time
runs = []
for _ in range(10):
    t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); runs.append((time.perf_counter() - t) * 1000)
runs.sort(); print(f"median {runs[5]:.1f} ms  min {runs[0]:.1f} ms")
PY
}
for f in "$data/ct512_jpll.dcm" "$data/cr3000x2500_jpll.dcm"; do
  echo "$(basename "$f"): dcmj2pnm   $(whole dcmj2pnm +Ww 40 400 "$f" "$data/out.pgm")"
  echo "$(basename "$f"): minigptmed $(whole src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed render "$f" --window 40,400 --out "$data/out.png")"
done
