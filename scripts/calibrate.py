#!/usr/bin/python3
"""Calibration of the Passerelles reference scenario by history matching (docs/calibration.md).

Waves of Latin hypercube / non-implausible designs, each point run with several replicates through
the engine itself (`import cdpsim`, no process per run); Gaussian-process emulators of each
output's replicate mean and replicate variance; implausibility against the Passerelles growth
figures (observation, model discrepancy and replicate variance stated) and against the criteria
of the facts measurable on the Passerelles runs (F1-F5, F10 (a), F11); cutoff 3 on the maximum.
A final confirmation wave simulates points drawn from the last non-implausible region: those whose
simulated implausibility stays under the cutoff are the accepted parameter sets.

    PYTHONPATH=build/python nice -n 19 /usr/bin/python3 scripts/calibrate.py --out scenarios/calibration

Resumable: a state file per wave in OUT/state; rerunning continues from the last finished wave
(and inside a wave from the last saved point); finished work is never replaced without --force.
Exit codes: 0 done, 2 bad arguments, 1 runtime failure, 130 interrupted (state kept).
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import history_matching as hm  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# (key, low, high): the searched space. The first 15 are the parameters of the former random
# search (ranges from docs/calibration.md, widened where the old default sat on an edge); the
# growth parameters make the 10% growth targets reachable. recruitment.openness_boost is not
# searched: platform openness is constant here, so it only rescales base_rate (not identifiable).
SPACE = [
    ("engagement.decay", 0.02, 0.045),
    ("engagement.gain", 0.08, 0.15),
    ("participation.rate_peripheral", 0.002, 0.02),
    ("participation.rate_active", 0.25, 0.6),
    ("participation.propensity_sigma", 1.5, 2.5),
    ("participation.threshold_mean", 1.1, 1.7),
    ("animation.need_per_active", 0.15, 0.4),
    ("animation.animator_budget", 8.0, 16.0),
    ("support.skill_gain", 0.002, 0.01),
    ("support.expert_efficiency", 0.4, 1.0),
    ("support.capacity_hours", 5.0, 30.0),
    ("support.needs_analysis_hours", 1.0, 3.0),
    ("support.immediate_share", 0.2, 0.6),
    ("support.autonomy_gain", 0.001, 0.01),
    ("support.episode_weeks", 13, 52),
    ("recruitment.launch_rate", 60.0, 300.0),
    ("recruitment.launch_decay_weeks", 2.0, 12.0),
    ("recruitment.base_rate", 4.0, 30.0),
    ("recruitment.mass_boost", 0.0, 3.0),
]
INTEGER = {"support.episode_weeks"}

# Outputs of one run (index, name); counts and the size ratio are emulated on the log scale.
OUTPUTS = ["log_members_w9", "log_members_w52", "log_members_w154", "f1a_posted", "f1b_top1",
           "f2a_core", "f2b_active", "f3a_return", "f3b_reply_effect", "f4a_log_size_ratio",
           "f4b_cv", "f5a_fast_maturing", "f5b_startup", "f10a_supply_demand"]
TARGET_WEEKS = {9: "2018-11-05", 52: "2019-09-02", 154: "2021-08-16"}
FACT_REPLICATES = 20  # the facts' criteria are on a 20-replicate mean (docs/validation.md)

# Observations (history matching proper): figure z, observation sd and discrepancy sd, both as a
# share of z, on the log scale (relative errors). Read from MODEL-BRIEF.md fact 11.
OBSERVATIONS = [
    # "about 1,000 members a few weeks after the launch": 1,000 +-10% read as 3 sd.
    {"name": "members, week 9 (2018-11-05): about 1,000", "output": 0, "z": 1000,
     "sd_obs": 0.10 / 3, "sd_md": 0.02},
    # "close to 2,000 later": no date in the text; the first anniversary (week 52, 2019-09-02),
    # with a wider sd (5%) for the date's uncertainty.
    {"name": "members, week 52 (2019-09-02): close to 2,000", "output": 1, "z": 2000,
     "sd_obs": 0.05, "sd_md": 0.02},
    # "more than 5,000 by August 2021": read as 5,000-5,500, centre 5,250, sd of a uniform.
    {"name": "members, week 154 (2021-08-16): more than 5,000", "output": 2, "z": 5250,
     "sd_obs": 250 / np.sqrt(3) / 5250, "sd_md": 0.02},
]
INF = float("inf")
# Criteria on the model's mean (docs/validation.md; growth: the 10% of each figure).
CRITERIA = [
    {"name": "growth week 9 within 10% of 1,000", "output": 0, "lo": np.log(900), "hi": np.log(1100)},
    {"name": "growth week 52 within 10% of 2,000", "output": 1, "lo": np.log(1800), "hi": np.log(2200)},
    {"name": "growth week 154 within 10% of 5,000", "output": 2, "lo": np.log(4500), "hi": np.log(5500)},
    {"name": "F1 (a) share who ever posted <= 0.25", "output": 3, "lo": -INF, "hi": 0.25},
    {"name": "F1 (b) top 1% share >= 0.50", "output": 4, "lo": 0.50, "hi": INF},
    {"name": "F2 (a) core share in [0.08, 0.17]", "output": 5, "lo": 0.08, "hi": 0.17},
    {"name": "F2 (b) active share in [0.13, 0.22]", "output": 6, "lo": 0.13, "hi": 0.22},
    {"name": "F3 (a) newcomer return in [0.28, 0.56]", "output": 7, "lo": 0.28, "hi": 0.56},
    {"name": "F3 (b) reply effect >= 0.05", "output": 8, "lo": 0.05, "hi": INF},
    {"name": "F4 (a) largest/median size >= 10", "output": 9, "lo": np.log(10), "hi": INF},
    {"name": "F4 (b) CV of contributions >= 2", "output": 10, "lo": 2.0, "hi": INF},
    {"name": "F5 (a) maturing within 52 weeks <= 0.50", "output": 11, "lo": -INF, "hi": 0.50},
    {"name": "F5 (b) still in start-up >= 0.25", "output": 12, "lo": 0.25, "hi": INF},
    {"name": "F10 (a) supply/demand in [0.10, 0.30]", "output": 13, "lo": 0.10, "hi": 0.30},
]
CUTOFF = 3.0


def replicate_seed(master, r):
    """cdpsim's one seed rule (sim/splitmix.hpp), so any run here is `cdpsim run --seed S`."""
    M, G = (1 << 64) - 1, 0x9E3779B97F4A7C15

    def mix(x):
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M
        return x ^ (x >> 31)

    def sm(x):
        return mix((x + G) & M)

    return sm(sm(master) ^ r) >> 12


def set_text(key, v):
    return f"{key}={int(round(v))}" if key in INTEGER else f"{key}={v:.4g}"


def to_values(u):
    """Unit-cube points to parameter values, rounded as they will be written (4 significant
    digits; integers) so that the --set lists of the outputs reproduce the runs exactly."""
    u = np.atleast_2d(u)
    out = np.empty_like(u)
    for j, (k, lo, hi) in enumerate(SPACE):
        v = lo + u[:, j] * (hi - lo)
        out[:, j] = np.round(v) if k in INTEGER else [float(f"{x:.4g}") for x in v]
    return out


def to_unit(v):
    lo = np.array([s[1] for s in SPACE], float)
    hi = np.array([s[2] for s in SPACE], float)
    return (np.atleast_2d(v) - lo) / (hi - lo)


def run_outputs(cdpsim, scenario, seed):
    """The outputs of one run (OUTPUTS), measured as `cdpsim facts` measures them
    (experiments/facts/facts.cpp), and its weekly registered members."""
    sim = cdpsim.Simulation(scenario, seed=seed, threads=1)
    sim.run()
    ds = sim.series()
    mt = ds.members_total.values.astype(float)
    contrib = np.asarray(sim.members(view=True)["contributions"], float)
    c = sim.cdps(view=True)
    posted = float((contrib > 0).mean()) if len(contrib) else 0.0
    cs = np.sort(contrib)[::-1]
    k = max(1, (len(cs) + 99) // 100)
    top1 = cs[:k].sum() / cs.sum() if cs.sum() > 0 else 0.0
    t = ds.memberships_by_tier.values[-1].astype(float)
    core, act = (t[2] / t.sum(), t[1] / t.sum()) if t.sum() > 0 else (0.0, 0.0)
    fp, rep = ds.newcomer_first_posts.values.sum(), ds.newcomer_replies.values.sum()
    ret, rr = ds.newcomer_returns.values.sum(), ds.newcomer_returns_replied.values.sum()
    f3a = ret / fp if fp > 0 else 0.0
    f3b = (rr / rep if rep > 0 else 0.0) - ((ret - rr) / (fp - rep) if fp > rep else 0.0)
    phase, members = np.asarray(c["phase"]), np.asarray(c["members"], float)
    sizes = np.sort(members[(phase != 5) & (members > 0)])
    f4a = sizes[-1] / np.median(sizes) if len(sizes) else 1.0
    p = contrib[contrib > 0]
    f4b = p.std() / p.mean() if len(p) >= 2 else 0.0
    horizon = len(mt) - 1
    birth = np.asarray(c["birth_week"])
    entered = np.asarray(c["phase_entered"])[:, 2:4].astype(float)
    entered[entered < 0] = np.inf
    maturing = entered.min(axis=1)
    born = np.maximum(0, birth)
    eligible = (birth <= 104) & (born + 52 <= horizon)
    f5a = float(np.mean((maturing[eligible] - born[eligible]) <= 52)) if eligible.any() else 0.0
    byphase = ds.cdps_by_phase.values[-1]
    alive = float(ds.cdps_alive.values[-1])
    f5b = (byphase[0] + byphase[1]) / alive if alive > 0 else 0.0
    dem, giv = ds.support_hours_demanded.values, ds.support_hours_given.values
    f10a = float(np.mean(giv[dem > 0] / dem[dem > 0])) if (dem > 0).any() else 0.0
    y = [np.log(max(mt[9], 1)), np.log(max(mt[52], 1)), np.log(max(mt[154], 1)), posted, top1,
         core, act, f3a, f3b, np.log(max(f4a, 1e-9)), f4b, f5a, f5b, f10a]
    return np.array(y, float), mt.astype(np.int32)


class Runner:
    """Every (point, replicate) of a design through the engine on `threads` Python threads (the
    engine releases the GIL); each run's result depends only on its seed, never on the threads."""

    def __init__(self, cdpsim, scenario_path, master_seed, threads):
        self.cdpsim, self.path, self.master, self.threads = cdpsim, scenario_path, master_seed, threads
        self.base = cdpsim.Scenario.load(scenario_path)

    def point(self, values, replicates):
        sets = [set_text(k, v) for (k, _, _), v in zip(SPACE, values)]
        s = self.base.with_set(sets)
        seeds = [replicate_seed(self.master, r) for r in range(replicates)]
        with ThreadPoolExecutor(self.threads) as ex:
            res = list(ex.map(lambda sd: run_outputs(self.cdpsim, s, sd), seeds))
        return np.array([r[0] for r in res]), np.array([r[1] for r in res])


class Progress:
    def __init__(self, label, total, done):
        self.label, self.total, self.done, self.t0, self.last = label, total, done, time.time(), 0.0
        self.start_done = done

    def add(self, n, force=False):
        self.done += n
        now = time.time()
        if force or now - self.last > 2 or self.done == self.total:
            self.last = now
            el = now - self.t0
            rate = (self.done - self.start_done) / el if el > 0 else 0
            eta = (self.total - self.done) / rate if rate > 0 else 0
            print(f"calibrate: {self.label}: runs {self.done}/{self.total} "
                  f"({100 * self.done / max(1, self.total):.0f}%), {el:.0f} s, ETA {eta:.0f} s",
                  file=sys.stderr, flush=True)


def simulate_design(runner, design_values, replicates, partial_path, label, stop_after):
    """Runs a wave's design, saving each finished point atomically in `partial_path`: a
    stopped or killed wave continues from its last saved point."""
    n = len(design_values)
    Y = np.full((n, replicates, len(OUTPUTS)), np.nan)
    traj = None
    done = 0
    if os.path.exists(partial_path):
        z = np.load(partial_path)
        if z["design"].shape == design_values.shape and np.array_equal(z["design"], design_values):
            done = int(z["done"])
            Y[:done] = z["Y"][:done]
            traj = z["traj"]
    prog = Progress(label, n * replicates, done * replicates)
    last_save = time.time()
    for i in range(done, n):
        y, tr = runner.point(design_values[i], replicates)
        if traj is None:
            traj = np.zeros((n, replicates, tr.shape[1]), np.int32)
        Y[i], traj[i] = y, tr
        done = i + 1
        prog.add(replicates)
        if time.time() - last_save > 5 or done == n or (stop_after and done >= stop_after):
            hm.atomic_write_npz(partial_path, design=design_values, Y=Y, traj=traj, done=done)
            last_save = time.time()
        if stop_after and done >= stop_after and done < n:
            raise KeyboardInterrupt
    return Y, traj


def fit_wave(U, Y, seed, saved=None):
    """Emulators of each output's replicate mean and of its log replicate variance."""
    R = Y.shape[1]
    mean, var = Y.mean(axis=1), np.maximum(Y.var(axis=1, ddof=1), 1e-12)
    ems = []
    for j in range(len(OUTPUTS)):
        if saved:
            em_m = hm.Emulator.from_dict(saved[j]["mean"], U, mean[:, j], var[:, j] / R)
            em_v = hm.Emulator.from_dict(saved[j]["logvar"], U, np.log(var[:, j]),
                                         np.full(len(U), 2.0 / (R - 1)))
        else:
            em_m = hm.Emulator(seed + j).fit(U, mean[:, j], var[:, j] / R)
            em_v = hm.Emulator(seed + 100 + j).fit(U, np.log(var[:, j]), np.full(len(U), 2.0 / (R - 1)))
        ems.append((em_m, em_v))
    return ems


def implausibilities(means, var_em, var_rep):
    """All measures' implausibility: one column per observation, then per criterion."""
    cols = []
    for o in OBSERVATIONS:
        j = o["output"]
        cols.append(hm.implausibility_obs(means[:, j], var_em[:, j], np.log(o["z"]),
                                          o["sd_obs"] ** 2, o["sd_md"] ** 2, var_rep[:, j]))
    for c in CRITERIA:
        j = c["output"]
        cols.append(hm.implausibility_interval(means[:, j], var_em[:, j] + var_rep[:, j] / FACT_REPLICATES,
                                               c["lo"], c["hi"]))
    return np.column_stack(cols)


def emulated_imax(ems, U):
    pred = [m.predict(U) for m, _ in ems]
    means = np.column_stack([p[0] for p in pred])
    var_em = np.column_stack([p[1] for p in pred])
    var_rep = np.column_stack([np.exp(v.predict(U)[0]) for _, v in ems])
    return implausibilities(means, var_em, var_rep).max(axis=1)


def nroy_sample(waves_ems, n_candidates, previous, seed):
    """Points of the unit cube not ruled out by any wave so far: uniform candidates plus
    perturbations of the previous non-implausible sample (the region shrinks fast)."""
    rng = np.random.default_rng(seed)
    d = len(SPACE)
    cand = [hm.lhs(n_candidates, d, seed)]
    if previous is not None and len(previous) > 1:
        sd = np.std(previous, axis=0) * 0.3 + 1e-3
        base = previous[rng.integers(len(previous), size=n_candidates)]
        cand.append(np.clip(base + rng.normal(size=base.shape) * sd, 0, 1))
    U = np.vstack(cand)
    uniform = np.arange(len(U)) < n_candidates
    for ems in waves_ems:
        keep = emulated_imax(ems, U) <= CUTOFF
        U, uniform = U[keep], uniform[keep]
        if len(U) == 0:
            break
    nroy_sample.uniform_share = float(uniform.sum()) / n_candidates
    return U


def config_of(a):
    return {"scenario": a.scenario, "waves": a.waves, "points": a.points, "replicates": a.replicates,
            "confirm_points": a.confirm_points, "seed": a.seed, "master_seed": a.master_seed,
            "candidates": a.candidates, "space": SPACE,
            "observations": [{k: (float(v) if isinstance(v, (float, np.floating)) else v)
                              for k, v in o.items()} for o in OBSERVATIONS],
            "criteria": [{k: (float(v) if isinstance(v, (float, np.floating)) else v)
                          for k, v in c.items()} for c in CRITERIA]}


def load_cdpsim(build):
    try:
        import cdpsim
        return cdpsim
    except ImportError:
        p = Path(build) / "python"
        if not (p / "cdpsim").is_dir():
            print(f"calibrate: error: cannot import cdpsim: set PYTHONPATH=BUILD/python or --build "
                  f"(no {p}/cdpsim); build it first (docs/python.md)", file=sys.stderr)
            sys.exit(2)
        sys.path.insert(0, str(p))
        import cdpsim
        return cdpsim


def parse(argv):
    ap = argparse.ArgumentParser(prog="calibrate.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "passerelles.toml"))
    ap.add_argument("--out", default=str(ROOT / "scenarios" / "calibration"),
                    help="output folder (state in OUT/state)")
    ap.add_argument("--figures", default=str(ROOT / "docs" / "img" / "calibration"),
                    help="folder of the figures ('' for none)")
    ap.add_argument("--build", default=os.environ.get("CDPSIM_BUILD_DIR", str(ROOT / "build")),
                    help="build folder whose python/ holds the module, if not on PYTHONPATH")
    ap.add_argument("--binary", default=None, help="cdpsim executable for the facts check "
                    "(default BUILD/app/cdpsim)")
    ap.add_argument("--waves", type=int, default=4, help="emulator waves (then one confirmation)")
    ap.add_argument("--points", type=int, default=250, help="design points per wave")
    ap.add_argument("--replicates", type=int, default=8, help="replicates per design point")
    ap.add_argument("--confirm-points", type=int, default=200, help="points of the confirmation wave")
    ap.add_argument("--candidates", type=int, default=40000, help="candidates per NROY sampling")
    ap.add_argument("--threads", type=int, default=2, help="worker threads (results do not depend on it)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the designs and fits")
    ap.add_argument("--master-seed", type=int, default=20180903, help="master seed of the replicates")
    ap.add_argument("--facts-sample", type=int, default=6,
                    help="accepted points checked with `cdpsim facts` (0: no check)")
    ap.add_argument("--facts-seeds", default="20180903,7,3",
                    help="master seeds of the facts check of the representative point")
    ap.add_argument("--force", action="store_true", help="discard the state and start over")
    ap.add_argument("--stop-after", type=int, default=0, help=argparse.SUPPRESS)  # tests
    a = ap.parse_args(argv)
    for name, lo in [("waves", 1), ("points", 4), ("replicates", 2), ("confirm_points", 1),
                     ("candidates", 100), ("threads", 1), ("facts_sample", 0)]:
        if getattr(a, name) < lo:
            ap.error(f"--{name.replace('_', '-')} must be at least {lo} (got {getattr(a, name)})")
    if a.seed < 0 or a.master_seed < 0:
        ap.error("--seed and --master-seed must be non-negative")
    if not os.path.isfile(a.scenario):
        ap.error(f"--scenario {a.scenario}: no such file")
    try:
        a.facts_seeds = [int(x) for x in a.facts_seeds.split(",") if x.strip()]
    except ValueError:
        ap.error(f"--facts-seeds must be integers separated by commas (got {a.facts_seeds!r})")
    out = Path(a.out)
    if out.exists() and not out.is_dir():
        ap.error(f"--out {a.out} is not a folder")
    return a


def main(argv=None):
    a = parse(argv)
    cdpsim = load_cdpsim(a.build)
    state = Path(a.out) / "state"
    cfg_path = state / "config.json"
    cfg = config_of(a)
    if a.force and state.exists():
        for f in state.iterdir():
            f.unlink()
    if cfg_path.exists():
        old = json.loads(cfg_path.read_text())
        if old != json.loads(json.dumps(cfg)):
            diff = sorted(k for k in cfg if json.dumps(old.get(k)) != json.dumps(cfg[k]))
            print(f"calibrate: error: {state} holds a calibration with other settings ({', '.join(diff)});"
                  " rerun with the same arguments to continue it, or --force to start over",
                  file=sys.stderr)
            return 2
    else:
        hm.atomic_write_json(str(cfg_path), cfg)
    try:
        runner = Runner(cdpsim, a.scenario, a.master_seed, a.threads)
    except cdpsim.InputError as e:
        print(f"calibrate: error: {e}", file=sys.stderr)
        return 2
    t0 = time.time()
    waves_ems, waves = [], []
    previous = None
    stop_after = a.stop_after
    try:
        for k in range(1, a.waves + 2):
            confirm = k == a.waves + 1
            label = f"confirmation (wave {k})" if confirm else f"wave {k}/{a.waves}"
            npz, meta_path = state / f"wave-{k}.npz", state / f"wave-{k}.json"
            if meta_path.exists():  # finished: reload, refit from the saved hyperparameters
                meta = json.loads(meta_path.read_text())
                z = np.load(npz)
                U, Y, traj = z["U"], z["Y"], z["traj"]
                print(f"calibrate: {label}: finished earlier ({len(U)} points), reloaded", file=sys.stderr)
                ems = None if confirm else waves_ems_from(meta, U, Y)
                meta = {**meta, "reloaded": True}
            else:
                partial = state / f"wave-{k}.partial.npz"
                if partial.exists():
                    U = to_unit(np.load(partial)["design"])
                else:
                    n = a.confirm_points if confirm else a.points
                    if k == 1:
                        U = hm.lhs(n, len(SPACE), a.seed)
                    else:
                        cand = nroy_sample(waves_ems, a.candidates, previous, a.seed + k)
                        if len(cand) == 0:
                            print(f"calibrate: {label}: no non-implausible point left: every "
                                  "candidate is ruled out (the targets and facts cannot be met "
                                  "together in this space)", file=sys.stderr)
                            return 1
                        U = cand[hm.maximin_subset(cand, n, a.seed + k)]
                    U = to_unit(to_values(U))
                values = to_values(U)
                Y, traj = simulate_design(runner, values, a.replicates, str(partial), label, stop_after)
                meta = {"wave": k, "confirm": confirm, "points": len(U)}
                if not confirm:
                    # Out-of-sample check of the previous wave's emulators on this wave's runs.
                    if waves_ems:
                        meta["previous_wave_prediction"] = out_of_sample(waves_ems[-1], U, Y)
                    ems = fit_wave(U, Y, a.seed * 1000 + k)
                    meta["emulators"] = [{"mean": m.to_dict(), "logvar": v.to_dict()} for m, v in ems]
                    meta["loo"] = loo_report(ems)
                hm.atomic_write_npz(str(npz), U=U, Y=Y, traj=traj)
                hm.atomic_write_json(str(meta_path), meta)
                partial.unlink(missing_ok=True)
                stop_after = 0
            if not confirm:
                waves_ems.append(ems)
                cache = state / f"nroy-{k}.npz"
                if cache.exists():
                    z = np.load(cache)
                    sample, share = z["sample"], float(z["share"])
                elif meta_path.exists() and (state / f"wave-{k + 1}.json").exists() and k < a.waves:
                    sample, share = previous, None  # a later wave is finished: not needed again
                else:
                    sample = nroy_sample(waves_ems, a.candidates, previous, a.seed + 500 + k)
                    share = nroy_sample.uniform_share
                    hm.atomic_write_npz(str(cache), sample=sample, share=share)
                previous = sample if sample is not None and len(sample) > 1 else previous
                if share is not None:
                    print(f"calibrate: {label}: {100 * share:.3g}% of the space not ruled out yet "
                          f"({len(sample)} candidates kept)", file=sys.stderr)
            waves.append({"meta": meta, "U": U, "Y": Y, "traj": traj,
                          "nroy_share": None if confirm else share,
                          "nroy": None if confirm else sample})
    except KeyboardInterrupt:
        print("calibrate: interrupted; the state is kept, rerun the same command to continue",
              file=sys.stderr)
        return 130
    a.waves_seconds = time.time() - t0
    a.resumed = any(w["meta"].get("reloaded") for w in waves)
    print(f"calibrate: waves done in {a.waves_seconds:.0f} s", file=sys.stderr)
    import calibrate_report
    return calibrate_report.write_outputs(a, waves, waves_ems, previous, sys.modules[__name__])


def waves_ems_from(meta, U, Y):
    return fit_wave(U, Y, 0, saved=meta["emulators"])


def loo_report(ems):
    rep = []
    for name, (m, v) in zip(OUTPUTS, ems):
        z, rmse = m.loo()
        sd_y = float(np.std(m.y)) or 1.0
        rep.append({"output": name, "loo_rmse": rmse, "loo_r2": 1 - rmse**2 / sd_y**2,
                    "share_abs_z_over_3": float(np.mean(np.abs(z) > 3)),
                    "share_abs_z_over_2": float(np.mean(np.abs(z) > 2))})
    return rep


def out_of_sample(ems, U, Y):
    R = Y.shape[1]
    rep = []
    for j, (name, (m, _)) in enumerate(zip(OUTPUTS, ems)):
        mu, var = m.predict(U)
        y = Y[:, :, j].mean(axis=1)
        z = (y - mu) / np.sqrt(var + Y[:, :, j].var(axis=1, ddof=1) / R)
        rep.append({"output": name, "share_abs_z_over_3": float(np.mean(np.abs(z) > 3)),
                    "rmse": float(np.sqrt(np.mean((y - mu) ** 2)))})
    return rep


if __name__ == "__main__":
    sys.exit(main())
