"""`cdpsim compare --param-sets FILE` through the real binary: the statistics over parameter sets
recomputed with NumPy and SciPy from the runs in the HDF5 file, the seeds (shared by the
scenarios of a set, one replicate index per (set, replicate)), thread-count determinism, the
calibration's own accepted sets, and every bad input (exit 2, one line, nothing written).
docs/calibration.md, "Comparing over the accepted sets"."""

import csv
import json
import math

import numpy as np
import pytest
from scipy import stats

from cli_checks import close, error_line

R = 3
SETS = ("point,recruitment.launch_rate,engagement.decay,worst_measure\n"
        '4,90,0.03,"members, week 9"\n'
        '7,160,0.025,"F1 (a), ""posted"""\n'
        "9,240,0.04,none\n")
SETS_VALUES = [["recruitment.launch_rate=90", "engagement.decay=0.03"],
               ["recruitment.launch_rate=160", "engagement.decay=0.025"],
               ["recruitment.launch_rate=240", "engagement.decay=0.04"]]


@pytest.fixture(scope="module")
def files(tmp_path_factory, reference_scenario):
    folder = tmp_path_factory.mktemp("param-sets")
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    small = (f'extends = "{ref}"\nshocks = []\n\n[simulation]\nweeks = 20\nseed = 5\n'
             '\n[population]\npotential_members = 1500\n\n[support]\nmode = "{mode}"\n')
    out = {}
    for stem, mode in (("baseline", "none"), ("expert", "expert")):
        out[stem] = folder / f"{stem}.toml"
        out[stem].write_text(small.format(mode=mode))
    out["sets"] = folder / "sets.csv"
    out["sets"].write_text(SETS)
    return out


def compare_over_sets(cdpsim, files, out, threads):
    """The comparison every test here reads: expert against none over the three sets."""
    return cdpsim("compare", files["baseline"], files["expert"], "--param-sets", files["sets"],
                  "--replicates", R, "-q", "-o", out, "--threads", threads,
                  "--metric", "members_total", "--metric", "cdps_alive",
                  "--hypothesis", "expert > baseline on support_hours_per_surviving_cdp",
                  "--hypothesis", "expert > baseline on members_total")


@pytest.fixture(scope="module")
def comparison(cdpsim, files, tmp_path_factory):
    out = tmp_path_factory.mktemp("compare-sets") / "result"
    proc = compare_over_sets(cdpsim, files, out, threads=2)
    assert proc.returncode == 0, proc.stderr
    return proc, out


def test_layout_and_seeds(comparison, load_dataset, files):
    proc, out = comparison
    assert "parameter sets: 3 from" in proc.stdout and "95% of sets" in proc.stdout
    assert "supported in" in proc.stdout and "of the parameter sets" in proc.stdout
    ds = load_dataset(out.with_suffix(".h5"))
    assert ds.value.dims == ("param_set", "scenario", "replicate", "metric")
    assert ds.value.shape[:3] == (3, 2, R)
    assert list(ds.param_set.values) == [2, 3, 4]  # the lines of the file
    assert list(ds.param_key.values) == ["recruitment.launch_rate", "engagement.decay"]
    np.testing.assert_array_equal(ds.param_value.values, [[90, 0.03], [160, 0.025], [240, 0.04]])
    assert ds.attrs["param_set_count"] == 3
    seeds = ds.replicate_seed.values
    assert seeds.shape == (3, R) and len(set(seeds.flat)) == 3 * R


def test_statistics_over_sets_match_numpy(comparison, load_dataset):
    _, out = comparison
    ds = load_dataset(out.with_suffix(".h5"))
    doc = json.loads(out.with_suffix(".json").read_text())
    assert doc["param_sets"]["count"] == 3 and doc["param_sets"]["replicates_per_set"] == R
    results = {(r["scenario"], r["metric"]): r for r in doc["results"]}
    checked = 0
    for m in ds.metric.values:
        v = ds.value.sel(metric=m).values  # [set, scenario, replicate]
        base, other = v[:, 0, :].mean(axis=1), v[:, 1, :].mean(axis=1)
        assert close(results[("baseline", m)]["mean"], base.mean())
        d = other - base
        row = results[("expert", m)]
        assert close(row["diff"], d.mean()) and row["n_diff"] == 3
        lo, hi = np.percentile(d, [2.5, 97.5])
        assert close(row["sets_diff_band"][0], lo) and close(row["sets_diff_band"][1], hi)
        within = (v[:, 1, :] - v[:, 0, :]).var(axis=1, ddof=1)
        assert close(row["sd_within_set"], math.sqrt(within.mean()), rel=1e-9, abs_=1e-9)
        between = max(0.0, d.var(ddof=1) - (within / R).mean())
        assert close(row["sd_between_sets"], math.sqrt(between), rel=1e-9, abs_=1e-9)
        if d.std() > 0:
            ci = stats.t.interval(0.95, 2, loc=d.mean(), scale=stats.sem(d))
            scale = abs(d.mean()) + ci[1] - ci[0]
            assert math.isclose(row["diff_ci"][0], ci[0], abs_tol=1e-9 * scale)
            assert close(row["p_value"], stats.ttest_rel(other, base).pvalue)
            checked += 1
    assert checked >= 1
    for h in doc["hypotheses"]:
        m = h["metric"]
        v = ds.value.sel(metric=m).values
        a, b = v[:, 1, :], v[:, 0, :]
        diffs = (a - b).mean(axis=1)
        assert close(h["mean_difference"], diffs.mean())
        assert close(h["share_sets_direction"], float(np.mean(diffs > 0)))
        supported = 0
        for k in range(3):
            dk = a[k] - b[k]
            if np.all(dk == dk[0]):
                supported += dk[0] > 0
            else:
                supported += dk.mean() > 0 and stats.ttest_rel(a[k], b[k],
                                                               alternative="greater").pvalue < 0.05
        assert close(h["share_sets_supported"], supported / 3)
    with open(out.with_suffix(".csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert "sets_diff_p2_5" in rows[0] and "sd_between_sets" in rows[0]


def test_a_set_is_an_ensemble_of_its_values(cdpsim, comparison, files, tmp_path, load_dataset):
    """Replicate r of set k runs with replicate index k * R + r of the master seed: `cdpsim
    ensemble --set VALUES --replicates 3R` gives the same runs (common random numbers within a
    set; other seeds in other sets)."""
    _, out = comparison
    cmp = load_dataset(out.with_suffix(".h5"))
    for k in (0, 2):
        ens = tmp_path / f"e{k}.h5"
        sets = [x for s in SETS_VALUES[k] for x in ("--set", s)]
        proc = cdpsim("ensemble", files["expert"], "--replicates", 3 * R, "-q", "-o", ens, *sets)
        assert proc.returncode == 0, proc.stderr
        e = load_dataset(ens)
        np.testing.assert_array_equal(e.replicate_seed.values[k * R:(k + 1) * R],
                                      cmp.replicate_seed.values[k])
        for m in cmp.metric.values:
            np.testing.assert_array_equal(e.metrics.sel(metric=m).values[k * R:(k + 1) * R],
                                          cmp.value.sel(scenario="expert", metric=m).values[k])


def test_same_result_at_one_thread(cdpsim, comparison, files, tmp_path, load_dataset):
    _, out = comparison
    one = tmp_path / "one"
    proc = compare_over_sets(cdpsim, files, one, threads=1)
    assert proc.returncode == 0, proc.stderr
    np.testing.assert_array_equal(load_dataset(one.with_suffix(".h5")).value.values,
                                  load_dataset(out.with_suffix(".h5")).value.values)
    assert one.with_suffix(".csv").read_text() == out.with_suffix(".csv").read_text()


def test_the_calibrations_accepted_sets(cdpsim, files, source_dir, tmp_path, load_dataset):
    accepted = source_dir / "scenarios" / "calibration" / "accepted.csv"
    n = sum(1 for _ in open(accepted)) - 1
    out = tmp_path / "acc"
    proc = cdpsim("compare", files["baseline"], files["expert"], "--param-sets", accepted,
                  "--replicates", 2, "--horizon", 6, "--metric", "members_total", "-q",
                  "-o", out, "--hypothesis", "expert > baseline on support_hours_per_surviving_cdp")
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out.with_suffix(".h5"))
    assert ds.sizes["param_set"] == n and ds.sizes["param_key"] == 19


@pytest.mark.parametrize("content, extra, fragments", [
    (None, [], ["missing.csv: cannot read parameter sets: No such file or directory"]),
    ("point,engagement.decai\n1,0.03\n2,0.04\n", [],
     ["sets.csv:1:7: engagement.decai: not a parameter", "did you mean 'engagement.decay'?"]),
    ("engagement.decay\n0.03\nabc\n", [],
     ["sets.csv:3:1: engagement.decay: 'abc' is not a number", "a number from 0 to 1"]),
    ("engagement.decay\n0.03\n2\n", [], ["sets.csv:3:1: engagement.decay: value 2 is out of range"]),
    ("a,engagement.decay\n1,0.03\n2\n", [], ["sets.csv:3: 1 fields where the header has 2"]),
    ("engagement.decay\n0.03\n", [], ["one parameter set gives no spread"]),
    ("members_w9\n1000\n", [], ["sets.csv:1: no column names a parameter"]),
    ("engagement.decay\n0.03\n0.04\n", ["--set", "engagement.decay=0.02"],
     ["--set engagement.decay=0.02: engagement.decay is also a column of"]),
    ("support.mode\nnone\nexpert\n", [], ["sets.csv:1:1: support.mode: not a number parameter"]),
], ids=["missing", "unknown-key", "bad-number", "out-of-range", "short-line", "one-set",
        "no-parameter", "set-twice", "not-a-number-key"])
def test_bad_param_sets_exit_2(cdpsim, files, tmp_path, content, extra, fragments):
    path = tmp_path / ("missing.csv" if content is None else "sets.csv")
    if content is not None:
        path.write_text(content)
    out = tmp_path / "out"
    out.mkdir()
    line = error_line(cdpsim("compare", files["baseline"], files["expert"], "--param-sets", path,
                             "--replicates", 2, *extra, "-o", out / "r"))
    for f in fragments:
        assert f in line, f"{f!r} not in {line!r}"
    assert list(out.iterdir()) == []


def test_a_scenario_varying_a_column_is_refused(cdpsim, files, tmp_path):
    """The expert scenario has support.mode "expert"; one with other capacity hours than the
    baseline would lose that difference if the sets set support.capacity_hours in both."""
    more = tmp_path / "more.toml"
    more.write_text(files["expert"].read_text() + "capacity_hours = 40\n")
    sets = tmp_path / "sets.csv"
    sets.write_text("support.capacity_hours\n10\n20\n")
    line = error_line(cdpsim("compare", files["baseline"], more, "--param-sets", sets,
                             "--replicates", 2))
    assert "scenario 'more' has support.capacity_hours = 40 where the baseline 'baseline' has" in line
