#!/usr/bin/env bash
# `make bench`: every benchmark in release, the app's start-up/memory/latency measurements against
# release builds and the bare Tauri window, then one report: target/bench/report.md (printed too).
# Each bench records its rows (ours, the peer or floor from the same run, the goal, the command) in
# target/bench/rows/<bench>.json (crates/bench-report); `bench-report` joins them. A bench that fails
# is named in the report and the others still run; the exit status is non-zero then.
# Not part of `make test`: it takes minutes and its figures depend on the machine's load, which the
# report prints at the start and the end.
set -uo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
out=$root/target/bench
export NOVADESK_BENCH_ROWS=$out/rows
rm -rf "$out/rows" "$out/logs" "$out/bin"
mkdir -p "$out/rows" "$out/logs" "$out/bin"
started=$(date +%s)
# A CARGO_TARGET_DIR shared between checkouts gives a workspace crate the same fingerprint in each,
# so a bench built from another checkout can look up to date here (seen: the pricing row measured
# another branch's code). Newer sources make cargo rebuild them from this checkout.
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  find crates src-tauri/src -name '*.rs' -exec touch {} +
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
failed=()

# step NAME CMD...: runs CMD, its output shown and kept in target/bench/logs/NAME.log.
step() {
  local name=$1
  shift
  log "$name: $*"
  local t0
  t0=$(date +%s)
  "$@" 2>&1 | tee "$out/logs/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "$name: exit $rc after $(($(date +%s) - t0)) s" >&2
  if [ "$rc" -ne 0 ]; then failed+=("$name"); fi
  return 0
}

# The app, its floor and the simulator, built once in release (the shipped configuration: the
# embedded ui/, as `make package` builds it) and copied aside, so that a build running elsewhere
# in a shared target directory cannot swap them during the measurements.
build_secs_start=$(date +%s)
# The app alone (as .ci/package.sh ships it): built with the example, the dev-dependencies' features
# would unify into it and the names src-tauri/startup-order.txt lists would change.
if ! cargo build --release --locked -p novadesk --bin novadesk --features tauri/custom-protocol \
  || ! cargo build --release --locked -p novadesk --example bare_window --features tauri/custom-protocol \
  || ! cargo build --release --locked -p novacore-sim --bin novacore-sim -p bench-report --bin bench-report; then
  echo "make bench: the release build failed" >&2
  exit 1
fi
cp "$target/release/novadesk" "$target/release/examples/bare_window" "$target/release/novacore-sim" \
  "$target/release/bench-report" "$out/bin/"
build_secs=$(($(date +%s) - build_secs_start))

# Every `cargo bench` target of the workspace, one at a time (each alone on the cores).
benches=$(cargo metadata --no-deps --format-version 1 | node -e '
  const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
  for (const p of m.packages) for (const t of p.targets)
    if (t.kind.includes("bench")) console.log(p.name + " " + t.name);')
while read -r pkg bench; do
  [ -n "$pkg" ] || continue
  # core_bench's keychain row needs a real Secret Service.
  step "$bench" .ci/with-keyring.sh cargo bench --locked -p "$pkg" --bench "$bench"
done <<< "$benches"

# The window: start-up, memory and latency beside the bare window, then the installer's waits.
export NOVADESK_APP=$out/bin/novadesk NOVACORE_SIM=$out/bin/novacore-sim NOVADESK_BARE=$out/bin/bare_window
for m in measure measure-installer; do
  step "$m" env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS timeout -k 10 900 \
    xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- node "e2e/$m.js"
done

secs=$(($(date +%s) - started))
webkit=$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo "unknown")
{
  echo "## Benchmarks (\`make bench\`)"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' + local changes'), $(date -u '+%Y-%m-%d %H:%M UTC')." \
    "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr), WebKitGTK $webkit." \
    "Load average (1, 5, 15 min) at the start: $load_start. Every ratio compares figures from this one run."
  echo
} > "$out/header.md"
{
  echo "\`make bench\` took $((secs / 60)) min $((secs % 60)) s (release builds $build_secs s of it)." \
    "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  if [ ${#failed[@]} -gt 0 ]; then
    echo
    echo "**Failed** (their rows are missing; logs in target/bench/logs/): ${failed[*]}."
  fi
} > "$out/footer.md"
"$out/bin/bench-report" "$out/rows" "$out/report.md" --header "$out/header.md" --footer "$out/footer.md" || failed+=(report)
echo
echo "Report: $out/report.md"
[ ${#failed[@]} -eq 0 ]
