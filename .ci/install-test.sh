#!/usr/bin/env bash
# Install what the full test suite needs on top of the app's packages (idempotent).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
apt_install "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust
ensure_tauri_driver
