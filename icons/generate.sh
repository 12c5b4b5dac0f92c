#!/usr/bin/env bash
# Regenerate every icon from icon.svg (RGBA PNGs: Tauri's proc macro rejects others): the sizes
# the freedesktop hicolor theme looks up (16–512; the .deb installs each, see tauri.conf.json's
# bundle.icon) and the Windows .ico; no date chunks, so a re-run changes nothing. (No 128x128@2x:
# the .deb bundler files a 256 px @2x icon under 256x256@2, where 512 px belong.)
# Needs librsvg2-bin and imagemagick.
set -euo pipefail
cd "$(dirname "$0")"
png() { rsvg-convert -w "$1" -h "$1" icon.svg -o "tmp-$2"; /usr/bin/convert "tmp-$2" -define png:color-type=6 -define png:exclude-chunks=date,time "PNG32:$2"; rm "tmp-$2"; }
for s in 16 24 32 48 64 128 256; do png "$s" "${s}x${s}.png"; done
png 512 icon.png
/usr/bin/convert 16x16.png 24x24.png 32x32.png 48x48.png 64x64.png 256x256.png icon.ico
