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
# A real Secret Service (throwaway gnome-keyring) as on a desktop: the offline journey signs in
# from the keychain-held session after a restart.
exec timeout -k 10 1500 xvfb-run -a -s "-screen 0 1440x900x24" \
  .ci/with-keyring.sh node --test --test-concurrency=1 "${@:-e2e/}"
