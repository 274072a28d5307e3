#!/usr/bin/env bash
# The team's copy in the gateway, as issue 22 measures it: 30 agents with empty mirrors start
# `ventia contacts list` within ten seconds of each other behind two gateway replicas, against
# ventia-server --rate-limit 200 (no rate headers, as the real API) with 20,000 contacts. Reports
# the upstream requests until every agent has every contact (beside one agent alone, straight at
# the server), the time until the last has them, and 429s upstream; then, the agents' feeds
# listening (scripts/team-feed-latency.py), how long a transfer or a note takes to reach each other
# agent; then one more agent's first start once the copy is complete; then the upstream requests
# of a minute in which nobody types.
# Release builds by default (CONFIG=debug to change); AGENTS, CONTACTS to change the team.
# Needs PostgreSQL 15 (apt-get install postgresql), python3 and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-release}
agents=${AGENTS:-30}
contacts=${CONTACTS:-20000}
for product in ventia ventia-server ventia-gateway; do swift build -c "$config" --product "$product" >/dev/null 2>&1; done
bin=$(swift build -c "$config" --show-bin-path)
source scripts/lib/gateway-bench.sh
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001

start_server() {
    "$bin/ventia-server" --port 0 --contacts "$contacts" --rate-limit 200 --no-rate-headers --verbose > "$state/server.json" 2> "$state/server.log" &
    server_pid=$!
    pids+=($server_pid)
    wait_for_line "$state/server.json"
    server="http://127.0.0.1:$(port_of "$state/server.json")/api/v1.0"
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; rm -f "$state/server.json"; }
upstream_requests() { grep -cE '\] (GET|POST|PUT|PATCH) ' "$state/server.log" || true; }
upstream_refusals() { grep -cE '\] \w+ \S+ 429 ' "$state/server.log" || true; }
now() { date +%s.%N; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# `ventia contacts list` on an agent's own machine: a fresh mirror each.
agent() { # name base-url key
    local home=$state/home-$1
    mkdir -p "$home"
    env XDG_STATE_HOME="$home" XDG_CONFIG_HOME="$home" XDG_CACHE_HOME="$home/cache" \
        VENTIA_API_KEY="$3" "$bin/ventia" contacts list --base-url "$2" --max-wait 600 --csv > "$home/out.csv" 2> "$home/err.log"
    now > "$home/done"
}

echo "== one agent alone, straight at the server ($contacts contacts, --rate-limit 200, no rate headers)"
start_server
started=$(now)
agent solo "$server" $key
alone=$(upstream_requests)
alone_seconds=$(seconds_between "$started" "$(cat "$state/home-solo/done")")
echo "one agent: $alone upstream requests, $(upstream_refusals) refused, $alone_seconds s"
stop_server

echo "== $agents agents with empty mirrors, starting within 10 s, behind two gateway replicas"
start_postgres
start_server
export VENTIA_UPSTREAM_KEY=$key
replicas=()
for replica in 1 2; do
    "$bin/ventia-gateway" serve --upstream "$server" --port 0 > "$state/gateway$replica.json" 2> "$state/gateway$replica.log" &
    pids+=($!)
    wait_for_line "$state/gateway$replica.json"
    replicas+=("http://127.0.0.1:$(port_of "$state/gateway$replica.json")/api/v1.0")
done
for index in $(seq 1 "$agents"); do "$bin/ventia-gateway" token create --agent "agent$index"; done > "$state/tokens"
started=$(now)
index=0
running=()
while read -r token; do
    replica=${replicas[$((index % 2))]}
    delay=$(awk -v i="$index" -v n="$agents" 'BEGIN { srand(22 + i); printf "%.2f", rand() * 10 }')
    (sleep "$delay"; agent "team-$index" "$replica" "$token") &
    running+=($!)
    index=$((index + 1))
done < "$state/tokens"
failed=0
for pid in "${running[@]}"; do wait "$pid" || failed=$((failed + 1)); done
last=$(cat "$state"/home-team-*/done | sort -n | tail -1)
team=$(upstream_requests)
complete=$(for file in "$state"/home-team-*/out.csv; do wc -l < "$file"; done | grep -cx "$((contacts + 1))" || true)
echo "agents with every contact: $complete of $agents ($failed failed)"
ratio=$(awk -v t="$team" -v a="$alone" 'BEGIN { printf "%.2f", t / a }')
echo "upstream requests until the last had them: $team ($ratio x one agent alone)"
echo "time until the last agent had every contact: $(seconds_between "$started" "$last") s after the first started"
echo "429s upstream: $(upstream_refusals)"
{
    echo "| upstream requests until all $agents have all $contacts contacts | $team ($ratio × one agent alone: $alone) |"
    echo "| time until the last agent has them all | $(seconds_between "$started" "$last") s after the first started (one agent alone: $alone_seconds s) |"
    echo "| 429s upstream | $(upstream_refusals) |"
} >> "$state/rows"

echo "== one more agent with an empty mirror, the copy complete"
before=$(upstream_requests)
late_started=$(now)
agent late "${replicas[0]}" "$(head -1 "$state/tokens")"
late="$(seconds_between "$late_started" "$(cat "$state/home-late/done")") s for $(($(wc -l < "$state/home-late/out.csv") - 1)) contacts, $(( $(upstream_requests) - before )) upstream requests"
echo "its first start: $late"
echo "| one more agent's first start once the copy is complete | $late |" >> "$state/rows"

echo "== a write's way to the other agents' feeds ($((agents - 1)) listening, half on each replica)"
python3 scripts/team-feed-latency.py --replicas "${replicas[0]},${replicas[1]}" --tokens "$state/tokens" --writes 40 | tee "$state/feed.json"
python3 - "$state/feed.json" >> "$state/rows" <<'PY'
import json, sys
feed = json.load(open(sys.argv[1]))
print(f"| a transfer or a note through one replica, to each of {feed['listeners']} other agents' feeds (p50 / p99) "
      f"| {feed['p50_ms']} / {feed['p99_ms']} ms ({feed['deliveries']:,} of {feed['expected']:,} delivered) |")
PY

echo "== a minute in which nobody types"
sleep 15
before=$(upstream_requests)
sleep 60
idle=$(( $(upstream_requests) - before ))
echo "upstream requests in 60 s: $idle"
echo "| upstream requests in a minute in which nobody types | $idle |" >> "$state/rows"
echo "== the table (docs/benchmarks.md)"
echo "| | |"
echo "|---|---|"
cat "$state/rows"
