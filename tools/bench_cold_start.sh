#!/usr/bin/env bash
# Cold start benchmark for docs/benchmarks.md (issue 10, item 12): the first 200 instances a freshly started receiver
# gets. Each run starts the receiver, waits for its port to accept, and at once times `storescu -R +sd` of a 200-slice
# 512x512 CT series (tools/make_ct_series.py --slices 200, 105 MB) over one association. Receivers, in an order that
# rotates per repetition, each after `sync` and a pause: DCMTK `storescp +B -pdu 131072`, and `minigptmed serve` in
# each VARIANT (a name and the environment it runs with; the JIT build, or AOT_BIN for the Native AOT binary). Every
# ratio is storescp's time over the variant's within one repetition; the table gives the medians.
# Usage: tools/bench_cold_start.sh [REPETITIONS] [FLUSH on|off]   (default 5, on; AOT_BIN=path adds the AOT binary;
#        AOT_BINS="name=path name2=path2" adds several, to compare builds; VARIANTS=default keeps only the JIT build's
#        defaults, VARIANTS=none no JIT build at all; NO_BUILD=1 skips the build; BENCH_DIR: scratch folder)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}
FLUSH=${2:-on}
WORK=${BENCH_DIR:-/tmp/minigptmed-cold-bench}
export TCP_NODELAY=1
# The admin HTTP surface on a port the OS chooses: on its default (8080) a second node running on the machine (another
# benchmark, a developer's node) makes `serve` stop at start, after its DICOM port has opened.
export MINIGPTMED_Admin__Url=${MINIGPTMED_Admin__Url:-http://127.0.0.1:0}
export MINIGPTMED_Assembly__StableSeconds=3600 MINIGPTMED_Assembly__MaxWaitSeconds=7200   # reception only: nothing becomes stable and analysed meanwhile
mkdir -p "$WORK"
# Each run's output is set aside and deleted when the script ends (see tools/bench_network.sh: file creation right
# after thousands of deletions pays for them on ext4).
TRASH="$WORK/trash.$$"; mkdir -p "$TRASH"
trap 'rm -rf "$TRASH"' EXIT
[ -n "${NO_BUILD:-}" ] || [ "${VARIANTS:-all}" = none ] || dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
BIN=$PWD/src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed
[ -d "$WORK/ct" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/ct" --slices 200

# name|binary|environment (space-separated KEY=VALUE, or -)
variants=(
  "jit-default|$BIN|-"
  "jit-TieredPGO=0|$BIN|DOTNET_TieredPGO=0"
  "jit-TC=0|$BIN|DOTNET_TieredCompilation=0"
  "jit-gcServer=0|$BIN|DOTNET_gcServer=0"
  "jit-PGO0-gcServer0|$BIN|DOTNET_TieredPGO=0 DOTNET_gcServer=0"
)
# VARIANTS=default: only the JIT build as it ships (to compare with AOT_BIN without the knobs)
[ "${VARIANTS:-all}" = default ] && variants=("jit-default|$BIN|-")
[ "${VARIANTS:-all}" = none ] && variants=()
[ -n "${AOT_BIN:-}" ] && variants+=("aot|$AOT_BIN|-")
for named in ${AOT_BINS:-}; do variants+=("aot-${named%%=*}|${named#*=}|-"); done
receivers=(storescp "${variants[@]}")

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 2000); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.01; done; return 1; }
now() { date +%s.%N; }

# one_run RECEIVER -> "seconds_to_port seconds_for_200"
one_run() {
  local port out t0 t1 t2 pid name bin envs
  port=$(free_port); out="$WORK/out"; [ ! -e "$out" ] || mv "$out" "$TRASH/out.$RANDOM$RANDOM"; mkdir -p "$out"
  sync; sleep 1
  t0=$(now)
  if [ "$1" = storescp ]; then
    storescp +B -pdu 131072 -aet STORESCP -od "$out" "$port" >/dev/null 2>&1 & pid=$!
  else
    IFS='|' read -r name bin envs <<<"$1"
    [ "$envs" = - ] && envs=
    # shellcheck disable=SC2086
    env $envs "$bin" serve --port "$port" --aet STORESCP --data "$out" --flush "$FLUSH" >/dev/null 2>&1 & pid=$!
  fi
  wait_port "$port"
  t1=$(now)
  storescu -R +sd -aec STORESCP 127.0.0.1 "$port" "$WORK/ct" >/dev/null 2>&1
  t2=$(now)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local stored; stored=$(find "$out" -type f -not -path '*/.incoming/*' -not -path '*/audit/*' -not -path '*/results/*' -not -path '*/keys/*' -not -name 'node.db*' | wc -l)
  [ "$stored" = 200 ] || { echo "$1: only $stored of 200 stored" >&2; exit 1; }
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "$t2 - $t1" | bc -l)"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
range() { sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%.2f-%.2f", lo, hi}'; }
label() { [ "$1" = storescp ] && echo storescp || echo "${1%%|*}"; }

echo "start: $(date -u +%FT%TZ) $(uptime)"
declare -A T S
n=${#receivers[@]}
for r in $(seq "$REPS"); do
  line="repetition $r:"
  for k in $(seq 0 $((n - 1))); do
    rec=${receivers[$(((k + r) % n))]}
    read -r s t < <(one_run "$rec")
    T[$(label "$rec")/$r]=$t; S[$(label "$rec")/$r]=$s
    line+=" $(label "$rec")=$(printf '%.2f' "$t")"
  done
  echo "$line"
done
echo "end:   $(date -u +%FT%TZ) $(uptime)"

printf '\n%-20s %12s %14s %12s %12s\n' receiver 'start s' 'first 200 s' 'vs storescp' 'ratio range'
for rec in "${receivers[@]}"; do
  l=$(label "$rec")
  secs=$(for r in $(seq "$REPS"); do echo "${T[$l/$r]}"; done | median)
  start=$(for r in $(seq "$REPS"); do echo "${S[$l/$r]}"; done | median)
  ratios=$(for r in $(seq "$REPS"); do echo "${T[storescp/$r]} / ${T[$l/$r]}" | bc -l; done)
  printf '%-20s %12.2f %14.2f %11.2fx %12s\n' "$l" "$start" "$secs" "$(echo "$ratios" | median)" "$(echo "$ratios" | range)"
done
