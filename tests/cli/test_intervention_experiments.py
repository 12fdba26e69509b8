"""Intervention parameters as the varied inputs of experiments (docs/ensembles.md, "Design
points"; docs/sensitivity.md, "Inputs"): `cdpsim ensemble --sweep interventions.N.KEY=...` and
`cdpsim sensitivity --input interventions.N.KEY=MIN,MAX`, with the scenario's own validation at
every point, before any run.

The scenario is small (400 potential members, 60 weeks, no shock) with two interventions: a
support programme that pays for at most `budget_hours` of support between weeks 5 and 50, and a
1.2x animation boost between weeks 10 and 40. Everything here takes a few seconds.
"""

import csv

import numpy as np
import pytest

from cli_checks import error_line

PROGRAMME = """\
shocks = []

[simulation]
weeks = 60
seed = 3

[population]
potential_members = 400

[[interventions]]
name = "support programme"
key = "support.capacity_hours"
set = 40
start = 5
end = 50
budget_hours = 100
cost_per_hour = 50

[[interventions]]
name = "animation boost"
key = "levers.animation"
scale = 1.2
start = 10
end = 40
"""

# Two budgets the programme spends (40 h/week for 45 weeks would be 1,800 h), one it cannot.
BUDGETS = [20.0, 60.0, 5000.0]
REPLICATES = 2


@pytest.fixture
def programme(write_scenario):
    return write_scenario("programme.toml", PROGRAMME)


def test_budget_sweep_caps_each_runs_spending(cdpsim, programme, tmp_path, load_dataset):
    out = tmp_path / "budgets.h5"
    sweep = "interventions.0.budget_hours=" + ",".join(f"{b:g}" for b in BUDGETS)
    proc = cdpsim("ensemble", programme, "--replicates", REPLICATES, "--sweep", sweep,
                  "--sweep", "interventions.1.scale=1.1,1.5", "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out)
    # What the file records of the sweep: the keys, their numbers, the --set strings.
    assert list(ds.sweep_key.values) == ["interventions.0.budget_hours", "interventions.1.scale"]
    assert ds.attrs["sweeps"].splitlines() == [sweep, "interventions.1.scale=1.1,1.5"]
    points = len(BUDGETS) * 2
    assert ds.sizes["point"] == points and ds.sizes["run"] == points * REPLICATES
    budget_of_point = ds.design.sel(sweep_key="interventions.0.budget_hours").values
    np.testing.assert_array_equal(budget_of_point, np.repeat(BUDGETS, 2))
    np.testing.assert_array_equal(ds.design.sel(sweep_key="interventions.1.scale").values,
                                  [1.1, 1.5] * len(BUDGETS))
    assert str(ds.point_set.values[0]) == \
        "interventions.0.budget_hours=20 interventions.1.scale=1.1"
    # Recount from the file: spending_hours is cumulative over (run, week) and never exceeds the
    # run's swept budget; the two small budgets are spent, the large one is not.
    spent = ds.spending_hours.values
    assert ds.spending_hours.dims == ("run", "week") and ds.sizes["week"] == 60
    assert (np.diff(spent, axis=1) >= -1e-9).all()
    budget = budget_of_point[ds.run_point.values]
    for run in range(ds.sizes["run"]):
        words = str(ds.run_set.values[run]).split()
        assert words[0] == f"interventions.0.budget_hours={budget[run]:g}"
        assert spent[run, -1] <= budget[run] + 1e-3, (run, spent[run, -1], budget[run])
        if budget[run] < 100:
            assert spent[run, -1] == pytest.approx(budget[run], abs=1e-3)
        else:
            assert 0 < spent[run, -1] < budget[run] - 100
    # Support stops when the budget is spent: the small budget gives less support in all.
    given = ds.support_hours_given.values.sum(axis=1)
    assert given[budget == 20].mean() < given[budget == 5000].mean()


@pytest.mark.parametrize("sweep, fragments", [
    (["interventions.2.budget_hours=10,20"],
     ["interventions.2.budget_hours", "no element 2", "an index in [0, 1]"]),
    (["interventions.0.ramp_weeks=10,50"],
     ["--sweep point 1 (interventions.0.ramp_weeks=50)", "interventions[0].ramp_weeks",
      "longer than the span of 45 weeks"]),
    (["interventions.0.set=40,2e6"],
     ["interventions[0].set", "out of range for support.capacity_hours"]),
    (["interventions.1.scale=1.5,3"], ["interventions[1].scale", "out of range"]),
    (["interventions.0.start=52,60", "interventions.0.end=58"],
     ["interventions.0.start=60 interventions.0.end=58", "interventions[0].end",
      "not after the start"]),
    (["interventions.0.budget_hours=-5,10"], ["interventions.0.budget_hours", "out of range"]),
])
def test_bad_intervention_sweeps_exit_2_before_any_run(cdpsim, programme, tmp_path, sweep,
                                                       fragments):
    folder = tmp_path / "out"
    folder.mkdir()
    args = [a for s in sweep for a in ("--sweep", s)]
    line = error_line(cdpsim("ensemble", programme, "--replicates", 2, *args, "-q",
                             "-o", folder / "e.h5"))
    for f in fragments:
        assert f in line, f"{f!r} not in {line!r}"
    assert list(folder.iterdir()) == []


def test_sensitivity_with_intervention_inputs(cdpsim, programme, tmp_path, load_dataset):
    out = tmp_path / "s.h5"
    budget = "interventions.0.budget_hours"
    proc = cdpsim("sensitivity", programme, "--method", "morris", "--samples", 3,
                  "--replicates", 2, "--levers", "time_allowance",
                  "--input", f"{budget}=20,500", "--input", "interventions.0.end=20,50",
                  "--metric", "support_hours_given", "--metric", "cdp_survival",
                  "--threads", 2, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "1 levers, 2 intervention inputs + the dummy" in proc.stdout
    assert f"input      {budget} over [20, 500]" in proc.stdout
    inputs = ["time_allowance", budget, "interventions.0.end", "dummy"]
    ds = load_dataset(out)
    assert list(ds.lever.values) == inputs
    assert list(ds.lever_group.values)[1:] == ["intervention", "intervention", "dummy"]
    assert list(ds.input_key.values) == ["levers.time_allowance", budget, "interventions.0.end",
                                         ""]
    np.testing.assert_array_equal(ds.input_low.values, [0, 20, 20, 0])
    np.testing.assert_array_equal(ds.input_high.values, [1, 500, 50, 1])
    u, value = ds.design.values, ds.input_value.values
    assert ds.sizes["point"] == 3 * (len(inputs) + 1)
    np.testing.assert_allclose(value[:, 1], 20 + u[:, 1] * 480)
    np.testing.assert_array_equal(value[:, 2], np.round(20 + u[:, 2] * 30))
    np.testing.assert_array_equal(value[:, [0, 3]], u[:, [0, 3]])
    # The budget drives support hours more than chance does.
    rows = list(csv.DictReader(out.with_suffix(".csv").open()))
    assert {r["lever"] for r in rows} == set(inputs)
    hours = {r["lever"]: r for r in rows if r["metric"] == "support_hours_given"}
    assert float(hours[budget]["mu_star"]) > float(hours[budget]["noise_floor"])
    for name in inputs:
        assert name in proc.stdout
    # A point is reproduced by `cdpsim run` with the input's value as --set.
    p, r = 4, 1
    sets = ["--set", f"levers.time_allowance={float(value[p, 0])!r}",
            "--set", f"{budget}={float(value[p, 1])!r}",
            "--set", f"interventions.0.end={int(value[p, 2])}"]
    single = tmp_path / "run.h5"
    proc = cdpsim("run", programme, *sets, "--seed", int(ds.seed.values[p, r]), "-q", "-o", single)
    assert proc.returncode == 0, proc.stderr
    run = load_dataset(single)
    got = ds.outputs.sel(stratum="all", metric="support_hours_given").values[p, r]
    assert got == pytest.approx(float(run.support_hours_given.values.sum()), rel=1e-9)
    assert float(run.spending_hours.values[-1]) <= float(value[p, 1]) + 1e-3


@pytest.mark.parametrize("args, message", [
    (["--input", "interventions.2.budget_hours=20,500"],
     "the scenario has no intervention 2 (allowed: an index in [0, 1]"),
    (["--input", "interventions.0.budget_hours=-1,500"], "out of range"),
    (["--input", "interventions.0.set=10,2e6"], "out of range for support.capacity_hours"),
    (["--input", "interventions.0.ramp_weeks=0,60"], "interventions[0].ramp_weeks"),
    (["--input", "levers.animation=0,1"], "not an intervention key"),
    (["--input", "interventions.0.when=1,2"], "is not a number"),
    (["--input", "interventions.0.budget_hours=500,20"], "MIN must be below MAX"),
    ([], "nothing to vary"),
])
def test_bad_sensitivity_inputs_exit_2(cdpsim, programme, tmp_path, leftovers, args, message):
    out = tmp_path / "bad.h5"
    proc = cdpsim("sensitivity", programme, "--method", "morris", "--samples", 3,
                  "--levers", "none", *args, "-o", out)
    line = error_line(proc)
    assert message in line, line
    assert not out.exists() and not out.with_suffix(".csv").exists()
    assert leftovers(tmp_path) == []
