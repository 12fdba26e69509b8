"""`cdpsim compare` from a funder's side: when a scenario's interventions cost money, the funder
metrics (spending, cost_per_*) are reported too, and cost_per_autonomous_cdp of a replicate equals
a recount from that replicate's run file (`cdpsim run` with the seed rule, tests/cli/seed_rule.py):
spending_money at the last week / the CdPs autonomous there. A metric undefined in some runs (NaN)
is left out of the statistics, and the table, CSV, JSON and HDF5 say how many replicates were used.
"""

import csv
import json
import math

import numpy as np
import pytest

from seed_rule import replicate_seed

REPLICATES = 4
WEEKS = 60
AUTONOMY_WEEKS = 26  # kAutonomyWeeks (experiments/metrics/metrics.hpp)
FUNDER = ["spending", "cost_per_autonomous_cdp", "cost_per_cdp_year",
          "cost_per_active_member_year", "cost_per_autonomous_cdp_after",
          "cost_per_cdp_year_after", "cost_per_active_member_year_after"]
DEFAULTS = ["cdps_alive", "cdps_autonomous", "members_active", "knowledge_stock",
            "boundary_objects", "support_hours_per_surviving_cdp"]

# Support only while the programme is in force (weeks 0-19), paid at 50 an hour plus 10 a week.
PROGRAMME = """
[[interventions]]
name = "programme"
key = "support.mode"
set = "capacity_building"
start = 0
end = {end}
budget_hours = 1000
cost_per_hour = 50
cost_per_week = 10
"""
DOUBLED = """
[[interventions]]
name = "doubled"
key = "support.capacity_hours"
scale = 2
start = 5
end = 15
"""


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory, reference_scenario):
    folder = tmp_path_factory.mktemp("funder-scenarios")
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    head = (f'extends = "{ref}"\nshocks = []\n\n[simulation]\nweeks = {WEEKS}\nseed = 11\n\n'
            '[population]\npotential_members = 2000\n\n[support]\nmode = "none"\n')
    files = {
        "programme": head + PROGRAMME.format(end=20),
        "doubled": head + PROGRAMME.format(end=20) + DOUBLED,
        # Paid until the horizon: nothing comes after the programme, so the _after costs have no
        # value in any replicate.
        "to-the-end": head + PROGRAMME.format(end=WEEKS),
        "free": head.replace('mode = "none"', 'mode = "capacity_building"'),
        "free-too": head.replace('mode = "none"', 'mode = "expert"'),
    }
    out = {}
    for stem, text in files.items():
        path = folder / f"{stem}.toml"
        path.write_text(text)
        out[stem] = path
    return out


@pytest.fixture(scope="module")
def comparison(cdpsim, scenarios, tmp_path_factory):
    out = tmp_path_factory.mktemp("funder-compare") / "funder"
    proc = cdpsim("compare", scenarios["programme"], scenarios["doubled"],
                  scenarios["to-the-end"], "--replicates", REPLICATES, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    return proc, out


def metric_blocks(stdout: str) -> list[str]:
    return [line.split(" (")[0] for line in stdout.splitlines()
            if line and not line.startswith(" ") and " (" in line and ":" in line
            and not line.startswith(("cdpsim", "baseline", "hypothesis"))]


def test_costs_bring_the_funder_metrics(comparison, load_dataset):
    proc, out = comparison
    assert metric_blocks(proc.stdout) == DEFAULTS + FUNDER
    ds = load_dataset(out.with_suffix(".h5"))
    assert list(ds.metric.values) == DEFAULTS + FUNDER
    assert list(ds.metric_direction.values[len(DEFAULTS):]) == \
        ["neutral"] + ["lower_is_better"] * 6
    assert "money the programmes spent over the run" in proc.stdout


def test_no_cost_no_funder_metrics_and_metric_wins(cdpsim, scenarios):
    free = cdpsim("compare", scenarios["free"], scenarios["free-too"], "--replicates", 2, "-q")
    assert free.returncode == 0, free.stderr
    assert metric_blocks(free.stdout) == DEFAULTS
    proc = cdpsim("compare", scenarios["free"], scenarios["programme"], "--replicates", 2, "-q",
                  "--metric", "cdps_alive")
    assert proc.returncode == 0, proc.stderr
    assert metric_blocks(proc.stdout) == ["cdps_alive"]
    hyp = cdpsim("compare", scenarios["free"], scenarios["programme"], "--replicates", 2, "-q",
                 "--metric", "members_total",
                 "--hypothesis", "programme > free on spending")
    assert hyp.returncode == 0, hyp.stderr
    assert metric_blocks(hyp.stdout) == ["members_total", "spending"]


def test_cost_per_autonomous_cdp_recounts_from_a_run_file(cdpsim, comparison, scenarios, tmp_path,
                                                          load_dataset):
    _, out = comparison
    cmp = load_dataset(out.with_suffix(".h5"))
    master = int(cmp.attrs["master_seed"])
    for r in range(REPLICATES):
        assert int(cmp.replicate_seed[r]) == replicate_seed(master, r)
    checked = 0
    for stem in ("programme", "doubled"):
        for r in range(REPLICATES):
            run = tmp_path / f"{stem}-{r}.h5"
            proc = cdpsim("run", scenarios[stem], "--seed", replicate_seed(master, r), "-q",
                          "-o", run)
            assert proc.returncode == 0, proc.stderr
            ds = load_dataset(run)
            last = int(ds.week[-1])
            phase = ds.cdp_phase.values[-1]
            dissolved = list(ds.phase.values).index("dissolved")
            autonomous = int(np.sum((ds.cdp_last_support_week.values >= 0)
                                    & (ds.cdp_last_support_week.values <= last - AUTONOMY_WEEKS)
                                    & (phase != dissolved)
                                    & (ds.cdp_active_members.values[-1] > 0)))
            spent = float(ds.spending_money.values[-1])
            value = lambda m: float(cmp.value.sel(scenario=stem, replicate=r, metric=m))
            assert value("cdps_autonomous") == autonomous
            assert value("spending") == spent
            if autonomous == 0:
                assert math.isnan(value("cost_per_autonomous_cdp"))
                continue
            assert value("cost_per_autonomous_cdp") == spent / autonomous
            # The same run: the programme's end and the weeks after it.
            paid = np.flatnonzero(np.diff(np.concatenate([[0.0], ds.spending_money.values])) > 0)
            end = int(ds.week[paid[-1]])
            after = ds.week.values > end
            years = float(ds.cdps_alive.values[after].sum()) / 52
            assert math.isclose(value("cost_per_cdp_year_after"), spent / years, rel_tol=1e-12)
            checked += 1
    assert checked >= 2, "too few replicates with an autonomous CdP to check the recount"


def test_undefined_values_are_left_out_and_counted(comparison, load_dataset):
    proc, out = comparison
    ds = load_dataset(out.with_suffix(".h5"))
    m = "cost_per_cdp_year_after"
    assert np.isnan(ds.value.sel(scenario="to-the-end", metric=m)).all()
    assert int(ds.n.sel(scenario="to-the-end", metric=m)) == 0
    assert int(ds.n_diff.sel(scenario="to-the-end", metric=m)) == 0
    assert math.isnan(float(ds["mean"].sel(scenario="to-the-end", metric=m)))
    assert int(ds.n.sel(scenario="programme", metric="spending")) == REPLICATES
    assert int(ds.n_diff.sel(scenario="programme", metric="spending")) == -1
    # Every scenario's n is its number of replicates with a value.
    for s in ds.scenario.values:
        for k in ds.metric.values:
            x = ds.value.sel(scenario=s, metric=k).values
            assert int(ds.n.sel(scenario=s, metric=k)) == int(np.sum(~np.isnan(x))), (s, k)
            if np.any(~np.isnan(x)):
                assert math.isclose(float(ds["mean"].sel(scenario=s, metric=k)),
                                    float(np.nanmean(x)), rel_tol=1e-12)
    # The table says so: an n column and a note under that metric.
    block = proc.stdout.split(f"\n{m} (")[1].split("\n\n")[0]
    assert "n diff" in block and "0/4" in block and "replicates with a value" in block
    assert "n diff" not in proc.stdout.split("\nspending (")[1].split("\n\n")[0]
    with open(out.with_suffix(".csv"), newline="") as f:
        rows = {(r["scenario"], r["metric"]): r for r in csv.DictReader(f)}
    row = rows[("to-the-end", m)]
    assert row["n"] == "0" and row["mean"] == "" and row["n_diff"] == "0"
    assert rows[("programme", m)]["n_diff"] == ""
    doc = json.loads(out.with_suffix(".json").read_text())
    res = {(x["scenario"], x["metric"]): x for x in doc["results"]}
    assert res[("to-the-end", m)]["n"] == 0 and res[("to-the-end", m)]["mean"] is None
    assert res[("doubled", "spending")]["n_diff"] == REPLICATES
