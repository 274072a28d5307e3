#!/usr/bin/env bash
# Benchmarks ventia-server (release builds) at several store sizes, for the working tree and,
# given a revision, for that revision built beside it in the same run:
#   bash scripts/bench-server.sh            # this tree
#   bash scripts/bench-server.sh HEAD~3     # this tree and HEAD~3
# Sizes come from BENCH_SIZES (default "1000 10000 100000 1000000"); the baseline revision runs
# BASE_SIZES (default "1000 10000 100000": the JSON store of before cannot serve a million).
# Prints, per size: start time, RSS, latency of the first, a middle and the last contact page, the
# median of a note with --data, and wrk throughput on a 100-contact and a 1-contact page (32
# connections). Then BENCH_KILLS rounds (default 20) of: notes streamed to a --data server, SIGKILL
# in the middle, restart, and a check that every note answered 200 is there.
# First, the 100-contact page beside a stdlib Python server answering the same bytes, three rounds
# (STDLIB_ONLY=1: only that; SKIP_STDLIB=1: all but that).
# Needs curl and wrk (apt-get install wrk). Not a test: it only measures.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${BENCH_SIZES:-"1000 10000 100000 1000000"}
base_sizes=${BASE_SIZES:-"1000 10000 100000"}
kills=${BENCH_KILLS:-20}
key=DEMO0A1-VENTIA0-LOCAL00-KEY0001
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; git worktree remove --force "$work/base" 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "bench-server: wrk is missing (apt-get install wrk)" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Builds ventia-server in release for a source folder; prints the binary's path.
build() {
    (cd "$1" && swift build -c release --product ventia-server --scratch-path "$2" >/dev/null 2>&1)
    echo "$2/release/ventia-server"
}

# Starts a server; sets server_pid, base, and start_ms (milliseconds until it announced its port).
start() {
    local bin=$1
    shift
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    local started
    started=$(date +%s%N)
    "$bin" --port 0 --rate-limit 100000000 "$@" > "$work/server.json" 2>/dev/null &
    server_pid=$!
    until grep -q baseURL "$work/server.json" 2>/dev/null; do sleep 0.01; done
    start_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["baseURL"])' "$work/server.json")
}

rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status"; }

# Median milliseconds of GET on this target, over 7 tries.
latency() {
    for _ in 1 2 3 4 5 6 7; do curl -s -o /dev/null -w '%{time_total}\n' "$base$1&api-key=$key"; done | median | awk '{printf "%.1f", $1 * 1000}'
}

throughput() {
    wrk -t2 -c32 -d5s "$base/contact?limit=$1&api-key=$key" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}

bench() {
    local label=$1 bin=$2 list=$3
    for size in $list; do
        local rss_mb first middle last note_ms page100 page1 pages started_ms
        start "$bin" --contacts "$size"
        started_ms=$start_ms
        rss_mb=$(rss)
        pages=$(( (size + 99) / 100 ))
        first=$(latency "/contact?limit=100&page=0")
        middle=$(latency "/contact?limit=100&page=$(( pages / 2 ))")
        last=$(latency "/contact?limit=100&page=$(( pages - 1 ))")
        page100=$(throughput 100)
        page1=$(throughput 1)
        start "$bin" --contacts "$size" --data "$work/store-$size.db"
        local contact
        contact=$(curl -s "$base/contact?limit=1&api-key=$key" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["_id"])')
        note_ms=$(for i in 1 2 3 4 5 6 7; do
            curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -d "{\"body\":\"bench $i\"}" \
                "$base/contact/$contact/note?api-key=$key"
        done | median | awk '{printf "%.1f", $1 * 1000}')
        rm -f "$work/store-$size".db*
        printf "| %s | %s | %s ms | %s MB | %s / %s / %s ms | %s ms | %s/s | %s/s |\n" \
            "$label" "$size" "$started_ms" "$rss_mb" "$first" "$middle" "$last" "$note_ms" "$page100" "$page1"
    done
}

# The page every client asks for most, beside Python's standard-library server answering the same
# bytes (scripts/stdlib-page-server.py), in the same run: three rounds each, alternating.
if [ -z "${SKIP_STDLIB:-}" ]; then
    tree_bin=$(build . "$PWD/.build")
    start "$tree_bin"
    curl -s "$base/contact?page=0&limit=100&api-key=$key" > "$work/page.json"
    python3 scripts/stdlib-page-server.py "$work/page.json" > "$work/stdlib.port" &
    stdlib_pid=$!
    until [ -s "$work/stdlib.port" ]; do sleep 0.05; done
    stdlib_url="http://127.0.0.1:$(cat "$work/stdlib.port")/api/v1.0"
    echo "| GET /contact?page=0&limit=100 ($(wc -c < "$work/page.json") bytes), wrk -t2 -c32 -d5s | ventia-server | stdlib http.server | ratio |"
    echo "|---|---|---|---|"
    for round in 1 2 3; do
        ours=$(wrk -t2 -c32 -d5s "$base/contact?page=0&limit=100&api-key=$key" | awk '/Requests\/sec/ {printf "%.0f", $2}')
        theirs=$(wrk -t2 -c32 -d5s "$stdlib_url/contact?page=0&limit=100&api-key=$key" | awk '/Requests\/sec/ {printf "%.0f", $2}')
        echo "| round $round | $ours/s | $theirs/s | $(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f", a / b}') |"
    done
    kill "$stdlib_pid" 2>/dev/null || true
    echo
    [ -n "${STDLIB_ONLY:-}" ] && exit 0
fi

echo "| build | contacts | start | RSS | page first / middle / last | note with --data | wrk 100-contact page | wrk 1-contact page |"
echo "|---|---|---|---|---|---|---|---|"
tree_bin=$(build . "$PWD/.build")  # the tree's own build folder: no second build of every package
bench "this tree" "$tree_bin" "$sizes"
if [ $# -gt 0 ]; then
    git worktree add --detach "$work/base" "$1" >/dev/null 2>&1
    bench "$1" "$(build "$work/base" "$PWD/.build-bench/base")" "$base_sizes"
fi

# SIGKILL in the middle of a stream of writes, $kills times over one data file.
[ "$kills" -gt 0 ] || exit 0
file="$work/killed.db"
lost=0
kept=0
for round in $(seq 1 "$kills"); do
    start "$tree_bin" --contacts 200 --data "$file"
    contact=$(curl -s "$base/contact?limit=1&api-key=$key" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["_id"])')
    : > "$work/acknowledged"
    (
        for i in $(seq 1 400); do
            code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
                -d "{\"body\":\"kill $round.$i\"}" "$base/contact/$contact/note?api-key=$key") || break
            [ "$code" = 200 ] && echo "kill $round.$i" >> "$work/acknowledged"
        done
    ) &
    writer=$!
    sleep "0.$(( RANDOM % 5 + 2 ))"
    kill -9 "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=
    wait "$writer" 2>/dev/null || true
    start "$tree_bin" --contacts 200 --data "$file"
    curl -s "$base/contact/$contact/notes?limit=100&page=0&api-key=$key" > /dev/null
    present=$(for page in $(seq 0 80); do
        curl -s "$base/contact/$contact/notes?limit=100&page=$page&api-key=$key"
    done | python3 -c 'import json,sys
seen=set()
for line in sys.stdin.read().replace("][", "]\n[").splitlines():
    for note in json.loads(line): seen.add(note["content"]["body"])
print("\n".join(sorted(seen)))')
    missing=$({ grep -vxF -f <(echo "$present") "$work/acknowledged" || true; } | wc -l)
    kept=$(( kept + $(wc -l < "$work/acknowledged") ))
    lost=$(( lost + missing ))
done
echo
echo "SIGKILL mid-stream, $kills rounds: $kept notes answered 200, $lost of them missing after the restart"
[ "$lost" -eq 0 ]
