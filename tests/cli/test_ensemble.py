"""`cdpsim ensemble` and `cdpsim merge` through the real binary (docs/ensembles.md): the file's
layout, identical content at any thread count, runs reproducible alone with `cdpsim run`, the
Latin hypercube, shards merged into the single-process file, interruption and --resume.

The ensembles are small (30 weeks, 2,000 potential members, no shock): a run takes milliseconds.
"""

import os
import pty
import re
import select
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest
from seed_rule import replicate_seed

SWEEP = ["--sweep", "levers.animation=0.3,0.7", "--sweep", "support.mode=expert,none"]
REPLICATES = 3
RUNS = 2 * 2 * REPLICATES


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, reference_scenario):
    folder = tmp_path_factory.mktemp("ensemble-scenario")
    path = folder / "small.toml"
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{ref}"\nshocks = []\n\n[simulation]\nweeks = 30\nseed = 11\n\n'
                    "[population]\npotential_members = 2000\n")
    return path


@pytest.fixture(scope="module")
def ensemble(cdpsim, scenario, tmp_path_factory):
    """The reference ensemble: 2 x 2 grid x 3 replicates, one thread."""
    out = tmp_path_factory.mktemp("ensemble") / "one.h5"
    proc = cdpsim("ensemble", scenario, "--replicates", REPLICATES, *SWEEP, "--threads", 1,
                  "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def ensemble_args(scenario, *extra):
    return ("ensemble", scenario, "--replicates", REPLICATES, *SWEEP, "-q", *extra)


def test_summary_names_the_runs_and_the_output(cdpsim, scenario, tmp_path):
    out = tmp_path / "e.h5"
    proc = cdpsim("ensemble", scenario, "--replicates", 2, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "1 points x 2 replicates = 2 runs" in proc.stdout
    assert "runs/s" in proc.stdout
    assert str(out) in proc.stdout


def test_layout_is_labelled_and_complete(ensemble, load_dataset):
    ds = load_dataset(ensemble)
    assert ds.attrs["output_kind"] == "ensemble"
    assert ds.attrs["status"] == "complete"
    assert ds.attrs["runs_completed"] == RUNS and ds.attrs["runs_total"] == RUNS
    assert ds.attrs["master_seed"] == 11
    assert ds.attrs["design_kind"] == "grid"
    assert "[simulation]" in ds.attrs["scenario_toml"]
    assert list(ds.run.values) == list(range(RUNS))
    assert list(ds.point.values) == [0, 1, 2, 3]
    assert list(ds.replicate.values) == [0, 1, 2]
    assert list(ds.sweep_key.values) == ["levers.animation", "support.mode"]
    # Grid: the last sweep varies fastest; strings have no number (NaN).
    np.testing.assert_array_equal(ds.design.sel(sweep_key="levers.animation"), [0.3, 0.3, 0.7, 0.7])
    assert np.isnan(ds.design.sel(sweep_key="support.mode")).all()
    assert list(ds.point_set.values) == [
        "levers.animation=0.3 support.mode=expert", "levers.animation=0.3 support.mode=none",
        "levers.animation=0.7 support.mode=expert", "levers.animation=0.7 support.mode=none"]
    # run = point * R + replicate, and the seed depends on the replicate only (CRN).
    np.testing.assert_array_equal(ds.run_point, np.arange(RUNS) // REPLICATES)
    np.testing.assert_array_equal(ds.run_replicate, np.arange(RUNS) % REPLICATES)
    seeds = [replicate_seed(11, r) for r in range(REPLICATES)]
    np.testing.assert_array_equal(ds.replicate_seed, seeds)
    np.testing.assert_array_equal(ds.run_seed, [seeds[r] for r in np.arange(RUNS) % REPLICATES])
    assert (ds.run_complete == 1).all()
    # Series over (run, week[, axis]) with the single run's names and units.
    assert ds.members_total.dims == ("run", "week")
    assert ds.members_total.attrs["units"] == "members"
    assert ds.cdps_by_phase.dims == ("run", "week", "phase")
    assert ds.territory_learning.dims == ("run", "week", "territory")
    assert ds.sizes["week"] == 30
    assert str(ds.date.values[0])[:10] == "2018-09-03"
    assert ds.metrics.dims == ("run", "metric")
    assert list(ds.metric.values[:6]) == [
        "cdps_alive", "cdps_autonomous", "members_active", "knowledge_stock", "boundary_objects",
        "support_hours_per_surviving_cdp"]
    np.testing.assert_array_equal(ds.metrics.sel(metric="cdps_alive"), ds.cdps_alive[:, -1])
    assert "cdp_members" not in ds  # per-CdP series are not written by ensembles
    # Different replicates differ; the same replicate at another point differs too.
    assert not np.array_equal(ds.members_active[0], ds.members_active[1])
    assert not np.array_equal(ds.knowledge_stock[0], ds.knowledge_stock[REPLICATES * 3])


def test_identical_content_at_one_and_two_threads(cdpsim, scenario, ensemble, tmp_path,
                                                   load_dataset, assert_same_dataset):
    out = tmp_path / "two.h5"
    proc = cdpsim(*ensemble_args(scenario, "--threads", 2, "-o", out))
    assert proc.returncode == 0, proc.stderr
    assert_same_dataset(load_dataset(ensemble), load_dataset(out))


def test_every_run_is_reproduced_alone_by_cdpsim_run(cdpsim, scenario, ensemble, tmp_path,
                                                     load_dataset):
    ds = load_dataset(ensemble)
    for run in (1, RUNS - 1):
        sets = str(ds.run_set.values[run]).split()
        args = [a for s in sets for a in ("--set", s)]
        out = tmp_path / f"run{run}.h5"
        proc = cdpsim("run", scenario, "--seed", int(ds.run_seed[run]), *args, "-q", "-o", out)
        assert proc.returncode == 0, proc.stderr
        single = load_dataset(out)
        weekly = [v for v in single.data_vars if single[v].dims[:1] == ("week",)
                  and "cdp" not in single[v].dims and v != "date"]
        assert len(weekly) > 30
        for v in weekly:
            assert v in ds, f"{v} of a run file is missing from the ensemble"
            np.testing.assert_array_equal(ds[v].isel(run=run).values, single[v].values,
                                          err_msg=v)
            assert ds[v].attrs["units"] == single[v].attrs["units"], v


def test_latin_hypercube_has_one_sample_per_stratum(cdpsim, scenario, tmp_path, load_dataset):
    n = 8
    args = ("ensemble", scenario, "--replicates", 1, "--design", "lhs", "--samples", n,
            "--sweep", "levers.animation=0.2,0.6", "--sweep", "population.initial_cdps=4,20", "-q")
    a, b, c = tmp_path / "a.h5", tmp_path / "b.h5", tmp_path / "c.h5"
    for out, seed in ((a, 5), (b, 5), (c, 6)):
        proc = cdpsim(*args, "--seed", seed, "-o", out)
        assert proc.returncode == 0, proc.stderr
    da, db, dc = (load_dataset(p).design for p in (a, b, c))
    assert da.shape == (n, 2)
    np.testing.assert_array_equal(da, db)  # deterministic from the seed
    assert not np.array_equal(da, dc)
    x = da.sel(sweep_key="levers.animation").values
    strata = np.floor((x - 0.2) / 0.4 * n).astype(int)
    assert sorted(strata) == list(range(n))
    k = da.sel(sweep_key="population.initial_cdps").values
    assert np.all(k == np.round(k)) and k.min() >= 4 and k.max() <= 20  # integer key rounded


def test_shards_merge_into_the_single_process_file(cdpsim, scenario, ensemble, tmp_path,
                                                   load_dataset, assert_same_dataset):
    shards = []
    for a, b in ((0, 5), (5, 6), (6, RUNS)):
        out = tmp_path / f"shard-{a}-{b}.h5"
        proc = cdpsim(*ensemble_args(scenario, "--runs", f"{a}:{b}", "-o", out))
        assert proc.returncode == 0, proc.stderr
        shard = load_dataset(out)
        assert shard.attrs["output_kind"] == "ensemble_shard"
        assert list(shard.run.values) == list(range(a, b))
        shards.append(out)
    merged = tmp_path / "merged.h5"
    proc = cdpsim("merge", shards[2], shards[0], shards[1], "-o", merged)
    assert proc.returncode == 0, proc.stderr
    assert_same_dataset(load_dataset(ensemble), load_dataset(merged))


@pytest.fixture(scope="module")
def shard_files(cdpsim, scenario, tmp_path_factory):
    folder = tmp_path_factory.mktemp("shards")
    files = {}
    for name, runs, extra in (("a", "0:6", ()), ("b", "6:12", ()), ("c", "4:8", ()),
                              ("other", "6:12", ("--seed", 12))):
        out = folder / f"{name}.h5"
        proc = cdpsim(*ensemble_args(scenario, "--runs", runs, "-o", out, *extra))
        assert proc.returncode == 0, proc.stderr
        files[name] = out
    return files


@pytest.mark.parametrize("names, fragments", [
    (["a"], ["6 of 12 runs are missing", "runs 6-11", "--runs"]),
    (["a", "b", "c"], ["run 4 is in both", "overlap"]),
    (["a", "other"], ["belongs to another ensemble", "ensemble_id"]),
], ids=["missing-shard", "overlapping-shards", "other-ensemble"])
def test_merge_rejects_shards_that_do_not_make_one_ensemble(cdpsim, shard_files, tmp_path,
                                                            names, fragments, leftovers):
    out = tmp_path / "merged.h5"
    proc = cdpsim("merge", *[shard_files[n] for n in names], "-o", out)
    assert proc.returncode == 2, proc.stderr
    for f in fragments:
        assert f in proc.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_merge_rejects_a_run_file(cdpsim, scenario, tmp_path):
    run = tmp_path / "run.h5"
    assert cdpsim("run", scenario, "-q", "-o", run).returncode == 0
    proc = cdpsim("merge", run, "-o", tmp_path / "m.h5")
    assert proc.returncode == 2
    assert "not an ensemble file" in proc.stderr


def test_interrupted_ensemble_keeps_finished_runs_and_resume_completes_it(
        cdpsim, scenario, ensemble, tmp_path, load_dataset, assert_same_dataset, leftovers):
    out = tmp_path / "resumed.h5"
    env = {**os.environ, "CDPSIM_TEST_STOP_AFTER_RUNS": "5"}
    proc = cdpsim(*ensemble_args(scenario, "--threads", 1, "-o", out), env=env)
    assert proc.returncode == 130, proc.stderr
    assert "--resume" in proc.stderr
    part = load_dataset(out)
    assert part.attrs["status"] == "interrupted"
    assert part.attrs["runs_completed"] == 5
    np.testing.assert_array_equal(part.run_complete, [1] * 5 + [0] * (RUNS - 5))
    assert (part.members_total[5:] == -1).all() and np.isnan(part.knowledge_stock[5:]).all()
    full = load_dataset(ensemble)
    np.testing.assert_array_equal(part.members_total[:5], full.members_total[:5])

    again = cdpsim(*ensemble_args(scenario, "-o", out))  # no --resume, no --force
    assert again.returncode == 2 and "--resume" in again.stderr

    proc = cdpsim(*ensemble_args(scenario, "-o", out, "--resume"))
    assert proc.returncode == 0, proc.stderr
    assert_same_dataset(full, load_dataset(out))
    assert leftovers(tmp_path) == []
    before = out.stat().st_mtime_ns
    proc = cdpsim("ensemble", scenario, "--replicates", REPLICATES, *SWEEP, "-o", out, "--resume")
    assert proc.returncode == 0 and "nothing to do" in proc.stdout
    assert out.stat().st_mtime_ns == before


def test_interrupted_shard_resumes_then_merges(cdpsim, scenario, ensemble, tmp_path,
                                               load_dataset, assert_same_dataset):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    env = {**os.environ, "CDPSIM_TEST_STOP_AFTER_RUNS": "2"}
    assert cdpsim(*ensemble_args(scenario, "--runs", "0:7", "--threads", 1, "-o", a),
                  env=env).returncode == 130
    assert cdpsim(*ensemble_args(scenario, "--runs", "7:12", "-o", b)).returncode == 0
    proc = cdpsim("merge", a, b, "-o", tmp_path / "m.h5")
    assert proc.returncode == 2 and "runs 2-6" in proc.stderr
    assert cdpsim(*ensemble_args(scenario, "--runs", "0:7", "-o", a, "--resume")).returncode == 0
    assert cdpsim("merge", a, b, "-o", tmp_path / "m.h5").returncode == 0
    assert_same_dataset(load_dataset(ensemble), load_dataset(tmp_path / "m.h5"))


def test_ctrl_c_keeps_finished_runs_and_resume_gives_the_uninterrupted_file(
        cdpsim_bin, cdpsim, reference_scenario, tmp_path, load_dataset, assert_same_dataset):
    """A real SIGINT, sent once the progress bar (on a pseudo-terminal) shows a finished run."""
    runs = 40  # full-length Passerelles runs: seconds in all, so the signal lands mid-way
    args = ["ensemble", str(reference_scenario), "--replicates", str(runs), "--threads", "1"]
    out = tmp_path / "ctrl-c.h5"
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(cdpsim_bin), *args, "-o", str(out)], stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    seen, done, deadline = b"", 0, time.monotonic() + 60
    try:
        while done < 1 and time.monotonic() < deadline and proc.poll() is None:
            if select.select([master], [], [], 0.1)[0]:
                seen += os.read(master, 4096)
                counts = re.findall(rb"(\d+)/%d runs" % runs, seen)
                done = int(counts[-1]) if counts else 0
        assert done >= 1, f"no finished run shown by the progress bar: {seen[-300:]!r}"
        assert b"left" in seen  # the bar estimates the time left
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    part = load_dataset(out)
    assert part.attrs["status"] == "interrupted"
    assert 1 <= part.attrs["runs_completed"] < runs
    assert int(part.run_complete.sum()) == part.attrs["runs_completed"]

    assert cdpsim(*args, "-q", "-o", out, "--resume").returncode == 0
    whole = tmp_path / "whole.h5"
    assert cdpsim(*args[:-2], "--threads", 2, "-q", "-o", whole).returncode == 0
    assert_same_dataset(load_dataset(whole), load_dataset(out))


def test_shard_and_rank_files_are_not_left_behind(ensemble):
    folder = ensemble.parent
    assert not [p for p in os.listdir(folder) if ".rank" in p or ".tmp-" in p]
    with h5py.File(ensemble) as f:
        assert f["run_set"].dtype.kind == "O"
