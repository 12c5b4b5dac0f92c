#!/usr/bin/env bash
# Run the E2E suite: the real app window under Xvfb, driven through tauri-driver + WebKitWebDriver,
# inside a private D-Bus session. Screenshots go to target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/e2e
# NOVADESK_APP / NOVACORE_SIM choose other binaries (e.g. another CARGO_TARGET_DIR); the tests read them too.
app="${NOVADESK_APP:-target/debug/novadesk}"
if [ ! -x "$app" ]; then
  echo "$app is missing: build it first (cargo build --workspace)" >&2
  exit 1
fi
# Never inherit a GUI session's display or bus: tests get their own.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
# A real Secret Service (throwaway gnome-keyring) as on a desktop: the offline journey signs in
# from the keychain-held session after a restart.
exec timeout -k 10 1500 xvfb-run -a -s "-screen 0 1440x900x24" \
  .ci/with-keyring.sh node --test --test-concurrency=1 e2e/
