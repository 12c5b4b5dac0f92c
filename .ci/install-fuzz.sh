#!/usr/bin/env bash
# Install what `make fuzz` needs (idempotent): a C/C++ compiler (libFuzzer is C++ built by the
# libfuzzer-sys crate; SQLite is bundled C), D-Bus headers (the keychain crate under
# novadesk-core), and cargo-fuzz from crates.io, pinned, built with the machine's one (stable)
# toolchain. No WebKit: the fuzz targets do not link the shell.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
CARGO_FUZZ_VERSION=0.13.2
apt_install build-essential pkg-config libdbus-1-dev
ensure_rust
if ! cargo install --list | grep -q "^cargo-fuzz v$CARGO_FUZZ_VERSION:"; then
  log "Installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
