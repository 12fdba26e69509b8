#!/usr/bin/env python3
"""cdpsim against its NumPy twin on the same workload and the same weeks, interleaved.

For each member count, each round runs, one process after the other: cdpsim at 1 thread, the
twin, cdpsim at 2 threads (bench/bench_step.cpp and ../shared/peers/twin/bench_twin.py; both
build the scaled Passerelles workload, seed 7, step --warmup weeks untimed, then time --weeks
weeks). It prints every pair with its ratio and the load average, then the best of the rounds
(the least disturbed on a shared machine) and the median.

    /usr/bin/python3 scripts/bench_vs_twin.py --bin build/bench/cdpsim_bench \\
        --members 100000 1000000 --warmup 5 --weeks 100 --rounds 3

Peak memory is each child's own maximum resident set (os.wait4), per potential member.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TWIN = os.path.join(os.path.dirname(ROOT), "shared", "peers", "twin", "bench_twin.py")


def run_rss(cmd: list[str]) -> tuple[str, float]:
    """Runs cmd from the project root; returns (stdout, peak resident MiB of that child)."""
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err}")
    return out, ru.ru_maxrss / 1024.0  # KiB -> MiB


def load() -> str:
    return "%.2f" % os.getloadavg()[0]


def cdpsim(binary: str, n: int, threads: int, a) -> dict:
    out, rss = run_rss([binary, f"--members={n}", f"--threads={threads}", f"--warmup={a.warmup}",
                        f"--weeks={a.weeks}", "--benchmark_format=json"])
    b = json.loads(out)["benchmarks"][0]
    parts = {k[4:]: v for k, v in b.items() if k.startswith("pct_")}
    return {"rate": b["member_weeks_per_s"], "cpu_rate": b["member_weeks_per_cpu_s"],
            "ns": b["ns_per_member_week"],
            "bytes": rss * 2**20 / (n + n // 10), "parts": parts}


# The twin's own benchmark code (bench_twin.scaled, bench_twin.tune_malloc, cdptwin.Twin in
# float32, seed 7), with the timed loop of bench_twin.main() plus the process CPU time, which
# bench_twin.py does not print.
TWIN_SNIPPET = r"""
import json, sys, time
sys.path.insert(0, {dir!r})
import numpy as np
import bench_twin, cdptwin
bench_twin.tune_malloc()
sim = cdptwin.Twin(bench_twin.scaled({n}), 7, ftype=np.float32)
for _ in range({warmup}):
    sim.step()
w0, c0 = time.perf_counter(), time.process_time()
for _ in range({weeks}):
    sim.step()
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
print(json.dumps({{"wall": wall, "cpu": cpu, "week": int(sim.t)}}))
"""


def twin(n: int, a) -> dict:
    code = TWIN_SNIPPET.format(dir=os.path.dirname(TWIN), n=n, warmup=a.warmup, weeks=a.weeks)
    out, rss = run_rss([sys.executable, "-c", code])
    r = json.loads(out.strip().splitlines()[-1])
    return {"rate": n * a.weeks / r["wall"], "cpu_rate": n * a.weeks / r["cpu"],
            "bytes": rss * 2**20 / (n + n // 10)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bench", "cdpsim_bench"))
    ap.add_argument("--members", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--weeks", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-two-threads", action="store_true")
    ap.add_argument("--baseline", help="another cdpsim_bench (an older build), run at 1 thread "
                    "in each round too, for a before/after ratio")
    a = ap.parse_args()
    last = a.warmup + a.weeks - 1
    print(f"weeks {a.warmup}-{last} after {a.warmup} warm-up weeks; {a.rounds} rounds; "
          f"{os.cpu_count()} cores; M = million member-weeks per second of wall time "
          f"(per CPU second in brackets)")
    summary = []
    for n in a.members:
        rows = []
        for r in range(a.rounds):
            l0 = load()
            c1 = cdpsim(a.bin, n, 1, a)
            tw = twin(n, a)
            c2 = None if a.no_two_threads else cdpsim(a.bin, n, 2, a)
            c0 = cdpsim(a.baseline, n, 1, a) if a.baseline else None
            rows.append((c1, tw, c2, c0))
            two = "" if c2 is None else (f"  2 threads {c2['rate'] / 1e6:6.2f} M "
                                         f"({c2['rate'] / c1['rate']:.2f}x)")
            print(f"N={n:>10,} round {r + 1}: cdpsim {c1['rate'] / 1e6:6.2f} M "
                  f"[{c1['cpu_rate'] / 1e6:6.2f}], twin {tw['rate'] / 1e6:6.2f} M "
                  f"[{tw['cpu_rate'] / 1e6:6.2f}], ratio {c1['rate'] / tw['rate']:.2f}x "
                  f"[{c1['cpu_rate'] / tw['cpu_rate']:.2f}x]{two}"
                  + ("" if c0 is None else f"  baseline {c0['rate'] / 1e6:6.2f} M "
                     f"[{c0['cpu_rate'] / 1e6:6.2f}]")
                  + f"  [load {l0} -> {load()}]",
                  flush=True)
        med = statistics.median
        line = {"members": n,
                "c1": max(x[0]["rate"] for x in rows), "c1_cpu": max(x[0]["cpu_rate"] for x in rows),
                "tw": max(x[1]["rate"] for x in rows), "tw_cpu": max(x[1]["cpu_rate"] for x in rows),
                "ratio_med": med(x[0]["rate"] / x[1]["rate"] for x in rows),
                "ratio_cpu_med": med(x[0]["cpu_rate"] / x[1]["cpu_rate"] for x in rows),
                "c_bytes": rows[-1][0]["bytes"], "tw_bytes": rows[-1][1]["bytes"],
                "parts": rows[-1][0]["parts"]}
        if not a.no_two_threads:
            line["c2"] = max(x[2]["rate"] for x in rows)
        if a.baseline:
            line["c0"] = max(x[3]["rate"] for x in rows)
            line["c0_cpu"] = max(x[3]["cpu_rate"] for x in rows)
        summary.append(line)
    print()
    print("| members | weeks | cdpsim, 1 thread | NumPy twin | ratio, best of each | "
          "ratio, median of pairs | cdpsim, 2 threads | peak bytes per member, cdpsim / twin |")
    print("|---|---|---|---|---|---|---|---|")
    for s in summary:
        two = f"{s['c2'] / 1e6:.1f} M ({s['c2'] / s['c1']:.2f}x)" if "c2" in s else "-"
        print(f"| {s['members']:,} | {a.warmup}-{last} "
              f"| {s['c1'] / 1e6:.1f} M ({s['c1_cpu'] / 1e6:.1f} M per CPU s) "
              f"| {s['tw'] / 1e6:.1f} M ({s['tw_cpu'] / 1e6:.1f} M) "
              f"| {s['c1'] / s['tw']:.2f}x ({s['c1_cpu'] / s['tw_cpu']:.2f}x) "
              f"| {s['ratio_med']:.2f}x ({s['ratio_cpu_med']:.2f}x) | {two} "
              f"| {s['c_bytes']:.0f} / {s['tw_bytes']:.0f} |")
    if a.baseline:
        print()
        print("| members | weeks | baseline, 1 thread | this build, 1 thread | speed-up |")
        print("|---|---|---|---|---|")
        for s in summary:
            print(f"| {s['members']:,} | {a.warmup}-{last} | {s['c0'] / 1e6:.1f} M "
                  f"({s['c0_cpu'] / 1e6:.1f} M per CPU s) | {s['c1'] / 1e6:.1f} M "
                  f"({s['c1_cpu'] / 1e6:.1f} M) | {s['c1'] / s['c0']:.2f}x "
                  f"({s['c1_cpu'] / s['c0_cpu']:.2f}x) |")
    print()
    for s in summary:
        parts = ", ".join(f"{k} {v:.1f}%" for k, v in
                          sorted(s["parts"].items(), key=lambda kv: -kv[1]) if v >= 0.05)
        print(f"N={s['members']:,}, cdpsim 1 thread, share of the week: {parts}")


if __name__ == "__main__":
    main()
