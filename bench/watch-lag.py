#!/usr/bin/env python3
"""How long after a lone write's 200 each member's watch delivers it (bench/watch-lag.sh runs it).

usage: watch-lag.py WRITES LEADER_PORT PORT... : a watch on every PORT, then WRITES lone PUTs to the
leader, 0.3-0.7 s apart; prints, per member, the time from each PUT's 200 to its event on that watch.
"""
import http.client
import json
import random
import sys
import threading
import time

writes, leader, ports = int(sys.argv[1]), int(sys.argv[2]), [int(p) for p in sys.argv[3:]]
arrivals = {port: {} for port in ports}


def watch(port):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=300)
    conn.request('GET', '/v1/watch/kv/lag/?prefix=true')
    for raw in conn.getresponse():
        line = raw.decode().strip()
        if line.startswith('data:'):
            try:
                key = json.loads(line[5:]).get('key')
            except ValueError:
                continue
            if key:
                arrivals[port].setdefault(key, time.monotonic())


def quantile(values, q):
    return values[min(len(values) - 1, int(len(values) * q))]


for port in ports:
    threading.Thread(target=watch, args=(port,), daemon=True).start()
time.sleep(1.0)  # the watches open; a write before that would only be missed, not mismeasured
lags = {port: [] for port in ports}
writer = http.client.HTTPConnection('127.0.0.1', leader, timeout=30)
for i in range(writes):
    time.sleep(random.uniform(0.3, 0.7))  # a lone write: nothing else in flight
    key = 'lag/%d' % i
    writer.request('PUT', '/v1/kv/' + key, body=json.dumps({'value': 'x'}), headers={'Content-Type': 'application/json'})
    response = writer.getresponse()
    response.read()
    if response.status != 200:
        sys.exit('PUT %s answered %d' % (key, response.status))
    answered = time.monotonic()
    deadline = answered + 2
    while any(key not in arrivals[port] for port in ports) and time.monotonic() < deadline:
        time.sleep(0.0005)
    for port in ports:
        if key in arrivals[port]:
            lags[port].append((arrivals[port][key] - answered) * 1000)
for port in ports:
    seen = sorted(lags[port])
    role = 'leader  ' if port == leader else 'follower'
    if not seen:
        print('%s %d: no write seen by its watch' % (role, port))
        continue
    print('%s %d: %d of %d writes seen; ms after the 200: min %.1f p50 %.1f p90 %.1f max %.1f' % (
        role, port, len(seen), writes, seen[0], quantile(seen, 0.5), quantile(seen, 0.9), seen[-1]))
