#!/usr/bin/python3
"""A researcher's session with the Python API, as a script to copy into a notebook cell by cell.

    cmake -S . -B build && cmake --build build -j     # builds build/python/cdpsim too
    PYTHONPATH=build/python /usr/bin/python3 scripts/notebook_example.py [OUT_DIR]

It loads the reference scenario, runs it to the pandemic, pokes at the members mid-run, intervenes,
continues, calibrates one lever against a target, computes a custom metric from sim.members(),
draws a figure, and compares two variants with intervals, without leaving Python (docs/python.md
explains each step). About 15 s on 2 cores. Writes OUT_DIR/members.png (default: out/).
"""

import sys
from pathlib import Path

import numpy as np

import cdpsim

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out"
OUT.mkdir(parents=True, exist_ok=True)

# 1. A scenario, and a run to the onset of the pandemic.
ref = cdpsim.Scenario.load(SCENARIOS / "passerelles.toml")
print(ref)
sim = cdpsim.Simulation(ref, seed=7, threads=2)
sim.run(until="2020-03-16")
print(sim)

# 2. The members' state mid-run: a pandas DataFrame (sim.members(view=True): zero-copy arrays).
m = sim.members()
registered = m[m.status == 1]
print(f"{len(registered)} registered members; mean trust {registered.trust.mean():.3f}; "
      f"{(registered.memberships >= 2).mean():.1%} in two CdPs or more")
print(sim.cdps().groupby("phase").size().rename("CdPs by phase index"))

# 3. An intervention from now on, with the rules of a scenario file's [[interventions]].
sim.intervene("levers.support_capacity", set=1.0, end="2021-09-13",
              name="support doubled during the pandemic")
sim.run()
ds = sim.series()  # xarray.Dataset, labelled as the HDF5 file of `cdpsim run`
print(f"at the horizon: {int(ds.members_total[-1])} members, {int(ds.cdps_alive[-1])} CdPs")


# 4. A custom metric from sim.members(), week by week: inequality of contributions (Gini).
def gini(x):
    x = np.sort(np.asarray(x, dtype=float))
    if x.sum() == 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


sim = cdpsim.Simulation(ref, seed=7, threads=2)
gini_by_week = {}
while not sim.done:
    sim.step(26 if sim.weeks - sim.week >= 26 else sim.weeks - sim.week)
    v = sim.members(view=True)  # no copy: cheap enough every few weeks at a million members
    gini_by_week[sim.week] = gini(v["contributions"][v["status"] == 1])
print("Gini of contributions:", {w: round(g, 3) for w, g in gini_by_week.items()})

# 5. A calibration loop: the animation lever that brings the members active in a week at the end
#    of 2022 (mean of the last 10 weeks) closest to a target, over three seeds per value. The
#    target here is an illustration, not an observed figure.
target = 700.0
best = None
for animation in (0.3, 0.5, 0.7):
    s = ref.with_set({"levers.animation": animation})
    finals = []
    for seed in (1, 2, 3):
        run = cdpsim.Simulation(s, seed=seed, threads=2)
        run.run()
        finals.append(float(run.series().members_active[-10:].mean()))
    err = abs(np.mean(finals) - target)
    print(f"animation {animation}: active {np.mean(finals):.1f} (target {target:.1f})")
    if best is None or err < best[1]:
        best = (animation, err)
print(f"closest: levers.animation = {best[0]}")

# 6. A figure.
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(ds.date, ds.members_total, label="registered")
ax.plot(ds.date, ds.members_active, label="active this week")
ax.axvspan(np.datetime64("2020-03-16"), np.datetime64("2021-09-13"), alpha=0.15,
           label="support doubled")
ax.set_title("Passerelles, seed 7")
ax.legend()
fig.tight_layout()
fig.savefig(OUT / "members.png", dpi=120)
print("figure:", OUT / "members.png")

# 7. Two variants with intervals (common random numbers), as `cdpsim compare`.
cmp = cdpsim.compare([SCENARIOS / "passerelles.toml", SCENARIOS / "support-none.toml"],
                     replicates=10, metrics=["cdps_alive", "members_active"], threads=2)
table = cmp[["mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high"]].to_dataframe()
print(table.round(2))
