#!/usr/bin/python3
"""Ensemble throughput and overhead (docs/performance.md, "Ensembles").

Runs `cdpsim ensemble SCENARIO --replicates N` at --threads 1, at --threads 2 and under
`mpirun -n 2` (one thread per rank), interleaved, REPEAT times each, and reports runs per second
from the fastest and the median wall time (the fastest is the least disturbed by other work on a
shared machine). The overhead of the ensemble machinery is measured at one thread, in the same
processes: wall time of the whole command / time of the simulations alone (printed by cdpsim) - 1.

    /usr/bin/python3 scripts/bench_ensemble.py --bin build/app/cdpsim \\
        --mpi-bin build-mpi/app/cdpsim --replicates 80 --repeat 7
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    return wall, proc.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="build/app/cdpsim")
    ap.add_argument("--mpi-bin", default="build-mpi/app/cdpsim")
    ap.add_argument("--scenario", default="scenarios/passerelles.toml")
    ap.add_argument("--replicates", type=int, default=80)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="cdpsim-bench-")  # removed at exit
    out = os.path.join(tmp.name, "e.h5")
    base = ["ensemble", args.scenario, "--replicates", str(args.replicates), "--force", "-o", out]
    mpirun = [shutil.which("mpirun") or "mpirun", "--allow-run-as-root", "-n", "2"]
    configs = {
        "1 thread": [args.bin, *base, "--threads", "1"],
        "2 threads": [args.bin, *base, "--threads", "2"],
    }
    if os.path.isfile(args.mpi_bin):
        configs["mpirun -n 2 (1 thread each)"] = [*mpirun, args.mpi_bin, *base, "--threads", "1"]
        # Shared memory only: Open MPI then skips probing UCX, which halves its start-up.
        shm = ["--mca", "pml", "ob1", "--mca", "btl", "self,vader"]
        configs["  same, --mca pml ob1 btl self,vader"] = [*mpirun, *shm, args.mpi_bin, *base,
                                                         "--threads", "1"]
    walls = {name: [] for name in configs}
    overheads = []
    for _ in range(args.repeat):
        for name, cmd in configs.items():
            wall, stdout = timed(cmd)
            walls[name].append(wall)
            if name == "1 thread":
                sim = float(re.search(r"simulations alone ([0-9.]+) s", stdout).group(1))
                overheads.append(wall / sim - 1)
    n = args.replicates
    one = n / min(walls["1 thread"])
    print(f"{n} runs of {args.scenario}, {args.repeat} repetitions, load average "
          f"{os.getloadavg()[0]:.2f} at the end")
    print(f"{'configuration':36} {'runs/s (fastest)':>17} {'runs/s (median)':>16} {'speed-up':>9}")
    for name, w in walls.items():
        best, med = n / min(w), n / statistics.median(w)
        print(f"{name:36} {best:17.2f} {med:16.2f} {best / one:8.2f}x")
    print(f"overhead at 1 thread (wall / simulations alone - 1): min {min(overheads):.1%}, "
          f"median {statistics.median(overheads):.1%}, per run "
          f"{min(overheads) * min(walls['1 thread']) / (1 + min(overheads)) / n * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
