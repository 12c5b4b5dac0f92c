#!/usr/bin/env bash
# `make fuzz`: every cargo-fuzz target in crates/fuzz for FUZZ_SECONDS each (default 60), one
# after the other, then a table: target, run time, executions, exec/s, corpus, crashes. Exit 1
# when any target crashed (its input is kept under target/fuzz/artifacts/<target>/; turn it into
# a regression test in the crate that crashed). FUZZ_TARGETS="a b" runs only those.
#
# Stable toolchain, no sanitizer (`-s none`): the address sanitizer needs `-Zsanitizer`, a
# nightly-only flag, and this machine kind has one stable toolchain. Little is lost: the
# workspace forbids unsafe code (`unsafe_code = "deny"`), so what fuzzing can find here is
# panics, arithmetic overflow (cargo-fuzz builds with debug assertions and overflow checks on),
# runaway memory (-rss_limit_mb) and hangs (-timeout), none of which needs a sanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
seconds=${FUZZ_SECONDS:-60}
fuzz_dir=crates/fuzz
build_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
work=target/fuzz
targets=${FUZZ_TARGETS:-$(cargo fuzz list --fuzz-dir "$fuzz_dir")}
flags=(--fuzz-dir "$fuzz_dir" -s none --target-dir "$build_dir")

start=$(date +%s)
log "Building the fuzz targets (release, debug assertions, no sanitizer)"
cargo fuzz build "${flags[@]}"
log "Built in $(( $(date +%s) - start ))s; fuzzing each target for ${seconds}s"

rows=()
failed=0
for t in $targets; do
  corpus="$work/corpus/$t" artifacts="$work/artifacts/$t" log_file="$work/logs/$t.log"
  mkdir -p "$corpus" "$work/logs"
  rm -rf "$artifacts" && mkdir -p "$artifacts"
  log "fuzz $t (${seconds}s)"
  t0=$(date +%s)
  # New inputs go to the first corpus dir (kept between runs); the committed seeds are read-only.
  status=0
  cargo fuzz run "${flags[@]}" "$t" "$corpus" "$fuzz_dir/seeds/$t" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$artifacts/" >"$log_file" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - t0 ))
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log_file" | tail -1 | awk '{print $2}')
  rate=$(grep -o 'stat::average_exec_per_sec: [0-9]*' "$log_file" | tail -1 | awk '{print $2}')
  # After a crash libFuzzer may not print its final stats: fall back to its last status line.
  last=$(grep -E '^#[0-9]+' "$log_file" | tail -1 || true)
  [ -n "$execs" ] || execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  [ -n "$rate" ] || rate=$(grep -o 'exec/s: [0-9]*' <<<"$last" | awk '{print $2}')
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | awk '{print $2}')
  crashes=$(find "$artifacts" -type f | wc -l)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  if [ "$crashes" -ne 0 ]; then
    failed=1
    echo "CRASH in $t: see $log_file and $artifacts/" >&2
    grep -m1 -A12 -E "panicked at|ERROR: libFuzzer" "$log_file" >&2 || tail -20 "$log_file" >&2
  fi
  rows+=("$(printf '%-16s %6ss %12s %9s %7s %8s' "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "${corp:-?}" "$crashes")")
done

printf '\n%-16s %7s %12s %9s %7s %8s\n' target time executions exec/s corpus crashes
printf '%s\n' "${rows[@]}"
echo "total $(( $(date +%s) - start ))s (FUZZ_SECONDS=$seconds per target)"
exit "$failed"
