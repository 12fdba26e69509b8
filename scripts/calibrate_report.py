"""The outputs of scripts/calibrate.py once its waves are done: accepted sets (CSV), ranges,
representative point (TOML fragment and --set list), figures, the facts check and summary.json."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import history_matching as hm


def simulated_implausibility(C, Y):
    """Implausibility of simulated points: the replicate mean in place of the emulator's, with
    the variance of that mean (var/R) in place of the emulator variance."""
    R = Y.shape[1]
    var = Y.var(axis=1, ddof=1)
    return C.implausibilities(Y.mean(axis=1), var / R, var)


def measure_names(C):
    return [o["name"] for o in C.OBSERVATIONS] + [c["name"] for c in C.CRITERIA]


def facts_check(a, C, values, seed, cache_dir):
    """`cdpsim facts` at full size (20 replicates) for one point: one process per check."""
    sets = [C.set_text(k, v) for (k, _, _), v in zip(C.SPACE, values)]
    key = hm_key(sets, seed)
    cached = cache_dir / f"facts-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    binary = a.binary or str(Path(a.build) / "app" / "cdpsim")
    with tempfile.TemporaryDirectory() as d:
        cmd = ["nice", "-n", "19", binary, "facts", "-q", "-o", os.path.join(d, "f"), "--seed",
               str(seed), "--threads", str(a.threads),
               "--scenarios", str(Path(a.scenario).resolve().parent)]
        for s in sets:
            cmd += ["--set", s]
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode not in (0, 1) or not os.path.exists(os.path.join(d, "f.json")):
            raise RuntimeError(f"cdpsim facts failed ({p.returncode}): {p.stderr.strip()}")
        facts = json.load(open(os.path.join(d, "f.json")))["facts"]
    res = {"seed": seed, "sets": sets,
           "facts": {f["id"]: all(p["pass"] for p in f["parts"]) for f in facts},
           "failing_parts": [f["id"] + " " + p["measure"].split(")")[0] + ")" for f in facts
                             for p in f["parts"] if not p["pass"]],
           "values": {f["id"] + " " + p["measure"]: [p["value"], p["ci_low"], p["ci_high"]]
                      for f in facts for p in f["parts"]}}
    hm.atomic_write_json(str(cached), res)
    return res


def hm_key(sets, seed):
    import hashlib
    return hashlib.sha1((" ".join(sets) + f" {seed}").encode()).hexdigest()[:12]


def write_outputs(a, waves, waves_ems, nroy, C):
    import time
    t_outputs = time.time()
    out = Path(a.out)
    state = out / "state"
    conf = waves[-1]
    U, Y, traj = conf["U"], conf["Y"], conf["traj"]
    values = C.to_values(U)
    I = simulated_implausibility(C, Y)
    imax = I.max(axis=1)
    acc = np.where(imax <= C.CUTOFF)[0]
    names = measure_names(C)
    keys = [k for k, _, _ in C.SPACE]
    print(f"calibrate: confirmation: {len(acc)} of {len(U)} points accepted", file=sys.stderr)
    # The accepted sets, one row each.
    lines = [",".join(["point", "max_implausibility", "worst_measure"] + keys +
                      ["members_w9", "members_w52", "members_w154"] + C.OUTPUTS[3:])]
    for i in acc:
        means = np.exp(Y[i, :, :3]).mean(axis=0)
        lines.append(",".join([str(int(i)), f"{imax[i]:.3f}", f'"{names[int(np.argmax(I[i]))]}"'] +
                              [f"{v:.4g}" for v in values[i]] + [f"{m:.1f}" for m in means] +
                              [f"{x:.4g}" for x in Y[i, :, 3:].mean(axis=0)]))
    hm.atomic_write_bytes(str(out / "accepted.csv"), ("\n".join(lines) + "\n").encode())
    # Ranges: the accepted runs, and the emulators' last non-implausible sample.
    nroy_vals = C.to_values(nroy) if nroy is not None and len(nroy) else np.empty((0, len(keys)))
    ranges = []
    for j, (k, lo, hi) in enumerate(C.SPACE):
        v = values[acc, j]
        ranges.append({"key": k, "prior": [lo, hi],
                       "accepted": [float(v.min()), float(np.percentile(v, 5)), float(np.median(v)),
                                    float(np.percentile(v, 95)), float(v.max())] if len(v) else None,
                       "nroy": [float(nroy_vals[:, j].min()), float(nroy_vals[:, j].max())]
                       if len(nroy_vals) else None})
    # Representative: the accepted point with the lowest maximum implausibility.
    rep = int(acc[np.argmin(imax[acc])]) if len(acc) else int(np.argmin(imax))
    rep_vals = values[rep]
    rep_sets = [C.set_text(k, v) for k, v in zip(keys, rep_vals)]
    sections = {}
    for s in rep_sets:
        k, v = s.split("=")
        sec, name = k.split(".")
        sections.setdefault(sec, []).append(f"{name} = {v}")
    toml = ["# Representative accepted point of the history matching (docs/calibration.md):",
            f"# the accepted point with the lowest maximum implausibility ({imax[rep]:.2f}).",
            "# --set " + " --set ".join(rep_sets)]
    for sec, kv in sections.items():
        toml += ["", f"[{sec}]"] + kv
    hm.atomic_write_bytes(str(out / "representative.toml"), ("\n".join(toml) + "\n").encode())
    # The representative point at the facts' size (20 replicates, the facts' master seed).
    runner = C.Runner(sys.modules["cdpsim"], a.scenario, a.facts_seeds[0] if a.facts_seeds else
                      a.master_seed, a.threads)
    Yr, trr = runner.point(rep_vals, C.FACT_REPLICATES)
    rep_growth = {}
    for w in (9, 52, 154):
        x = trr[:, w].astype(float)
        h = 2.093 * x.std(ddof=1) / np.sqrt(len(x))
        rep_growth[f"week {w}"] = [float(x.mean()), float(x.mean() - h), float(x.mean() + h)]
    # Facts check (F1-F11 with `cdpsim facts`) on a sample of accepted points + the representative.
    rng = np.random.default_rng(a.seed + 77)
    others = [int(i) for i in acc if i != rep]
    sample = list(rng.choice(others, size=min(a.facts_sample, len(others)), replace=False)) \
        if a.facts_sample and others else []
    checks = []
    if a.facts_sample:
        planned = [(rep, s) for s in a.facts_seeds] + [(int(i), a.facts_seeds[0]) for i in sample]
        for n, (i, s) in enumerate(planned):
            print(f"calibrate: facts check {n + 1}/{len(planned)} (point {i}, seed {s})", file=sys.stderr)
            r = facts_check(a, C, values[i], s, state)
            checks.append({"point": i, "representative": i == rep, **r})
    # Wave diagnostics.
    diag = []
    for w in waves:
        m = w["meta"]
        Iw = simulated_implausibility(C, w["Y"])
        diag.append({"wave": m["wave"], "confirm": m["confirm"], "points": m["points"],
                     "runs": int(w["Y"].shape[0] * w["Y"].shape[1]),
                     "simulated_accepted": int((Iw.max(axis=1) <= C.CUTOFF).sum()),
                     "nroy_share_after": w["nroy_share"], "loo": m.get("loo"),
                     "previous_wave_prediction": m.get("previous_wave_prediction")})
    # Bands.
    acc_traj = traj[acc].reshape(-1, traj.shape[2]) if len(acc) else traj.reshape(-1, traj.shape[2])
    bands = {q: np.percentile(acc_traj, q, axis=0).tolist() for q in (2.5, 25, 50, 75, 97.5)}
    summary = {"config": C.config_of(a), "measures": names, "cutoff": C.CUTOFF,
               "cutoff_on": "maximum implausibility over all measures",
               "accepted": len(acc), "confirmation_points": len(U), "ranges": ranges,
               "representative": {"point": rep, "max_implausibility": float(imax[rep]),
                                  "implausibility": dict(zip(names, I[rep].round(3).tolist())),
                                  "sets": rep_sets, "growth_20_replicates": rep_growth},
               "waves": diag, "facts_check": checks,
               "bands_at_targets": {f"week {w}": [bands[q][w] for q in (2.5, 25, 50, 75, 97.5)]
                                    for w in (9, 52, 154)},
               "accepted_means_within_10pct": {
                   f"week {w}": float(np.mean(np.abs(np.exp(Y[acc, :, j]).mean(axis=1) / z - 1) <= 0.10))
                   if len(acc) else 0.0
                   for j, (w, z) in enumerate([(9, 1000), (52, 2000), (154, 5000)])}}
    # Wall time of this process (a resumed calibration counts only what it ran itself).
    summary["timing"] = {"waves_seconds": round(getattr(a, "waves_seconds", float("nan")), 1),
                         "outputs_and_facts_check_seconds": round(time.time() - t_outputs, 1),
                         "resumed": bool(getattr(a, "resumed", False)), "threads": a.threads}
    hm.atomic_write_json(str(out / "summary.json"), summary)
    if a.figures:
        figures(a, C, waves, traj, acc, bands, rep, trr, ranges)
    print(f"calibrate: wrote {out}/accepted.csv, summary.json, representative.toml", file=sys.stderr)
    return 0


def figures(a, C, waves, traj, acc, bands, rep, trr, ranges):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig_dir = Path(a.figures)
    fig_dir.mkdir(parents=True, exist_ok=True)
    weeks = np.arange(traj.shape[2])
    fig, ax = plt.subplots(figsize=(8, 4.8))
    w1 = waves[0]["traj"].reshape(-1, traj.shape[2])
    ax.fill_between(weeks, np.percentile(w1, 2.5, axis=0), np.percentile(w1, 97.5, axis=0),
                    color="0.88", label="wave 1 design (prior ranges), 95% of runs")
    ax.fill_between(weeks, bands[2.5], bands[97.5], color="tab:blue", alpha=0.25,
                    label=f"accepted sets ({len(acc)}), 95% of runs")
    ax.fill_between(weeks, bands[25], bands[75], color="tab:blue", alpha=0.45, label="accepted, 50%")
    ax.plot(weeks, bands[50], color="tab:blue", lw=1.2, label="accepted, median")
    ax.plot(weeks, trr.mean(axis=0), color="tab:red", lw=1.2, ls="--",
            label="representative point, mean of 20 replicates")
    for o, w in zip(C.OBSERVATIONS, (9, 52, 154)):
        sd = o["z"] * np.sqrt(o["sd_obs"] ** 2 + o["sd_md"] ** 2)
        ax.errorbar([w], [o["z"]], yerr=[[3 * sd], [3 * sd]], fmt="o", color="k", capsize=4)
        ax.hlines([o["z"] * 0.9 if w != 154 else 4500, o["z"] * 1.1 if w != 154 else 5500],
                  w - 6, w + 6, color="k", lw=0.8)
    ax.plot([], [], "ko", label="Passerelles figures, ±3 sd (obs. + discrepancy); ticks: ±10%")
    ax.axvspan(80, 157, color="tab:orange", alpha=0.07, label="COVID-19 shock")
    ax.set_xlabel("week since 2018-09-03")
    ax.set_ylabel("registered members")
    ax.set_ylim(0, max(8000, float(np.max(bands[97.5])) * 1.05))
    ax.set_title("Passerelles: posterior predictive registered members (history matching)")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(fig_dir / ".tmp-bands.png", dpi=120)
    os.replace(fig_dir / ".tmp-bands.png", fig_dir / "members-bands.png")
    plt.close(fig)
    # Ranges: prior box and accepted 5-95% / min-max, in units of the prior range.
    fig, ax = plt.subplots(figsize=(8, 6))
    for j, r in enumerate(ranges):
        lo, hi = r["prior"]
        if r["accepted"]:
            mn, p5, med, p95, mx = [(x - lo) / (hi - lo) for x in r["accepted"]]
            ax.plot([mn, mx], [j, j], color="tab:blue", lw=1)
            ax.plot([p5, p95], [j, j], color="tab:blue", lw=5, alpha=0.6)
            ax.plot([med], [j], "k|", ms=10)
        if r["nroy"]:
            a0, a1 = [(x - lo) / (hi - lo) for x in r["nroy"]]
            ax.plot([a0, a1], [j + 0.25, j + 0.25], color="tab:gray", lw=1)
    ax.set_yticks(range(len(ranges)))
    ax.set_yticklabels([f'{r["key"]} [{r["prior"][0]:g}, {r["prior"][1]:g}]' for r in ranges], fontsize=7)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("position in the searched range (0 = low end, 1 = high end)")
    ax.set_title("Accepted ranges: blue line min-max, bar 5-95%, | median; grey: emulator NROY", fontsize=9)
    fig.tight_layout()
    fig.savefig(fig_dir / ".tmp-ranges.png", dpi=120)
    os.replace(fig_dir / ".tmp-ranges.png", fig_dir / "ranges.png")
    plt.close(fig)
