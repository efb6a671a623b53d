#!/usr/bin/env bash
# Network benchmark for docs/benchmarks.md: DCMTK storescu sending a 500-slice 512x512 CT series to our node
# (minigptmed serve, with and without flush-before-Success) and to DCMTK storescp +B -pdu 131072, over one association
# and over four in parallel; then the node's peak RSS while it receives one 1 GB instance.
# Usage: tools/bench_network.sh [RUNS]   (BENCH_DIR overrides the scratch folder, default /tmp/minigptmed-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
WORK=${BENCH_DIR:-/tmp/minigptmed-network-bench}
export TCP_NODELAY=1   # DCMTK reads it; our sockets always set it
mkdir -p "$WORK"

dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
BIN=$PWD/src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed

[ -d "$WORK/ct" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/ct" --slices 500
# One instance of another series, sent to every receiver before the clock starts: the node's JIT warms up on it,
# as it would have long before in production (storescp gets the same, for fairness).
[ -d "$WORK/warm" ] || { mkdir -p "$WORK/warm"; /usr/bin/python3 tools/make_large_instance.py "$WORK/warm/warm.dcm" 1; }
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
    storescp)   storescp +B -pdu 131072 -aet STORESCP -od "$3" "$2" >/dev/null 2>&1 & ;;
    node-flush) "$BIN" serve --port "$2" --aet STORESCP --data "$3" --flush on >/dev/null 2>&1 & ;;
    node-noflush) "$BIN" serve --port "$2" --aet STORESCP --data "$3" --flush off >/dev/null 2>&1 & ;;
  esac
  SERVER_PID=$!
  wait_port "$2"
}

# one_run NAME MODE -> seconds
one_run() {
  local port out t0 t1
  port=$(free_port); out="$WORK/out-$1"; rm -rf "$out"; mkdir -p "$out"
  start_server "$1" "$port" "$out"
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/warm" >/dev/null 2>&1
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
  local stored; stored=$(find "$out" -type f -not -path '*/.incoming/*' | wc -l)
  [ "$stored" = 501 ] || { echo "$1/$2: only $stored of 500 (+1 warm-up) stored" >&2; exit 1; }
  echo "$t1 - $t0" | bc -l
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-14s %-9s %10s %10s\n' receiver mode seconds MB/s
MB=$(du -sm "$WORK/ct" | cut -f1)
for mode in one four; do
  for server in storescp node-flush node-noflush; do
    secs=$(for r in $(seq "$RUNS"); do one_run "$server" "$mode"; done | median)
    printf '%-14s %-9s %10.2f %10.1f\n' "$server" "$mode" "$secs" "$(echo "$MB / $secs" | bc -l)"
  done
done

# Peak RSS of the node while it receives one 1 GB instance (VmHWM of the serve process).
[ -f "$WORK/large.dcm" ] || /usr/bin/python3 tools/make_large_instance.py "$WORK/large.dcm" 1024
port=$(free_port); out="$WORK/out-large"; rm -rf "$out"; mkdir -p "$out"
start_server node-flush "$port" "$out"
storescu -R -aec STORESCP 127.0.0.1 "$port" "$WORK/large.dcm" >/dev/null 2>&1
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
[ "$(find "$out" -maxdepth 1 -name '*.dcm' | wc -l)" = 1 ] || { echo "large instance not stored" >&2; exit 1; }
echo "node peak RSS receiving $(du -m "$WORK/large.dcm" | cut -f1) MB instance: $((hwm / 1024)) MB"
