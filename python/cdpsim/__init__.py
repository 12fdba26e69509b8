"""cdpsim from Python: the simulator's engine in a notebook, results as xarray and pandas.

    import cdpsim
    s = cdpsim.Scenario.load("scenarios/passerelles.toml", set={"levers.animation": 0.8})
    sim = cdpsim.Simulation(s, seed=7, threads=2)
    sim.run(until="2020-03-16")              # or a week number
    sim.members()                             # pandas DataFrame of the members' current state
    sim.intervene("levers.support_capacity", set=1.0)
    sim.run()
    ds = sim.series()                         # xarray.Dataset, labelled as the HDF5 file
    cmp = cdpsim.compare([s, "scenarios/support-none.toml"], replicates=20)

This is the engine itself (the compiled module ``cdpsim._core``, built with the command line from
the same libraries), not a wrapper around the command: the same scenario and seed give the same
series through Python and through ``cdpsim run``, at any thread count. Errors the user can fix
raise ``ScenarioError``, ``CheckpointError``, ``OutputError`` or ``RequestError`` (all
``InputError``, a ``ValueError``) with the message of the command line. Long calls release the GIL
and stop cleanly on Ctrl-C (``KeyboardInterrupt`` once the engine has stopped between weeks or
runs). docs/python.md walks through a session.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
import sys as _sys
import tempfile as _tempfile
import tomllib as _tomllib
from pathlib import Path as _Path

from ._errors import CheckpointError, InputError, OutputError, RequestError, ScenarioError
from . import _core

__all__ = [
    "Scenario", "Simulation", "ensemble", "compare", "sensitivity", "load", "metrics",
    "InputError", "ScenarioError", "CheckpointError", "OutputError", "RequestError",
]


def _cdpsim_py():
    """The package cdpsim_py (the file loader), from the path it was built or installed with."""
    try:
        import cdpsim_py
    except ImportError:
        from ._paths import SCRIPTS_DIR
        if SCRIPTS_DIR not in _sys.path:
            _sys.path.append(SCRIPTS_DIR)
        import cdpsim_py
    return cdpsim_py


def load(path, *, lazy: bool = False):
    """Any cdpsim output file (run, ensemble, comparison, sensitivity) as an ``xarray.Dataset``.

    The same function as ``cdpsim_py.load``: ``date`` decoded to ``datetime64``, the root attributes
    in ``ds.attrs``, everything read into memory unless ``lazy=True``.
    """
    return _cdpsim_py().load(path, lazy=lazy)


def metrics() -> list[str]:
    """The names of the outcome metrics (the ``metric`` axis of ensembles, ``compare(metrics=)``)."""
    return list(_core.metrics())


def _sets(set) -> list[str]:
    """``{"levers.animation": 0.8}`` or ``["levers.animation=0.8"]`` as --set strings."""
    if set is None:
        return []
    if isinstance(set, str):
        return [set]
    if isinstance(set, dict):
        return [f"{k}={_set_text(v)}" for k, v in set.items()]
    return [str(x) for x in set]


def _set_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.strftime("%Y-%m-%d")
    return str(v)


def _date(text: str) -> _dt.date:
    return _dt.date.fromisoformat(text)


class Scenario:
    """A validated scenario: every parameter of a run, typed and range-checked.

    Build one with ``Scenario.load(path, set=...)`` (a TOML file, with ``extends`` and overrides
    as ``--set`` takes them) or ``Scenario.from_toml(text)``. A bad key or value raises
    ``ScenarioError`` with file, line, column, key and the allowed values. A Scenario does not
    change; ``with_set(...)`` gives another one.
    """

    def __init__(self, core):
        """Wraps a compiled scenario (use ``Scenario.load`` or ``Scenario.from_toml``)."""
        self._core = core

    @classmethod
    def load(cls, path, set=None) -> "Scenario":
        """The scenario of the TOML file ``path`` with the overrides ``set``.

        ``set`` is a dict ``{"levers.animation": 0.8, "support.mode": "expert"}`` or a list of
        ``"section.key=value"`` strings, exactly the command line's ``--set``.
        """
        return cls(_core.Scenario.load(str(path), _sets(set)))

    @classmethod
    def from_toml(cls, text: str, name: str = "scenario", set=None) -> "Scenario":
        """The scenario written in TOML ``text`` (``name`` names it in error messages).

        ``extends`` is resolved relative to the current folder.
        """
        return cls(_core.Scenario.from_toml(text, name, _sets(set)))

    def with_set(self, set) -> "Scenario":
        """This scenario with more overrides (a file's scenario is re-loaded with them)."""
        if self.path:
            return Scenario.load(self.path, self.sets + _sets(set))
        return Scenario.from_toml(self.to_toml(), self.name, set)

    def to_toml(self) -> str:
        """The resolved scenario (every default filled in) as TOML: what ``cdpsim resolve`` prints
        and what output files store as ``scenario_toml``."""
        return self._core.to_toml()

    def resolve(self) -> dict:
        """The resolved scenario as nested dicts and lists (``to_toml()`` parsed)."""
        return _tomllib.loads(self.to_toml())

    @property
    def name(self) -> str:
        """``simulation.name``."""
        return self._core.name

    @property
    def question(self) -> str:
        """``simulation.question``: the question the scenario answers."""
        return self._core.question

    @property
    def weeks(self) -> int:
        """``simulation.weeks``: the horizon in weeks."""
        return self._core.weeks

    @property
    def seed(self) -> int:
        """``simulation.seed``: the master seed."""
        return self._core.seed

    @property
    def start_date(self) -> _dt.date:
        """``simulation.start_date``: the date of week 0."""
        return _date(self._core.start_date)

    @property
    def path(self) -> str | None:
        """The file it was loaded from (None when built from text)."""
        return self._core.path or None

    @property
    def sets(self) -> list[str]:
        """The overrides applied, as ``--set`` strings."""
        return list(self._core.sets)

    def week_of(self, date) -> int:
        """The week of a date (``datetime.date`` or ``"YYYY-MM-DD"``): floor(days since the
        start / 7)."""
        d = _date(date) if isinstance(date, str) else date
        return self._core.week_of(d.year, d.month, d.day)

    def __repr__(self) -> str:
        where = f" from {self.path}" if self.path else ""
        return f"<cdpsim.Scenario '{self.name}'{where}, {self.weeks} weeks from {self.start_date}>"


def _scenario(s) -> Scenario:
    if isinstance(s, Scenario):
        return s
    return Scenario.load(s)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.strftime("%Y-%m-%d")
    return _json.dumps(str(v), ensure_ascii=False)  # a TOML basic string


def _scratch_dir() -> str:
    """Where series() writes its short-lived file: memory when the system offers it."""
    shm = "/dev/shm"
    return shm if _os.path.isdir(shm) and _os.access(shm, _os.W_OK) else _tempfile.gettempdir()


def _dataset_of(contents):
    """The Dataset xarray reads from a file of these contents: variables with their dimensions
    and attributes, the dimension-named ones as coordinates, then CF decoding (``date``)."""
    import numpy as np
    import xarray as xr

    variables = {}
    for name, dims, values, attrs in contents["variables"]:
        if isinstance(values, list):
            values = np.array(values, dtype=object)
        variables[name] = xr.Variable(tuple(dims), values, attrs)
    ds = xr.Dataset(variables, attrs=contents["attributes"])
    return xr.decode_cf(ds)


class Simulation:
    """One run of a scenario, advanced week by week from Python.

        sim = cdpsim.Simulation(scenario, seed=7, threads=2)
        sim.step()                       # one week
        sim.run(until="2020-03-16")      # to a date (the week holding it is simulated next)
        sim.run()                        # to the horizon
        ds = sim.series()                # what was recorded so far, as the HDF5 file has it

    ``seed`` is ``cdpsim run --seed`` (default: the scenario's ``simulation.seed``); ``threads``
    the worker threads of the weekly step (0: every core). Results do not depend on ``threads``.
    State views (``members()``, ``cdps()``, ``organisations()``) show the agents now;
    ``intervene()`` changes levers and parameters from now on; ``checkpoint()`` and
    ``Simulation.from_checkpoint()`` save and continue or branch a run (docs/checkpoints.md).
    """

    def __init__(self, scenario, seed: int | None = None, threads: int = 0, *, _core_sim=None):
        """A run of ``scenario`` (a ``Scenario`` or a file path) at week 0."""
        if _core_sim is not None:
            self._core = _core_sim
            return
        self._core = _core.Simulation(_scenario(scenario)._core, seed, threads)

    @classmethod
    def from_checkpoint(cls, path, scenario=None, *, set=None, seed_policy: str = "continue",
                        seed: int | None = None, threads: int = 0) -> "Simulation":
        """The run saved in checkpoint ``path``, continued from its week.

        Without ``scenario``, ``set`` or ``seed`` it is the same run (``cdpsim run --resume``):
        running it to the horizon gives the uninterrupted run's series exactly. With them it is a
        branch (``cdpsim run --from``): the checkpoint's history under ``scenario`` (a
        ``Scenario`` or path; default the checkpoint's own) with ``set`` applied; changes to
        mid-run keys become interventions from the branch week, anything else raises
        ``ScenarioError``. ``seed_policy`` is ``"continue"`` (the original run's random numbers)
        or ``"reseed"`` (new ones after the branch week, from ``seed``).
        """
        core_scenario = None
        if scenario is not None or set:
            if scenario is None:
                base = Scenario.from_toml(_core.checkpoint_scenario(str(path)),
                                          f"{path} (its scenario)")
            else:
                base = _scenario(scenario)
            core_scenario = (base.with_set(set) if set else base)._core
        return cls(None, _core_sim=_core.Simulation(str(path), core_scenario, seed_policy, seed,
                                                    threads))

    # -- time ----------------------------------------------------------------------------------

    @property
    def week(self) -> int:
        """The week simulated next (0 at the start; ``weeks`` at the horizon)."""
        return self._core.week

    @property
    def weeks(self) -> int:
        """The horizon: ``simulation.weeks``."""
        return self._core.weeks

    @property
    def date(self) -> _dt.date:
        """The date of the week simulated next (start date + 7 x week)."""
        return _date(self._core.date)

    @property
    def done(self) -> bool:
        """True at the horizon."""
        return self.week >= self.weeks

    @property
    def seed(self) -> int:
        """The run's seed (as ``cdpsim run --seed``; stored in the output's ``seed`` attribute)."""
        return self._core.seed

    @property
    def threads(self) -> int:
        """Worker threads of the weekly step (0: every core)."""
        return self._core.threads

    @property
    def scenario(self) -> Scenario:
        """The scenario in force: the one given, plus the interventions added by ``intervene()``."""
        return Scenario(self._core.scenario)

    def step(self, weeks: int = 1) -> int:
        """Simulates ``weeks`` weeks (default one) and returns the week simulated next."""
        if weeks == 1:
            return self._core.step()
        return self.run(until=self.week + weeks)

    def run(self, until=None) -> int:
        """Simulates until ``until``: a week number (that week is simulated next), a date
        (``datetime.date`` or ``"YYYY-MM-DD"``: until the week holding it), or the horizon when
        None. Returns the week simulated next. Ctrl-C stops between weeks: the simulation stays
        usable at the week reached and ``KeyboardInterrupt`` is raised."""
        if until is None:
            target = self.weeks
        elif isinstance(until, (str, _dt.date)):
            d = _date(until) if isinstance(until, str) else until
            target = self._core.week_of(d.year, d.month, d.day)
        else:
            target = int(until)
        return self._core.run(target)

    # -- results -------------------------------------------------------------------------------

    def series(self):
        """Everything recorded so far as an ``xarray.Dataset``, labelled exactly as the HDF5 file
        of ``cdpsim run`` (``sim.series()`` equals ``cdpsim.load(sim.write(path))``): weekly
        series over ``week`` with ``date``, per-CdP series and attributes, events,
        interventions, and the root attributes (``status`` is ``"complete"`` at the horizon,
        ``"interrupted"`` before, as a run stopped there writes).

        Built in memory from the recorder's own description of the file (no file is written):
        the same variables, dimensions and attributes, decoded as ``xarray`` decodes the file.
        """
        return _dataset_of(self._core.contents())

    def write(self, path, force: bool = False):
        """Writes the run's output file (what ``cdpsim run`` writes) to ``path`` and returns the
        path. Like the command, refuses to replace a file unless ``force``, writes under a
        temporary name and renames when complete."""
        self._core.write(str(path), force, True)
        return _Path(path)

    def checkpoint(self, path):
        """Writes a checkpoint of the run as it stands (docs/checkpoints.md): everything needed to
        continue from this week, bit for bit, with ``Simulation.from_checkpoint(path)`` or
        ``cdpsim run --from``. Replaces a file already there. Returns the path."""
        self._core.checkpoint(str(path))
        return _Path(path)

    def intervene(self, key: str, *, set=None, scale=None, start=None, end=None,
                  name: str | None = None, **fields) -> None:
        """Adds an intervention, as an ``[[interventions]]`` table of a scenario file would.

        ``key`` is ``levers.NAME`` or a mid-run parameter (``cdpsim params``); ``set`` the value
        in force, or ``scale`` a multiplier of the scenario's; ``start`` (default: this week) and
        ``end`` are week numbers or dates; ``name`` labels it (default ``"intervene: KEY"``).
        Other fields of the table pass as keywords: ``ramp_weeks``, ``when``, ``until``,
        ``check_every``, ``min_duration``, ``blackout``, ``budget_hours``, ``budget``,
        ``cost_per_hour``, ``cost_per_week``. The same rules apply as in a file (each value
        range-checked, every key known), and, as for a branch, it must start this week or later;
        ``ScenarioError`` otherwise. The run continues with the same random numbers: the result
        is the run of ``sim.scenario`` (which now holds it) from week 0.
        """
        table = {"name": name if name is not None else f"intervene: {key}", "key": key}
        if set is not None:
            table["set"] = set
        if scale is not None:
            table["scale"] = scale
        table["start"] = self.week if start is None else start
        if end is not None:
            table["end"] = end
        table.update({k: v for k, v in fields.items() if v is not None})
        text = "[[interventions]]\n" + "".join(f"{k} = {_toml_value(v)}\n"
                                               for k, v in table.items())
        self._core.intervene(text)

    # -- state views ---------------------------------------------------------------------------

    def _frame(self, kind: str, view: bool):
        if view:
            return self._core.state(kind)
        import pandas as pd
        # The engine copies the 1-D stores (and computes the members' territory and memberships)
        # into one fresh buffer, GIL released (_core.frame, python/module.cpp); the frame is
        # built over those arrays without a second copy (copy=False: pandas would otherwise copy
        # into blocks). It never aliases the engine's memory.
        df = pd.DataFrame(self._core.frame(kind), copy=False)
        df.index = pd.RangeIndex(len(df), name=kind)
        return df

    def members(self, view: bool = False):
        """The members ever registered (ids 0 .. M-1), their state now.

        A ``pandas.DataFrame`` indexed by member id (a copy), with one column per member store
        (``org``, ``time_budget``, ``threshold``, ``propensity``, ``skill_anim``,
        ``skill_digital``, ``trust``, ``burnout``, ``status`` (0 pool, 1 registered, 2 left),
        ``trained``, ``join_week``, ``idle_since``, ``contributions``), plus ``territory`` (their
        organisation's) and ``memberships`` (CdPs they belong to).

        ``view=True`` gives instead a dict of read-only NumPy arrays that are views on the
        engine's memory (zero copy, so they change as the run goes on; ``.copy()`` to keep one),
        with the membership slots as 2-D arrays ``slot_cdp``, ``slot_eng``, ``slot_since``,
        ``slot_tier``, ``slot_flags`` (member x max_memberships; an empty slot has ``slot_cdp``
        0xFFFFFFFF).
        """
        return self._frame("member", view)

    def cdps(self, view: bool = False):
        """The CdPs created so far (ids 0 .. C-1), their state now: a ``pandas.DataFrame`` indexed
        by CdP id (``phase`` indexes the file's ``phase`` coordinate; ``members``, ``active``,
        ``repertoire``, ``support_total``, ``animator``...), or with ``view=True`` a dict of
        read-only zero-copy NumPy views (and ``phase_entered``, CdP x phase)."""
        return self._frame("cdp", view)

    def organisations(self, view: bool = False):
        """The organisations, their state now (``culture``, ``value_cdp``, ``workload``,
        ``allow``, ``competition``, ``territory``...): a ``pandas.DataFrame``, or with
        ``view=True`` a dict of read-only zero-copy NumPy views."""
        return self._frame("organisation", view)

    def territories(self, view: bool = False):
        """The territories (``name``, ``competition``, ``learning``, ``members``): a
        ``pandas.DataFrame``, or a dict of views with ``view=True``."""
        return self._frame("territory", view)

    def platforms(self, view: bool = False):
        """The digital platforms (``name``, ``share``, ``quality``, ``mass``,
        ``active_users``...): a ``pandas.DataFrame``, or a dict of views with ``view=True``."""
        return self._frame("platform", view)

    def __repr__(self) -> str:
        return (f"<cdpsim.Simulation '{self.scenario.name}' seed {self.seed}, week {self.week} of "
                f"{self.weeks} ({self.date})>")


# -- many runs --------------------------------------------------------------------------------

class _Output:
    """The file an experiment writes: ``path`` when given, else a temporary one removed after
    reading."""

    def __init__(self, path, suffix=".h5"):
        self.given = path is not None
        if self.given:
            self.path = str(path)
            self._dir = None
        else:
            self._dir = _tempfile.TemporaryDirectory(prefix="cdpsim-", dir=_scratch_dir())
            self.path = _os.path.join(self._dir.name, "out" + suffix)

    def dataset(self):
        ds = load(self.path)
        if not self.given:
            ds.encoding.pop("source", None)
        return ds

    def close(self):
        if self._dir is not None:
            self._dir.cleanup()


def _neg(v) -> int:
    return -1 if v is None else int(v)


def _sweeps(sweep) -> list[str]:
    if sweep is None:
        return []
    if isinstance(sweep, dict):
        return [f"{k}=" + ",".join(_set_text(x) for x in (v if isinstance(v, (list, tuple))
                                                           else [v]))
                for k, v in sweep.items()]
    return [str(x) for x in sweep]


def ensemble(scenario, replicates: int = 1, sweep=None, *, design: str = "grid",
             samples: int | None = None, seed: int | None = None, set=None, path=None,
             force: bool = False, threads: int = 0, from_checkpoint=None):
    """Replicates and parameter sweeps, as ``cdpsim ensemble``: an ``xarray.Dataset`` equal to
    the ensemble file (``cdpsim.load`` of it), written to ``path`` too when given.

    ``sweep``: ``{"levers.animation": [0.2, 0.5, 0.8]}`` (or ``"KEY=V1,V2"`` strings); ``design``
    ``"grid"`` (every combination) or ``"lhs"`` (a Latin hypercube of ``samples`` points over each
    key's [min, max]); ``seed`` the master seed (default ``simulation.seed``); ``set`` overrides
    for every run; ``from_checkpoint`` branches every run from a checkpoint. Runs on ``threads``
    worker threads (0: every core) with the GIL released; with ``path`` progress is saved as the
    command saves it. Ctrl-C stops between runs: with ``path`` the file keeps the finished runs
    (``status = "interrupted"``); then ``KeyboardInterrupt``.
    """
    s = _scenario(scenario)
    out = _Output(path)
    try:
        _core.ensemble(s._core, int(replicates), _sweeps(sweep), design, _neg(samples), _neg(seed),
                       _sets(set), out.path, force or not out.given, out.given, threads,
                       str(from_checkpoint or ""))
        return out.dataset()
    finally:
        out.close()


def compare(scenarios, replicates: int = 20, *, metrics=None, hypotheses=None, names=None,
            horizon: int | None = None, seed: int | None = None, set=None, path=None,
            force: bool = False, threads: int = 0, from_checkpoint=None,
            seed_policy: str = "reseed"):
    """Scenarios under common random numbers, as ``cdpsim compare``: an ``xarray.Dataset`` equal
    to the comparison file (per scenario and metric the mean with its 95% interval, the paired
    difference from the baseline with its interval, Cohen's d_z, p; every run's values).

    ``scenarios``: the baseline first, then the others (``Scenario`` objects or paths); ``names``
    how the table and ``hypotheses`` name them (default: the file's stem, else
    ``simulation.name``); ``metrics`` (default: the command's); ``hypotheses`` like
    ``"support-expert > support-none on cdps_autonomous"``. With ``path`` (a stem: ``cmp`` or
    ``cmp.h5``) writes ``cmp.h5``, ``cmp.csv`` and ``cmp.json`` as the command does. Ctrl-C
    stops between runs and writes nothing (a comparison needs every run).
    """
    ss = [_scenario(x) for x in scenarios]
    if names is None:
        names = [_Path(x.path).stem if x.path else x.name for x in ss]
    csv = jsn = ""
    if path is not None:
        stem = _Path(path)
        if stem.suffix:
            stem = stem.with_suffix("")
        csv, jsn, path = f"{stem}.csv", f"{stem}.json", f"{stem}.h5"
    out = _Output(path)
    try:
        _core.compare(list(names), [x._core for x in ss], int(replicates), list(metrics or []),
                      list(hypotheses or []), _neg(horizon), _neg(seed), _sets(set),
                      str(from_checkpoint or ""), seed_policy, out.path, csv, jsn,
                      force or not out.given, threads)
        return out.dataset()
    finally:
        out.close()


def sensitivity(scenario, method: str = "sobol", *, levers=None, inputs=None,
                samples: int | None = None, replicates: int = 3, metrics=None, stratify=None,
                phase_week: int | None = None, levels: int = 4, bootstrap: int = 200,
                seed: int | None = None, set=None, path=None, force: bool = False,
                threads: int = 0):
    """Which levers matter, as ``cdpsim sensitivity`` (docs/sensitivity.md): an
    ``xarray.Dataset`` equal to the sensitivity file (design, seeds, every run's values, indices
    with intervals and the dummy lever's noise floor).

    ``method`` ``"sobol"`` (``samples`` base samples, default 256) or ``"morris"`` (``samples``
    trajectories, default 20, on ``levels`` levels); ``levers`` names (default all 17);
    ``inputs`` intervention keys ``"interventions.0.budget_hours=500,5000"``; ``stratify``
    ``["phase"]`` and/or one scenario key; ``path`` writes the file (and the CSV next to it).
    Ctrl-C stops between runs: with ``path`` the file keeps the finished runs.
    """
    s = _scenario(scenario)
    csv = ""
    if path is not None:
        p = _Path(path)
        csv = str(p.with_suffix(".csv")) if p.suffix != ".csv" else str(p) + ".csv"
    out = _Output(path)
    src = None
    try:
        if s.path:
            scenario_path, sets = s.path, s.sets + _sets(set)
        else:  # the analysis re-loads its scenario from a file, as the command does
            src = _tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
            src.write(s.to_toml())
            src.close()
            scenario_path, sets = src.name, _sets(set)
        _core.sensitivity(scenario_path, sets, method, _list(levers), _list(inputs),
                          _neg(samples), int(replicates), _list(metrics), _list(stratify),
                          _neg(phase_week), int(levels), int(bootstrap), _neg(seed), out.path, csv,
                          force or not out.given, threads)
        return out.dataset()
    finally:
        out.close()
        if src is not None:
            _os.unlink(src.name)


def _list(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v]
