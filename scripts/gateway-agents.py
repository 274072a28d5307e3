#!/usr/bin/env python3
"""Simulated agents for scripts/bench-gateway.sh: each one a ventia at work against a gateway replica.

Every agent syncs its mirror on the background lane (pages newest first, the whole account at the
start of the day, then the first page each round) while a person works on the interactive and write
lanes: opens the list, pages, opens contacts and their timelines, adds notes and reminders. Agent 0
also transfers 50 contacts in bulk. Prints one JSON summary; stdlib only.
"""
import argparse
import http.client
import json
import random
import statistics
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--replicas", required=True, help="comma-separated base URLs of the gateway replicas")
parser.add_argument("--tokens", required=True, help="file with one agent token per line")
parser.add_argument("--seconds", type=float, default=180)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

replicas = [urllib.parse.urlsplit(url) for url in args.replicas.split(",")]
tokens = [line.strip() for line in open(args.tokens) if line.strip()]
deadline = time.monotonic() + args.seconds
records = []
records_lock = threading.Lock()


class Agent:
    def __init__(self, index, token):
        self.index = index
        self.token = token
        self.replica = replicas[index % len(replicas)]
        self.random = random.Random(args.seed * 1000 + index)
        self.connections = {}
        self.seen = []

    def request(self, method, path, lane, kind, body=None):
        thread = threading.get_ident()
        connection = self.connections.get(thread)
        if connection is None:
            connection = http.client.HTTPConnection(self.replica.hostname, self.replica.port, timeout=60)
            self.connections[thread] = connection
        separator = "&" if "?" in path else "?"
        target = f"{self.replica.path}{path}{separator}api-key={self.token}"
        headers = {"Ventia-Lane": lane, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        try:
            connection.request(method, target, body=data, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.connections.pop(thread, None)
            with records_lock:
                records.append({"kind": kind, "lane": lane, "status": 0, "total": (time.monotonic() - started) * 1000})
            return 0, None, {}
        total = (time.monotonic() - started) * 1000
        timing = {}
        for part in (response.getheader("Server-Timing") or "").split(","):
            name, _, duration = part.strip().partition(";dur=")
            if duration:
                timing[name] = float(duration)
        record = {
            "kind": kind, "lane": lane, "status": response.status, "total": total,
            "upstream": timing.get("upstream"), "budget": timing.get("budget"), "gateway": timing.get("gateway"), "cache": response.getheader("Ventia-Cache"),
        }
        with records_lock:
            records.append(record)
        return response.status, payload, {"retry-after": response.getheader("Retry-After")}

    def sync(self):
        """The mirror's sync: every page once, then the newest page every 10 s."""
        page = 0
        caught_up = False
        while time.monotonic() < deadline:
            status, payload, headers = self.request("GET", f"/contact?page={page}&limit=100", "background", "sync")
            if status == 429:
                time.sleep(min(float(headers.get("retry-after") or 5), max(0, deadline - time.monotonic())))
                continue
            if status != 200:
                time.sleep(1)
                continue
            count = len(json.loads(payload))
            if caught_up or count < 100:
                caught_up = True
                page = 0
                time.sleep(10)
            else:
                page += 1

    def work(self):
        """A person: a look at the list, a page, a contact and its timeline, a note or a reminder."""
        status, payload, _ = self.request("GET", "/contact?page=0&limit=100", "interactive", "list")
        if status == 200:
            self.seen = [contact["_id"] for contact in json.loads(payload)]
        users = []
        status, payload, _ = self.request("GET", "/user", "interactive", "users")
        if status == 200:
            users = [user["_id"] for user in json.loads(payload)]
        if self.index == 0 and users and self.seen:
            time.sleep(20)
            for contact in self.seen[50:100]:
                self.request("POST", f"/contact/{contact}/transfer", "write", "transfer", {"to": self.random.choice(users)})
        while time.monotonic() < deadline:
            time.sleep(self.random.uniform(4, 12))
            if time.monotonic() >= deadline:
                break
            choice = self.random.random()
            if choice < 0.3:
                status, payload, _ = self.request("GET", "/contact?page=0&limit=100", "interactive", "list")
                if status == 200:
                    self.seen = [contact["_id"] for contact in json.loads(payload)]
            elif choice < 0.45:
                self.request("GET", f"/contact?page={self.random.randint(1, 4)}&limit=100", "interactive", "page")
            elif self.seen:
                contact = self.random.choice(self.seen)
                self.request("GET", f"/contact/{contact}", "interactive", "contact")
                self.request("GET", f"/contact/{contact}/interactions", "interactive", "timeline")
                roll = self.random.random()
                if roll < 0.3:
                    self.request("POST", f"/contact/{contact}/note", "write", "note", {"body": f"Called from the bench, agent {self.index}"})
                elif roll < 0.4:
                    self.request("POST", f"/contact/{contact}/reminder", "write", "reminder", {"reminderDate": "2027-01-15T13:00:00.000Z"})


agents = [Agent(index, token) for index, token in enumerate(tokens)]
threads = [threading.Thread(target=agent.sync) for agent in agents] + [threading.Thread(target=agent.work) for agent in agents]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()


def percentiles(values):
    if not values:
        return None
    ordered = sorted(values)
    return {"p50": round(ordered[len(ordered) // 2], 1), "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1), "n": len(ordered)}


served = [r for r in records if r["status"]]
reads = [r for r in served if r["lane"] != "write"]
fetched = [r for r in reads if r["cache"] == "fetched" and r["upstream"] is not None and r["gateway"] is not None]
cached = [r for r in reads if r["cache"] == "cached" and r["gateway"] is not None]
joined = [r for r in reads if r["cache"] == "joined"]
writes = [r for r in served if r["lane"] == "write" and r["upstream"] is not None and r["gateway"] is not None]
summary = {
    "agents": len(agents),
    "seconds": args.seconds,
    "requests": len(records),
    "by_status": {str(status): sum(1 for r in records if r["status"] == status) for status in sorted({r["status"] for r in records})},
    "by_kind": {kind: sum(1 for r in records if r["kind"] == kind) for kind in sorted({r["kind"] for r in records})},
    "reads": len(reads),
    "cache_hits": len(cached),
    "coalesced": len(joined),
    "added_ms": {
        "cached_read": percentiles([r["gateway"] for r in cached]),
        "uncached_read": percentiles([r["gateway"] - r["upstream"] - r["budget"] for r in fetched]),
        "write": percentiles([r["gateway"] - r["upstream"] - r["budget"] for r in writes]),
    },
    "budget_wait_ms": {
        "interactive": percentiles([r["budget"] for r in served if r["lane"] == "interactive" and r["budget"] is not None]),
        "write": percentiles([r["budget"] for r in served if r["lane"] == "write" and r["budget"] is not None]),
        "background": percentiles([r["budget"] for r in served if r["lane"] == "background" and r["budget"] is not None]),
    },
    "refused_429_by_lane": {lane: sum(1 for r in records if r["lane"] == lane and r["status"] == 429) for lane in ("interactive", "write", "background")},
}
print(json.dumps(summary, indent=2))
