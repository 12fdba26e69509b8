"""Reliability (issue 14) through the real binary: a full disk, hostile scenario files and
output races end in one message and a clean exit code, never a crash or lost work.

Full disk: as root (CI) each test mounts a small tmpfs, fills it and runs one writing command
into it ("No space left on device"); otherwise RLIMIT_FSIZE stands in for the full disk (SIGXFSZ
ignored, so write() fails with EFBIG, "File too large"). Either way the command must exit 1 with
one message naming the file, leave no temporary file and leave an existing output untouched.
"""

import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

SMALL = ["--set", "simulation.weeks=20", "--set", "population.potential_members=2000",
         "--set", "shocks.0.start=2018-10-01"]


def _try_mount(path: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True)
    return proc.returncode == 0


class FullDisk:
    """A folder on a full filesystem (tmpfs as root) or under a file-size limit."""

    def __init__(self, root: Path):
        self.dir = root / "full"
        self.dir.mkdir()
        self.mounted = _try_mount(self.dir, "256k")
        self.reason = "No space left on device" if self.mounted else "File too large"

    def fill(self, leave: int = 0):
        """Fills the tmpfs, then frees `leave` bytes (rounded to pages by tmpfs)."""
        if not self.mounted:
            return
        filler = self.dir / "filler"
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        if leave:
            size = filler.stat().st_size
            os.truncate(filler, max(0, size - leave))

    def preexec(self):
        if self.mounted:
            return None

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
        return limit

    def leftovers(self):
        return sorted(p.name for p in self.dir.iterdir() if ".tmp-" in p.name)

    def close(self):
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.dir)], capture_output=True)


@pytest.fixture
def full(tmp_path):
    disk = FullDisk(tmp_path)
    yield disk
    disk.close()


def run_full(cdpsim_bin, disk, *args, timeout=300):
    return subprocess.run([str(cdpsim_bin), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=disk.preexec())


def assert_clean_failure(proc, disk, names):
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    lines = [l for l in proc.stderr.splitlines() if l.strip() and "\r" not in l]
    errors = [l for l in lines if l.startswith("cdpsim:") and "warning" not in l]
    assert len(errors) == 1, proc.stderr
    assert disk.reason in errors[0], proc.stderr
    assert any(str(disk.dir / n) in errors[0] for n in names), proc.stderr
    assert "H5" not in proc.stderr and "~" not in proc.stderr, proc.stderr
    assert disk.leftovers() == []


def test_run_on_a_full_disk_keeps_the_existing_output(cdpsim_bin, small_scenario, full):
    old = full.dir / "run.h5"
    old.write_bytes(b"old output")
    full.fill()
    proc = run_full(cdpsim_bin, full, "run", small_scenario, "-q", "--force", "-o", old)
    assert_clean_failure(proc, full, ["run.h5"])
    assert old.read_bytes() == b"old output"


def test_checkpoints_on_a_full_disk(cdpsim_bin, small_scenario, full):
    # A checkpoint reserves its blocks before HDF5 writes: the reservation is what fails.
    full.fill()
    proc = run_full(cdpsim_bin, full, "run", small_scenario, "-q", "--checkpoint-every", 5,
                    "-o", full.dir / "run.h5")
    assert_clean_failure(proc, full, ["run.checkpoints/week-000005.h5"])
    assert not (full.dir / "run.h5").exists()
    folder = full.dir / "run.checkpoints"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_ensemble_on_a_full_disk(cdpsim_bin, small_scenario, full):
    full.fill()
    proc = run_full(cdpsim_bin, full, "ensemble", small_scenario, "--replicates", 4, "-q",
                    "-o", full.dir / "ens.h5")
    assert_clean_failure(proc, full, ["ens.h5"])
    assert not (full.dir / "ens.h5").exists()


def test_merge_on_a_full_disk(cdpsim_bin, cdpsim, small_scenario, full, tmp_path):
    shards = []
    for a, b in [(0, 2), (2, 4)]:
        out = tmp_path / f"shard-{a}.h5"
        proc = cdpsim("ensemble", small_scenario, "--replicates", 4, "--runs", f"{a}:{b}", "-q",
                      "-o", out)
        assert proc.returncode == 0, proc.stderr
        shards.append(out)
    full.fill()
    proc = run_full(cdpsim_bin, full, "merge", *shards, "-q", "-o", full.dir / "merged.h5")
    assert_clean_failure(proc, full, ["merged.h5"])
    assert not (full.dir / "merged.h5").exists()


@pytest.mark.parametrize("leave", [0, 12288])
def test_compare_writes_all_three_files_or_none(cdpsim_bin, write_scenario, small_scenario,
                                                full, leave):
    other = write_scenario("other.toml", "[simulation]\nweeks = 20\n", base=small_scenario)
    full.fill(leave)
    proc = run_full(cdpsim_bin, full, "compare", small_scenario, other, "--replicates", 2,
                    "--horizon", 20, "-q", "-o", full.dir / "cmp")
    assert_clean_failure(proc, full, ["cmp.csv", "cmp.json", "cmp.h5"])
    assert [p.name for p in full.dir.iterdir() if p.name.startswith("cmp")] == []


def test_sensitivity_on_a_full_disk(cdpsim_bin, reference_scenario, full):
    full.fill()
    proc = run_full(cdpsim_bin, full, "sensitivity", reference_scenario, "--method", "morris",
                    "--levers", "animation", "--samples", 2, "--replicates", 1, *SMALL, "-q",
                    "-o", full.dir / "sens.h5")
    assert_clean_failure(proc, full, ["sens.h5", "sens.csv"])
    assert [p.name for p in full.dir.iterdir() if p.name.startswith("sens")] == []


def test_facts_report_on_a_full_disk(cdpsim_bin, source_dir, full, tmp_path):
    # facts measures the whole library (--quick: 5 replicates); a one-scenario library keeps it
    # short, and the facts that need other scenarios are reported as such, not written.
    if not full.mounted:
        pytest.skip("facts writes a few KB only: needs the tmpfs (root)")
    full.fill()
    proc = run_full(cdpsim_bin, full, "facts", "--quick", "-q", "--replicates", 2,
                    "--scenarios", Path(source_dir) / "scenarios", "-o", full.dir / "facts",
                    timeout=900)
    assert proc.returncode == 1, proc.stderr
    assert "No space left on device" in proc.stderr
    assert full.leftovers() == []
    assert [p.name for p in full.dir.iterdir() if p.name.startswith("facts")] == []


# ---------------------------------------------------------------------------------------------
# Output paths and races


def test_output_checks(cdpsim, small_scenario, tmp_path):
    proc = cdpsim("run", small_scenario, "-q", "-o", "")
    assert proc.returncode == 2 and proc.stderr.startswith("cdpsim: error:"), proc.stderr
    assert "empty path" in proc.stderr
    link = tmp_path / "dangling.h5"
    link.symlink_to(tmp_path / "missing" / "x.h5")
    proc = cdpsim("run", small_scenario, "-q", "--force", "-o", link)
    assert proc.returncode == 2 and "symbolic link to a missing file" in proc.stderr, proc.stderr
    assert link.is_symlink()
    fifo = tmp_path / "fifo.h5"
    os.mkfifo(fifo)
    proc = cdpsim("run", small_scenario, "-q", "--force", "-o", fifo)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr, proc.stderr
    proc = cdpsim("run", small_scenario, "-q", "--force", "-o", "/dev/null")
    assert proc.returncode == 2 and "not a regular file" in proc.stderr, proc.stderr
    proc = cdpsim("run", small_scenario, "-q", "--threads", "0")
    assert proc.returncode == 2 and proc.stderr.startswith("cdpsim: error:"), proc.stderr


def test_a_file_that_appears_during_the_run_is_not_replaced(cdpsim_bin, write_scenario,
                                                            small_scenario, tmp_path):
    slow = write_scenario("slow.toml", "[simulation]\nweeks = 1000\n[population]\n"
                          "potential_members = 20000\n", base=small_scenario)
    out = tmp_path / "raced.h5"
    proc = subprocess.Popen([str(cdpsim_bin), "run", str(slow), "-q", "-o", str(out)],
                            stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)  # past the output check at the start, long before the end (~2 s)
    assert proc.poll() is None
    out.write_bytes(b"someone else's file")
    _, err = proc.communicate(timeout=300)
    assert out.read_bytes() == b"someone else's file"
    assert proc.returncode == 2, err
    assert "appeared while cdpsim was running" in err
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


# ---------------------------------------------------------------------------------------------
# The bounded scenario reader


def validate(cdpsim, path, *extra):
    return cdpsim("validate", path, *extra, timeout=60)


def test_special_files_are_refused(cdpsim, tmp_path, small_scenario):
    for path, what in [("/dev/zero", "not a regular file"), (tmp_path, "is a directory")]:
        proc = validate(cdpsim, path)
        assert proc.returncode == 2 and what in proc.stderr, proc.stderr
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    proc = validate(cdpsim, fifo)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr, proc.stderr
    ext = tmp_path / "ext.toml"
    ext.write_text('extends = "/dev/zero"\n')
    proc = validate(cdpsim, ext)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr, proc.stderr
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (1 << 20) + "\n")
    proc = validate(cdpsim, big)
    assert proc.returncode == 2 and "1 MiB" in proc.stderr, proc.stderr


@pytest.mark.parametrize("text", ["a" + ".a" * 31000 + " = 1\n", "[" + "a." * 31000 + "a]\n",
                                  "x = " + "[" * 20000 + "]" * 20000 + "\n",
                                  "x = " + "{a = " * 20000 + "1" + "}" * 20000 + "\n"])
def test_deep_toml_is_refused_before_parsing(cdpsim, tmp_path, text):
    p = tmp_path / "deep.toml"
    p.write_text(text)
    proc = validate(cdpsim, p)
    assert proc.returncode == 2, proc.stderr
    assert "nested more than 32 deep" in proc.stderr and f"{p}:1:" in proc.stderr, proc.stderr


def test_long_extends_chain_is_refused(cdpsim, tmp_path):
    n = 2000
    for i in range(n):
        body = f'extends = "c{i + 1}.toml"\n' if i + 1 < n else "[simulation]\nweeks = 10\n"
        (tmp_path / f"c{i}.toml").write_text(body)
    proc = validate(cdpsim, tmp_path / "c0.toml")
    assert proc.returncode == 2 and "longer than 32 files" in proc.stderr, proc.stderr


def test_dates_and_long_numbers(cdpsim, small_scenario):
    for date in ["0001-01-01", "9999-12-27"]:
        proc = validate(cdpsim, small_scenario, "--set", f"simulation.start_date={date}")
        assert proc.returncode == 2 and "1900-01-01 to 2200-12-31" in proc.stderr, proc.stderr
    long = "0." + "1" * 70
    proc = validate(cdpsim, small_scenario, "--set", f"levers.animation={long}")
    assert proc.returncode == 0, proc.stderr
    proc = validate(cdpsim, small_scenario, "--set", "levers.animation=1" * 1 + "2" * 70 + ".5")
    assert proc.returncode == 2 and "out of range" in proc.stderr and "string" not in proc.stderr


def test_cross_field_errors_name_the_line(cdpsim, write_scenario, small_scenario):
    p = write_scenario("bad.toml", "[population]\npotential_members = 100\n"
                       "initial_members = 500\n", base=small_scenario)
    proc = validate(cdpsim, p)
    assert proc.returncode == 2, proc.stderr
    assert f"{p}:4:1: population.initial_members" in proc.stderr, proc.stderr  # line 1: extends


def test_info_on_a_folder(cdpsim, tmp_path):
    proc = cdpsim("info", tmp_path)
    assert proc.returncode == 2 and "is a folder" in proc.stderr, proc.stderr


# --- sizes checked against memory before work (experiments/memory_plan.hpp) -------------------

def test_an_ensemble_too_large_for_memory_is_refused_at_once(cdpsim, reference_scenario, tmp_path):
    out = tmp_path / "huge.h5"
    start = time.monotonic()
    proc = cdpsim("ensemble", reference_scenario, "--replicates", "1000000000", "-q", "-o", out)
    assert proc.returncode == 2, proc.stderr
    assert "cdpsim ensemble: needs about" in proc.stderr and "--runs" in proc.stderr
    assert time.monotonic() - start < 30  # refused before the plan allocates, not after
    assert list(tmp_path.iterdir()) == []


def test_only_the_runs_a_process_holds_count(cdpsim, reference_scenario, tmp_path):
    """10^6 replicates of the reference scenario need about 200 GB in one process (refused); a
    --runs slice of two of them holds two runs and the seeds, and runs."""
    args = ("ensemble", reference_scenario, "--replicates", "1000000", "-q", "--threads", "1")
    whole = cdpsim(*args, "-o", tmp_path / "whole.h5")
    assert whole.returncode == 2 and "needs about" in whole.stderr, whole.stderr
    part = cdpsim(*args, "--runs", "0:2", "-o", tmp_path / "part.h5", timeout=300)
    assert part.returncode == 0, part.stderr
    assert (tmp_path / "part.h5").exists()


def test_a_run_above_the_memory_limit_is_refused_with_its_estimate(cdpsim_bin, reference_scenario,
                                                                   tmp_path):
    env = dict(os.environ, CDPSIM_MEMORY_LIMIT="1G")
    out = tmp_path / "big.h5"
    proc = subprocess.run([str(cdpsim_bin), "run", str(reference_scenario), "--set",
                           "population.potential_members=100000000", "-q", "-o", str(out)],
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2, proc.stderr
    assert "cdpsim run: needs about 16 GB of memory, more than the 1 GB" in proc.stderr
    assert not out.exists()
    env["CDPSIM_MEMORY_LIMIT"] = "lots"
    proc = subprocess.run([str(cdpsim_bin), "run", str(reference_scenario), "-q", "-o", str(out)],
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2 and "CDPSIM_MEMORY_LIMIT=lots: not a size" in proc.stderr
