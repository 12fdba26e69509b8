"""`cdpsim compare` through the real binary: the statistics recomputed with SciPy from the per-run
values the HDF5 file keeps, the same numbers in CSV and JSON, common random numbers (the values of
replicate r are those of the ensemble's replicate r), identical scenarios, hypotheses, bad input.
"""

import csv
import json
import math
import os
import re

import numpy as np
import pytest
from scipy import stats

from cli_checks import close, error_line

REPLICATES = 6


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory, reference_scenario):
    folder = tmp_path_factory.mktemp("compare-scenarios")
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    small = (f'extends = "{ref}"\nshocks = []\n\n[simulation]\nweeks = 30\nseed = 5\n{{name}}'
             "\n[population]\npotential_members = 2000\n\n[support]\nmode = \"{mode}\"\n"
             "capacity_hours = {hours}\n")
    files = {}
    for stem, mode, hours, name in (("baseline", "none", 25, ""),
                                    ("expert", "expert", 60, ""),
                                    ("renamed", "none", 25, 'name = "same-but-renamed"\n')):
        path = folder / f"{stem}.toml"
        path.write_text(small.format(mode=mode, hours=hours, name=name))
        files[stem] = path
    return files


@pytest.fixture(scope="module")
def comparison(cdpsim, scenarios, tmp_path_factory):
    out = tmp_path_factory.mktemp("compare") / "result"
    proc = cdpsim("compare", scenarios["baseline"], scenarios["expert"], scenarios["renamed"],
                  "--replicates", REPLICATES, "-q", "-o", out,
                  "--hypothesis", "expert > baseline on support_hours_per_surviving_cdp",
                  "--hypothesis", "baseline > expert on knowledge_stock",
                  "--hypothesis", "expert < baseline on members_total")
    assert proc.returncode == 0, proc.stderr
    return proc, out


def interval_close(ours, sample):
    """Our 95% t interval and SciPy's agree to 1e-9 of the interval's scale: a bound near 0 is a
    difference of two larger numbers, and SciPy 1.10's t.ppf is itself good to about 1e-11."""
    lo, hi = stats.t.interval(0.95, len(sample) - 1, loc=sample.mean(), scale=stats.sem(sample))
    scale = abs(sample.mean()) + (hi - lo)
    return all(math.isclose(a, b, rel_tol=0, abs_tol=1e-9 * scale) for a, b in zip(ours, (lo, hi)))


def test_table_is_readable(comparison):
    proc, _ = comparison
    out = proc.stdout
    assert "baseline: baseline" in out
    assert "common random numbers" in out
    for metric in ("cdps_alive", "cdps_autonomous", "members_active", "knowledge_stock",
                   "boundary_objects", "support_hours_per_surviving_cdp"):
        assert f"\n{metric} (" in out
    assert "95% CI" in out and "d_z" in out
    assert out.count("(baseline)") == 7  # six default metrics plus members_total
    assert 'hypothesis "expert > baseline on support_hours_per_surviving_cdp": SUPPORTED' in out
    assert 'hypothesis "baseline > expert on knowledge_stock": NOT SUPPORTED' in out


def test_statistics_match_scipy(comparison, load_dataset):
    _, out = comparison
    ds = load_dataset(out.with_suffix(".h5"))
    assert ds.attrs["output_kind"] == "comparison"
    assert ds.attrs["baseline"] == "baseline"
    assert list(ds.scenario.values) == ["baseline", "expert", "renamed"]
    assert ds.value.dims == ("scenario", "replicate", "metric")
    checked = 0
    for m in ds.metric.values:
        base = ds.value.sel(scenario="baseline", metric=m).values
        for s in ds.scenario.values:
            x = ds.value.sel(scenario=s, metric=m).values
            row = {k: float(ds[k].sel(scenario=s, metric=m)) for k in
                   ("mean", "sd", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high",
                    "effect_size", "p_value")}
            assert close(row["mean"], x.mean())
            if x.std() > 0:
                assert interval_close((row["ci_low"], row["ci_high"]), x), (s, m)
                assert close(row["sd"], x.std(ddof=1))
            if s == "baseline":
                assert math.isnan(row["diff"]) and math.isnan(row["p_value"])
                continue
            d = x - base
            assert close(row["diff"], d.mean())
            if np.all(d == d[0]):
                assert row["diff_ci_low"] == row["diff_ci_high"] == d[0]
                continue
            assert interval_close((row["diff_ci_low"], row["diff_ci_high"]), d), (s, m)
            assert close(row["effect_size"], d.mean() / d.std(ddof=1))
            assert close(row["p_value"], stats.ttest_rel(x, base).pvalue), (s, m)
            checked += 1
    assert checked >= 4  # enough metrics with a spread to exercise the test


def test_csv_and_json_hold_the_same_numbers(comparison, load_dataset):
    _, out = comparison
    ds = load_dataset(out.with_suffix(".h5"))
    with open(out.with_suffix(".csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == ds.sizes["scenario"] * ds.sizes["metric"]
    doc = json.loads(out.with_suffix(".json").read_text())
    assert doc["baseline"] == "baseline" and doc["replicates"] == REPLICATES
    assert [s["name"] for s in doc["scenarios"]] == ["baseline", "expert", "renamed"]
    np.testing.assert_array_equal(doc["seeds"], ds.replicate_seed.values)
    for row, res in zip(rows, doc["results"]):
        s, m = row["scenario"], row["metric"]
        assert (res["scenario"], res["metric"]) == (s, m)
        for col, key in (("mean", "mean"), ("diff", "diff"), ("p_value", "p_value"),
                         ("ci_low", "ci_low"), ("diff_ci_high", "diff_ci_high"),
                         ("effect_size_dz", "effect_size")):
            h5 = float(ds[key].sel(scenario=s, metric=m))
            text = float(row[col]) if row[col] else math.nan
            assert close(text, h5, rel=0, abs_=0), (s, m, col)
        assert close(res["mean"], float(ds["mean"].sel(scenario=s, metric=m)), rel=0, abs_=0)
        assert res["ci"][0] == float(ds.ci_low.sel(scenario=s, metric=m))
        if s == "baseline":
            assert res["diff"] is None and row["diff"] == ""


def test_identical_scenarios_differ_by_exactly_zero(comparison, load_dataset):
    """`renamed` is the baseline under another simulation.name: under common random numbers every
    replicate is the same run, so the difference is 0 and its interval contains 0."""
    _, out = comparison
    ds = load_dataset(out.with_suffix(".h5"))
    r = ds.sel(scenario="renamed")
    np.testing.assert_array_equal(ds.value.sel(scenario="renamed"), ds.value.sel(scenario="baseline"))
    assert (r["diff"] == 0).all()
    assert (r.diff_ci_low <= 0).all() and (r.diff_ci_high >= 0).all()
    assert (r.p_value == 1).all()


def test_hypotheses_are_one_sided_paired_tests(comparison, load_dataset):
    _, out = comparison
    ds = load_dataset(out.with_suffix(".h5"))
    doc = json.loads(out.with_suffix(".json").read_text())
    verdicts = {h["text"]: h for h in doc["hypotheses"]}
    h = verdicts["baseline > expert on knowledge_stock"]
    a = ds.value.sel(scenario="baseline", metric="knowledge_stock").values
    b = ds.value.sel(scenario="expert", metric="knowledge_stock").values
    assert h["direction"] == ">" and h["a"] == "baseline" and h["b"] == "expert"
    assert close(h["p_value_one_sided"], stats.ttest_rel(a, b, alternative="greater").pvalue)
    assert h["supported"] is False
    assert verdicts["expert > baseline on support_hours_per_surviving_cdp"]["supported"] is True
    low = verdicts["expert < baseline on members_total"]
    x = ds.value.sel(scenario="expert", metric="members_total").values
    y = ds.value.sel(scenario="baseline", metric="members_total").values
    if not np.all(x - y == (x - y)[0]):
        assert close(low["p_value_one_sided"], stats.ttest_rel(x, y, alternative="less").pvalue)
    assert "members_total" in ds.metric.values  # a hypothesis' metric is reported too
    np.testing.assert_array_equal(ds.hypothesis_supported,
                                  [int(verdicts[t]["supported"]) for t in ds.hypothesis.values])


def test_common_random_numbers_match_the_ensemble_replicates(cdpsim, scenarios, comparison,
                                                             tmp_path, load_dataset):
    _, out = comparison
    cmp = load_dataset(out.with_suffix(".h5"))
    ens = tmp_path / "e.h5"
    proc = cdpsim("ensemble", scenarios["expert"], "--replicates", REPLICATES, "-q", "-o", ens)
    assert proc.returncode == 0, proc.stderr
    e = load_dataset(ens)
    np.testing.assert_array_equal(e.replicate_seed, cmp.replicate_seed)
    for m in cmp.metric.values:
        np.testing.assert_array_equal(e.metrics.sel(metric=m),
                                      cmp.value.sel(scenario="expert", metric=m), err_msg=m)


def test_horizon_runs_only_that_many_weeks(cdpsim, scenarios, tmp_path, load_dataset):
    out = tmp_path / "h"
    proc = cdpsim("compare", scenarios["baseline"], scenarios["expert"], "--replicates", 3,
                  "--horizon", 12, "--metric", "members_total", "--metric", "cdps_alive", "-q",
                  "-o", out)
    assert proc.returncode == 0, proc.stderr
    cmp = load_dataset(out.with_suffix(".h5"))
    assert cmp.attrs["horizon_weeks"] == 12
    assert list(cmp.metric.values) == ["members_total", "cdps_alive"]
    ens = tmp_path / "e.h5"
    assert cdpsim("ensemble", scenarios["expert"], "--replicates", 3, "--set",
                  "simulation.weeks=12", "-q", "-o", ens).returncode == 0
    e = load_dataset(ens)
    for m in ("members_total", "cdps_alive"):
        np.testing.assert_array_equal(e.metrics.sel(metric=m),
                                      cmp.value.sel(scenario="expert", metric=m))


@pytest.mark.parametrize("files, extra, fragments", [
    (["baseline"], [], ["baseline and at least one other"]),
    (["baseline", "baseline"], [], ["two scenarios are named 'baseline'"]),
    (["baseline", "expert"], ["--metric", "cdps_alvie"], ["unknown metric", "cdps_alive"]),
    (["baseline", "expert"], ["--hypothesis", "expert beats baseline"], ["' on METRIC'"]),
    (["baseline", "expert"], ["--hypothesis", "peer > baseline on cdps_alive"],
     ["no scenario named 'peer'", "'baseline', 'expert'"]),
    (["baseline", "expert"], ["--hypothesis", "expert > baseline < expert on cdps_alive"],
     ["exactly one"]),
    (["baseline", "expert"], ["--hypothesis", "expert > baseline on vibes"], ["unknown metric"]),
    (["baseline", "expert"], ["--horizon", "40"], ["--horizon 40", "only 30 weeks"]),
    (["baseline", "expert"], ["--replicates", "1"], ["at least 2 replicates"]),
    (["baseline", "expert"], ["--set", "levers.animation=7"], ["levers.animation", "out of range"]),
], ids=["one-scenario", "same-name", "unknown-metric", "hypothesis-form", "hypothesis-name",
        "hypothesis-two-ops", "hypothesis-metric", "horizon", "one-replicate", "bad-set"])
def test_bad_compare_input_exits_2(cdpsim, scenarios, tmp_path, files, extra, fragments):
    out = tmp_path / "out"
    out.mkdir()
    replicates = [] if "--replicates" in extra else ["--replicates", 2]
    line = error_line(cdpsim("compare", *[scenarios[f] for f in files], *replicates, *extra,
                             "-o", out / "r"))
    for f in fragments:
        assert f in line, f"{f!r} not in {line!r}"
    assert list(out.iterdir()) == []


def test_existing_outputs_need_force(cdpsim, scenarios, tmp_path):
    (tmp_path / "r.json").write_text("{}")
    line = error_line(cdpsim("compare", scenarios["baseline"], scenarios["expert"],
                             "--replicates", 2, "-o", tmp_path / "r.csv"))
    assert "r.json" in line and "--force" in line
    assert not (tmp_path / "r.csv").exists()


def _env_lang(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return dict(base, **env)


@pytest.mark.parametrize("how", ["--lang", "LANG"])
def test_table_and_verdicts_in_french(cdpsim, scenarios, how):
    """LANG=fr_CA.UTF-8 (or --lang fr) prints the table and the hypotheses' verdicts in French,
    numbers with a decimal comma; --lang en wins over a French locale."""
    args = ["compare", scenarios["baseline"], scenarios["expert"], "--replicates", 3, "-q",
            "--metric", "members_total", "--metric", "cdps_alive",
            "--hypothesis", "expert > baseline on members_total"]
    if how == "--lang":
        proc = cdpsim(*args, "--lang", "fr", env=_env_lang(LANG="C.UTF-8"))
    else:
        proc = cdpsim(*args, env=_env_lang(LANG="fr_CA.UTF-8"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "scénario de référence : baseline" in out
    assert "membres inscrits à la dernière semaine" in out and "CdP qui ne sont pas" in out
    assert "moyenne" in out and "IC à 95 %" in out and "(référence)" in out
    assert re.search(r'hypothèse « expert > baseline on members_total » : (NON )?APPUYÉE', out)
    assert re.search(r"\d,\d", out)  # decimal comma
    for english in ("baseline:", "mean", "SUPPORTED", "registered members", "hypothesis"):
        assert english not in out, english
    en = cdpsim(*args, "--lang", "en", env=_env_lang(LANG="fr_CA.UTF-8"))
    assert en.returncode == 0 and "baseline: baseline" in en.stdout and "hypothesis" in en.stdout


def test_shock_after_horizon_in_compare_warns_once_per_scenario(cdpsim, scenarios, tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    body = '\n[[shocks]]\nkind = "pandemic"\nstart = 2030-01-07\nduration_weeks = 4\n'
    files = []
    for stem in ("baseline", "expert"):
        p = folder / f"{stem}.toml"
        p.write_text(scenarios[stem].read_text().replace("shocks = []\n", "") + body)
        files.append(p)
    args = ["compare", *files, "--replicates", 2, "-q", "--metric", "cdps_alive"]
    proc = cdpsim(*args)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 2 and all(x.startswith("cdpsim: warning: shocks[0]") for x in lines)
    assert all("2030-01-07" in x for x in lines)
    strict = cdpsim(*args, "--strict")
    assert strict.returncode == 2 and "outside the simulated horizon" in strict.stderr
