#!/usr/bin/env python3
"""Load test for `eventline serve`: requests/s and p50/p99 latency of /api/events
with and without filters and with q, at 1 and 16 concurrent clients.

    eventline serve --db STORE --addr 127.0.0.1:0   # note the port
    python3 scripts/serve_load.py 127.0.0.1:PORT
"""
import http.client, time, threading, sys, statistics
host, port = sys.argv[1].split(':')
def run(path, clients, n=400):
    lat=[]; lock=threading.Lock()
    def worker(k):
        c=http.client.HTTPConnection(host,int(port))
        for _ in range(k):
            t=time.perf_counter(); c.request('GET',path); r=c.getresponse(); r.read(); assert r.status==200
            with lock: lat.append(time.perf_counter()-t)
    ts=[threading.Thread(target=worker,args=(n//clients,)) for _ in range(clients)]
    t0=time.perf_counter(); [t.start() for t in ts]; [t.join() for t in ts]; el=time.perf_counter()-t0
    lat.sort(); p=lambda q: lat[min(len(lat)-1,int(q*len(lat)))]*1000
    print(f"{path:45s} c={clients:2d} {len(lat)/el:7.0f} req/s p50 {p(.5):6.1f} ms p99 {p(.99):6.1f} ms")
for path in ["/api/events","/api/events?type=CONSULT&from=2000-01-01","/api/events?q=police"]:
    for c in (1,16): run(path,c)
