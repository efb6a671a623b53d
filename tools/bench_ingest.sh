#!/usr/bin/env bash
# Ingest benchmark for docs/benchmarks.md (issue 10): storescu of a 200-slice CT series to `minigptmed serve
# --flush on`, this tree's build (every instance catalogued before Success, layout instances/<study>/<series>/)
# against a baseline build (BASELINE_BIN: the node before the catalogue recording), interleaved, REPS repetitions;
# then the fsyncs of one series on a fresh node of each build, counted by strace.
# Usage: BASELINE_BIN=/path/to/minigptmed tools/bench_ingest.sh [REPETITIONS]   (default 3; BENCH_DIR: scratch folder)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
WORK=${BENCH_DIR:-/tmp/minigptmed-ingest-bench}
: "${BASELINE_BIN:?set BASELINE_BIN to the baseline build of minigptmed}"
export TCP_NODELAY=1
mkdir -p "$WORK"
dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
NEW_BIN=$PWD/src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed
[ -d "$WORK/ct" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/ct" --slices 200
[ -d "$WORK/warm" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/warm" --slices 1000 --size 64

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 400); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now() { date +%s.%N; }

# one_run BIN -> seconds for the timed series, after a warm-up of 1,000 small instances (tiered JIT)
one_run() {
  local port out t0 t1 pid
  port=$(free_port); out="$WORK/out"; rm -rf "$out"; mkdir -p "$out"
  "$1" serve --port "$port" --aet STORESCP --data "$out" --flush on >/dev/null 2>&1 & pid=$!
  wait_port "$port"
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/warm" >/dev/null 2>&1
  sync; sleep 1
  t0=$(now)
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/ct" >/dev/null 2>&1
  t1=$(now)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local stored; stored=$(find "$out" -name '*.dcm' -not -path '*/.incoming/*' | wc -l)
  [ "$stored" = 1200 ] || { echo "$1: only $stored of 1,200 stored" >&2; exit 1; }
  rm -rf "$out"
  echo "$t1 - $t0" | bc -l
}

# fsyncs BIN: strace -f -c of the node receiving the 200-slice series on a fresh data folder (start and stop included)
fsyncs() {
  local port out pid
  port=$(free_port); out="$WORK/strace-out"; rm -rf "$out"; mkdir -p "$out"
  strace -f -c -e trace=fsync,fdatasync -o "$WORK/strace.txt" "$1" serve --port "$port" --aet STORESCP --data "$out" --flush on >/dev/null 2>&1 & pid=$!
  wait_port "$port"
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/ct" >/dev/null 2>&1
  # The node is strace's child: stopping it (SIGTERM, a clean stop) makes strace write its summary and exit.
  kill "$(pgrep -P "$pid")"; wait "$pid" 2>/dev/null || true
  awk '$NF == "fsync" || $NF == "fdatasync" {print $NF, $4}' "$WORK/strace.txt" | tr '\n' ' '
  rm -rf "$out"
}

echo "start: $(uptime)"
declare -A T
for r in $(seq "$REPS"); do
  if (( r % 2 )); then order=(baseline new); else order=(new baseline); fi
  for which in "${order[@]}"; do
    if [ "$which" = baseline ]; then bin=$BASELINE_BIN; else bin=$NEW_BIN; fi
    t=$(one_run "$bin"); T[$which]+="$t "
    echo "rep $r $which: $t s"
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for which in baseline new; do echo "$which: median $(echo "${T[$which]}" | median) s over: ${T[$which]}"; done
echo "fsyncs baseline: $(fsyncs "$BASELINE_BIN")"
echo "fsyncs new: $(fsyncs "$NEW_BIN")"
echo "end: $(uptime)"
