"""Checkpoints, resume and branches through the binary (docs/checkpoints.md): `kill -9` at any
moment of a run with `--checkpoint-every` loses only the weeks since the last checkpoint, and
`--resume` finishes to a file equal, dataset by dataset, to an uninterrupted run's; a branch
shares the history; damaged, foreign and mismatched checkpoints are refused with exit 2.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest
from cli_checks import assert_same_h5, error_line, one_error_line

# About two seconds at two threads with a checkpoint every 25 weeks: long enough for kills to
# land mid-run, a checkpoint write included.
SCENARIO = """\
shocks = []

[simulation]
weeks = 300
seed = 11

[population]
potential_members = 100000
initial_members = 30000
"""
EVERY = "25"

BRANCH_ATTRS = ("branch_of", "branch_week", "seed_policy", "branch_seed")
KILL_SEED = 20261202


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, reference_scenario):
    path = tmp_path_factory.mktemp("checkpoint-scenario") / "ckpt.toml"
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{ref}"\n{SCENARIO}')
    return path


def _run(cdpsim_bin, *args, env=None, check=True):
    proc = subprocess.run([str(cdpsim_bin), "run", *map(str, args), "--threads", "2", "-q"],
                          capture_output=True, text=True, env=env)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def reference(cdpsim_bin, scenario, tmp_path_factory):
    """The uninterrupted run, and the wall time it took."""
    out = tmp_path_factory.mktemp("checkpoint-ref") / "ref.h5"
    t0 = time.monotonic()
    _run(cdpsim_bin, scenario, "-o", out)
    return out, time.monotonic() - t0


def test_kill_9_then_resume_equals_the_uninterrupted_run(cdpsim_bin, scenario, reference,
                                                         tmp_path):
    ref, _ = reference
    rng = random.Random(KILL_SEED)
    seconds = None
    for attempt in range(4):
        folder = tmp_path / f"kill{attempt}"
        folder.mkdir()
        out = folder / "run.h5"
        cmd = [str(cdpsim_bin), "run", str(scenario), "-o", str(out), "--threads", "2", "-q",
               "--checkpoint-every", EVERY]
        if seconds is None:  # how long a run with checkpoints takes here
            t0 = time.monotonic()
            subprocess.run(cmd, check=True)
            seconds = time.monotonic() - t0
            os.remove(out)
            shutil.rmtree(folder / "run.checkpoints")
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.1, 0.9) * seconds)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert not out.exists(), "a killed run left an output file"
        checkpoints = sorted((folder / "run.checkpoints").glob("week-*.h5"))
        # At most one periodic checkpoint is kept, and no temporary file is believed.
        assert len(checkpoints) <= 1, checkpoints
        resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
        assert resumed.returncode == 0, resumed.stderr
        # A checkpoint the kill caught half-written is removed, not believed.
        assert not [p for p in os.listdir(folder / "run.checkpoints") if ".tmp-" in p]
        if checkpoints:
            week = int(checkpoints[0].name[5:11])
            assert f"resuming from {checkpoints[0]} (week {week})" in resumed.stderr
            assert week % int(EVERY) == 0
        else:
            assert "starting at week 0" in resumed.stderr
        assert_same_h5(ref, out)


def test_ctrl_c_writes_a_checkpoint_and_resume_replaces_the_interrupted_file(
        cdpsim_bin, scenario, reference, tmp_path):
    ref, seconds = reference
    out = tmp_path / "run.h5"
    cmd = [str(cdpsim_bin), "run", str(scenario), "-o", str(out), "--threads", "2", "-q",
           "--checkpoint-every", "1000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5 * seconds)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err
    assert "--resume continues from there" in err
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] == "interrupted"
        stopped = int(f.attrs["weeks_completed"])
    assert (tmp_path / "run.checkpoints" / f"week-{stopped:06d}.h5").is_file()
    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert_same_h5(ref, out)
    # A complete run is not run again by --resume.
    again = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
    assert "already complete" in error_line(again)


def test_resume_with_another_scenario_is_refused(cdpsim_bin, scenario, tmp_path):
    out = tmp_path / "run.h5"
    _run(cdpsim_bin, scenario, "-o", out, "--weeks", "30", "--checkpoint-at", "20")
    os.remove(out)
    proc = _run(cdpsim_bin, scenario, "-o", out, "--weeks", "30", "--resume", "--set",
                "levers.animation=0.9", check=False)
    line = one_error_line(proc)
    assert "week-000020.h5: belongs to another run" in line
    assert "animation" in line
    assert not out.exists()


@pytest.fixture(scope="module")
def checkpoint(cdpsim_bin, scenario, tmp_path_factory):
    folder = tmp_path_factory.mktemp("checkpoint-branch")
    out = folder / "run.h5"
    _run(cdpsim_bin, scenario, "-o", out, "--checkpoint-at", "2019-09-02")  # week 52
    path = folder / "run.checkpoints" / "week-000052.h5"
    assert path.is_file()
    return path


def test_the_checkpoint_records_what_it_is(checkpoint):
    with h5py.File(checkpoint, "r") as f:
        assert f.attrs["output_kind"] == "checkpoint"
        assert f.attrs["checkpoint_format"] == 1
        assert f.attrs["date"] == "2019-09-02"
        assert int(f.attrs["week"]) == 52
        assert f["rec_week"].shape == (52,)
        assert f["member_org"].shape == (100000,)
        # Every array carries a Fletcher-32 checksum.
        assert f["member_trust"].fletcher32 and f["slot_eng"].fletcher32


def test_a_branch_without_changes_is_the_run(cdpsim_bin, checkpoint, reference, tmp_path):
    ref, _ = reference
    out = tmp_path / "branch.h5"
    _run(cdpsim_bin, "--from", checkpoint, "-o", out)
    assert_same_h5(ref, out, ignore_attrs=BRANCH_ATTRS)
    with h5py.File(out, "r") as f:
        assert f.attrs["branch_week"] == 52
        assert f.attrs["seed_policy"] == "continue"
        assert f.attrs["branch_of"] == str(checkpoint)


def test_a_branch_with_a_set_equals_the_run_with_that_intervention(cdpsim_bin, checkpoint,
                                                                   scenario, tmp_path):
    out = tmp_path / "branch.h5"
    _run(cdpsim_bin, "--from", checkpoint, "--set", "levers.support_capacity=1", "-o", out)
    direct = tmp_path / "direct.toml"
    direct.write_text(scenario.read_text() + """
[[interventions]]
name = "branch: levers.support_capacity"
key = "levers.support_capacity"
set = 1.0
start = 52
""")
    ref = tmp_path / "direct.h5"
    _run(cdpsim_bin, direct, "-o", ref)
    assert_same_h5(ref, out, ignore_attrs=BRANCH_ATTRS + ("scenario_toml",))
    with h5py.File(out, "r") as f:
        assert list(f["intervention"].asstr()[()]) == ["branch: levers.support_capacity"]


def test_a_reseeded_branch_shares_the_history_only(cdpsim_bin, checkpoint, reference, tmp_path):
    ref, _ = reference
    out = tmp_path / "reseed.h5"
    _run(cdpsim_bin, "--from", checkpoint, "--seed-policy", "reseed", "-o", out)
    with h5py.File(ref, "r") as a, h5py.File(out, "r") as b:
        x, y = a["contributions"][()], b["contributions"][()]
        assert np.array_equal(x[:52], y[:52])
        assert not np.array_equal(x[52:], y[52:])
        assert b.attrs["seed_policy"] == "reseed"


def test_a_branch_may_not_change_the_population(cdpsim_bin, checkpoint, tmp_path):
    proc = _run(cdpsim_bin, "--from", checkpoint, "--set", "population.potential_members=200000",
                "-o", tmp_path / "b.h5", check=False)
    line = one_error_line(proc)
    assert "population.potential_members: differs from the checkpoint's scenario" in line
    assert "allowed: the mid-run keys" in line
    assert not (tmp_path / "b.h5").exists()


def _damaged_copies(checkpoint, folder):
    data = checkpoint.read_bytes()
    out = {}
    out["truncated"] = folder / "truncated.h5"
    out["truncated"].write_bytes(data[: len(data) // 3])
    flipped = bytearray(data)
    for i in range(len(data) // 2, len(data) // 2 + 256):
        flipped[i] ^= 0xA5
    out["flipped"] = folder / "flipped.h5"
    out["flipped"].write_bytes(bytes(flipped))
    for name, attr, value in [("version", "cdpsim_version", "0.0.1"),
                              ("format", "checkpoint_format", np.int64(2)),
                              ("kind", "output_kind", "run")]:
        path = folder / f"{name}.h5"
        path.write_bytes(data)
        with h5py.File(path, "r+") as f:
            f.attrs[attr] = value
        out[name] = path
    return out


@pytest.mark.parametrize("damage,message", [
    ("truncated", "damaged or not a cdpsim checkpoint"),
    ("flipped", "damaged or not a cdpsim checkpoint"),
    ("version", "written by cdpsim 0.0.1"),
    ("format", "checkpoint format 2; this cdpsim reads format 1"),
    ("kind", "a cdpsim run output, not a checkpoint"),
])
def test_a_damaged_or_foreign_checkpoint_is_refused(cdpsim_bin, checkpoint, tmp_path, damage,
                                                    message):
    bad = _damaged_copies(checkpoint, tmp_path)[damage]
    out = tmp_path / "out.h5"
    proc = _run(cdpsim_bin, "--from", bad, "-o", out, check=False)
    line = one_error_line(proc)
    assert str(bad) in line and message in line, line
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in _damaged_copies(checkpoint, tmp_path).values())


def test_compare_from_a_checkpoint(cdpsim_bin, checkpoint, scenario, tmp_path):
    doubled = tmp_path / "doubled.toml"
    doubled.write_text(scenario.read_text().replace("[population]", "[levers]\n"
                                                    "support_capacity = 1.0\n\n[population]"))
    proc = subprocess.run(
        [str(cdpsim_bin), "compare", "--from", str(checkpoint), str(scenario), str(doubled),
         "--replicates", "3", "--metric", "support_hours_given", "--metric", "members_total",
         "-o", str(tmp_path / "cmp"), "--threads", "2", "-q"],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "cmp.json").read_text())
    assert doc["branch_week"] == 52 and doc["seed_policy"] == "reseed"
    with h5py.File(tmp_path / "cmp.h5", "r") as f:
        assert f.attrs["branch_week"] == 52
    # continue gives one run per scenario: more replicates would be copies.
    proc = subprocess.run(
        [str(cdpsim_bin), "compare", "--from", str(checkpoint), str(scenario), str(doubled),
         "--replicates", "3", "--seed-policy", "continue", "--threads", "2", "-q"],
        capture_output=True, text=True)
    assert "--seed-policy continue" in error_line(proc)


def test_ensemble_from_a_checkpoint_shares_the_history(cdpsim_bin, checkpoint, scenario,
                                                       reference, tmp_path):
    ref, _ = reference
    out = tmp_path / "ens.h5"
    proc = subprocess.run(
        [str(cdpsim_bin), "ensemble", str(scenario), "--from", str(checkpoint), "--replicates",
         "3", "--sweep", "levers.support_capacity=0.5,1.0", "-o", str(out), "--threads", "2",
         "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out, "r") as f, h5py.File(ref, "r") as r:
        assert f.attrs["branch_week"] == 52 and f.attrs["seed_policy"] == "reseed"
        runs = f["contributions"][()]
        history = r["contributions"][()][:52]
        assert runs.shape == (6, 300)
        for run in runs:  # every run: the checkpoint's history, then its own weeks
            assert np.array_equal(run[:52], history)
        assert len({tuple(run[52:]) for run in runs}) == 6
