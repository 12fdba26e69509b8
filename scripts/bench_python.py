#!/usr/bin/python3
"""The speed of the Python API (docs/performance.md, "Python API"):

1. the overhead of the Python path over the C++ path for one Passerelles run: the time of
   Scenario.load + Simulation + run() + series() in a warm interpreter, against `cdpsim run` (the
   whole process, and the engine time it reports: simulation + writing the file);
2. sim.members() at a million members (scenarios/large.toml after a few weeks): the zero-copy
   views (view=True) and the DataFrame (a copy);
3. two Python threads each running a simulation (threads=1) against the same two one after the
   other: the GIL is released while the engine works.

    PYTHONPATH=build/python /usr/bin/python3 scripts/bench_python.py [--bin build/app/cdpsim]
        [--repeat 7] [--skip-large]

Prints medians over --repeat repetitions. Nothing is asserted: timings belong in the docs.
"""

import argparse
import re
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import cdpsim

ROOT = Path(__file__).resolve().parent.parent


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def python_vs_cli(binary, repeat, threads):
    sc = ROOT / "scenarios" / "passerelles.toml"

    def python_path():
        sim = cdpsim.Simulation(cdpsim.Scenario.load(sc), seed=7, threads=threads)
        sim.run()
        sim.series()

    def python_engine_only():
        sim = cdpsim.Simulation(cdpsim.Scenario.load(sc), seed=7, threads=threads)
        sim.run()

    engine = []

    def cli_path():
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run([binary, "run", str(sc), "-o", f"{d}/r.h5", "--seed", "7",
                                "--threads", str(threads)], capture_output=True, text=True,
                               check=True)
            m = re.search(r"([0-9.]+) s simulating, ([0-9.]+) s writing", p.stdout)
            if m:
                engine.append((float(m[1]), float(m[2])))

    python_path()  # warm-up: imports, page cache
    cli_path()
    engine.clear()
    t_py = median_time(python_path, repeat)
    t_py_run = median_time(python_engine_only, repeat)
    t_cli = median_time(cli_path, repeat)
    t_sim = statistics.median(e[0] for e in engine) if engine else float("nan")
    t_engine = statistics.median(e[0] + e[1] for e in engine) if engine else float("nan")
    print(f"Passerelles, seed 7, {threads} threads, median of {repeat}:")
    print(f"  cdpsim run: simulating (C++, world built and run)   {t_sim * 1e3:8.1f} ms")
    print(f"  cdpsim run: simulating + writing the file           {t_engine * 1e3:8.1f} ms")
    print(f"  cdpsim run: the whole process                       {t_cli * 1e3:8.1f} ms")
    print(f"  python: Scenario.load + Simulation + run()          {t_py_run * 1e3:8.1f} ms"
          f"  ({100 * (t_py_run / t_sim - 1):+.1f}% over simulating)")
    print(f"  python: ... + series()                              {t_py * 1e3:8.1f} ms"
          f"  ({100 * (t_py / t_engine - 1):+.1f}% over simulating + writing)")


def members_at_a_million(repeat, threads):
    s = cdpsim.Scenario.load(ROOT / "scenarios" / "large.toml", set={"simulation.weeks": 4})
    t0 = time.perf_counter()
    sim = cdpsim.Simulation(s, seed=1, threads=threads)
    sim.run()
    print(f"large.toml: {len(sim.members(view=True)['org'])} members ever registered after "
          f"{sim.week} weeks (built and run in {time.perf_counter() - t0:.1f} s)")
    t_view = median_time(lambda: sim.members(view=True), repeat)
    t_frame = median_time(lambda: sim.members(), repeat)
    t_cdps = median_time(lambda: sim.cdps(), repeat)
    t_orgs = median_time(lambda: sim.organisations(), repeat)
    print(f"  sim.members(view=True)   {t_view * 1e3:8.3f} ms (zero-copy views)")
    print(f"  sim.members()            {t_frame * 1e3:8.1f} ms (DataFrame, a copy)")
    print(f"  sim.cdps()               {t_cdps * 1e3:8.1f} ms ({len(sim.cdps())} CdPs)")
    print(f"  sim.organisations()      {t_orgs * 1e3:8.1f} ms ({len(sim.organisations())} "
          f"organisations)")


def two_threads(repeat):
    s = cdpsim.Scenario.load(ROOT / "scenarios" / "passerelles.toml")

    def one(seed):
        sim = cdpsim.Simulation(s, seed=seed, threads=1)
        sim.run()

    def sequential():
        one(1)
        one(2)

    def parallel():
        ts = [threading.Thread(target=one, args=(seed,)) for seed in (1, 2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    one(1)
    t_one = median_time(lambda: one(1), repeat)
    t_seq = median_time(sequential, repeat)
    t_par = median_time(parallel, repeat)
    print("two Passerelles runs (threads=1 each):")
    print(f"  one run                     {t_one * 1e3:8.1f} ms")
    print(f"  two, one after the other    {t_seq * 1e3:8.1f} ms")
    print(f"  two Python threads at once  {t_par * 1e3:8.1f} ms  ({t_par / t_one:.2f} x one run)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=str(ROOT / "build" / "app" / "cdpsim"))
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-large", action="store_true")
    a = ap.parse_args()
    python_vs_cli(a.bin, a.repeat, a.threads)
    two_threads(a.repeat)
    if not a.skip_large:
        members_at_a_million(a.repeat, a.threads)


if __name__ == "__main__":
    main()
