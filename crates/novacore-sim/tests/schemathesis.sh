#!/usr/bin/env bash
# Fuzzes the sandbox with schemathesis against its own /openapi.json. A fixed seed keeps CI
# repeatable; set ST_SEED to explore other inputs.
#   crates/novacore-sim/tests/schemathesis.sh [MAX_EXAMPLES] [CHECKS]
# Installs schemathesis (PyPI) into a venv under target/, starts the novacore-sim binary on a
# free port, mints a demo token via /_sim/identities, and runs a bounded number of examples per
# operation. /_sim (test control) and the endless SSE stream are excluded from fuzzing.
set -euo pipefail
MAX_EXAMPLES="${1:-25}"
CHECKS="${2:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance}"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
VENV="$ROOT/target/st-venv"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q schemathesis
fi
cargo build -q -p novacore-sim --bin novacore-sim
OUT="$(mktemp)"
"$ROOT/target/debug/novacore-sim" --zaps 1 --sites 2 >"$OUT" 2>"$OUT.err" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; rm -f "$OUT" "$OUT.err"' EXIT
for _ in $(seq 1 100); do [ -s "$OUT" ] && break; sleep 0.1; done
BASE="$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["base_url"])' "$OUT")"
TOKEN="$(curl -sf -X POST "$BASE/_sim/identities" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
echo "sandbox at $BASE (pid $PID)"
cd "$ROOT/target"  # schemathesis keeps a .schemathesis/ cache in the working directory
"$VENV/bin/schemathesis" run "$BASE/openapi.json" \
  --max-examples "$MAX_EXAMPLES" \
  --checks "$CHECKS" \
  -H "Authorization: Bearer $TOKEN" \
  --exclude-path-regex '^/_sim' \
  --exclude-path '/stream/sites/{site_id}' \
  --seed "${ST_SEED:-16903793396504506541392349617760155332}" \
  --workers 2
