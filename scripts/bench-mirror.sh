#!/usr/bin/env bash
# Measures the local-first client (release builds) against ventia-server, in tmux:
#   1. cold start from a mirror of MIRROR_CONTACTS (default 100000) contacts to the first painted
#      page, server up and server down (ventia --exit-after-first-paint; no request precedes it);
#   2. search: each keystroke of a few typed queries, key to frame on the terminal (--trace-latency);
#   3. saved views: each `v` (the next view, counted and shown) and `V` (every view counted), key to
#      frame over the same mirror (--trace-latency);
#   4. backfill of BACKFILL_CONTACTS (default 20000) contacts into an empty mirror at a 200/min
#      limit with rate headers, then at 50/min without them: the time and the 429s the server sent.
# Needs tmux and curl. Not a test: it only measures. BENCH_PARTS picks parts ("start search views backfill").
set -euo pipefail
cd "$(dirname "$0")/.."
mirror_contacts=${MIRROR_CONTACTS:-100000}
backfill_contacts=${BACKFILL_CONTACTS:-20000}
parts=${BENCH_PARTS:-"start search views backfill"}
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001
work=$(mktemp -d)
server_pid=
socket=bench-mirror-$$
trap 'tmux -L $socket kill-server 2>/dev/null; [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

swift build -c release --product ventia >/dev/null 2>&1
swift build -c release --product ventia-server >/dev/null 2>&1
bin=$(swift build -c release --show-bin-path)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p90() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.9); if (i<1) i=1; print a[i]}'; }

# Starts a server on a fixed port (restarts reuse it, so the mirror's base URL stays the same).
port=$((20000 + $$ % 20000))
start_server() {
    stop_server
    "$bin/ventia-server" --port "$port" "$@" > "$work/server.json" 2> "$work/server.log" &
    server_pid=$!
    until grep -q baseURL "$work/server.json" 2>/dev/null; do sleep 0.05; done
}
stop_server() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    server_pid=
}
base() { echo "http://127.0.0.1:$port/api/v1.0"; }

# Runs ventia in tmux over the mirror in $1 (an XDG cache folder) with the remaining arguments.
run_app() {
    local cache=$1
    shift
    tmux -L $socket kill-server 2>/dev/null || true
    sleep 0.3  # a server still shutting down makes the next new-session fail
    # The app draws on the pane: its standard output must stay the terminal. What it prints after
    # it leaves the screen (the first-paint time) stays on the pane, followed by a marker.
    tmux -L $socket new-session -d -x 120 -y 40 \
        "XDG_CACHE_HOME=$cache XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config $bin/ventia --api-key $key --base-url $(base) $*; echo APP-DONE; sleep 60"
}
screen() { tmux -L $socket capture-pane -p 2>/dev/null || true; }
status_line() { screen | tail -1; }

# Fills a mirror: waits until the status line shows no sync and the given count. Prints seconds.
fill() {
    local cache=$1 count=$2 started
    started=$(date +%s%N)
    run_app "$cache"
    local grouped
    grouped=$(python3 -c "print(f'{$count:,}')")
    until status_line | grep -q "$grouped contacts" && ! status_line | grep -q "sync "; do sleep 0.5; done
    echo "$(( ($(date +%s%N) - started) / 1000000 ))"
    tmux -L $socket send-keys q
    sleep 0.5
}

echo "| what ($mirror_contacts contacts kept for the first four) | measured |"
echo "|---|---|"
if [[ " $parts " == *" start "* || " $parts " == *" search "* || " $parts " == *" views "* ]]; then
    cache=$work/cache-big
    start_server --contacts "$mirror_contacts" --rate-limit 100000000
    echo "| filling an empty copy with $mirror_contacts contacts from a server without a limit | $(( $(fill "$cache" "$mirror_contacts") / 1000 )) s; the file is $(du -m "$cache"/ventia/*.sqlite | awk '{print $1}') MB |"
fi

if [[ " $parts " == *" start "* ]]; then
    for mode in up down; do
        [ "$mode" = down ] && stop_server
        times=()
        for _ in 1 2 3 4 5 6 7 8 9; do
            run_app "$cache" --exit-after-first-paint
            until screen | grep -q "APP-DONE"; do sleep 0.05; done
            times+=("$(screen | sed -n 's/.*painted after \([0-9.]*\) ms.*/\1/p')")
        done
        echo "| cold start from that copy to the first painted page, server $mode | $(printf '%s\n' "${times[@]}" | median) ms (median of 9; $(printf '%s\n' "${times[@]}" | sort -n | head -1)–$(printf '%s\n' "${times[@]}" | sort -n | tail -1)) |"
    done
fi

if [[ " $parts " == *" search "* ]]; then
    [ -z "$server_pid" ] && start_server --contacts "$mirror_contacts" --rate-limit 100000000
    rm -f "$work/state/ventia/ventia.log"
    run_app "$cache" --trace-latency
    sleep 2
    for query in "maria" "099 346" "gonzalez rod" "outlook" "pocitos" "zzz" "+598 94"; do
        tmux -L $socket send-keys "/"
        sleep 0.3
        for ((i = 0; i < ${#query}; i++)); do
            tmux -L $socket send-keys -l "${query:$i:1}"
            sleep 0.15
        done
        tmux -L $socket send-keys Escape
        sleep 0.3
    done
    tmux -L $socket send-keys q
    sleep 0.5
    # The first two lines of each query are "/" and the window opening; every typed key counts.
    grep -o 'key to frame [0-9.]*' "$work/state/ventia/ventia.log" | awk '{print $4}' > "$work/latency"
    echo "| search, key to frame on the terminal ($(wc -l < "$work/latency") keys of 7 typed queries) | median $(median < "$work/latency") ms, p90 $(p90 < "$work/latency") ms |"
fi

if [[ " $parts " == *" views "* ]]; then
    [ -z "$server_pid" ] && start_server --contacts "$mirror_contacts" --rate-limit 100000000
    mkdir -p "$work/config/ventia"
    cat > "$work/config/ventia/config.yml" <<'VIEWS'
views:
  - name: new and unassigned
    status: new
    agent: none
  - name: interested, no contact in 7 days
    status: [interested, negotiation]
    last_interaction: older than 7 days
  - name: reminders due this week
    reminder: next 7 days
  - name: created this month
    created: last 30 days
VIEWS
    rm -f "$work/state/ventia/ventia.log"
    run_app "$cache" --trace-latency
    sleep 2
    for _ in 1 2 3; do
        for _ in 1 2 3 4 5; do tmux -L $socket send-keys v; sleep 0.4; done
        tmux -L $socket send-keys V
        sleep 0.5
        tmux -L $socket send-keys Escape
        sleep 0.5
    done
    tmux -L $socket send-keys q
    sleep 0.5
    rm -f "$work/config/ventia/config.yml"
    grep -o 'key to frame [0-9.]*' "$work/state/ventia/ventia.log" | awk '{print $4}' > "$work/views"
    echo "| saved views, key to frame ($(wc -l < "$work/views") keys: v, V, Esc over four views) | median $(median < "$work/views") ms, p90 $(p90 < "$work/views") ms, max $(sort -n "$work/views" | tail -1) ms |"
fi

if [[ " $parts " == *" backfill "* ]]; then
    for setting in "200 headers" "50 no-headers"; do
        read -r limit headers <<< "$setting"
        flags=(--contacts "$backfill_contacts" --rate-limit "$limit" --verbose)
        [ "$headers" = no-headers ] && flags+=(--no-rate-headers)
        start_server "${flags[@]}"
        ms=$(fill "$work/cache-$limit" "$backfill_contacts")
        refused=$(grep -c ' 429 ' "$work/server.log" || true)
        pages=$(( (backfill_contacts + 99) / 100 + 1 ))
        floor=$(( pages * 60 / limit ))
        echo "| backfill of $backfill_contacts contacts at $limit a minute, $([ "$headers" = headers ] && echo "with rate headers" || echo "without rate headers") | $((ms / 1000)) s for $pages pages (the floor: ${floor} s); $refused 429s |"
    done
fi
