"""`cdpsim facts` through the one run pool (sim/parallel/run_pool.hpp): the same report at any
thread count and under `mpirun -n 2`, and Ctrl-C stops it with exit 130 and writes nothing (the
facts need every replicate, so a partial verdict is never written)."""

import os
import subprocess

import pytest

QUICK = ["facts", "--quick", "-q"]


def _facts(cmd, out, *extra, env=None):
    return subprocess.run([*map(str, cmd), *QUICK, "-o", str(out), *extra], capture_output=True,
                          text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def one_thread(cdpsim_bin, source_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("facts-1") / "report"
    proc = _facts([cdpsim_bin], out, "--threads", "1", "--scenarios",
                  os.path.join(source_dir, "scenarios"))
    assert proc.returncode in (0, 1), proc.stderr
    return out


def test_two_threads_give_the_same_report(cdpsim_bin, source_dir, one_thread, tmp_path):
    out = tmp_path / "report"
    proc = _facts([cdpsim_bin], out, "--threads", "2", "--scenarios",
                  os.path.join(source_dir, "scenarios"))
    assert proc.returncode in (0, 1), proc.stderr
    for ext in (".md", ".json"):
        assert (tmp_path / f"report{ext}").read_text() == \
            one_thread.with_suffix(ext).read_text()


def test_two_ranks_give_the_same_report(mpirun, mpi_bin, source_dir, one_thread, tmp_path):
    out = tmp_path / "report"
    proc = _facts([*mpirun, mpi_bin], out, "--threads", "1", "--scenarios",
                  os.path.join(source_dir, "scenarios"))
    assert proc.returncode in (0, 1), proc.stderr
    for ext in (".md", ".json"):
        assert (tmp_path / f"report{ext}").read_text() == \
            one_thread.with_suffix(ext).read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "report.md"]


def test_a_stop_request_writes_nothing_and_exits_130(cdpsim_bin, source_dir, tmp_path):
    env = dict(os.environ, CDPSIM_TEST_STOP_AFTER_RUNS="5")
    proc = _facts([cdpsim_bin], tmp_path / "report", "--threads", "2", "--scenarios",
                  os.path.join(source_dir, "scenarios"), env=env)
    assert proc.returncode == 130, proc.stderr
    assert "interrupted after" in proc.stderr and "nothing was written" in proc.stderr
    assert list(tmp_path.iterdir()) == []
