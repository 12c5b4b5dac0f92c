#!/usr/bin/env bash
# Every check and test, in the order that fails fastest. Each stage prints its runner's summary;
# the last line totals every runner's passed/failed counts.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
start=$(date +%s)
logs=target/test-logs
mkdir -p "$logs"
rm -f "$logs"/*.log
stage() { log "[$(( $(date +%s) - start ))s] $*"; }

stage "cargo fmt --check"
cargo fmt --all -- --check
stage "cargo clippy (workspace, all targets, -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings
stage "fuzz targets compile (crates/fuzz, without libFuzzer; make fuzz runs them)"
cargo fmt --manifest-path crates/fuzz/Cargo.toml -- --check
# Not --locked: crates/fuzz/Cargo.lock (its own workspace) takes in a workspace crate's new dependency
# on the first build here instead of failing; the versions already locked stay as they are.
cargo clippy --manifest-path crates/fuzz/Cargo.toml --no-default-features --bins --no-deps -- -D warnings
stage "JavaScript unit tests"
node --test ui/js/tests/ 2>&1 | tee "$logs/js.log"
stage "cargo test (workspace; keychain tests against a real Secret Service)"
.ci/with-keyring.sh cargo test --workspace --locked 2>&1 | tee "$logs/cargo.log"
for extra in crates/*/tests/*.sh; do
  [ -x "$extra" ] || continue
  stage "extra suite: $extra"
  "$extra" 2>&1 | tee "$logs/extra-$(basename "$(dirname "$(dirname "$extra")")").log"
done
# `cargo test` has just built target/debug/novadesk and novacore-sim (binaries of crates with
# integration tests are built for them). A `cargo build` here would resolve features without the
# dev-dependencies' (tokio "full", tauri "test") and rebuild most of the workspace for nothing.
stage "E2E binaries from the cargo test build"
for bin in novadesk novacore-sim; do
  [ -x "target/debug/$bin" ] || { echo "target/debug/$bin was not built by cargo test" >&2; exit 1; }
done
stage "E2E in the real window (Xvfb + tauri-driver + WebKitWebDriver)"
e2e/run.sh 2>&1 | tee "$logs/e2e.log"
stage "done in $(( $(date +%s) - start ))s"

# Totals: cargo's "test result" lines and node's "# pass/# fail" lines.
cargo_pass=$(grep -ho 'test result: [a-z]*\. [0-9]* passed' "$logs/cargo.log" | awk '{s+=$4} END {print s+0}')
cargo_fail=$(grep -ho '[0-9]* failed;' "$logs/cargo.log" | awk '{s+=$1} END {print s+0}')
node_pass=$(cat "$logs/js.log" "$logs/e2e.log" | grep -ho '^# pass [0-9]*' | awk '{s+=$3} END {print s+0}')
node_fail=$(cat "$logs/js.log" "$logs/e2e.log" | grep -ho '^# fail [0-9]*' | awk '{s+=$3} END {print s+0}')
echo "total: $((cargo_pass + node_pass)) passed, $((cargo_fail + node_fail)) failed"
