"""The MPI build (-DCDPSIM_MPI=ON) under `mpirun -n 2`, on loopback: the ensemble file, a resumed
ensemble and a comparison equal those of one process; a binary without MPI refuses mpirun.

The fixtures `mpi_bin` and `mpirun` are in conftest.py: the MPI binary is CDPSIM_MPI_BIN (scripts/test.sh builds build-mpi/ and sets it), else
build-mpi/app/cdpsim in the source tree. A missing binary fails the tests when CDPSIM_MPI_BIN or
CI=true is set, and skips them otherwise (a developer's build without MPI).
"""

import os
import subprocess

import pytest

SWEEP = ["--sweep", "levers.animation=0.3,0.7"]
REPLICATES = 3


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, reference_scenario):
    folder = tmp_path_factory.mktemp("mpi-scenario")
    path = folder / "small.toml"
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{ref}"\nshocks = []\n\n[simulation]\nweeks = 30\n\n'
                    "[population]\npotential_members = 2000\n")
    return path


@pytest.fixture(scope="module")
def single(cdpsim, scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("mpi-single") / "single.h5"
    proc = cdpsim("ensemble", scenario, "--replicates", REPLICATES, *SWEEP, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def _run(mpirun, binary, args, env):
    """`mpirun -n 2 BINARY ARGS...` -> CompletedProcess (text, captured)."""
    return subprocess.run([*mpirun, str(binary), *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env)


def test_two_ranks_write_the_single_process_file(mpirun, mpi_bin, scenario, single, tmp_path,
                                                 load_dataset, assert_same_dataset):
    out = tmp_path / "mpi.h5"
    proc = _run(mpirun, mpi_bin, ["ensemble", scenario, "--replicates", REPLICATES, *SWEEP,
                                  "--threads", 1, "-o", out], None)
    assert proc.returncode == 0, proc.stderr
    assert "2 processes" in proc.stdout
    assert_same_dataset(load_dataset(single), load_dataset(out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mpi.h5"]  # rank shards removed


def test_two_ranks_resume_an_interrupted_ensemble(mpirun, mpi_bin, scenario, single, tmp_path,
                                                  load_dataset, assert_same_dataset):
    out = tmp_path / "mpi.h5"
    args = ["ensemble", scenario, "--replicates", REPLICATES, *SWEEP, "--threads", 1, "-q",
            "-o", out]
    env = {**os.environ, "CDPSIM_TEST_STOP_AFTER_RUNS": "1"}
    proc = _run(mpirun, mpi_bin, args, env)
    assert proc.returncode == 130, proc.stderr
    part = load_dataset(out)
    assert part.attrs["status"] == "interrupted" and part.attrs["runs_completed"] == 2
    proc = _run(mpirun, mpi_bin, [*args, "--resume"], None)
    assert proc.returncode == 0, proc.stderr
    assert_same_dataset(load_dataset(single), load_dataset(out))


def test_two_ranks_compare_like_one_process(cdpsim, mpirun, mpi_bin, scenario, tmp_path):
    args = ["compare", scenario, scenario.with_name("copy.toml"), "--replicates", 4,
            "--set", "support.mode=expert", "--metric", "cdps_alive", "--metric",
            "knowledge_stock", "-q"]
    scenario.with_name("copy.toml").write_text(scenario.read_text() +
                                               "\n[levers]\nanimation = 0.8\n")
    one = cdpsim(*args, "-o", tmp_path / "one")
    two = _run(mpirun, mpi_bin, [*args, "-o", tmp_path / "two"], None)
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "two.csv").read_text()


def test_mpirun_of_a_binary_without_mpi_is_refused(cdpsim_bin, mpirun, scenario, tmp_path):
    out = tmp_path / "e.h5"
    proc = _run(mpirun, cdpsim_bin, ["ensemble", scenario, "--replicates", 2, "-o", out], None)
    assert proc.returncode == 2
    assert "built without MPI" in proc.stderr
    assert not out.exists()
