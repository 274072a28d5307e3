#!/usr/bin/env bash
# Fuzzes a freshly started ventia-server against its own OpenAPI document with schemathesis, both
# ways: every answer must be one the document describes (status, content type, body, headers, no
# 5xx, a 429 with Retry-After), and every request the document forbids must be refused
# (negative_data_rejection): every check but positive_data_acceptance, whose failures are business
# rules a schema cannot say. The stateful phase follows the document's links, and the run fails
# when schemathesis reports an operation it could not reach past a 404.
#   bash scripts/fuzz-server.sh            # CI: a fixed seed, the same cases every run
#   bash scripts/fuzz-server.sh --random   # and a run with a random seed, printed when it fails
#                                          # (run it before every change to the server)
# Needs the debug build (swift build) and schemathesis 4 (pip install schemathesis, or FUZZ_PYTHON
# naming a Python that has it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VENTIA_SERVER:-.build/debug/ventia-server}
seed=${FUZZ_SEED:-20261205}
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

# fuzz BASE EXAMPLES SEED: one schemathesis run; fails on a failed check or an operation not reached.
fuzz() {
    local base=$1 examples=$2 seed=$3 log="$work/fuzz.log"
    # Security parameters are not generated: a random api-key beside the header is an ambiguous key, a 401.
    # Through the Python that has it (FUZZ_PYTHON: .ci/run's virtual environment), as a module: a
    # console script may not be on PATH.
    local status=0
    timeout 600 "${FUZZ_PYTHON:-python3}" -m schemathesis.cli --config-file scripts/schemathesis.toml run "$base/openapi.yaml" --url "$base" -H "X-API-KEY: $key" \
        --max-examples "$examples" --seed "$seed" --generation-with-security-parameters false \
        --checks all --exclude-checks positive_data_acceptance --no-color 2>&1 | tee "$log" || status=$?
    # Reached: no operation left answering 404 for want of an id, none without a way to its ids.
    if grep -q -e "Missing test data" -e "No links point" -e "never reached" -e "not usable" "$log"; then
        echo "fuzz-server: schemathesis could not reach every operation (above)" >&2
        status=1
    fi
    grep -q "Tested: 28" "$log" || { echo "fuzz-server: not all 28 operations were tested" >&2; status=1; }
    if [ "$status" -ne 0 ]; then
        echo "fuzz-server: failed with seed $seed (again: FUZZ_SEED=$seed bash scripts/fuzz-server.sh)" >&2
        return 1
    fi
}

echo "== both ways, every operation, the rate limit out of the way (seed $seed)"
start_server --rate-limit 1000000
fuzz "$base" 60 "$seed"
if [ "${1:-}" = "--random" ]; then
    random_seed=$(( (RANDOM << 15) | RANDOM ))
    echo "== the same with a random seed ($random_seed)"
    start_server --rate-limit 1000000
    fuzz "$base" 60 "$random_seed"
fi
echo "== under the real limit of 200 a minute: past it, every answer must be a 429 with Retry-After"
start_server
fuzz "$base" 10 "$seed"
