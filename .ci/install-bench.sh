#!/usr/bin/env bash
# Install what `make bench` needs on top of the test packages (idempotent): the Python peers the
# benchmarks measure against, in a venv under the cargo target dir (`<target>/bench-venv`), pinned
# in .ci/bench-requirements.txt. The benches use that venv and never install anything themselves.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
apt_install python3 python3-venv python3-pip
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${CARGO_TARGET_DIR:-$ROOT/target}/bench-venv"
REQS="$ROOT/.ci/bench-requirements.txt"
if [ ! -x "$VENV/bin/python" ]; then
  log "Creating the benchmarks' Python venv at $VENV"
  python3 -m venv "$VENV"
fi
# Pinned and already installed: pip answers without the network in a second or two.
log "Installing the benchmarks' Python peers (.ci/bench-requirements.txt)"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
