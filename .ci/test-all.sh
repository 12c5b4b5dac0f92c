#!/usr/bin/env bash
# Every check and test, in the order that fails fastest. Each stage prints its runner's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
start=$(date +%s)
stage() { log "[$(( $(date +%s) - start ))s] $*"; }

stage "cargo fmt --check"
cargo fmt --all -- --check
stage "cargo clippy (workspace, all targets, -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings
stage "JavaScript unit tests"
node --test ui/js/tests/
stage "cargo test (workspace; keychain tests against a real Secret Service)"
.ci/with-keyring.sh cargo test --workspace --locked
for extra in crates/*/tests/*.sh; do
  [ -x "$extra" ] || continue
  stage "extra suite: $extra"
  "$extra"
done
stage "build the app for E2E"
cargo build --workspace --locked
stage "E2E in the real window (Xvfb + tauri-driver + WebKitWebDriver)"
e2e/run.sh
stage "all stages passed"
