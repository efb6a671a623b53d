#!/usr/bin/env bash
# DICOM TLS cost for docs/benchmarks.md: DCMTK storescu sending the same CT series (200 slices of 512x512, about
# 105 MB) to the node's plain port and to its TLS port (TLS 1.3, client certificate required), one association.
# Both ports belong to one node process started per repetition; the two modes alternate in order per repetition,
# each after `sync` and a pause, each after its own warm-up (200 small instances, then 20 full-size ones) on
# the same port (the node runs with DOTNET_TieredCompilation=0: see below). Ratios are taken within a repetition;
# the node's CPU seconds (user + system, /proc) per timed series are reported beside the wall times.
# Usage: tools/bench_network_tls.sh [REPETITIONS]   (default 3; BENCH_DIR overrides the scratch folder)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
WORK=${BENCH_DIR:-/tmp/minigptmed-tls-bench}
PAUSE=${BENCH_PAUSE:-1}
export TCP_NODELAY=1
mkdir -p "$WORK"

dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
BIN=$PWD/src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed

[ -d "$WORK/ct" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/ct" --slices 200
[ -d "$WORK/warm20" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/warm20" --slices 20
[ -d "$WORK/warm200" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/warm200" --slices 200 --size 64
if [ ! -f "$WORK/pki/client.pem" ]; then
  mkdir -p "$WORK/pki"; cd "$WORK/pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=Bench CA" 2>/dev/null
  for n in server client; do
    openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj "/CN=$n" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' > ext
    openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -set_serial $RANDOM -days 30 -extfile ext -out $n.pem 2>/dev/null
  done
  cd - >/dev/null
fi
PKI=$WORK/pki

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now() { date +%s.%N; }
# CPU seconds (user + system) the process has used so far: on a loaded machine a steadier measure than wall time.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

# send MODE PORT FOLDER
send() {
  if [ "$1" = tls ]; then
    storescu -R +sd +tls "$PKI/client.key" "$PKI/client.pem" +cf "$PKI/ca.pem" -aec STORESCP 127.0.0.1 "$2" "$3" >/dev/null 2>&1
  else
    storescu -R +sd -aec STORESCP 127.0.0.1 "$2" "$3" >/dev/null 2>&1
  fi
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
range() { sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%.2f-%.2f", lo, hi}'; }

echo "start: $(uptime)"
declare -A T C
RATIOS=()
CPURATIOS=()
for r in $(seq "$REPS"); do
  plain=$(free_port); tls=$(free_port); out="$WORK/out"; rm -rf "$out"; mkdir -p "$out"
  cat > "$WORK/node.json" <<JSON
{ "Reception": { "Tls": { "Port": $tls, "CertificateFile": "$PKI/server.pem", "KeyFile": "$PKI/server.key",
  "ClientCertificateMode": "Required", "TrustedCertificatesFile": "$PKI/ca.pem" } } }
JSON
  # Fully optimised code from the first call: the short warm-up cannot take the tiered JIT to steady state, and its
  # tier-ups inside a timed run moved the node's CPU time by 2x between repetitions.
  DOTNET_TieredCompilation=0 "$BIN" serve --config "$WORK/node.json" --port "$plain" --aet STORESCP --data "$out" --flush on >/dev/null 2>&1 &
  pid=$!
  wait_port "$plain"; wait_port "$tls"
  if [ $((r % 2)) = 1 ]; then order="plain tls"; else order="tls plain"; fi
  for mode in $order; do
    port=$plain; [ "$mode" = tls ] && port=$tls
    send "$mode" "$port" "$WORK/warm200"; send "$mode" "$port" "$WORK/warm20"
    sync; sleep "$PAUSE"
    c0=$(cpu "$pid"); t0=$(now); send "$mode" "$port" "$WORK/ct"; t1=$(now); c1=$(cpu "$pid")
    T[$mode,$r]=$(echo "$t1 - $t0" | bc -l)
    C[$mode,$r]=$(echo "$c1 - $c0" | bc -l)
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  stored=$(find "$out" -name '*.dcm' -not -path '*/.incoming/*' | wc -l)
  [ "$stored" = 420 ] || { echo "repetition $r: $stored of 420 distinct instances stored" >&2; exit 1; }
  RATIOS+=("$(echo "${T[tls,$r]} / ${T[plain,$r]}" | bc -l)")
  CPURATIOS+=("$(echo "${C[tls,$r]} / ${C[plain,$r]}" | bc -l)")
  printf 'rep %d: plain %.2f s (node CPU %.2f s), tls %.2f s (node CPU %.2f s), tls/plain wall %.3f, node CPU %.3f\n' \
    "$r" "${T[plain,$r]}" "${C[plain,$r]}" "${T[tls,$r]}" "${C[tls,$r]}" "${RATIOS[-1]}" "${CPURATIOS[-1]}"
done
rm -rf "$WORK/out"
for mode in plain tls; do
  times=$(for r in $(seq "$REPS"); do echo "${T[$mode,$r]}"; done)
  m=$(echo "$times" | median)
  cpus=$(for r in $(seq "$REPS"); do echo "${C[$mode,$r]}"; done)
  printf '%-6s median %.2f s (range %s), %.0f MB/s; node CPU median %.2f s (range %s)\n' "$mode" "$m" "$(echo "$times" | range)" \
    "$(echo "$(du -sm "$WORK/ct" | cut -f1) / $m" | bc -l)" "$(echo "$cpus" | median)" "$(echo "$cpus" | range)"
done
printf 'tls/plain median of per-repetition ratios: wall %.3f (range %s), node CPU %.3f (range %s)\n' \
  "$(printf '%s\n' "${RATIOS[@]}" | median)" "$(printf '%s\n' "${RATIOS[@]}" | range)" \
  "$(printf '%s\n' "${CPURATIOS[@]}" | median)" "$(printf '%s\n' "${CPURATIOS[@]}" | range)"
echo "end: $(uptime)"
