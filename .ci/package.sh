#!/usr/bin/env bash
# `make package`: the release .deb with the Tauri bundler, then its install test
# (.ci/package-test.sh). Prints the .deb's path and size, the binaries' sizes and the times.
#
# The bundler runs from src-tauri/ (the CLI finds the app's crate only where tauri.conf.json
# sits beside a Cargo.toml with a [package]), on a config generated from the repository's
# tauri.conf.json (.ci/deb-config.mjs) that exists only while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
release=$target/release

ensure_tauri_cli

log "Release build: novadesk and novacore (cargo build --release)"
build_start=$(date +%s)
# tauri/custom-protocol is what `tauri build` adds: the app serves its embedded ui/ (no dev server).
# The app alone, the command .ci/bench.sh and `make startup-order` build it with: beside another
# package, features unify differently and the names src-tauri/startup-order.txt lists would change.
cargo build --release --locked -p novadesk --bin novadesk --features tauri/custom-protocol
cargo build --release --locked -p novacore-cli
build_secs=$(( $(date +%s) - build_start ))

bundle_start=$(date +%s)
# Depends the way debhelper computes them: the packages holding the libraries the binaries link.
shlib=$(mktemp -d)
generated=src-tauri/tauri.conf.json
trap 'rm -rf "$shlib"; rm -f "$root/$generated"' EXIT
mkdir "$shlib/debian"
printf 'Source: novadesk\n\nPackage: novadesk\nArchitecture: any\n' > "$shlib/debian/control"
# (It warns that the binaries are not yet in a package's tree: true, and harmless here.)
depends=$(cd "$shlib" && dpkg-shlibdeps -O "$release/novadesk" "$release/novacore" \
  2> >(grep -v "should already be installed" >&2) | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }
node .ci/deb-config.mjs "$root" "$release/novacore" "$depends" > "$generated"

log "Bundling the .deb (tauri bundle)"
rm -rf "$release/bundle/deb"
(cd src-tauri && TAURI_APP_PATH="$root/src-tauri" TAURI_FRONTEND_PATH="$root" \
  "$root/node_modules/.bin/tauri" bundle --bundles deb --ci)
rm -f "$generated"
bundle_secs=$(( $(date +%s) - bundle_start ))

debs=("$release"/bundle/deb/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "expected one .deb in $release/bundle/deb" >&2; exit 1; }
deb=${debs[0]}

test_start=$(date +%s)
.ci/package-test.sh "$deb"
test_secs=$(( $(date +%s) - test_start ))

size() { stat -c %s "$1" | awk '{printf "%.1f MiB (%d bytes)", $1/1048576, $1}'; }
log "Package figures"
echo "package:        $deb"
echo ".deb size:      $(size "$deb")"
echo "novadesk:       $(size "$release/novadesk") (release, stripped)"
echo "novacore:       $(size "$release/novacore") (release, stripped)"
echo "release build:  ${build_secs}s"
echo "bundle:         ${bundle_secs}s"
echo "install test:   ${test_secs}s"
