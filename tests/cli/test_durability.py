"""Durable progress (docs/ensembles.md, "Durable progress"): `cdpsim ensemble` and `cdpsim
sensitivity` killed with SIGKILL at any moment, during a save included, leave what `--resume`
finishes into the file of an uninterrupted run; and a resume verifies what it keeps, so a
run_complete flag set by hand or an edited value is run again, not believed.

The workloads are small (400 potential members, 60 weeks, no shock) but long enough (a few seconds
on two threads) for the kills to land mid-run. Saves are forced every 0.2 s
(CDPSIM_SAVE_SECONDS=0.2) so that each killed process has saved a few times; the kill moments are
drawn from a fixed seed.
"""

import os
import random
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest
from cli_checks import assert_same_h5

SCENARIO = """\
shocks = []

[simulation]
weeks = 60
seed = 5

[population]
potential_members = 400
"""

ENSEMBLE = ["--replicates", "800", "--sweep", "levers.animation=0.3,0.7"]  # 1,600 runs
SENSITIVITY = ["--method", "sobol", "--levers", "animation,belonging", "--samples", "192",
               "--replicates", "2", "--metric", "cdp_survival", "--metric", "cdps_alive"]  # 1,920
SMALL_ENSEMBLE = ["--replicates", "6", "--sweep", "levers.animation=0.3,0.7"]  # 12 runs
SMALL_SENSITIVITY = ["--method", "morris", "--levers", "animation", "--samples", "4",
                     "--replicates", "2"]  # 4 trajectories x 3 points x 2 = 24 runs
FAST_SAVES = {"CDPSIM_SAVE_SECONDS": "0.2"}
KILL_SEED = 20240611


def _temporaries(folder, name, pid=None):
    tag = f".{name}.tmp-"
    return [p for p in os.listdir(folder) if p.startswith(tag) and (pid is None or
                                                                     p == f"{tag}{pid}")]


# --- the workloads -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scenario(tmp_path_factory, reference_scenario):
    folder = tmp_path_factory.mktemp("durability-scenario")
    path = folder / "small.toml"
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{ref}"\n{SCENARIO}')
    return path


def _command(cdpsim_bin, kind, scenario, args, out, *extra):
    return [str(cdpsim_bin), kind, str(scenario), *args, "--threads", "2", "-q", "-o", str(out),
            *extra]


def _reference(cdpsim_bin, kind, scenario, args, folder):
    out = folder / f"reference-{kind}-{len(args)}-{args[1]}.h5"
    env = {**os.environ, "CDPSIM_SAVE_SECONDS": "off"}  # the plain, uninterrupted run
    proc = subprocess.run(_command(cdpsim_bin, kind, scenario, args, out), capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def references(cdpsim_bin, scenario, tmp_path_factory):
    folder = tmp_path_factory.mktemp("durability-references")
    return {
        ("ensemble", "big"): _reference(cdpsim_bin, "ensemble", scenario, ENSEMBLE, folder),
        ("sensitivity", "big"): _reference(cdpsim_bin, "sensitivity", scenario, SENSITIVITY,
                                           folder),
        ("ensemble", "small"): _reference(cdpsim_bin, "ensemble", scenario, SMALL_ENSEMBLE,
                                          folder),
        ("sensitivity", "small"): _reference(cdpsim_bin, "sensitivity", scenario,
                                             SMALL_SENSITIVITY, folder),
    }


def _finished_runs(path):
    """(status, finished runs) of a saved file."""
    with h5py.File(path, "r") as f:
        return f.attrs["status"], int(np.asarray(f["run_complete"][()]).sum())


def _start(command, env):
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def _kill(proc):
    """SIGKILL; True when the process was still running (else it had finished by itself)."""
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()
    return alive


def _after_kill(out, folder, seen):
    """What a kill left: the last save intact (readable, interrupted, no fewer finished runs than
    before), or, killed before its first save, no file but the marker of the run."""
    if not out.exists():
        assert seen == 0, "a saved file disappeared"
        assert _temporaries(folder, out.name), "killed before any save, but no marker left"
        return 0
    status, done = _finished_runs(out)
    assert status in ("interrupted", "complete")
    assert done >= seen, "a resume lost finished runs"
    return done


def _kill_during_a_save(command, env, folder, out):
    """Starts `command` with each save holding its temporary file 0.3 s, and kills it once a save
    has begun. True when it was killed then (False: it finished first)."""
    proc = _start(command, {**env, "CDPSIM_TEST_SAVE_PAUSE_MS": "300"})
    deadline = time.monotonic() + 60
    temporary = folder / f".{out.name}.tmp-{proc.pid}"  # empty until a save writes it

    def saving():
        try:
            return temporary.stat().st_size > 0
        except FileNotFoundError:
            return False

    while not saving() and proc.poll() is None:
        assert time.monotonic() < deadline, "no save started"
        time.sleep(0.002)
    time.sleep(0.05)  # well inside the save
    killed = _kill(proc)
    if killed:
        assert _temporaries(folder, out.name, proc.pid), "the save's temporary file is gone"
    return killed


def _kill_after_a_save(command, env, out, delay):
    """Starts `command`, waits for its first save (a new output file) and kills it `delay` s
    later. True when it was killed then (False: it finished first)."""
    before = out.stat().st_mtime_ns if out.exists() else None
    proc = _start(command, env)
    deadline = time.monotonic() + 60
    while proc.poll() is None and (not out.exists() or out.stat().st_mtime_ns == before):
        assert time.monotonic() < deadline, "no save"
        time.sleep(0.005)
    time.sleep(delay)
    return _kill(proc)


@pytest.mark.parametrize("kind", ["ensemble", "sensitivity"])
def test_kill_9_at_any_moment_then_resume_gives_the_uninterrupted_file(
        cdpsim_bin, scenario, references, tmp_path, kind):
    args = ENSEMBLE if kind == "ensemble" else SENSITIVITY
    out = tmp_path / f"killed-{kind}.h5"
    env = {**os.environ, **FAST_SAVES}
    rng = random.Random(f"{KILL_SEED}-{kind}")

    def command():
        resume = out.exists() or _temporaries(tmp_path, out.name)
        return _command(cdpsim_bin, kind, scenario, args, out, *(["--resume"] if resume else []))

    # The first process and the resumed ones are killed in turn: at a random moment (likely
    # before its first save: nothing kept, a resume starts again), a random moment after its
    # first save, during a save, and at a random moment again. A process that finished before
    # its kill (a fast machine) ends the series.
    seen, kills = 0, []
    for step in ["random", "after a save", "during a save", "random"]:
        if step == "during a save":
            killed = _kill_during_a_save(command(), env, tmp_path, out)
        elif step == "after a save":
            killed = _kill_after_a_save(command(), env, out, rng.uniform(0.0, 0.8))
        else:
            proc = _start(command(), env)
            time.sleep(rng.uniform(0.3, 1.5))
            killed = _kill(proc)
        kills.append(step if killed else "finished")
        seen = _after_kill(out, tmp_path, seen)
        if not killed:
            break
    assert kills[:3] == ["random", "after a save", "during a save"], \
        f"processes finished before their kill: {kills}"
    assert seen > 0, f"no run kept by the killed processes ({kills})"

    for _ in range(3):  # resume until done
        proc = subprocess.run(_command(cdpsim_bin, kind, scenario, args, out, "--resume"),
                              capture_output=True, text=True, timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr
        if _finished_runs(out)[0] == "complete":
            break
    assert_same_h5(references[(kind, "big")], out)
    assert _temporaries(tmp_path, out.name) == [], "a resume left temporary files"
    if kind == "sensitivity":
        reference_csv = references[(kind, "big")].with_suffix(".csv")
        assert out.with_suffix(".csv").read_text() == reference_csv.read_text()


def _resume(cdpsim_bin, kind, scenario, args, out):
    """--resume, not quiet (the resume message is on stdout)."""
    return subprocess.run([str(cdpsim_bin), kind, str(scenario), *args, "--threads", "2", "-o",
                           str(out), "--resume"], capture_output=True, text=True, timeout=300)


def _interrupted(cdpsim_bin, kind, scenario, args, out, stop_after):
    """An interrupted file with `stop_after` finished runs (the Ctrl-C path at a known point)."""
    env = {**os.environ, "CDPSIM_TEST_STOP_AFTER_RUNS": str(stop_after)}
    command = _command(cdpsim_bin, kind, scenario, args, out)
    command[command.index("--threads") + 1] = "1"
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 130, proc.stderr
    assert _finished_runs(out) == ("interrupted", stop_after)


@pytest.mark.parametrize("kind", ["ensemble", "sensitivity"])
def test_a_flag_set_by_hand_on_a_missing_run_is_run_again(cdpsim_bin, scenario, references,
                                                          tmp_path, kind):
    args = SMALL_ENSEMBLE if kind == "ensemble" else SMALL_SENSITIVITY
    out = tmp_path / "flagged.h5"
    _interrupted(cdpsim_bin, kind, scenario, args, out, 5)
    with h5py.File(out, "r+") as f:
        flags = f["run_complete"]
        flat = np.asarray(flags[()]).reshape(-1)
        missing = int(np.flatnonzero(flat == 0)[0])
        flat[missing] = 1  # a run that never ran, now claimed finished
        flags[()] = flat.reshape(flags.shape)
    proc = _resume(cdpsim_bin, kind, scenario, args, out)
    assert proc.returncode == 0, proc.stderr
    assert "do not match their checksum" in proc.stderr and f"runs {missing} " in proc.stderr
    assert "5 finished run(s) verified and kept, 1 redone" in proc.stdout
    assert_same_h5(references[(kind, "small")], out)


@pytest.mark.parametrize("kind", ["ensemble", "sensitivity"])
@pytest.mark.parametrize("state", ["interrupted", "complete"])
def test_an_edited_value_of_a_finished_run_is_run_again(cdpsim_bin, scenario, references,
                                                        tmp_path, kind, state):
    args = SMALL_ENSEMBLE if kind == "ensemble" else SMALL_SENSITIVITY
    out = tmp_path / "edited.h5"
    reference = references[(kind, "small")]
    if state == "complete":
        shutil.copy(reference, out)
        if kind == "sensitivity":
            shutil.copy(reference.with_suffix(".csv"), out.with_suffix(".csv"))
        with h5py.File(reference, "r") as f:
            kept = f["run_complete"].size - 1
    else:
        _interrupted(cdpsim_bin, kind, scenario, args, out, 5)
        kept = 4
    with h5py.File(out, "r+") as f:
        if kind == "ensemble":
            edited = 1
            f["members_total"][edited, 10] += 1  # one weekly value of run 1
        else:
            flat = np.asarray(f["run_complete"][()]).reshape(-1)
            edited = int(np.flatnonzero(flat == 1)[1])  # the second finished run
            points, replicates = f["run_complete"].shape[1:]
            p, r = divmod(edited % (points * replicates), replicates)
            f["outputs"][0, p, r, 0] += 0.5  # its first metric
    proc = _resume(cdpsim_bin, kind, scenario, args, out)
    assert proc.returncode == 0, proc.stderr
    assert "do not match their checksum" in proc.stderr and f"runs {edited} " in proc.stderr
    assert f"{kept} finished run(s) verified and kept, 1 redone" in proc.stdout
    assert_same_h5(reference, out)


def test_merge_refuses_a_shard_whose_run_does_not_match_its_checksum(cdpsim_bin, scenario,
                                                                     tmp_path):
    shards = []
    for a, b in [(0, 6), (6, 12)]:
        out = tmp_path / f"shard-{a}.h5"
        proc = subprocess.run([str(cdpsim_bin), "ensemble", str(scenario), *SMALL_ENSEMBLE,
                               "--runs", f"{a}:{b}", "-q", "-o", str(out)], capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        shards.append(out)
    with h5py.File(shards[1], "r+") as f:
        f["knowledge_stock"][2, 30] += 1.0  # run 8
    proc = subprocess.run([str(cdpsim_bin), "merge", *map(str, shards), "-q", "-o",
                           str(tmp_path / "merged.h5")], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "run 8 is marked finished but its stored values do not match its checksum" in \
        proc.stderr and "--runs 8:9" in proc.stderr
    assert not (tmp_path / "merged.h5").exists()
