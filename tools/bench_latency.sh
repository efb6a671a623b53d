#!/usr/bin/env bash
# Latency benchmark for docs/benchmarks.md (issue 10, "Done when"): the node's own overhead from the last instance of
# a study to its results acknowledged by the PACS, minus the stable delay and the analysis job's own time, for a DX
# study (sample-dicom/chest-dx, one 1024x1024 radiograph) and a 300-slice 512x512 chest CT series
# (tools/make_ct_series.py --slices 300); then studies per minute with the small model (N DX studies at once).
#
# Per repetition and input: a fresh Debian Orthanc (its own folder, loopback ports from the OS) is the PACS and the
# export destination; a fresh `minigptmed serve` (its own data folder; default rules and configuration except
# Assembly:StableSeconds = STABLE and the one export destination; the small model) receives the study from storescu.
# The stage times come from the node's database (milliseconds since the epoch, written by the node's clock):
#   L  studies.last_received_at           the last instance recorded (before its Success)
#   A0 analyse job created_at             assembly found the group stable and queued it
#   A1 analyse job finished_at            results written, export queued
#   E1 export job finished_at             every result object (SR, SC, GSPS) acknowledged by Orthanc
# and H, the analysis handler's own time (log event 5640: load, render, the model, write the results).
#   S  the SR's C-STORE answered by Orthanc (the export sends it first; Debug event 5664 on the node's clock)
# overhead to the SR ("SR ack") = S - L - STABLE - H, the issue's figure; to every object ("all acked") = E1 - L - STABLE - H;
# the latter's parts: assembly (A0 - L - STABLE), job hand-offs (A1 - A0 - H), export (E1 - A1).
# The job worker's Debug lines (events 5227/5228, switched on in the node's configuration) split each job into its
# wait for a worker after it was due (w), its handler (h) and the recording of its success (r).
# Usage: tools/bench_latency.sh [REPETITIONS] [STUDIES]   (default 3 and 10; STABLE=2; BENCH_DIR: scratch folder)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
STUDIES=${2:-10}
STABLE=${STABLE:-2}
WORK=${BENCH_DIR:-/tmp/minigptmed-latency-bench}
export TCP_NODELAY=1
mkdir -p "$WORK"
[ -n "${NO_BUILD:-}" ] || dotnet build src/MiniGptMed.DicomNode -c Release -v q -nologo >/dev/null
BIN=$PWD/src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed
export MINIGPTMED_MODEL_DIR=$PWD/models/small
[ -d "$WORK/ct300" ] || /usr/bin/python3 tools/make_ct_series.py "$WORK/ct300" --slices 300
if [ ! -d "$WORK/dx-many" ]; then
  # STUDIES copies of the sample radiograph, each a study of its own (new Study/Series/SOP Instance UIDs).
  /usr/bin/python3 - "$PWD/sample-dicom/chest-dx/IM0001.dcm" "$WORK/dx-many" "$STUDIES" <<'PY'
import os, sys, pydicom
from pydicom.uid import generate_uid
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
for i in range(n):
    ds = pydicom.dcmread(src)
    ds.StudyInstanceUID = generate_uid(entropy_srcs=["bench-study", str(i)])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=["bench-series", str(i)])
    ds.SOPInstanceUID = generate_uid(entropy_srcs=["bench-sop", str(i)])
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(os.path.join(out, f"DX{i:03d}.dcm"), write_like_original=True)
PY
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 3000); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.02; done; return 1; }
now_ms() { date +%s%3N; }

start_orthanc() {
  ORTHANC_DIR="$WORK/orthanc"; rm -rf "$ORTHANC_DIR"; mkdir -p "$ORTHANC_DIR"
  ORTHANC_DICOM=$(free_port); ORTHANC_HTTP=$(free_port)
  cat >"$ORTHANC_DIR/orthanc.json" <<JSON
{ "Name": "bench", "StorageDirectory": "$ORTHANC_DIR/storage", "IndexDirectory": "$ORTHANC_DIR/index",
  "DicomAet": "ORTHANC", "DicomPort": $ORTHANC_DICOM, "HttpPort": $ORTHANC_HTTP, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "DicomCheckCalledAet": true, "DicomAlwaysAllowStore": true, "Plugins": [],
  "StorageCompression": false, "SaveJobs": false }
JSON
  /usr/sbin/Orthanc "$ORTHANC_DIR/orthanc.json" >"$ORTHANC_DIR/log" 2>&1 & ORTHANC_PID=$!
  wait_port "$ORTHANC_DICOM"; wait_port "$ORTHANC_HTTP"
}

start_node() {
  NODE_DIR="$WORK/node"; rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR/data"
  NODE_PORT=$(free_port)
  cat >"$NODE_DIR/node.json" <<JSON
{ "Reception": { "ListeningAes": [ { "AeTitle": "MINIGPTMED", "RequireKnownSource": false } ] },
  "Storage": { "MinimumFreeMegabytes": 16 },
  "Assembly": { "StableSeconds": $STABLE },
  "Export": { "Destinations": [ { "Name": "pacs", "AeTitle": "ORTHANC", "Host": "127.0.0.1", "Port": $ORTHANC_DICOM } ] },
  "Logging": { "LogLevel": { "MiniGptMed.DicomNode.Jobs.JobWorker": "Debug", "MiniGptMed.DicomNode.Export": "Debug" } } }
JSON
  "$BIN" serve --config "$NODE_DIR/node.json" --data "$NODE_DIR/data" --port "$NODE_PORT" >"$NODE_DIR/log" 2>&1 & NODE_PID=$!
  wait_port "$NODE_PORT"
}

stop_all() {
  kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true
  kill "$ORTHANC_PID" 2>/dev/null || true; wait "$ORTHANC_PID" 2>/dev/null || true
}
trap stop_all EXIT

db() { sqlite3 -batch -noheader "$NODE_DIR/data/node.db" "$1"; }

# wait_exports N: until N export jobs have succeeded (at most 20 minutes)
wait_exports() {
  for _ in $(seq 12000); do
    [ "$(db "SELECT count(*) FROM jobs WHERE kind='export' AND state='succeeded'" 2>/dev/null || echo 0)" -ge "$1" ] && return 0
    [ "$(db "SELECT count(*) FROM jobs WHERE state='dead_letter'" 2>/dev/null || echo 0)" -gt 0 ] && { echo "a job was dead-lettered" >&2; cat "$NODE_DIR/log" >&2; exit 1; }
    sleep 0.1
  done
  echo "timed out waiting for $1 exports" >&2; exit 1
}

# one_study NAME PATH: prints "NAME overhead assembly handoffs export handler total" in ms
one_study() {
  start_orthanc; start_node
  storescu -R +sd +r -aec MINIGPTMED 127.0.0.1 "$NODE_PORT" "$2" >/dev/null 2>&1
  wait_exports 1
  local L A0 A1 E1 H
  L=$(db "SELECT max(last_received_at) FROM studies")
  read -r A0 A1 < <(db "SELECT created_at, finished_at FROM jobs WHERE kind='analyse'" | tr '|' ' ')
  E1=$(db "SELECT finished_at FROM jobs WHERE kind='export'")
  H=$(grep -o 'analysed by rule [^ ]* in [0-9]* ms' "$NODE_DIR/log" | awk '{print $(NF-1)}' | head -1)
  # Orthanc holds the SR: checked through its REST API, not only taken from the node's word.
  curl -sf -X POST "http://127.0.0.1:$ORTHANC_HTTP/tools/find" -d '{"Level":"Series","Query":{"Modality":"SR"}}' | grep -q '"' \
    || { echo "$1: no SR in Orthanc" >&2; exit 1; }
  # Per job kind: waited for a worker (from due), handler, success recorded (ms), from the Debug lines.
  JOBS=$(job_split analyse)/$(job_split export)
  # The SR's own acknowledgement: the export job's start (from its Debug line's timestamp) plus the SR's "answered ...
  # ms into the job" (event 5664); the export sends the SR first.
  local SR
  SR=$(sr_acknowledged)
  stop_all
  echo "$1 $((SR - L - STABLE * 1000 - H)) $((E1 - L - STABLE * 1000 - H)) $((A0 - L - STABLE * 1000)) $((A1 - A0 - H)) $((E1 - A1)) $H $((E1 - L)) $JOBS"
}

# sr_acknowledged: epoch ms at which the destination answered the SR's C-STORE, from the node's log lines
sr_acknowledged() {
  local line start into
  line=$(grep "(export) started on attempt" "$NODE_DIR/log" | head -1)
  start=$(date -u -d "$(echo "$line" | awk '{print $1}' | sed 's/T/ /')" +%s%3N)
  into=$(grep -o "SR_[^ ]*\.dcm answered 0000, [0-9]* ms" "$NODE_DIR/log" | head -1 | awk '{print $(NF-1)}')
  echo $((start + into))
}

# job_split KIND: "wait,handler,record" in ms of the (first) job of that kind, from the node's Debug log lines
job_split() {
  local w h r
  w=$(grep -o "($1) started on attempt [0-9]*, [0-9]* ms" "$NODE_DIR/log" | head -1 | awk '{print $(NF-1)}')
  read -r h r < <(grep -o "($1) handled in [0-9]* ms, its success recorded in [0-9]* ms" "$NODE_DIR/log" | head -1 | awk '{print $4, $(NF-1)}')
  echo "${w:-?},${h:-?},${r:-?}"
}

echo "start: $(date -u +%FT%TZ) $(uptime)"
printf '%-6s %9s %10s %10s %10s %10s %11s %10s  %-18s %-18s\n' input 'SR ack' 'all acked' assembly 'hand-offs' export 'analysis H' 'L->E1' \
  'analyse w,h,r' 'export w,h,r'
for r in $(seq "$REPS"); do
  for input in dx ct300; do
    if [ "$input" = dx ]; then path=$PWD/sample-dicom/chest-dx; else path=$WORK/ct300; fi
    one_study "$input" "$path" | tr '/' ' ' | awk '{printf "%-6s %9d %10d %10d %10d %10d %11d %10d  %-18s %-18s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}'
  done
done

# Throughput: STUDIES DX studies sent at once; studies per minute from the first instance received to the last
# export acknowledged (the stable delay included once, since the studies overlap).
start_orthanc; start_node
t0=$(now_ms)
storescu -R +sd +r -aec MINIGPTMED 127.0.0.1 "$NODE_PORT" "$WORK/dx-many" >/dev/null 2>&1
wait_exports "$STUDIES"
F=$(db "SELECT min(first_received_at) FROM studies"); E=$(db "SELECT max(finished_at) FROM jobs WHERE kind='export'")
H=$(grep -o 'analysed by rule [^ ]* in [0-9]* ms' "$NODE_DIR/log" | awk '{s+=$(NF-1)} END {print s/NR}')
echo "throughput: $STUDIES DX studies in $(( (E - F) )) ms (first received -> last exported, stable ${STABLE} s included): $(echo "$STUDIES * 60000 / ($E - $F)" | bc -l | xargs printf '%.1f') studies/min; mean analysis handler ${H} ms"
echo "end:   $(date -u +%FT%TZ) $(uptime)"
