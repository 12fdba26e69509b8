"""The explorer's server refuses bad requests with the right 4xx and keeps serving
(docs/explorer.md, "Security")."""
import http.client
import json
import threading

from conftest import start_explorer, stop_explorer


def request(e, method, path, body=None, headers=None, token=True):
    c = http.client.HTTPConnection(e.host, e.port, timeout=10)
    h = {"Host": f"127.0.0.1:{e.port}"}
    if body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    sep = "&" if "?" in path else "?"
    url = path + (f"{sep}token={e.token}" if token is True else (f"{sep}token={token}" if token else ""))
    c.request(method, url, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def error_of(data):
    return json.loads(data)["error"]


def test_page_and_tables(explorer):
    status, page = request(explorer, "GET", "/")
    assert status == 200 and explorer.token.encode() in page
    status, data = request(explorer, "GET", "/api/meta")
    meta = json.loads(data)
    assert status == 200
    assert len(meta["levers"]) == 17
    assert meta["groups"] == ["environment", "design", "animation", "members", "tools"]
    assert {"key", "en", "fr", "moves", "reference"} <= set(meta["levers"][0])
    assert any(p["id"] == "passerelles" for p in meta["presets"])
    assert [p for p in meta["presets"] if p["id"] == "large"][0]["too_large"]
    for f in ("chart.min.js", "explore.js", "i18n.js", "explore.css"):
        assert request(explorer, "GET", "/static/" + f)[0] == 200


def test_token(explorer):
    for token in (None, "0" * 32, explorer.token[:-1], explorer.token + "x"):
        status, data = request(explorer, "GET", "/api/state", token=token)
        assert status == 403 and "token" in error_of(data)
    assert request(explorer, "GET", "/static/explore.js", token=None)[0] == 403
    assert request(explorer, "GET", "/", token=None)[0] == 403
    status, _ = request(explorer, "GET", "/api/state", headers={"X-Cdpsim-Token": explorer.token}, token=None)
    assert status == 200


def test_foreign_host(explorer):
    for host in ("evil.example", f"evil.example:{explorer.port}", "127.0.0.1:1", f"10.0.0.1:{explorer.port}"):
        status, data = request(explorer, "GET", "/api/state", headers={"Host": host})
        assert status == 403 and "Host" in error_of(data)
    assert request(explorer, "GET", "/api/state", headers={"Host": f"localhost:{explorer.port}"})[0] == 200


def test_foreign_origin(explorer):
    for origin in ("http://evil.example", f"http://evil.example:{explorer.port}", "null",
                   f"https://127.0.0.1:{explorer.port}"):
        status, data = request(explorer, "POST", "/api/play", "{}", headers={"Origin": origin})
        assert status == 403 and "Origin" in error_of(data)
    status, _ = request(explorer, "POST", "/api/pause", "{}",
                        headers={"Origin": f"http://127.0.0.1:{explorer.port}"})
    assert status == 200


def test_commands_are_json_posts(explorer):
    status, data = request(explorer, "POST", "/api/play", "{}", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, data = request(explorer, "POST", "/api/play", "{}",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
    assert request(explorer, "GET", "/api/play")[0] in (404, 405)
    assert request(explorer, "PUT", "/api/play", "{}")[0] == 405
    assert request(explorer, "DELETE", "/api/state")[0] == 405


def test_oversized_body(explorer):
    status, _ = request(explorer, "POST", "/api/lever", json.dumps({"key": "x" * 20000, "value": 1}))
    assert status == 413


def test_malformed_json(explorer):
    for body in ("{", "not json", "[1, 2]", '"text"', '{"key": }'):
        status, data = request(explorer, "POST", "/api/lever", body)
        assert status == 400, body
        assert error_of(data)


def test_out_of_range(explorer):
    cases = [
        {"key": "levers.time_allowance", "value": 1.5},
        {"key": "levers.time_allowance", "value": -0.1},
        {"key": "levers.time_allowance", "value": "high"},
        {"key": "levers.no_such_lever", "value": 0.5},
        {"key": "population.potential_members", "value": 10},
        {"key": "support.mode", "value": "magic"},
        {"key": "levers.animation", "value": 0.5, "run": "c"},
    ]
    for body in cases:
        status, data = request(explorer, "POST", "/api/lever", json.dumps(body))
        assert status == 422, (body, data)
    assert request(explorer, "POST", "/api/lever", json.dumps({"key": "levers.animation", "value": 0.5, "run": "b"}))[0] == 409
    assert request(explorer, "POST", "/api/step", json.dumps({"weeks": 100000}))[0] == 422
    assert request(explorer, "POST", "/api/speed", json.dumps({"speed": -3}))[0] == 422
    assert request(explorer, "POST", "/api/reset", json.dumps({"seed": -1}))[0] == 422
    assert request(explorer, "POST", "/api/reset", json.dumps({"preset": "large"}))[0] == 422
    assert request(explorer, "POST", "/api/reset", json.dumps({"preset": "../../etc/passwd"}))[0] == 422
    status, data = request(explorer, "POST", "/api/lever", json.dumps({"key": "levers.animation", "value": 0.7}))
    assert status == 200 and json.loads(data)["a"]["levers"]["animation"] == 0.7


def test_a_thousand_rapid_requests(explorer):
    expected = [
        ("GET", "/api/state", None, {}, True, 200),
        ("GET", "/api/state", None, {}, "bad", 403),
        ("GET", "/api/state", None, {"Host": "evil.example"}, True, 403),
        ("POST", "/api/lever", "{", {}, True, 400),
        ("POST", "/api/lever", '{"key": "levers.animation", "value": 7}', {}, True, 422),
        ("POST", "/api/play", "{}", {"Origin": "http://evil.example"}, True, 403),
        ("POST", "/api/step", '{"weeks": 1}', {}, True, 200),
        ("GET", "/nowhere", None, {}, True, 404),
    ]
    wrong = []

    def worker(k):
        for i in range(125):
            method, path, body, headers, token, want = expected[(i + k) % len(expected)]
            status, data = request(explorer, method, path, body, headers, token)
            if status != want:
                wrong.append((path, status, want, data[:100]))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong, wrong[:5]
    status, data = request(explorer, "GET", "/api/state")
    assert status == 200 and json.loads(data)["week"] > 0
    assert explorer.proc.poll() is None


def test_non_loopback_host_needs_a_flag():
    import subprocess
    from conftest import BIN
    r = subprocess.run([BIN, "explore", "--no-browser", "--host", "0.0.0.0", "--port", "0"],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 2 and "--allow-remote" in r.stderr


def test_too_large_scenario_is_refused():
    import os
    import subprocess
    from conftest import BIN, SOURCE
    r = subprocess.run([BIN, "explore", "--no-browser", "--port", "0",
                        os.path.join(SOURCE, "scenarios", "large.toml")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "potential_members" in r.stderr


def test_too_many_streams(explorer):
    conns = []
    statuses = []
    for _ in range(10):
        c = http.client.HTTPConnection(explorer.host, explorer.port, timeout=10)
        c.request("GET", f"/api/stream?token={explorer.token}", headers={"Host": f"127.0.0.1:{explorer.port}"})
        r = c.getresponse()
        statuses.append(r.status)
        if r.status == 429:
            r.read()
        conns.append(c)
    assert statuses.count(200) == 8 and statuses.count(429) == 2
    for c in conns:
        c.close()
    assert request(explorer, "GET", "/api/state")[0] == 200


def test_export_reproduces_several_interventions(explorer, tmp_path):
    """Levers moved at week 0 (a setting), twice on one key, and the support mode: the exported
    scenario run by `cdpsim run` gives the explored series exactly."""
    import csv
    import io
    import subprocess
    import time

    import h5py
    import numpy as np
    from conftest import BIN

    def post(path, body):
        status, data = request(explorer, "POST", path, json.dumps(body))
        assert status == 200, data
        return json.loads(data)

    def step(n):
        w = json.loads(request(explorer, "GET", "/api/state")[1])["week"]
        post("/api/step", {"weeks": n})
        for _ in range(400):
            if json.loads(request(explorer, "GET", "/api/state")[1])["week"] >= w + n:
                return
            time.sleep(0.01)
        raise AssertionError("the steps did not happen")

    post("/api/lever", {"key": "levers.belonging", "value": 0.7})  # week 0: a setting
    step(12)
    post("/api/lever", {"key": "levers.time_allowance", "value": 0.2})
    step(6)
    post("/api/lever", {"key": "levers.time_allowance", "value": 0.8})
    post("/api/lever", {"key": "support.mode", "value": "expert"})
    step(9)
    post("/api/lever", {"key": "support.capacity_hours", "value": 40})
    step(5)
    post("/api/lever", {"key": "levers.digital_tools", "value": 0.9})  # at the last week: not seen
    toml = tmp_path / "explored.toml"
    toml.write_bytes(request(explorer, "GET", "/api/export/scenario.toml")[1])
    rows = list(csv.DictReader(io.StringIO(request(explorer, "GET", "/api/export/series.csv")[1].decode())))
    assert len(rows) == 32
    h5 = tmp_path / "run.h5"
    r = subprocess.run([BIN, "run", str(toml), "-o", str(h5)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    with h5py.File(h5, "r") as f:
        for k in ("members_total", "members_active", "cdps_alive", "knowledge_stock",
                  "support_hours_given", "support_hours_demanded", "interactions_online"):
            assert np.array_equal(f[k][:].astype(float), np.array([float(x[k]) for x in rows])), k
    status, data = request(explorer, "GET", "/api/export/run.h5")
    assert status == 200 and data[:8] == b"\x89HDF\r\n\x1a\n"
