#!/usr/bin/env bash
# Network benchmark for docs/benchmarks.md: DCMTK storescu sending a 500-slice 512x512 CT series to our node
# (minigptmed serve, with and without flush-before-Success) and to DCMTK storescp +B -pdu 131072, over one association
# and over four in parallel; then the node's peak RSS while it receives one 1 GB instance.
#
# Fairness on a shared machine: within each repetition the three receivers run back to back in a rotating order,
# each after `sync` and a pause (so no receiver pays for the write-back of the gigabytes before it), and every
# ratio is taken within its repetition; the table gives medians of times and of those per-repetition ratios.
# Each receiver first gets a warm-up: 2,000 small (64x64) instances, then 50 full-size ones. .NET's tiered JIT
# (tier 0, instrumented tier, optimised tier) needs some thousands of instances before the node runs the code it
# runs in production all day; measured with 100 warm-up instances the node still spent 3-5x the steady-state user
# CPU on the timed series. storescp gets the same warm-up.
# The floor: the same files written and fsynced one by one by a Python loop (tools/fsync_floor.py; no network, no
# parsing), in the same rotation, over one writer and over four in parallel: what any design that fsyncs each instance
# before answering pays on this disk; the node's flush runs are given as a share of it too.
# Usage: tools/bench_network.sh [REPETITIONS]   (default 5; BENCH_DIR overrides the scratch folder)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}
WORK=${BENCH_DIR:-/tmp/minigptmed-network-bench}
PAUSE=${BENCH_PAUSE:-1}
export TCP_NODELAY=1   # DCMTK reads it; our sockets always set it
# The admin HTTP surface on a port the OS chooses: on its default (8080) another node on the machine stops `serve`.
export MINIGPTMED_Admin__Url=${MINIGPTMED_Admin__Url:-http://127.0.0.1:0}
# Reception is measured, not the pipeline: the warm-up series must not become stable (10 s) and be analysed by the
# model while the timed series arrives (on a loaded machine a run takes longer than that).
export MINIGPTMED_Assembly__StableSeconds=3600 MINIGPTMED_Assembly__MaxWaitSeconds=7200
mkdir -p "$WORK"
# What the runs received is set aside and deleted only when the script ends: on ext4 a file created within minutes of
# thousands of deletions waits while the inode allocator skips the recently deleted inodes (recently_deleted() when
# the file system has no journal, as on the VM of docs/benchmarks.md), so deleting each run's output before the next
# made every receiver's file creation pay for its predecessor's clean-up.
TRASH="$WORK/trash.$$"; mkdir -p "$TRASH"
trap 'rm -rf "$TRASH"' EXIT
discard() { mv "$1" "$TRASH/$(basename "$1").$RANDOM$RANDOM"; }

[ -n "${NO_BUILD:-}" ] || dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
BIN=${NODE_BIN:-$PWD/src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed}

[ -d "$WORK/ct" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/ct" --slices 500
[ -d "$WORK/warm50" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/warm50" --slices 50
[ -d "$WORK/warm2000" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/warm2000" --slices 2000 --size 64
if [ ! -d "$WORK/ct4" ]; then
  mkdir -p "$WORK"/ct4/{0,1,2,3}
  i=0; for f in "$WORK"/ct/*.dcm; do ln -s "$f" "$WORK/ct4/$((i % 4))/"; i=$((i + 1)); done
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now() { date +%s.%N; }

# start_server NAME PORT OUT: starts the receiver in the background, sets SERVER_PID
start_server() {
  case "$1" in
    storescp)     storescp +B -pdu 131072 -aet STORESCP -od "$3" "$2" >/dev/null 2>&1 & ;;
    node-flush)   "$BIN" serve --port "$2" --aet STORESCP --data "$3" --flush on >/dev/null 2>&1 & ;;
    node-noflush) "$BIN" serve --port "$2" --aet STORESCP --data "$3" --flush off >/dev/null 2>&1 & ;;
  esac
  SERVER_PID=$!
  wait_port "$2"
}

# one_run NAME MODE -> seconds
one_run() {
  local port out t0 t1
  if [ "$1" = floor ]; then
    out="$WORK/out-floor"; [ ! -e "$out" ] || discard "$out"; mkdir -p "$out"; sync; sleep "$PAUSE"
    t0=$(now)
    if [ "$2" = one ]; then /usr/bin/python3 tools/fsync_floor.py "$WORK/ct" "$out/0"
    else
      local pids=()
      for d in 0 1 2 3; do /usr/bin/python3 tools/fsync_floor.py "$WORK/ct4/$d" "$out/$d" & pids+=($!); done
      wait "${pids[@]}"
    fi
    t1=$(now); discard "$out"
    echo "$t1 - $t0" | bc -l
    return
  fi
  port=$(free_port); out="$WORK/out-$1"; [ ! -e "$out" ] || discard "$out"; mkdir -p "$out"
  start_server "$1" "$port" "$out"
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/warm2000" >/dev/null 2>&1
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/warm50" >/dev/null 2>&1
  sync; sleep "$PAUSE"
  t0=$(now)
  if [ "$2" = one ]; then
    storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/ct" >/dev/null 2>&1
  else
    local pids=()
    for d in 0 1 2 3; do storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/ct4/$d" >/dev/null 2>&1 & pids+=($!); done
    wait "${pids[@]}"
  fi
  t1=$(now)
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  local stored; stored=$(find "$out" -type f -not -path '*/.incoming/*' -not -path '*/audit/*' -not -path '*/results/*' -not -path '*/keys/*' -not -name 'node.db*' | wc -l)
  [ "$stored" = 2550 ] || { echo "$1/$2: only $stored of 500 (+2,050 warm-up) stored" >&2; exit 1; }
  discard "$out"
  echo "$t1 - $t0" | bc -l
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
range() { sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%.2f-%.2f", lo, hi}'; }

echo "start: $(uptime)"
servers=(storescp node-flush node-noflush floor)
declare -A T
for r in $(seq "$REPS"); do
  for mode in one four; do
    for k in 0 1 2 3; do
      s=${servers[$(((k + r) % 4))]}
      T[$s/$mode/$r]=$(one_run "$s" "$mode")
    done
  done
  echo "repetition $r: one $(for s in "${servers[@]}"; do printf '%s=%.2f ' "$s" "${T[$s/one/$r]}"; done)| four $(for s in "${servers[@]}"; do printf '%s=%.2f ' "$s" "${T[$s/four/$r]}"; done)"
done
echo "end:   $(uptime)"

MB=$(du -smL "$WORK/ct" | cut -f1)
printf '\n%-14s %-5s %9s %7s %12s %12s %12s\n' receiver mode 'median s' MB/s 'vs storescp' 'ratio range' 'vs floor'
for mode in one four; do
  for s in "${servers[@]}"; do
    secs=$(for r in $(seq "$REPS"); do echo "${T[$s/$mode/$r]}"; done | median)
    ratios=$(for r in $(seq "$REPS"); do echo "${T[storescp/$mode/$r]} / ${T[$s/$mode/$r]}" | bc -l; done)
    floors=$(for r in $(seq "$REPS"); do echo "${T[floor/$mode/$r]} / ${T[$s/$mode/$r]}" | bc -l; done)
    printf '%-14s %-5s %9.2f %7.0f %11.2fx %12s %11.2fx\n' "$s" "$mode" "$secs" "$(echo "$MB / $secs" | bc -l)" \
      "$(echo "$ratios" | median)" "$(echo "$ratios" | range)" "$(echo "$floors" | median)"
  done
done

# Peak RSS of the node while it receives one 1 GB instance (VmHWM of the serve process).
[ -f "$WORK/large.dcm" ] || /usr/bin/python3 tools/make_large_instance.py "$WORK/large.dcm" 1024
port=$(free_port); out="$WORK/out-large"; rm -rf "$out"; mkdir -p "$out"
start_server node-flush "$port" "$out"
storescu -R -aec STORESCP 127.0.0.1 "$port" "$WORK/large.dcm" >/dev/null 2>&1
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
[ "$(find "$out" -name '*.dcm' -not -path '*/.incoming/*' | wc -l)" = 1 ] || { echo "large instance not stored" >&2; exit 1; }
rm -rf "$out"
echo "node peak RSS receiving $(du -m "$WORK/large.dcm" | cut -f1) MB instance: $((hwm / 1024)) MB"
