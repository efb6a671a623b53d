#!/usr/bin/env bash
# Makes the font the overlay painter embeds (src/MiniGptMed.DicomNode/Results/Drawing/Fonts): DejaVu Sans from
# Debian's fonts-dejavu-core, cut to Latin-1 (U+0020-007E, U+00A0-00FF) and U+FFFD with pyftsubset
# (python3-fonttools), without hinting, so the embedded resource stays small. Labels outside Latin-1 are drawn as '?'.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}
out=src/MiniGptMed.DicomNode/Results/Drawing/Fonts/DejaVuSans-Latin1.ttf
/usr/bin/python3 -m fontTools.subset "$src" --unicodes="U+0020-007E,U+00A0-00FF" --no-hinting --desubroutinize \
  --layout-features='kern,liga' --name-IDs='*' --name-legacy --output-file="$out"
cp /usr/share/doc/fonts-dejavu-core/copyright src/MiniGptMed.DicomNode/Results/Drawing/Fonts/DejaVuSans-LICENSE.txt
echo "wrote $out ($(stat -c %s "$out") bytes)"
