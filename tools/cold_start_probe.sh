#!/usr/bin/env bash
# Where a fresh node's first instances go (issue 10, item 12; companion of tools/bench_cold_start.sh): interleaved
# runs of each RECEIVER, each started fresh; once its port accepts, `storescu -R +sd` sends the 200-slice CT series
# (the first 200), then a second 200-slice series with other UIDs over a new association of the same process (the
# next 200). Per run: seconds to the port, seconds for each 200, the process's CPU (user+system, in 10 ms ticks) and
# minor page faults in each phase (what a first touch of memory costs shows there), read from /proc/PID/stat.
# The medians per receiver follow. Wall times on a shared machine move with its load; CPU and faults much less.
# Usage: tools/cold_start_probe.sh REPETITIONS RECEIVER...   RECEIVER: storescp, or NAME=BINARY (a `minigptmed`,
#        e.g. a Native AOT publish), or NAME=BINARY@ENV=VALUE,ENV2=VALUE (run with those environment variables).
#        FLUSH=on|off (default off); BENCH_DIR: scratch folder (default /tmp/minigptmed-cold-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=$1; shift
FLUSH=${FLUSH:-off}
WORK=${BENCH_DIR:-/tmp/minigptmed-cold-bench}
export TCP_NODELAY=1 MINIGPTMED_Admin__Url=${MINIGPTMED_Admin__Url:-http://127.0.0.1:0}
export MINIGPTMED_Assembly__StableSeconds=3600 MINIGPTMED_Assembly__MaxWaitSeconds=7200
mkdir -p "$WORK"
[ -d "$WORK/ct" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/ct" --slices 200
if [ ! -d "$WORK/ct-next" ]; then
  # --slices 201 gives other UIDs; the 201st file goes, so both series are 200 slices of the same size.
  /usr/bin/python3 tools/make_ct_series.py "$WORK/ct-next" --slices 201 && rm "$WORK/ct-next/CT0201.dcm"
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
stat_of() { awk '{print $14 + $15, $10}' "/proc/$1/stat"; }   # CPU ticks, minor faults

# one_run RECEIVER -> "port first next cpu_first cpu_next faults_first faults_next"
one_run() {
  local port out pid t0 t1 t2 t3 c0 f0 c1 f1 c2 f2 bin envs
  port=$(free_port); out="$WORK/out"; rm -rf "$out"; mkdir -p "$out"
  sync; sleep 1
  t0=$(now)
  if [ "$1" = storescp ]; then
    storescp +B -pdu 131072 -aet STORESCP -od "$out" "$port" >/dev/null 2>&1 & pid=$!
  else
    bin=${1#*=}; envs=
    [[ "$bin" == *@* ]] && { envs=${bin#*@}; envs=${envs//,/ }; bin=${bin%%@*}; }
    # shellcheck disable=SC2086
    env $envs "$bin" serve --port "$port" --aet STORESCP --data "$out" --flush "$FLUSH" >/dev/null 2>&1 & pid=$!
  fi
  for _ in $(seq 2000); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.01; done
  t1=$(now); read -r c0 f0 < <(stat_of "$pid")
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/ct" >/dev/null 2>&1
  t2=$(now); read -r c1 f1 < <(stat_of "$pid")
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/ct-next" >/dev/null 2>&1
  t3=$(now); read -r c2 f2 < <(stat_of "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "$t2 - $t1" | bc -l) $(echo "$t3 - $t2" | bc -l) $((c1 - c0)) $((c2 - c1)) $((f1 - f0)) $((f2 - f1))"
}

echo "start: $(date -u +%FT%TZ) $(uptime)"
declare -A ROWS
for r in $(seq "$REPS"); do
  n=$#
  for k in $(seq 0 $((n - 1))); do
    args=("$@"); rec=${args[$(((k + r) % n))]}
    ROWS[$rec]+="$(one_run "$rec")"$'\n'
  done
done
echo "end:   $(date -u +%FT%TZ) $(uptime)"
printf '\n%-16s %8s %8s %8s %10s %10s %12s %12s\n' receiver 'port s' 'first s' 'next s' 'CPU first' 'CPU next' 'faults first' 'faults next'
for rec in "$@"; do
  printf '%s' "${ROWS[$rec]}" | /usr/bin/python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
m = [statistics.median(c) for c in zip(*rows)]
print(f"{sys.argv[1]:<16} {m[0]:8.2f} {m[1]:8.2f} {m[2]:8.2f} {m[3] / 100:9.2f}s {m[4] / 100:9.2f}s {m[5]:12.0f} {m[6]:12.0f}")
print(" " * 17 + "first 200 per run: " + " ".join(f"{r[1]:.2f}" for r in rows))' "${rec%%=*}"
done
