#!/usr/bin/env bash
# The HTTP transport measured as a user meets it, this tree beside another build of ventia:
#   BEFORE=/path/to/other/ventia bash scripts/bench-transport.sh
# 1. the live first paint against ventia-server (whole processes, paired runs) beside curl for the
#    same page; 2. resident memory while the server streams an endless answer; 3. the binary's size.
# Debug builds by default (what `swift run` runs); CONFIG=release for optimised ones. Needs tmux,
# curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-debug}
swift build -c "$config" --product ventia >/dev/null
swift build -c "$config" --product ventia-server >/dev/null
bin=$(swift build -c "$config" --show-bin-path)
after=$bin/ventia
before=${BEFORE:-}
runs=${RUNS:-9}
state=$(mktemp -d)
export XDG_STATE_HOME=$state XDG_CONFIG_HOME=$state XDG_CACHE_HOME=$state/cache
trap 'tmux kill-session -t bench-transport 2>/dev/null || true; kill $server_pid $endless_pid 2>/dev/null || true; rm -rf "$state"' EXIT
server_pid=0
endless_pid=0

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Milliseconds to the first painted page, as ventia reports it (--exit-after-first-paint).
first_paint() {
    tmux kill-session -t bench-transport 2>/dev/null || true
    rm -rf "$state/cache"
    tmux new-session -d -s bench-transport -x 120 -y 40 "env -u VENTIA_API_KEY TERM=tmux-256color $* --exit-after-first-paint > $state/out 2>&1; echo done >> $state/out"
    for _ in $(seq 1 400); do grep -q done "$state/out" 2>/dev/null && break; sleep 0.05; done
    grep -o '[0-9.]* ms' "$state/out" | cut -d' ' -f1
    rm -f "$state/out"
}

"$bin/ventia-server" --port 0 > "$state/server.json" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$state/server.json" ] && break; sleep 0.05; done
port=$(sed -E 's/.*"port":([0-9]+).*/\1/' "$state/server.json")
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001
base="http://127.0.0.1:$port/api/v1.0"

echo "== live first paint against ventia-server ($config builds, $runs paired runs, no mirror)"
: > "$state/after.ms"; : > "$state/before.ms"; : > "$state/curl.us"
for _ in $(seq 1 "$runs"); do
    first_paint "$after" --api-key $key --base-url "$base" >> "$state/after.ms"
    if [ -n "$before" ]; then first_paint "$before" --api-key $key --base-url "$base" >> "$state/before.ms"; fi
    start=$(date +%s%N)
    curl -s -o /dev/null "$base/contact?page=0&limit=100&api-key=$key"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 )) >> "$state/curl.us"
done
a=$(median < "$state/after.ms")
echo "this tree: median $a ms ($(sort -n "$state/after.ms" | tr '\n' ' '))"
if [ -n "$before" ]; then
    b=$(median < "$state/before.ms")
    echo "before:    median $b ms ($(sort -n "$state/before.ms" | tr '\n' ' '))"
    awk -v a="$a" -v b="$b" 'BEGIN {printf "ratio this tree / before: %.2f\n", a / b}'
fi
median < "$state/curl.us" | awk '{printf "curl, the same page (whole process): median %.1f ms\n", $1 / 1000}'
kill $server_pid; wait $server_pid 2>/dev/null || true; server_pid=0

echo "== resident memory while the contact list's answer never ends (MB, once a second for 10 s)"
cat > "$state/endless.py" <<'EOF'
import socket, sys, threading, time
def serve(connection):
    with connection:
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = (b"400\r\n" + b" " * 1024 + b"\r\n") * 64
        started = time.time()
        try:
            while time.time() - started < 30:
                connection.sendall(chunk)
        except OSError:
            pass
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
while True:
    threading.Thread(target=serve, args=(listener.accept()[0],), daemon=True).start()
EOF
python3 "$state/endless.py" > "$state/endless.port" &
endless_pid=$!
for _ in $(seq 1 100); do [ -s "$state/endless.port" ] && break; sleep 0.05; done
endless="http://127.0.0.1:$(cat "$state/endless.port")/api/v1.0"
rss() {
    tmux kill-session -t bench-transport 2>/dev/null || true
    tmux new-session -d -s bench-transport -x 120 -y 40 "sh -c 'echo \$\$ > $state/pid; exec env -u VENTIA_API_KEY TERM=tmux-256color $1 --api-key $key --base-url $endless'"
    sleep 0.5
    pid=$(cat "$state/pid")
    line=""
    for _ in $(seq 1 10); do
        sleep 1
        line="$line $(awk '/VmRSS/ {printf "%d", $2 / 1024}' /proc/$pid/status 2>/dev/null || echo gone)"
    done
    echo "$line"
    tmux capture-pane -p -t bench-transport | grep -m1 -o "larger than [0-9]* MB[^—(]*" || echo "(no message on screen)"
    tmux kill-session -t bench-transport 2>/dev/null || true
}
echo "this tree:$(rss "$after" | tr '\n' ' ')"
if [ -n "$before" ]; then echo "before:   $(rss "$before" | tr '\n' ' ')"; fi

echo "== binary size"
echo "this tree: $(stat -c %s "$after") bytes"
if [ -n "$before" ]; then echo "before:    $(stat -c %s "$before") bytes"; fi
