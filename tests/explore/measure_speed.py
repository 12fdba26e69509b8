"""Measures the explorer's simulated years per second (docs/explorer.md, "Speed"):

    CDPSIM_BIN=build/app/cdpsim taskset -c 0 /usr/bin/python3 tests/explore/measure_speed.py 4

Starts `cdpsim explore --no-browser`, keeps one stream open (as a page would), and times the 226
weeks of Passerelles at speed 0 (as fast as possible) with REDRAW weeks per frame, best of 3."""
import json
import os
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conftest  # noqa: E402
e = conftest.start_explorer(*sys.argv[2:])
def post(p, b):
    r = urllib.request.Request(f"{e.base}{p}?token={e.token}", data=json.dumps(b).encode(), headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(r).read())
def st(): return json.loads(urllib.request.urlopen(f"{e.base}/api/state?token={e.token}").read())
redraw = int(sys.argv[1]) if len(sys.argv) > 1 else 4
if True:
    stream_bytes = [0]
    def reader():
        with urllib.request.urlopen(f"{e.base}/api/stream?token={e.token}") as r:
            while True:
                try:
                    c = r.read(65536)
                except Exception:  # the server stops: the stream ends
                    break
                if not c: break
                stream_bytes[0] += len(c)
    threading.Thread(target=reader, daemon=True).start()
res=[]
for rep in range(3):
    post("/api/reset", {}); post("/api/speed", {"speed": 0, "redraw": redraw})
    t = time.time(); post("/api/play", {})
    while st()["week"] < 226: time.sleep(0.01)
    res.append(time.time() - t)
best = min(res)
print(f"redraw {redraw}: 226 weeks in {best:.3f} s = {226/52/best:.1f} simulated years/s (runs: {[round(x,3) for x in res]}), stream {stream_bytes[0]/1e6:.1f} MB")
conftest.stop_explorer(e)
