#!/usr/bin/env bash
# Run the E2E suite: the real app window under Xvfb, driven through tauri-driver + WebKitWebDriver,
# inside a private D-Bus session. Screenshots go to target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/e2e
if [ ! -x target/debug/novadesk ]; then
  echo "target/debug/novadesk is missing: build it first (cargo build --workspace)" >&2
  exit 1
fi
# Never inherit a GUI session's display or bus: tests get their own.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
exec timeout -k 10 900 xvfb-run -a -s "-screen 0 1440x900x24" \
  dbus-run-session -- node --test e2e/
