"""Small real cdpsim outputs shared by test_plots.py and test_report.py, made once per session.

Each output is produced by the real binary the first time a test asks for it and cached in one
temporary folder for the whole pytest process (removed at exit). `scripts/` is put on sys.path so
the tests can import cdpsim_py and inspect the matplotlib objects it returns.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("CDPSIM_SOURCE_DIR") or Path(__file__).resolve().parents[2])
SCRIPTS = SOURCE_DIR / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

# 40 weeks with the pandemic moved inside the horizon (from week 6 for 20 weeks) and a smaller pool.
SHORT = ["--set", "simulation.weeks=40", "--set", "shocks.0.start=2018-10-15",
         "--set", "shocks.0.duration_weeks=20", "--set", "population.potential_members=2500"]

_cache: dict[str, Path] = {}
_folder: Path | None = None


def folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="cdpsim-plot-tests-"))
        atexit.register(shutil.rmtree, _folder, True)
    return _folder


def cdpsim(cdpsim_bin, *args, timeout=120, prefix=(), env=None):
    """Runs the real binary; returns the CompletedProcess (text, captured)."""
    return subprocess.run([*prefix, str(cdpsim_bin), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env)


def _make(key: str, make) -> Path:
    if key not in _cache:
        _cache[key] = make()
    return _cache[key]


def small_run(cdpsim_bin) -> Path:
    """scenarios/passerelles.toml over 40 weeks, pandemic inside the horizon."""
    def make():
        out = folder() / "small-run.h5"
        proc = cdpsim(cdpsim_bin, "run", SOURCE_DIR / "scenarios" / "passerelles.toml", "-o", out,
                      "-q", *SHORT)
        assert proc.returncode == 0, proc.stderr
        return out
    return _make("run", make)


def territory_run(cdpsim_bin) -> Path:
    """scenarios/territoires-apprenants.toml (17 regions) over 40 weeks."""
    def make():
        out = folder() / "territories.h5"
        proc = cdpsim(cdpsim_bin, "run", SOURCE_DIR / "scenarios" / "territoires-apprenants.toml",
                      "-o", out, "-q", *SHORT)
        assert proc.returncode == 0, proc.stderr
        return out
    return _make("territories", make)


def interrupted_run(cdpsim_bin) -> Path:
    """A real run stopped by SIGINT after about a second (status = interrupted)."""
    def make():
        out = folder() / "interrupted.h5"
        proc = subprocess.Popen(
            [str(cdpsim_bin), "run", str(SOURCE_DIR / "scenarios" / "passerelles.toml"), "-o",
             str(out), "-q", "--set", "simulation.weeks=3000",
             "--set", "population.potential_members=200000",
             "--set", "population.initial_members=40000", "--set", "output.per_cdp_series=false",
             "--set", "output.events=false"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(1.0)
            assert proc.poll() is None, "the long run ended before it could be interrupted"
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 130, err
        return out
    return _make("interrupted", make)


def ensemble(cdpsim_bin) -> Path:
    """A real sweep: levers.animation at 0.2 and 0.8, 3 replicates each (6 runs of 40 weeks)."""
    def make():
        out = folder() / "ensemble.h5"
        proc = cdpsim(cdpsim_bin, "ensemble", SOURCE_DIR / "scenarios" / "passerelles.toml",
                      "--replicates", 3, "--sweep", "levers.animation=0.2,0.8", "-o", out, "-q",
                      *SHORT)
        assert proc.returncode == 0, proc.stderr
        return out
    return _make("ensemble", make)


def interrupted_ensemble(cdpsim_bin) -> Path:
    """The same sweep stopped after 2 of its 6 runs (the documented test hook, no timing race)."""
    def make():
        out = folder() / "ensemble-interrupted.h5"
        env = dict(os.environ, CDPSIM_TEST_STOP_AFTER_RUNS="2")
        proc = cdpsim(cdpsim_bin, "ensemble", SOURCE_DIR / "scenarios" / "passerelles.toml",
                      "--replicates", 3, "--sweep", "levers.animation=0.2,0.8", "-o", out, "-q",
                      "--threads", 1, *SHORT, env=env)
        assert proc.returncode == 130, proc.stderr
        return out
    return _make("ensemble-interrupted", make)


def comparison(cdpsim_bin) -> Path:
    """cdpsim compare: the reference against expert support and no support, 4 replicates, and
    one stated hypothesis."""
    def make():
        stem = folder() / "comparison"
        scen = SOURCE_DIR / "scenarios"
        proc = cdpsim(cdpsim_bin, "compare", scen / "passerelles.toml",
                      scen / "support-expert.toml", scen / "support-none.toml",
                      "--replicates", 4, "-o", stem, "-q", *SHORT,
                      "--hypothesis", "passerelles > support-none on cdps_autonomous")
        assert proc.returncode == 0, proc.stderr
        out = stem.with_suffix(".h5")
        assert out.is_file(), f"cdpsim compare -o {stem} did not write {out}"
        return out
    return _make("comparison", make)


# Four interventions over the 40 weeks of SHORT: a paying programme whose budget of hours runs out
# (week 16) before its scheduled end (week 30), a lever set with a ramp, a boolean switched on for
# good, and a triggered scale that switches on and off three times (weeks 2-7, 10-13, 16-39).
INTERVENTIONS_TOML = """\
extends = "{base}"

[[interventions]]
name = "programme"
key = "support.capacity_hours"
scale = 2
start = 2
end = 30
budget_hours = 300
cost_per_hour = 50
cost_per_week = 20

[[interventions]]
name = "animation boost"
key = "levers.animation"
set = 0.8
start = 2018-10-29
end = 2019-02-04
ramp_weeks = 3

[[interventions]]
name = "peer network"
key = "support.peer_network"
set = true
start = 20

[[interventions]]
name = "rescue"
key = "levers.recognition"
scale = 1.5
when = "members_active_share < 0.2"
until = "members_active_share > 0.215"
check_every = 2
min_duration = 4
blackout = 2
"""


def interventions_scenario(base: str = "passerelles.toml") -> Path:
    """INTERVENTIONS_TOML on top of scenarios/BASE, written once into the session's folder."""
    path = folder() / f"interventions-{Path(base).stem}.toml"
    if not path.exists():
        path.write_text(INTERVENTIONS_TOML.format(base=SOURCE_DIR / "scenarios" / base))
    return path


def intervention_run(cdpsim_bin) -> Path:
    """The small run (SHORT) with the four interventions of INTERVENTIONS_TOML."""
    def make():
        out = folder() / "interventions.h5"
        proc = cdpsim(cdpsim_bin, "run", interventions_scenario(), "-o", out, "-q", *SHORT)
        assert proc.returncode == 0, proc.stderr
        return out
    return _make("interventions", make)


def intervention_territory_run(cdpsim_bin) -> Path:
    """The same interventions over the 17 territories (the heat map)."""
    def make():
        out = folder() / "interventions-territories.h5"
        proc = cdpsim(cdpsim_bin, "run", interventions_scenario("territoires-apprenants.toml"),
                      "-o", out, "-q", *SHORT)
        assert proc.returncode == 0, proc.stderr
        return out
    return _make("interventions-territories", make)


def intervention_ensemble(cdpsim_bin) -> Path:
    """An ensemble of the intervention scenario: 2 replicates (no intervention_* variables)."""
    def make():
        out = folder() / "interventions-ensemble.h5"
        proc = cdpsim(cdpsim_bin, "ensemble", interventions_scenario(), "--replicates", 2,
                      "-o", out, "-q", *SHORT)
        assert proc.returncode == 0, proc.stderr
        return out
    return _make("interventions-ensemble", make)
