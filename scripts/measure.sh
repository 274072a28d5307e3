#!/usr/bin/env bash
# Measures what docs/using-ventia.md reports: time to the first painted contact page (demo mode, and against
# a separately started ventia-server next to curl), RSS after scrolling through 10,000 contacts,
# and idle CPU. Needs tmux and curl. Run from the repository root: bash scripts/measure.sh
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

echo "== first contact page painted, demo mode (in-process server, 500 contacts), $runs runs"
for _ in $(seq 1 "$runs"); do first_paint "$bin/ventia"; done | median | xargs printf "median %s ms\n"

echo "== against a separately started ventia-server, $runs runs"
"$bin/ventia-server" --port 0 > "$state/server.json" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$state/server.json" ] && break; sleep 0.05; done
port=$(sed -E 's/.*"port":([0-9]+).*/\1/' "$state/server.json")
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001
for _ in $(seq 1 "$runs"); do first_paint "$bin/ventia" --api-key $key --base-url "http://127.0.0.1:$port/api/v1.0"; done | median | xargs printf "ventia median %s ms\n"
for _ in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    curl -s -o /dev/null "http://127.0.0.1:$port/api/v1.0/contact?page=0&limit=100&api-key=$key"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
done | median | awk '{printf "curl (whole process) median %.1f ms\n", $1 / 1000}'
kill $server_pid; wait $server_pid 2>/dev/null || true

echo "== memory after scrolling through 10,000 contacts (demo mode: the server's store is in the same process)"
tmux kill-session -t measure 2>/dev/null || true
tmux new-session -d -s measure -x 120 -y 40 "env -u VENTIA_API_KEY TERM=tmux-256color $bin/ventia --demo-contacts 10000"
for _ in $(seq 1 200); do tmux capture-pane -p -t measure | grep -q "loaded, more below" && break; sleep 0.05; done
pid=$(pgrep -n -f "$bin/ventia --demo-contacts 10000")
echo "after the first page: $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$pid/status)"
for _ in $(seq 1 150); do
    tmux send-keys -t measure G
    sleep 0.1
    tmux capture-pane -p -t measure | grep -q " 10000 contacts" && break
done
tmux capture-pane -p -t measure | tail -1
echo "after all 10,000: $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$pid/status)"

echo "== idle CPU over 10 s, once the rate window's countdown has ended (ticks of user+system time)"
for _ in $(seq 1 80); do tmux capture-pane -p -t measure | tail -1 | grep -q "API 200/200" && break; sleep 1; done
before=$(awk '{print $14 + $15}' /proc/$pid/stat)
sleep 10
after=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "$((after - before)) ticks in 10 s"
tmux send-keys -t measure C-c
