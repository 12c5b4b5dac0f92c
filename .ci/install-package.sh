#!/usr/bin/env bash
# Install what `make package` needs on top of the app's packages (idempotent): the Tauri CLI
# comes from npm (package-lock.json) in .ci/package.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
apt_install "${APP_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
ensure_rust
ensure_npm
