"""`cdpsim sensitivity` from the MPI build under `mpirun -n 2` (docs/sensitivity.md, "Runs"): the
file equals that of one process, and an analysis interrupted under MPI resumes to the same file.

The fixtures `mpi_bin` and `mpirun` are in conftest.py: the MPI binary is CDPSIM_MPI_BIN (scripts/test.sh builds build-mpi/ and sets it), else
build-mpi/app/cdpsim in the source tree; as in test_ensemble_mpi.py, a missing binary fails under
CDPSIM_MPI_BIN or CI=true and skips otherwise.
"""

import os
import subprocess

import pytest

ARGS = ["--method", "sobol", "--levers", "animation,belonging", "--samples", 8, "--replicates", 2,
        "--set", "simulation.weeks=40", "--set", "shocks.0.start=2018-10-15",
        "--set", "population.potential_members=2000", "--metric", "cdp_survival",
        "--metric", "cdps_alive", "--threads", 1, "-q"]


@pytest.fixture(scope="module")
def single(cdpsim, reference_scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("sa-single") / "single.h5"
    proc = cdpsim("sensitivity", reference_scenario, *ARGS, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def _run(mpirun, binary, args, env=None):
    return subprocess.run([*mpirun, str(binary), *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=env)


def test_two_ranks_write_the_single_process_file(mpirun, mpi_bin, reference_scenario, single,
                                                 tmp_path, load_dataset, assert_same_dataset):
    out = tmp_path / "mpi.h5"
    proc = _run(mpirun, mpi_bin, ["sensitivity", reference_scenario, *ARGS, "-o", out])
    assert proc.returncode == 0, proc.stderr
    assert_same_dataset(load_dataset(single), load_dataset(out))
    assert out.with_suffix(".csv").read_text() == single.with_suffix(".csv").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mpi.csv", "mpi.h5"]


def test_two_ranks_resume_an_interrupted_analysis(mpirun, mpi_bin, reference_scenario, single,
                                                  tmp_path, load_dataset, assert_same_dataset):
    out = tmp_path / "mpi.h5"
    env = dict(os.environ, CDPSIM_TEST_STOP_AFTER_RUNS="10")
    proc = _run(mpirun + ["-x", "CDPSIM_TEST_STOP_AFTER_RUNS"], mpi_bin,
                ["sensitivity", reference_scenario, *ARGS, "-o", out], env)
    assert proc.returncode != 0
    assert "--resume" in proc.stderr
    assert load_dataset(out).attrs["status"] == "interrupted"
    proc = _run(mpirun, mpi_bin, ["sensitivity", reference_scenario, *ARGS, "-o", out, "--resume"])
    assert proc.returncode == 0, proc.stderr
    assert_same_dataset(load_dataset(single), load_dataset(out))


def test_a_binary_without_mpi_refuses_mpirun(mpirun, cdpsim_bin, reference_scenario, tmp_path):
    out = tmp_path / "x.h5"
    proc = _run(mpirun, cdpsim_bin, ["sensitivity", reference_scenario, *ARGS, "-o", out])
    assert proc.returncode != 0
    assert "built without MPI" in proc.stderr
    assert not out.exists()
