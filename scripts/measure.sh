#!/usr/bin/env bash
# The app's start as docs/benchmarks.md reports it, one table row a line: time to the first painted
# contact page (demo mode at 500 and 100,000 contacts, and against a separately started
# ventia-server next to curl), RSS after the first page and after scrolling through 10,000
# contacts, and idle CPU. Medians of RUNS runs (7). Needs tmux and curl: bash scripts/measure.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ventia >/dev/null
swift build -c release --product ventia-server >/dev/null
bin=$(swift build -c release --show-bin-path)
runs=${RUNS:-7}
state=$(mktemp -d)
export XDG_STATE_HOME=$state XDG_CONFIG_HOME=$state
trap 'tmux kill-session -t measure 2>/dev/null || true; kill $server_pid 2>/dev/null || true; rm -rf "$state"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs ventia in a 120x40 tmux pane with --exit-after-first-paint; prints the milliseconds it reports.
first_paint() {
    tmux kill-session -t measure 2>/dev/null || true
    tmux new-session -d -s measure -x 120 -y 40 "env -u VENTIA_API_KEY TERM=tmux-256color $* --exit-after-first-paint > $state/out 2>&1; echo done >> $state/out"
    for _ in $(seq 1 200); do grep -q done "$state/out" 2>/dev/null && break; sleep 0.05; done
    grep -o '[0-9.]* ms' "$state/out" | cut -d' ' -f1
    rm -f "$state/out"
}

echo "| what | measured (median of $runs) |"
echo "|---|---|"
for _ in $(seq 1 "$runs"); do first_paint "$bin/ventia"; done | median | xargs printf "| start to the first painted contact page, demo mode (server seeded in-process, 500 contacts) | %s ms |\n"
for _ in $(seq 1 "$runs"); do first_paint "$bin/ventia" --demo-contacts 100000; done | median | xargs printf "| the same with \`--demo-contacts 100000\` (nearly all of it seeding the server) | %s ms |\n"

"$bin/ventia-server" --port 0 > "$state/server.json" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$state/server.json" ] && break; sleep 0.05; done
port=$(sed -E 's/.*"port":([0-9]+).*/\1/' "$state/server.json")
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001
for _ in $(seq 1 "$runs"); do first_paint "$bin/ventia" --api-key $key --base-url "http://127.0.0.1:$port/api/v1.0"; done | median | xargs printf "| start to the first painted contact page against a running \`ventia-server\`, no mirror yet | %s ms |\n"
for _ in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    curl -s -o /dev/null "http://127.0.0.1:$port/api/v1.0/contact?page=0&limit=100&api-key=$key"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
done | median | awk '{printf "| `curl` fetching the same page (whole process; the floor) | %.1f ms |\n", $1 / 1000}'
kill $server_pid; wait $server_pid 2>/dev/null || true

tmux kill-session -t measure 2>/dev/null || true
tmux new-session -d -s measure -x 120 -y 40 "env -u VENTIA_API_KEY TERM=tmux-256color $bin/ventia --demo-contacts 10000"
for _ in $(seq 1 200); do tmux capture-pane -p -t measure | grep -q "loaded, more below" && break; sleep 0.05; done
pid=$(pgrep -n -f "$bin/ventia --demo-contacts 10000")
echo "| RSS after the first page, \`--demo-contacts 10000\` (the in-process server's store included) | $(awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' /proc/$pid/status) |"
for _ in $(seq 1 150); do
    tmux send-keys -t measure G
    sleep 0.1
    tmux capture-pane -p -t measure | grep -q " 10000 contacts" && break
done
echo "| RSS after scrolling through all 10,000 | $(awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' /proc/$pid/status) |"
for _ in $(seq 1 80); do tmux capture-pane -p -t measure | tail -1 | grep -q "API 200/200" && break; sleep 1; done
before=$(awk '{print $14 + $15}' /proc/$pid/stat)
sleep 10
after=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "| CPU over 10 s idle, once the rate window's countdown has ended | $((after - before)) ticks of user+system time |"
tmux send-keys -t measure C-c
