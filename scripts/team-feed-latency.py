#!/usr/bin/env python3
"""How long a write through the gateway takes to reach other agents (scripts/bench-team-copy.sh).

Listeners follow the change feed as ventia's TeamFeed does (long polls, `wait=25`, from `now`),
half on each replica; one writer sends transfers and notes through the first replica, a second
apart. For every write and every listener: the time from sending the write to that listener
receiving its change. Prints one JSON summary; stdlib only.
"""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--replicas", required=True, help="comma-separated base URLs (…/api/v1.0)")
parser.add_argument("--tokens", required=True, help="file with one token per line: the first writes, the rest listen")
parser.add_argument("--writes", type=int, default=40)
args = parser.parse_args()

replicas = [urllib.parse.urlsplit(url) for url in args.replicas.split(",")]
tokens = [line.strip() for line in open(args.tokens) if line.strip()]
writer_token, listener_tokens = tokens[0], tokens[1:]
sent = {}  # (kind, contact id, ordinal) -> monotonic time sent
received = []  # latencies in seconds
lock = threading.Lock()
stop = threading.Event()


def call(replica, method, path, token, body=None, timeout=60):
    connection = http.client.HTTPConnection(replica.hostname, replica.port, timeout=timeout)
    separator = "&" if "?" in path else "?"
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    connection.request(method, f"{replica.path}{path}{separator}api-key={token}", body=data, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, payload


def listen(index, token):
    replica = replicas[index % len(replicas)]
    status, payload = call(replica, "GET", "/_ventia/changes?since=now", token)
    cursor = json.loads(payload)["cursor"]
    seen = {}
    while not stop.is_set():
        try:
            status, payload = call(replica, "GET", f"/_ventia/changes?since={cursor}&wait=25", token, timeout=40)
        except OSError:
            time.sleep(0.2)
            continue
        now = time.monotonic()
        batch = json.loads(payload)
        cursor = batch["cursor"]
        for change in batch["changes"]:
            if change["by"] == "sync":
                continue
            key = (change["kind"], change["contactId"])
            seen[key] = seen.get(key, 0) + 1
            with lock:
                at = sent.get((change["kind"], change["contactId"], seen[key]))
                if at is not None:
                    received.append(now - at)


threads = [threading.Thread(target=listen, args=(index, token), daemon=True) for index, token in enumerate(listener_tokens)]
for thread in threads:
    thread.start()
time.sleep(2)  # every listener is waiting on its long poll

status, payload = call(replicas[0], "GET", "/contact?page=0&limit=100", writer_token)
contacts = json.loads(payload)
status, payload = call(replicas[0], "GET", "/user", writer_token)
users = [user["_id"] for user in json.loads(payload)]
counts = {}
for number in range(args.writes):
    contact = contacts[number % len(contacts)]
    if number % 2 == 0:
        kind, path, body = "transfer", f"/contact/{contact['_id']}/transfer", {"to": users[number % len(users)]}
    else:
        kind, path, body = "note", f"/contact/{contact['_id']}/note", {"body": f"Llamar de nuevo ({number})"}
    key = (kind, contact["_id"])
    counts[key] = counts.get(key, 0) + 1
    with lock:
        sent[(kind, contact["_id"], counts[key])] = time.monotonic()
    status, _ = call(replicas[0], "POST", path, writer_token, body)
    if status != 200:
        print(json.dumps({"error": f"{kind} answered {status}"}))
    time.sleep(1)
time.sleep(3)
stop.set()

expected = args.writes * len(listener_tokens)
latencies = sorted(received)
def percentile(p):
    return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1) if latencies else None
print(json.dumps({
    "writes": args.writes, "listeners": len(listener_tokens), "deliveries": len(latencies), "expected": expected,
    "p50_ms": percentile(0.50), "p99_ms": percentile(0.99), "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
    "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else None,
}))
