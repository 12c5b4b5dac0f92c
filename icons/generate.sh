#!/usr/bin/env bash
# Regenerate every icon Tauri needs from icon.svg (RGBA PNGs: Tauri's proc macro rejects others).
set -euo pipefail
cd "$(dirname "$0")"
png() { rsvg-convert -w "$1" -h "$1" icon.svg -o "tmp-$2"; /usr/bin/convert "tmp-$2" -define png:color-type=6 "PNG32:$2"; rm "tmp-$2"; }
png 32 32x32.png
png 128 128x128.png
png 256 128x128@2x.png
png 512 icon.png
for s in 16 24 48 64; do png "$s" "tmp$s.png"; done
/usr/bin/convert tmp16.png tmp24.png 32x32.png tmp48.png tmp64.png 128x128@2x.png icon.ico
rm -f tmp16.png tmp24.png tmp48.png tmp64.png
