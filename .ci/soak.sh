#!/usr/bin/env bash
# `make soak` (issue 14): every fault soak at ten times its test's count (SOAK_SCALE=10; the
# tests in `make test` run at 1×), then one table of their figures. Logs in target/soak/.
#   (a) SDK stream through 1,000 forced disconnects   crates/novacore/tests/sandbox_faults.rs
#   (b) 10,000 SDK calls under 5% 500s and 2% 429s    crates/novacore/tests/sandbox_fault_mix.rs
#   (c) the store through 1,000 SIGKILLs mid-ingest   crates/novadesk-store/tests/crash.rs
#   (d) the app's live view through 10 Sandbox restarts (E2E)   e2e/restart.test.js
#   (e) the installer journal's replay, 50 runs under SIGKILL (= make soak-outbox)
set -uo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
export SOAK_SCALE=${SOAK_SCALE:-10}
logs=target/soak
mkdir -p "$logs"
rm -f "$logs"/*.log "$logs/times"
start=$(date +%s)
status=0
step() {
  local name=$1 t
  shift
  log "[$(( $(date +%s) - start ))s] soak $name"
  t=$(date +%s)
  "$@" 2>&1 | tee "$logs/$name.log" || status=1
  printf '%s\t%s\n' "$name" "$(( $(date +%s) - t ))" >> "$logs/times"
}
step a-stream cargo test -p novacore --test sandbox_faults -- --nocapture stream_resumes_across
step b-calls cargo test -p novacore --test sandbox_fault_mix -- --nocapture
step c-store cargo test -p novadesk-store --test crash -- --nocapture
step e-outbox env SOAK_RUNS="${SOAK_RUNS:-50}" cargo test -p novadesk-core --test installer_journal -- \
  --ignored --nocapture soak_outbox_replay_under_sigkill
# E2E: the binaries of this checkout unless NOVADESK_APP / NOVACORE_SIM name others.
if [ -z "${NOVADESK_APP:-}" ]; then
  cargo build -p novadesk -p novacore-sim || status=1
  bin=${CARGO_TARGET_DIR:-target}/debug
  export NOVADESK_APP=$bin/novadesk NOVACORE_SIM=$bin/novacore-sim
fi
step d-restart e2e/run.sh e2e/restart.test.js

echo
echo "make soak (SOAK_SCALE=$SOAK_SCALE): $(( $(date +%s) - start )) s"
printf '%-52s %6s  %s\n' soak "time/s" figures
for name in a-stream b-calls c-store d-restart e-outbox; do
  secs=$(awk -F'\t' -v n="$name" '$1 == n {print $2}' "$logs/times")
  # node's test runner passes a test's stdout on as a TAP comment, its tabs escaped.
  line=$(grep -h 'soak-figure' "$logs/$name.log" | head -1 | sed -e 's/\\\\t/\t/g' -e 's/\\t/\t/g' -e 's/^.*soak-figure\t//')
  if [ -z "$line" ]; then
    printf '%-52s %6s  %s\n' "$name" "$secs" "NO FIGURES (failed: see $logs/$name.log)"
    status=1
    continue
  fi
  title=${line%%$'\t'*}
  printf '%-52s %6s  %s\n' "$title" "$secs" "$(echo "${line#*$'\t'}" | tr '\t' ' ')"
done
exit "$status"
