"""`cdpsim sensitivity` through the real binary (docs/sensitivity.md): the file's layout, the CSV
and the terminal table, runs reproducible alone with `cdpsim run`, identical results at any
thread count, strata, bad input, interruption and --resume, and the figures.

Runs are short (40 weeks, 2,000 potential members, the pandemic moved to week 6 so that it stays
inside the horizon) and the designs tiny: the whole module takes a few seconds.
"""

import csv

import h5py
import numpy as np
import pytest

SHORT = ["--set", "simulation.weeks=40", "--set", "shocks.0.start=2018-10-15",
         "--set", "population.potential_members=2000"]
LEVERS = ["animation", "belonging"]
SMALL = ["--levers", ",".join(LEVERS), "--samples", 8, "--replicates", 2, *SHORT]
INPUTS = LEVERS + ["dummy"]
K = len(INPUTS)
POINTS = 8 * (K + 2)


def sensitivity(cdpsim, scenario, out, *extra, method="sobol", env=None):
    return cdpsim("sensitivity", scenario, "--method", method, *SMALL, "-o", out, *extra,
                  env=env)


@pytest.fixture(scope="module")
def sobol_file(cdpsim, reference_scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("sobol") / "s.h5"
    proc = sensitivity(cdpsim, reference_scenario, out, "--metric", "cdp_survival", "--metric",
                       "cdps_alive", "--threads", 1)
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_sobol_file_layout(sobol_file, load_dataset):
    path, _ = sobol_file
    ds = load_dataset(path)
    assert ds.attrs["output_kind"] == "sensitivity"
    assert ds.attrs["status"] == "complete"
    assert ds.attrs["method"] == "sobol"
    assert ds.attrs["samples"] == 8 and ds.attrs["replicates"] == 2
    assert ds.attrs["runs_total"] == ds.attrs["runs_complete"] == POINTS * 2
    assert ds.attrs["master_seed"] == 20180903
    assert "[simulation]" in ds.attrs["scenario_toml"]
    assert list(ds.lever.values) == INPUTS
    assert list(ds.metric.values) == ["cdp_survival", "cdps_alive"]
    assert list(ds.stratum.values) == ["all"]
    assert ds.sizes["point"] == POINTS and ds.sizes["replicate"] == 2
    assert ds.design.dims == ("point", "lever")
    assert ds.outputs.dims == ("stratum", "point", "replicate", "metric")
    for name in ("S1", "ST", "S1_ci_low", "ST_ci_high", "influential", "rank"):
        assert ds[name].dims == ("stratum", "metric", "lever"), name
    for name in ("S1_sum", "ST_sum", "noise_floor", "noise_share", "output_variance"):
        assert ds[name].dims == ("stratum", "metric"), name
    assert ds.ST_by_replicate.dims == ("stratum", "metric", "replicate", "lever")
    design = ds.design.values
    assert np.all((design >= 0) & (design < 1))
    assert np.isfinite(ds.outputs.values).all()
    assert (ds.run_complete.values == 1).all()
    # The Saltelli blocks: AB_i is A with column i from B.
    group, step = ds.point_group.values, ds.point_step.values
    for j in range(8):
        a = design[(group == j) & (step == 0)][0]
        b = design[(group == j) & (step == K + 1)][0]
        for i in range(K):
            ab = design[(group == j) & (step == 1 + i)][0]
            assert np.array_equal(ab, np.where(np.arange(K) == i, b, a))
    # The noise floor is the dummy's upper bound; the dummy is never "influential".
    ci_high = ds.ST_ci_high.values[..., K - 1]
    assert np.allclose(ds.noise_floor.values, ci_high, equal_nan=True)
    assert (ds.influential.values[..., K - 1] == -1).all()
    assert set(np.unique(ds.influential.values)) <= {-1, 0, 1}
    for m in range(2):
        assert sorted(ds["rank"].values[0, m]) == list(range(1, K + 1))
    # Replicate noise is a share of the variance of the point means.
    assert np.all(ds.noise_share.values >= 0)


def test_common_random_numbers_except_through_the_dummy(sobol_file, load_dataset):
    ds = load_dataset(sobol_file[0])
    seed, group = ds.seed.values, ds.point_group.values
    for j in range(8):
        rows = np.flatnonzero(group == j)
        a, b = rows[0], rows[-1]
        for i in range(K):
            ab = rows[1 + i]
            # AB_i shares A's seeds unless i is the dummy, which takes B's value and seeds.
            assert np.array_equal(seed[ab], seed[b] if INPUTS[i] == "dummy" else seed[a])
        assert not np.array_equal(seed[a], seed[b])
    assert len(np.unique(seed[:, 0])) > 1 and not np.array_equal(seed[:, 0], seed[:, 1])


def test_a_point_is_reproduced_by_cdpsim_run(sobol_file, load_dataset, cdpsim,
                                             reference_scenario, tmp_path):
    ds = load_dataset(sobol_file[0])
    p, r = 13, 1
    sets = []
    for i, name in enumerate(LEVERS):
        sets += ["--set", f"levers.{name}={float(ds.design.values[p, i])!r}"]
    out = tmp_path / "run.h5"
    proc = cdpsim("run", reference_scenario, *SHORT, *sets, "--seed", int(ds.seed.values[p, r]),
                  "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out) as f:
        alive = f["cdps_alive"][-1]
        phase = f["cdp_phase"][-1]  # (week, cdp): -1 before a CdP exists, 5 dissolved
    assert ds.outputs.sel(stratum="all", metric="cdps_alive").values[p, r] == alive
    survival = ds.outputs.sel(stratum="all", metric="cdp_survival").values[p, r]
    created = np.count_nonzero(phase >= 0)
    assert survival == pytest.approx(np.count_nonzero((phase >= 0) & (phase != 5)) / created)


def test_csv_and_terminal_table(sobol_file):
    path, stdout = sobol_file
    rows = list(csv.DictReader(path.with_suffix(".csv").open()))
    assert len(rows) == 2 * K
    assert set(rows[0]) >= {"stratum", "metric", "lever", "rank", "ST", "ST_low", "ST_high", "S1",
                            "influential", "noise_floor", "noise_share"}
    assert {r["lever"] for r in rows} == set(INPUTS)
    dummy = [r for r in rows if r["lever"] == "dummy"]
    assert all(r["influential"] == "" for r in dummy)
    assert all(float(r["noise_floor"]) == float(r["ST_high"]) for r in dummy)
    assert "noise floor" in stdout and "upper bound of the dummy's ST" in stdout
    assert "cdp_survival, stratum all" in stdout and "sum" in stdout
    for name in INPUTS:
        assert name in stdout
    assert "runs/s" in stdout and str(path) in stdout


def test_threads_and_seed(cdpsim, reference_scenario, sobol_file, tmp_path, load_dataset,
                          assert_same_dataset):
    two = tmp_path / "two.h5"
    proc = sensitivity(cdpsim, reference_scenario, two, "--metric", "cdp_survival", "--metric",
                       "cdps_alive", "--threads", 2, "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert_same_dataset(load_dataset(sobol_file[0]), load_dataset(two))
    assert two.with_suffix(".csv").read_text() == sobol_file[0].with_suffix(".csv").read_text()
    other = tmp_path / "other.h5"
    proc = sensitivity(cdpsim, reference_scenario, other, "--metric", "cdp_survival", "--metric",
                       "cdps_alive", "--seed", 7, "-q")
    assert proc.returncode == 0, proc.stderr
    a, b = load_dataset(sobol_file[0]), load_dataset(other)
    assert not np.array_equal(a.design.values, b.design.values)
    assert not np.array_equal(a.outputs.values, b.outputs.values)


def test_morris_layout(cdpsim, reference_scenario, tmp_path, load_dataset):
    out = tmp_path / "m.h5"
    proc = cdpsim("sensitivity", reference_scenario, "--method", "morris", "--levers",
                  "animation,time_allowance", "--samples", 6, "--replicates", 2, *SHORT,
                  "-o", out)
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out)
    assert ds.attrs["method"] == "morris" and ds.attrs["levels"] == 4
    assert ds.sizes["point"] == 6 * 4
    for name in ("mu_star", "mu", "sigma", "mu_star_ci_low", "mu_star_ci_high"):
        assert ds[name].dims == ("stratum", "metric", "lever"), name
    design, changed = ds.design.values, ds.changed_lever.values
    for t in range(6):
        rows = range(4 * t, 4 * t + 4)
        assert changed[rows[0]] == -1
        assert sorted(changed[list(rows)[1:]]) == [0, 1, 2]
        for prev, row in zip(rows, list(rows)[1:]):
            moved = np.flatnonzero(design[row] != design[prev])
            assert list(moved) == [changed[row]]
            assert abs(design[row, moved[0]] - design[prev, moved[0]]) == pytest.approx(2 / 3)
    assert "mu*" in proc.stdout and "noise floor" in proc.stdout
    assert np.all(ds.mu_star.values >= 0)
    assert "mu_star" in out.with_suffix(".csv").read_text().splitlines()[0]


def test_stratify_phase(cdpsim, reference_scenario, tmp_path, load_dataset):
    out = tmp_path / "phase.h5"
    proc = sensitivity(cdpsim, reference_scenario, out, "--stratify", "phase", "-q")
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out)
    cohorts = ["all", "potential", "coalescing", "maturing", "stewardship", "transformation",
               "born_after"]
    assert list(ds.stratum.values) == cohorts
    assert list(ds.stratum_cohort.values) == cohorts
    assert ds.attrs["phase_week"] == 6  # the pandemic's first week by default
    assert ds.ST.shape == (len(cohorts), 2, K)
    outputs = ds.outputs.values
    assert np.isfinite(outputs[0]).all()
    # Every run is simulated once and shared by the cohorts.
    assert ds.run_complete.dims == ("variant", "point", "replicate")
    assert ds.sizes["variant"] == 1
    # A cohort's survival is a share; "all" pools every CdP.
    finite = outputs[np.isfinite(outputs)]
    assert np.all((finite >= 0) & (finite <= 1))
    csv_rows = list(csv.DictReader(out.with_suffix(".csv").open()))
    assert {r["stratum"] for r in csv_rows} == set(cohorts)


def test_stratify_pandemic_and_phase(cdpsim, reference_scenario, tmp_path, load_dataset):
    out = tmp_path / "pandemic.h5"
    proc = sensitivity(cdpsim, reference_scenario, out, "--stratify", "pandemic", "--stratify",
                       "phase", "--phase-week", 10)
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out)
    assert list(ds.variant.values) == ["pandemic", "no_pandemic"]
    assert list(ds.variant_set.values) == ["", "shocks.0.intensity=0"]
    assert ds.sizes["stratum"] == 2 * 7
    assert ds.stratum.values[0] == "pandemic/all" and ds.stratum.values[7] == "no_pandemic/all"
    assert ds.attrs["runs_total"] == 2 * POINTS * 2 and ds.attrs["phase_week"] == 10
    with_shock = ds.outputs.sel(stratum="pandemic/all").values
    without = ds.outputs.sel(stratum="no_pandemic/all").values
    assert not np.array_equal(with_shock, without)
    assert "rank of each lever by ST per stratum" in proc.stdout


@pytest.mark.parametrize("key, strata", [
    ("competition", ["competition_low", "competition_high"]),
    ("support_mode", ["support_none", "support_expert", "support_capacity_building"]),
])
def test_stratify_scenario_keys(cdpsim, reference_scenario, tmp_path, load_dataset, key, strata):
    out = tmp_path / f"{key}.h5"
    proc = cdpsim("sensitivity", reference_scenario, "--method", "morris", "--levers", "animation",
                  "--samples", 2, "--replicates", 1, "--metric", "cdps_alive", *SHORT,
                  "--stratify", key, "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out)
    assert list(ds.stratum.values) == strata
    values = ds.outputs.values[:, :, 0, 0]
    assert not np.array_equal(values[0], values[1])


@pytest.mark.parametrize("args, message", [
    (["--levers", "animaton"], "unknown lever 'animaton' (did you mean 'animation'?)"),
    (["--metric", "cdp_survivl"], "unknown metric 'cdp_survivl' (did you mean 'cdp_survival'?)"),
    (["--stratify", "phse"], "unknown key 'phse' (did you mean 'phase'?)"),
    (["--samples", 0], "--samples 0: at least 2"),
    (["--stratify", "phase", "--metric", "cdps_alive"], "cannot be stratified by phase"),
    (["--stratify", "pandemic", "--stratify", "competition"], "at most one of pandemic"),
    (["--phase-week", 5], "--phase-week applies to --stratify phase only"),
    (["--stratify", "phase", "--phase-week", 40], "outside the horizon"),
    (["--method", "morris", "--levels", 3], "--levels 3"),
    (["--set", "shocks.0.intensity=0", "--stratify", "pandemic"], "no pandemic shock"),
    (["--method", "anova"], "--method"),
])
def test_bad_input(cdpsim, reference_scenario, tmp_path, leftovers, args, message):
    out = tmp_path / "bad.h5"
    base = ["sensitivity", reference_scenario, *SHORT, "-o", out]
    if "--method" not in args:
        base += ["--method", "sobol"]
    if "--samples" not in args:
        base += ["--samples", 4]
    proc = cdpsim(*base, *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr
    assert not out.exists() and not out.with_suffix(".csv").exists()
    assert leftovers(tmp_path) == []


def test_existing_output_needs_force(cdpsim, reference_scenario, tmp_path):
    out = tmp_path / "s.h5"
    out.write_text("precious")
    proc = sensitivity(cdpsim, reference_scenario, out, "-q")
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert out.read_text() == "precious"
    proc = sensitivity(cdpsim, reference_scenario, out, "-q", "--force")
    assert proc.returncode == 0, proc.stderr


def test_interrupt_then_resume_equals_uninterrupted(cdpsim, reference_scenario, sobol_file,
                                                    tmp_path, load_dataset, assert_same_dataset,
                                                    leftovers):
    import os
    out = tmp_path / "r.h5"
    metrics = ["--metric", "cdp_survival", "--metric", "cdps_alive"]
    env = dict(os.environ, CDPSIM_TEST_STOP_AFTER_RUNS="30")
    proc = sensitivity(cdpsim, reference_scenario, out, *metrics, "--threads", 1, env=env)
    assert proc.returncode == 130, proc.stderr
    assert "--resume" in proc.stderr
    assert not out.with_suffix(".csv").exists()
    with h5py.File(out) as f:
        assert f.attrs["status"] == "interrupted"
        assert 30 <= f.attrs["runs_complete"] < POINTS * 2
        assert "ST" not in f
    # Starting again over an interrupted file is refused: resume it or force.
    proc = sensitivity(cdpsim, reference_scenario, out, *metrics, "-q")
    assert proc.returncode == 2 and "--resume" in proc.stderr
    # Another analysis cannot resume it.
    proc = sensitivity(cdpsim, reference_scenario, out, "--resume", "-q")
    assert proc.returncode == 2 and "belongs to another sensitivity analysis" in proc.stderr
    # The figures need the finished analysis.
    proc = cdpsim("plot", out, "-o", tmp_path / "figs", "-q")
    assert proc.returncode == 2 and "--resume" in proc.stderr
    proc = sensitivity(cdpsim, reference_scenario, out, *metrics, "--resume", "--threads", 2)
    assert proc.returncode == 0, proc.stderr
    assert "simulated now" in proc.stdout
    assert_same_dataset(load_dataset(sobol_file[0]), load_dataset(out))
    assert out.with_suffix(".csv").read_text() == sobol_file[0].with_suffix(".csv").read_text()
    proc = sensitivity(cdpsim, reference_scenario, out, *metrics, "--resume")
    assert proc.returncode == 0 and "nothing to do" in proc.stdout
    assert leftovers(tmp_path) == []


def test_figures(cdpsim, reference_scenario, tmp_path):
    out = tmp_path / "fig.h5"
    proc = sensitivity(cdpsim, reference_scenario, out, "--stratify", "phase", "-q")
    assert proc.returncode == 0, proc.stderr
    figs = tmp_path / "figs"
    proc = cdpsim("plot", out, "-o", figs, "--format", "png", "-q")
    assert proc.returncode == 0, proc.stderr
    names = {p.stem for p in figs.glob("*.png")}
    assert {"tornado-all", "heatmap", "noise"} <= names
    report = tmp_path / "report.html"
    proc = cdpsim("report", out, "-o", report, "-q")
    assert proc.returncode == 0, proc.stderr
    text = report.read_text()
    assert "Sensitivity analysis" in text and "noise floor" in text and "animation" in text
