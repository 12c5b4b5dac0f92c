#!/usr/bin/env bash
# Run the E2E suite: the real app window under Xvfb, driven through tauri-driver + WebKitWebDriver,
# inside a private D-Bus session. Screenshots go to target/e2e/. Arguments: test files to run
# (default: all of e2e/).
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
mkdir -p target/e2e
# NOVADESK_APP / NOVACORE_SIM choose other binaries (e.g. another CARGO_TARGET_DIR); the tests read them too.
app="${NOVADESK_APP:-target/debug/novadesk}"
if [ ! -x "$app" ]; then
  echo "$app is missing: build it first (cargo build --workspace)" >&2
  exit 1
fi
# A network namespace of its own when we can have one (CI runs as root): loopback with multicast
# is then its only interface, so the app may browse mDNS there (e2e/harness.js sets
# NOVADESK_MDNS=loopback) and nothing reaches a real interface. The default route on lo only
# keeps the window's network status "Online" (WebKit wants a default route); it reaches nothing.
# Elsewhere the app's mDNS is off and the mDNS test skips, saying why.
if [ -z "${NOVADESK_E2E_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v ip >/dev/null \
  && unshare -n true 2>/dev/null; then
  export NOVADESK_E2E_NETNS=1
  exec unshare -n sh -c 'ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && ip route add default dev lo && exec "$0" "$@"' "$self" "$@"
fi
if [ -z "${NOVADESK_E2E_NETNS:-}" ]; then
  echo "e2e: no network namespace of our own (needs root and unshare): the app's mDNS is off, the mDNS test skips" >&2
fi
# Never inherit a GUI session's display or bus: tests get their own.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
# Every test file's homes go under one root, and the Sandbox (in the app or started by a test)
# records the tokens it issues and its Wi-Fi passphrases beside them; the tests add the keys and
# passphrases they type (harness.js). After the suite, e2e/secrets-scan.js searches the homes and
# the app's captured output for every one of them; then the root is removed.
root=$(mktemp -d "${TMPDIR:-/tmp}/novadesk-e2e-run.XXXXXX")
trap 'rm -rf "$root"' EXIT
export NOVADESK_E2E_ROOT="$root/homes" NOVACORE_SIM_SECRETS_RECORD="$root/secrets.record"
mkdir -p "$NOVADESK_E2E_ROOT"
started=$(date +%s)
# A real Secret Service (throwaway gnome-keyring) as on a desktop: the offline journey signs in
# from the keychain-held session after a restart.
status=0
timeout -k 10 1500 xvfb-run -a -s "-screen 0 1440x900x24" \
  .ci/with-keyring.sh node --test --test-concurrency=1 "${@:-e2e/}" || status=$?
# The app's stdout/stderr of this run (tauri-driver logs written since it started).
logs=$(find target/e2e -maxdepth 1 -name '*.log' -newermt "@$started" 2>/dev/null || true)
if [ -s "$NOVACORE_SIM_SECRETS_RECORD" ] || [ $# -eq 0 ]; then
  # shellcheck disable=SC2086 # one path per log file
  node e2e/secrets-scan.js "$NOVACORE_SIM_SECRETS_RECORD" "$NOVADESK_E2E_ROOT" $logs || status=1
else
  echo "secrets at rest: nothing was signed in to, nothing to scan for" >&2
fi
exit "$status"
