"""cdpsim.ensemble, compare and sensitivity return the Datasets of the files the commands write
(and write them with a path); Ctrl-C stops them cleanly; two Python threads run at once."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
import xarray as xr

import cdpsim


def _same(a, b):
    """Equal files but for their source names (compare's scenario paths, as given)."""
    xr.testing.assert_identical(a, b)


def test_ensemble_equals_the_commands_file(small_toml, run_cli, tmp_path):
    out = tmp_path / "cli.h5"
    run_cli("ensemble", small_toml, "--replicates", 3, "--sweep", "levers.animation=0.2,0.8",
            "--seed", 5, "-o", out, "-q")
    ds = cdpsim.ensemble(small_toml, replicates=3, sweep={"levers.animation": [0.2, 0.8]}, seed=5,
                         threads=2)
    _same(cdpsim.load(out), ds)
    assert ds.attrs["output_kind"] == "ensemble" and ds.sizes["run"] == 6
    written = cdpsim.ensemble(cdpsim.Scenario.load(small_toml), replicates=3,
                              sweep=["levers.animation=0.2,0.8"], seed=5, path=tmp_path / "py.h5")
    _same(ds, written)
    assert (tmp_path / "py.h5").is_file()


def test_compare_equals_the_commands_file(small_toml, run_cli, tmp_path):
    other = tmp_path / "none.toml"
    other.write_text(f'extends = "{small_toml}"\n\n[support]\nmode = "none"\n')
    run_cli("compare", small_toml, other, "--replicates", 4, "-o", tmp_path / "cli", "-q",
            "--hypothesis", "small > none on cdps_alive")
    ds = cdpsim.compare([small_toml, other], replicates=4,
                        hypotheses=["small > none on cdps_alive"], path=tmp_path / "py")
    _same(cdpsim.load(tmp_path / "cli.h5"), ds)
    assert (tmp_path / "py.csv").read_text() == (tmp_path / "cli.csv").read_text()
    assert ds.attrs["output_kind"] == "comparison"
    again = cdpsim.compare([cdpsim.Scenario.load(small_toml), cdpsim.Scenario.load(other)],
                           replicates=4, hypotheses=["small > none on cdps_alive"])
    _same(ds, again)


def test_sensitivity_equals_the_commands_file(small_toml, run_cli, tmp_path):
    args = dict(method="morris", levers=["animation", "time_allowance"], samples=3, replicates=1)
    run_cli("sensitivity", small_toml, "--method", "morris", "--levers", "animation,time_allowance",
            "--samples", 3, "--replicates", 1, "-o", tmp_path / "cli.h5", "-q")
    ds = cdpsim.sensitivity(small_toml, path=tmp_path / "py.h5", **args)
    _same(cdpsim.load(tmp_path / "cli.h5"), ds)
    assert ds.attrs["output_kind"] == "sensitivity"
    _same(ds, cdpsim.sensitivity(cdpsim.Scenario.load(small_toml), **args))


CTRL_C = """
import sys, cdpsim
print("started", flush=True)
try:
    cdpsim.ensemble(sys.argv[1], replicates=20000, path=sys.argv[2], threads=1)
    print("finished")
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_stops_an_ensemble_cleanly(small_toml, tmp_path):
    out = tmp_path / "big.h5"
    p = subprocess.Popen([sys.executable, "-c", CTRL_C, str(small_toml), str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ})
    assert p.stdout.readline().strip() == "started"
    time.sleep(1.5)  # runs are under way (20,000 of them take about 15 s)
    p.send_signal(signal.SIGINT)
    t0 = time.time()
    stdout, stderr = p.communicate(timeout=60)
    assert time.time() - t0 < 5, "Ctrl-C took too long"
    assert stdout.strip() == "interrupted", stderr
    ds = cdpsim.load(out)
    assert ds.attrs["status"] == "interrupted"
    done = int(ds["run_complete"].sum()) if "run_complete" in ds else None
    assert done is None or 0 < done < 20000


def test_two_python_threads_run_at_once(scenarios):
    """The GIL is released: both finish, with the results of one thread alone (their speed is
    measured in docs/performance.md, not asserted)."""
    s = cdpsim.Scenario.load(scenarios / "passerelles.toml", set={"simulation.weeks": 60})
    results = {}

    def work(seed):
        sim = cdpsim.Simulation(s, seed=seed, threads=1)
        sim.run()
        results[seed] = sim.series()

    threads = [threading.Thread(target=work, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for seed in (1, 2):
        alone = cdpsim.Simulation(s, seed=seed, threads=2)
        alone.run()
        xr.testing.assert_identical(alone.series(), results[seed])


RUN_CTRL_C = """
import sys, cdpsim
s = cdpsim.Scenario.load(sys.argv[1], set={"simulation.weeks": 5000})
sim = cdpsim.Simulation(s, seed=1, threads=1)
print("started", flush=True)
try:
    sim.run()
    print("finished")
except KeyboardInterrupt:
    week = sim.week
    sim.step()  # still usable, at the week it stopped
    print("interrupted", week, sim.week)
"""


def test_ctrl_c_stops_a_run_between_weeks(scenarios):
    p = subprocess.Popen([sys.executable, "-c", RUN_CTRL_C, str(scenarios / "passerelles.toml")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=60)
    words = stdout.split()
    assert words[0] == "interrupted", stdout + stderr
    week, after = int(words[1]), int(words[2])
    assert 0 < week < 5000 and after == week + 1
