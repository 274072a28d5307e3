#!/usr/bin/env bash
# `ventia contacts list` over a mirror of 100,000 contacts (CONTACTS to change), beside sqlite3
# reading the same rows from the same file (the floor): a table of the median wall time of three
# runs and the most memory held (/usr/bin/time), for --csv and --json, and how soon the first CSV
# row is written. The mirror is filled first from ventia-server (--rate-limit 100000, so the fill
# is not paced). Release builds by default (CONFIG=debug to change). Needs sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 > /dev/null || { echo "measure-listing.sh needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
config=${CONFIG:-release}
contacts=${CONTACTS:-100000}
for product in ventia ventia-server; do swift build -c "$config" --product "$product" >/dev/null 2>&1; done
bin=$(swift build -c "$config" --show-bin-path)
home=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$home"' EXIT
"$bin/ventia-server" --port 0 --contacts "$contacts" --rate-limit 100000 > "$home/server.json" 2> /dev/null &
server_pid=$!
for _ in $(seq 1 600); do [ -s "$home/server.json" ] && break; sleep 0.1; done
base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["baseURL"])' "$home/server.json")
ventia() {
    env XDG_CONFIG_HOME="$home" XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home" VENTIA_API_KEY=DEMO0A1-VENTIA0-LOCAL00-KEY0001 \
        "$bin/ventia" contacts list --base-url "$base" --max-wait 600 "$@"
}
ventia --csv > /dev/null 2>&1
mirror=$(ls "$home"/cache/ventia/mirror-*.sqlite)
columns="id, firstName, lastName, phones, emails, status, agent, agentName, origin, reminder, lastInteraction, createdAt, updatedAt"
order="ORDER BY updatedAt DESC, id DESC"
# One row of the table: the median of three runs' wall time, and the most memory held in any of them.
measure() {
    local label=$1; shift
    for run in 1 2 3; do /usr/bin/time -f "%e %M" -o "$home/time.$run" "$@" > /dev/null 2>&1; done
    cat "$home"/time.[123] | sort -n | awk -v label="$label" '{ t[NR] = $1; if ($2 > m) m = $2 } END { printf "| %s | %.2f s | %.0f MB |\n", label, t[2], m / 1024 }'
}
export -f ventia
export home bin base
echo "$contacts contacts in the mirror, $config build; median of 3 runs, the most memory held:"
echo
echo "| | time | memory |"
echo "|---|---|---|"
measure '`ventia contacts list --cached --csv`' bash -c 'ventia --cached --csv'
measure '`sqlite3 -csv`, the same columns (the floor)' sqlite3 -csv "$mirror" "SELECT $columns FROM contact $order"
measure '`ventia contacts list --cached --json`' bash -c 'ventia --cached --json'
measure '`sqlite3`, the same JSON (the floor)' sqlite3 "$mirror" "SELECT body FROM contact $order"
measure '`ventia contacts list --csv` (one request to catch up)' bash -c 'ventia --csv'
started=$(date +%s.%N)
ventia --cached --csv 2>/dev/null | { read -r _; read -r _; awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "\n--cached --csv writes its first row %.2f s after it starts.\n", b - a }'; cat > /dev/null; }
