#!/usr/bin/env bash
# Fuzzes a freshly started ventia-server against its own OpenAPI document with schemathesis:
# every operation, valid and invalid inputs, deterministic (the same cases every run). Fails on a
# 5xx, an answer the document does not describe (status, content type, body, headers), or a 429
# without Retry-After. Needs the debug build (swift build) and schemathesis (pip install schemathesis,
# or FUZZ_PYTHON naming a Python that has it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VENTIA_SERVER:-.build/debug/ventia-server}
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method,missing_required_header
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

# Starts the server (seed 1, whose ids the document's examples name) and sets base to its URL.
# Called directly, never in $(...): a subshell would keep server_pid from the trap that stops it.
start_server() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    "$bin" --port 0 "$@" > "$work/server.json" 2> "$work/server.err" &
    server_pid=$!
    for _ in $(seq 1 100); do grep -q baseURL "$work/server.json" 2>/dev/null && break; sleep 0.1; done
    base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["baseURL"])' "$work/server.json")
}

fuzz() {
    local base=$1 examples=$2
    # Security parameters are not generated: a random api-key beside the header is an ambiguous key, a 401.
    # Through the Python that has it (FUZZ_PYTHON: .ci/run's virtual environment), as a module: a
    # console script may not be on PATH.
    timeout 600 "${FUZZ_PYTHON:-python3}" -m schemathesis.cli run "$base/openapi.yaml" --url "$base" -H "X-API-KEY: $key" \
        --max-examples "$examples" --generation-deterministic --generation-with-security-parameters false \
        --checks "$checks" --no-color
}

echo "== every operation, the rate limit out of the way"
start_server --rate-limit 1000000
fuzz "$base" 20
echo "== the same under the real limit of 200 a minute: past it, every answer must be a 429 with Retry-After"
start_server
fuzz "$base" 10
