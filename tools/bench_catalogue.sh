#!/usr/bin/env bash
# Catalogue ingest benchmark for docs/benchmarks.md: 500 rows recorded as the reception records them (one await per
# instance), with 1 and 4 concurrent writers, through the group-commit writer (SQLite, WAL, synchronous=NORMAL),
# each run under strace counting fsync/fdatasync; a run of 0 rows (open, migrate, close) is subtracted, so the
# figure is the fsyncs the rows themselves cost. The naive comparison commits each row at synchronous=FULL.
# Usage: tools/bench_catalogue.sh [ROWS]   (MINIGPTMED_BENCH_PG=<connection string> adds PostgreSQL runs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-500}
command -v strace >/dev/null || { echo "strace is needed (apt-get install strace)" >&2; exit 1; }
dotnet build -c Release tools/MiniGptMed.Benchmarks -v q -nologo >/dev/null
bench=tools/MiniGptMed.Benchmarks/bin/Release/net10.0/MiniGptMed.Benchmarks
trace=$(mktemp)
trap 'rm -f "$trace"' EXIT

# fsyncs ARGS... -> prints the benchmark's line, sets FSYNCS to fsync+fdatasync calls of the whole process
fsyncs() {
  strace -f -c -e trace=fsync,fdatasync -o "$trace" "$bench" catalogue "$@"
  FSYNCS=$(awk '$NF=="fsync"||$NF=="fdatasync"{n+=$4} END{print n+0}' "$trace")
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uname -m), $(df -T /tmp | awk 'NR==2{print $2}') /tmp"
fsyncs --rows 0 >/dev/null; base=$FSYNCS
echo "open + migrate + close, no rows: $base fsyncs"
for w in 1 4; do
  for i in 1 2 3; do
    fsyncs --rows "$ROWS" --writers "$w"
    echo "   fsyncs for the $ROWS rows: $((FSYNCS - base))"
  done
done
for w in 1 4; do
  fsyncs --rows "$ROWS" --writers "$w" --naive
  echo "   fsyncs: $FSYNCS"
done
if [ -n "${MINIGPTMED_BENCH_PG:-}" ]; then
  for w in 1 4; do "$bench" catalogue --rows "$ROWS" --writers "$w" --pg "$MINIGPTMED_BENCH_PG"; done
fi
