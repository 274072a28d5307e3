#!/usr/bin/env bash
# `ventia lead import` pacing itself within the budget: ROWS new leads (300) against ventia-server
# --rate-limit LIMIT (100 a minute), with no rate headers, as the real API. Prints one table row:
# the wall time, the requests the server saw and their pace a minute (at most the limit), its
# 429s, and the outcomes of the report. Release builds by default (CONFIG=debug to change).
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-release}
rows=${ROWS:-300}
limit=${LIMIT:-100}
for product in ventia ventia-server; do swift build -c "$config" --product "$product" >/dev/null 2>&1; done
bin=$(swift build -c "$config" --show-bin-path)
home=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$home"' EXIT
"$bin/ventia-server" --port 0 --rate-limit "$limit" --no-rate-headers --verbose > "$home/server.json" 2> "$home/server.log" &
server_pid=$!
for _ in $(seq 1 600); do [ -s "$home/server.json" ] && break; sleep 0.1; done
base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["baseURL"])' "$home/server.json")
python3 - "$rows" > "$home/leads.csv" <<'PY'
import sys
print("firstName,lastName,phone,email,detail")
for i in range(int(sys.argv[1])):
    print(f"Lead{i},Importado,+5989{i:07d},lead{i}@example.com,row {i}")
PY
started=$(date +%s.%N)
env XDG_CONFIG_HOME="$home" XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home" VENTIA_API_KEY=DEMO0A1-VENTIA0-LOCAL00-KEY0001 \
    "$bin/ventia" lead import "$home/leads.csv" --agent "Valentina Sosa" --base-url "$base" --max-wait 600 --csv > "$home/report.csv" 2> "$home/errors" || true
ended=$(date +%s.%N)
requests=$(grep -c ' /api/v1.0/' "$home/server.log" || true)
refused=$(grep -c ' 429 ' "$home/server.log" || true)
outcomes=$(tail -n +2 "$home/report.csv" | cut -d, -f2 | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')
echo "| rows | server limit | wall time | requests the server saw | their pace | 429s | outcomes |"
echo "|---|---|---|---|---|---|---|"
awk -v a="$started" -v b="$ended" -v r="$rows" -v l="$limit" -v q="$requests" -v z="$refused" -v o="$outcomes" \
    'BEGIN { printf "| %d | %d a minute | %.0f s | %d | %.1f a minute | %d | %s |\n", r, l, b - a, q, q / (b - a) * 60, z, o }'
