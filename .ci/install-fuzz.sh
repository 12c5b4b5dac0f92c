#!/usr/bin/env bash
# Install what `make fuzz` needs on top of the app's build packages (idempotent): cargo-fuzz from
# crates.io, pinned, built with the machine's one (stable) toolchain. libFuzzer itself is C++
# compiled by the libfuzzer-sys crate (build-essential's g++).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
CARGO_FUZZ_VERSION=0.13.2
apt_install "${APP_PACKAGES[@]}"
ensure_rust
if ! cargo install --list | grep -q "^cargo-fuzz v$CARGO_FUZZ_VERSION:"; then
  log "Installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
