#!/usr/bin/env bash
# Install what building and running Novadesk needs (idempotent).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
apt_install "${APP_PACKAGES[@]}"
ensure_rust
