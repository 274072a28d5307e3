#!/usr/bin/env bash
# The issue's figure, as a team meets it: four agents start `ventia contacts list` at the same time,
# each with a mirror of its own, against a Ventia-compatible server allowing 30 requests per 20 s
# with 2,000 contacts. First straight at the server (as each ventia does alone), then through one
# ventia-gateway (--limit 30 --window 20 --reserve 0, no team copy) on a throwaway PostgreSQL. Reports, for each,
# the requests the server received, its 429s, and each agent's wall time; and one agent alone.
# Debug builds by default (what `swift run` builds); CONFIG=release for optimised ones.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-debug}
for product in ventia ventia-server ventia-gateway; do swift build -c "$config" --product "$product" >/dev/null 2>&1; done
bin=$(swift build -c "$config" --show-bin-path)
source scripts/lib/gateway-bench.sh
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001

start_server() {
    "$bin/ventia-server" --port 0 --contacts 2000 --rate-limit 30 --rate-window 20 --no-rate-headers --verbose > "$state/server.json" 2> "$state/server.log" &
    server_pid=$!
    pids+=($server_pid)
    wait_for_line "$state/server.json"
    server="http://127.0.0.1:$(port_of "$state/server.json")/api/v1.0"
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; rm -f "$state/server.json"; }
report() {
    local requests refused
    requests=$(grep -cE '\] (GET|POST) ' "$state/server.log" || true)
    refused=$(grep -cE '\] GET \S+ 429 ' "$state/server.log" || true)
    local times
    times=$(sort -n "$state/times")
    echo "| $1 | $requests | $refused | $(echo "$times" | head -1)$( [ "$(echo "$times" | wc -l)" -gt 1 ] && echo " to $(echo "$times" | tail -1)") s |"
}
# `ventia contacts list` as an agent on a machine of their own: a fresh mirror each.
agent() { # name base-url key
    local home=$state/home-$1
    mkdir -p "$home"
    local started ended
    started=$(date +%s.%N)
    env XDG_STATE_HOME="$home" XDG_CONFIG_HOME="$home" XDG_CACHE_HOME="$home/cache" \
        VENTIA_API_KEY="$3" "$bin/ventia" contacts list --base-url "$2" --max-wait 120 --csv > "$home/out.csv"
    ended=$(date +%s.%N)
    awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f\n", b - a }' >> "$state/times"
}

echo "| | requests the server received | 429s | each agent's wall time |"
echo "|---|---|---|---|"
start_server; : > "$state/times"
agent solo "$server" $key
report "one agent alone"
stop_server

start_server; : > "$state/times"
agents=()
for name in a b c d; do agent "$name" "$server" $key & agents+=($!); done
wait "${agents[@]}"
report "four agents, straight at the server"
stop_server

start_postgres
start_server; : > "$state/times"
VENTIA_UPSTREAM_KEY=$key "$bin/ventia-gateway" serve --upstream "$server" --port 0 --limit 30 --window 20 --reserve 0 --sync-seconds 0 > "$state/gateway.json" &
pids+=($!)
wait_for_line "$state/gateway.json"
gateway="http://127.0.0.1:$(port_of "$state/gateway.json")/api/v1.0"
tokens=()
for name in a b c d; do tokens+=("$("$bin/ventia-gateway" token create --agent "agent-$name")"); done
index=0
agents=()
for name in a b c d; do agent "gw-$name" "$gateway" "${tokens[$index]}" & agents+=($!); index=$((index + 1)); done
wait "${agents[@]}"
report "four agents, through the gateway"
for file in "$state"/home-gw-*/out.csv; do wc -l < "$file"; done | sort -u | xargs echo "CSV lines per agent (2,000 contacts and a header):"
