"""scripts/calibrate.py: implausibility and emulator on known answers, bad arguments, a tiny
wave through the engine and resuming a stopped calibration (docs/calibration.md)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import history_matching as hm  # noqa: E402


def test_implausibility_exact():
    # |13 - 10| / sqrt(1 + 2 + 3 + 3) = 1
    assert hm.implausibility_obs(10.0, 1.0, 13.0, 2.0, 3.0, 3.0) == pytest.approx(1.0)
    m = np.array([5.0, 2.0, -1.0])
    assert hm.implausibility_interval(m, 4.0, 0.0, 3.0).tolist() == [1.0, 0.0, 0.5]
    assert hm.implausibility_interval(np.array([0.3]), 0.01, -np.inf, 0.25)[0] == pytest.approx(0.5)
    assert hm.implausibility_interval(np.array([9.0]), 1.0, 10.0, np.inf)[0] == pytest.approx(1.0)


def test_emulator_reproduces_known_functions():
    rng = np.random.default_rng(0)
    X = rng.random((30, 2))
    lin = hm.Emulator(0).fit(X, 2 + 3 * X[:, 0] - X[:, 1], np.full(30, 1e-10))
    Xt = rng.random((5, 2))
    mu, var = lin.predict(Xt)
    np.testing.assert_allclose(mu, 2 + 3 * Xt[:, 0] - Xt[:, 1], atol=1e-4)
    x = np.linspace(0, 1, 15)[:, None]
    em = hm.Emulator(0).fit(x, np.sin(6 * x[:, 0]), np.full(15, 1e-8))
    xt = np.linspace(0.03, 0.97, 40)[:, None]
    mu, var = em.predict(xt)
    assert np.max(np.abs(mu - np.sin(6 * xt[:, 0]))) < 0.02
    assert np.all(var >= 0)
    z, rmse = em.loo()
    assert rmse < 0.05 and np.mean(np.abs(z) > 3) <= 0.1
    # A saved fit gives back the same emulator.
    again = hm.Emulator.from_dict(em.to_dict(), x, np.sin(6 * x[:, 0]), np.full(15, 1e-8))
    np.testing.assert_allclose(again.predict(xt)[0], mu, rtol=1e-10)


def test_maximin_subset_spreads():
    pts = np.array([[0, 0], [1, 1], [0.5, 0.5], [0.51, 0.5], [0, 1], [1, 0]], float)
    idx = hm.maximin_subset(pts, 4, seed=0)
    assert len(set(idx.tolist())) == 4
    chosen = {tuple(pts[i]) for i in idx}
    assert {(0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0)} <= chosen or (0.5, 0.5) in chosen


def build_python():
    value = os.environ.get("CDPSIM_BIN")
    if not value:
        pytest.fail("environment variable CDPSIM_BIN is not set (ctest sets it)", pytrace=False)
    build = Path(value).resolve().parents[1]
    if not (build / "python" / "cdpsim").is_dir():
        pytest.fail(f"{build}/python/cdpsim is missing: build with pybind11-dev", pytrace=False)
    return build


def calibrate(tmp, *args, stop_after=0):
    build = build_python()
    cmd = [sys.executable, str(SCRIPTS / "calibrate.py"), "--build", str(build), "--out", str(tmp),
           "--figures", "", "--waves", "1", "--points", "6", "--replicates", "2",
           "--confirm-points", "3", "--candidates", "300", "--facts-sample", "0",
           "--threads", "2", *args]
    if stop_after:
        cmd += ["--stop-after", str(stop_after)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def test_bad_arguments(tmp_path):
    r = calibrate(tmp_path / "a", "--replicates", "1")
    assert r.returncode == 2 and "--replicates must be at least 2" in r.stderr
    r = calibrate(tmp_path / "b", "--scenario", str(tmp_path / "missing.toml"))
    assert r.returncode == 2 and "no such file" in r.stderr
    r = calibrate(tmp_path / "c", "--facts-seeds", "x")
    assert r.returncode == 2 and "--facts-seeds" in r.stderr
    r = calibrate(tmp_path / "d", "--waves", "zero")
    assert r.returncode == 2 and "invalid int value" in r.stderr


def test_tiny_wave_and_resume(tmp_path):
    full = calibrate(tmp_path / "full")
    assert full.returncode in (0, 1), full.stderr
    assert "wave 1/1: runs 12/12" in full.stderr
    state = tmp_path / "full" / "state"
    z = np.load(state / "wave-1.npz")
    assert z["Y"].shape == (6, 2, 14) and np.all(np.isfinite(z["Y"]))
    meta = json.loads((state / "wave-1.json").read_text())
    assert len(meta["loo"]) == 14
    # Stopped after 3 of 6 points (as a kill would leave it), then continued.
    stopped = calibrate(tmp_path / "resumed", stop_after=3)
    assert stopped.returncode == 130 and (tmp_path / "resumed/state/wave-1.partial.npz").exists()
    resumed = calibrate(tmp_path / "resumed")
    assert resumed.returncode == full.returncode, resumed.stderr
    z2 = np.load(tmp_path / "resumed" / "state" / "wave-1.npz")
    np.testing.assert_array_equal(z["Y"], z2["Y"])
    np.testing.assert_array_equal(z["U"], z2["U"])
    assert json.loads((tmp_path / "resumed/state/wave-1.json").read_text()) == meta
    # Finished work is reloaded, not redone; other settings are refused without --force.
    again = calibrate(tmp_path / "full")
    assert "finished earlier" in again.stderr
    other = calibrate(tmp_path / "full", "--seed", "5")
    assert other.returncode == 2 and "--force" in other.stderr
