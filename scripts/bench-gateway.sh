#!/usr/bin/env bash
# The team gateway under a team's load: an upstream ventia-server (--rate-limit 200, 20,000
# contacts), two gateway replicas on one throwaway PostgreSQL, 30 simulated agents for 3 minutes
# (scripts/gateway-agents.py). Reports what agents got, what the upstream saw (its 429s, the most
# requests in any 60 s), cache and coalescing, the time the gateway adds, and the ledger's
# reservations a second. Without the team copy (--sync-seconds 0: scripts/bench-team-copy.sh
# measures that). Release builds by default; CONFIG=debug, SECONDS_RUN, AGENTS to change.
# Needs PostgreSQL 15 (apt-get install postgresql), python3 and curl; run as root or a normal user.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-release}
seconds=${SECONDS_RUN:-180}
agents=${AGENTS:-30}
swift build -c "$config" --product ventia-gateway >/dev/null 2>&1
swift build -c "$config" --product ventia-server >/dev/null 2>&1
bin=$(swift build -c "$config" --show-bin-path)
source scripts/lib/gateway-bench.sh

start_postgres


"$bin/ventia-server" --port 0 --contacts 20000 --rate-limit 200 --verbose > "$state/upstream.json" 2> "$state/upstream.log" &
pids+=($!)
wait_for_line "$state/upstream.json"
upstream="http://127.0.0.1:$(port_of "$state/upstream.json")/api/v1.0"
export VENTIA_UPSTREAM_KEY=DEMO0A1-VENTIA0-LOCAL00-KEY0001
replicas=()
for replica in 1 2; do
    "$bin/ventia-gateway" serve --upstream "$upstream" --port 0 --sync-seconds 0 > "$state/gateway$replica.json" 2> "$state/gateway$replica.log" &
    pids+=($!)
    wait_for_line "$state/gateway$replica.json"
    replicas+=("http://127.0.0.1:$(port_of "$state/gateway$replica.json")")
done
for agent in $(seq 1 "$agents"); do "$bin/ventia-gateway" token create --agent "agent$agent"; done > "$state/tokens"

echo "== $agents agents, $seconds s, two replicas ($config builds), upstream --rate-limit 200, 20,000 contacts"
python3 scripts/gateway-agents.py --replicas "${replicas[0]}/api/v1.0,${replicas[1]}/api/v1.0" --tokens "$state/tokens" --seconds "$seconds" > "$state/agents.json"
cat "$state/agents.json"

echo "== what the upstream saw"
python3 - "$state/upstream.log" <<'PY' | tee "$state/upstream.txt"
import collections, re, sys
per_second = collections.Counter()
statuses = collections.Counter()
for line in open(sys.argv[1]):
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\S* info ventia-server: \[VentiaServer\] (\w+) \S+ (\d{3}) ", line)
    if match:
        per_second[match.group(1)] += 1
        statuses[match.group(3)] += 1
seconds = sorted(per_second)
import datetime
times = [datetime.datetime.fromisoformat(s) for s in seconds]
counts = [per_second[s] for s in seconds]
largest = 0
start = 0
for end in range(len(times)):
    while (times[end] - times[start]).total_seconds() >= 60:
        start += 1
    largest = max(largest, sum(counts[start:end + 1]))
print(f"upstream requests: {sum(counts)}, by status: {dict(statuses)}")
print(f"429s upstream: {statuses.get('429', 0)}")
print(f"most upstream requests in any 60 s (whole-second stamps, so any 60 to 61 s): {largest}")
PY

echo "== the replicas' metrics"
for replica in "${replicas[@]}"; do
    curl -s "$replica/metrics" | grep -E '^ventia_gateway_(cache_hits|coalesced_reads|upstream_refusals|ledger_transaction_seconds_(sum|count))' || true
done

echo "== the ledger alone: reservations a second, two replicas one after another each"
"$bin/ventia-gateway" ledger-benchmark --seconds 10 --replicas 2 | tee "$state/ledger2.json"
echo "== and thirty replicas"
"$bin/ventia-gateway" ledger-benchmark --seconds 10 --replicas 30 | tee "$state/ledger30.json"

echo "== the table (docs/benchmarks.md)"
python3 - "$state/agents.json" "$state/upstream.txt" "$state/ledger2.json" "$state/ledger30.json" <<'PY'
import json, re, sys
agents = json.load(open(sys.argv[1]))
upstream = open(sys.argv[2]).read()
two, thirty = (json.load(open(path)) for path in sys.argv[3:5])
sent = int(re.search(r"upstream requests: (\d+)", upstream).group(1))
refused = int(re.search(r"429s upstream: (\d+)", upstream).group(1))
most = int(re.search(r"any 60 s[^:]*: (\d+)", upstream).group(1))
status = agents["by_status"]
lanes = agents["refused_429_by_lane"]
reads, hits, joined = agents["reads"], agents["cache_hits"], agents["coalesced"]
added = agents["added_ms"]
def pct(part): return f"{part * 100 // reads}%"
rows = [
    ("requests served to agents", f"{agents['requests']:,} ({status.get('200', 0):,} answered 200; {status.get('429', 0)} answered 429 by the gateway after their wait: "
     f"{lanes.get('interactive', 0)} interactive, {lanes.get('write', 0)} writes, {lanes.get('background', 0)} background)"),
    ("requests sent upstream", f"{sent:,}"),
    ("429s seen upstream", str(refused)),
    ("most upstream requests in any 60 s", f"{most} (limit 200 less the reserve of 10)"),
    ("reads answered without the upstream", f"{hits + joined:,} of {reads:,} ({pct(hits + joined)}): {hits:,} from the cache ({pct(hits)}), {joined} joined to one in flight ({pct(joined)})"),
    ("time the gateway adds, cached read", f"p50 {added['cached_read']['p50']} ms, p99 {added['cached_read']['p99']} ms"),
    ("time the gateway adds, uncached read (besides the budget's wait and the upstream)", f"p50 {added['uncached_read']['p50']} ms, p99 {added['uncached_read']['p99']} ms"),
    ("time the gateway adds, write (the audit included)", f"p50 {added['write']['p50']} ms, p99 {added['write']['p99']} ms"),
    ("the ledger's reservations a second, one account, at saturation", f"2 replicas: {two['per_second']}, p50 {two['p50_ms']} ms; 30 replicas: {thirty['per_second']}, p50 {thirty['p50_ms']} ms"),
]
print("| | |")
print("|---|---|")
for label, value in rows:
    print(f"| {label} | {value} |")
PY
