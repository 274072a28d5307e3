#!/usr/bin/env bash
# `ventia contacts list --cached` over a mirror of 100,000 contacts (CONTACTS to change): the wall
# time and the most memory held (/usr/bin/time) for --csv and --json, and how soon the first CSV
# row is written. The mirror is filled first from ventia-server (--rate-limit 100000, so the fill
# is not paced). Release builds by default (CONFIG=debug to change).
set -euo pipefail
cd "$(dirname "$0")/.."
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
echo "== $contacts contacts in the mirror ($config build)"
for format in --csv --json; do
    for run in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$home/time" bash -c "$(declare -f ventia); home=$home bin=$bin base=$base; ventia --cached $format > /dev/null 2>&1"
        echo "$format run $run: $(awk '{ printf "%s s, %.0f MB held at most", $1, $2 / 1024 }' "$home/time")"
    done
done
started=$(date +%s.%N)
ventia --cached --csv 2>/dev/null | { read -r _; read -r _; awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "--csv: the first row written %.2f s after the start\n", b - a }'; cat > /dev/null; }
