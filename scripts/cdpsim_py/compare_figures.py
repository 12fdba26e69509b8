"""Figures, verdicts and report of a comparison (output_kind = "comparison", `cdpsim compare`).

The file holds, per scenario and metric, the mean with its 95% interval and the paired
difference from the baseline (the first scenario) with its interval; and every run's value.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from . import scenario as scen_mod
from . import style
from .errors import InputError
from .loader import require, source_of
from .run_figures import FigureSpec

NEEDS = ("value", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high")

# How a difference in each metric reads: (more, fewer, label, higher is better: 1/-1/0,
# "at" the last week or "over" the run, scale, unit word). {x} is the size of the difference.
METRICS = {
    "cdps_alive": ("keeps {x} more CdPs alive", "keeps {x} fewer CdPs alive", "CdPs alive",
                   1, "at", 1, ""),
    "cdps_autonomous": ("has {x} more autonomous CdPs (still active 26 weeks after their "
                        "support ended)", "has {x} fewer autonomous CdPs (still active 26 "
                        "weeks after their support ended)", "autonomous CdPs", 1, "at", 1, ""),
    "members_active": ("has {x} more active members", "has {x} fewer active members",
                       "active members", 1, "at", 1, ""),
    "knowledge_stock": ("builds {x} more units of shared knowledge (repertoire)",
                        "builds {x} fewer units of shared knowledge (repertoire)",
                        "knowledge stock", 1, "at", 1, ""),
    "boundary_objects": ("creates {x} more boundary objects between CdPs",
                         "creates {x} fewer boundary objects between CdPs",
                         "boundary objects", 1, "over", 1, ""),
    "support_hours_per_surviving_cdp": ("spends {x} more support hours per surviving CdP",
                                        "spends {x} fewer support hours per surviving CdP",
                                        "support hours per surviving CdP", 0, "over", 1, ""),
    "members_total": ("has {x} more registered members", "has {x} fewer registered members",
                      "registered members", 1, "at", 1, ""),
    "contributions_total": ("gets {x} more contributions (posts)",
                            "gets {x} fewer contributions (posts)", "contributions", 1, "over",
                            1, ""),
    "support_hours_given": ("gives {x} more support hours", "gives {x} fewer support hours",
                            "support hours given", 0, "over", 1, ""),
    "engagement_mean": ("raises mean engagement by {x}", "lowers mean engagement by {x}",
                        "mean engagement", 1, "at", 1, ""),
    "sharing_rate": ("raises the share of contributions shared across organisations by {x}",
                     "lowers the share of contributions shared across organisations by {x}",
                     "sharing rate", 1, "over", 100, " percentage points"),
    "interactions_inperson": ("gets {x} more in-person participations",
                              "gets {x} fewer in-person participations",
                              "in-person participations", 0, "over", 1, ""),
    "interactions_online": ("gets {x} more online participations",
                            "gets {x} fewer online participations", "online participations", 0,
                            "over", 1, ""),
    "cdps_created": ("creates {x} more CdPs", "creates {x} fewer CdPs", "CdPs created", 0,
                     "over", 1, ""),
}


def metric_label(m: str) -> str:
    return METRICS[m][2] if m in METRICS else m.replace("_", " ")


def scenarios(ds) -> list[str]:
    return [str(s) for s in ds["scenario"].values]


def metrics(ds) -> list[str]:
    return [str(m) for m in ds["metric"].values]


def units(ds) -> dict[str, str]:
    if "metric_units" not in ds:
        return {m: "" for m in metrics(ds)}
    return {m: str(u) for m, u in zip(metrics(ds), ds["metric_units"].values)}


def baseline(ds) -> str:
    return str(ds.attrs.get("baseline", scenarios(ds)[0]))


def colours(ds) -> dict[str, str]:
    return style.scenario_colours(scenarios(ds))


def unit_text(u: str) -> str:
    return "" if u in ("", "1") else u


# --- figures --------------------------------------------------------------------------------------

def _grid(n: int):
    ncols = 1 if n == 1 else 2 if n in (2, 4) else 3
    return int(math.ceil(n / ncols)), ncols


def fig_forest(ds):
    """One panel per metric: each scenario's difference from the baseline with its 95% CI."""
    ms = metrics(ds)
    sc = scenarios(ds)
    base = baseline(ds)
    others = [s for s in sc if s != base]
    cols = colours(ds)
    u = units(ds)
    nrows, ncols = _grid(len(ms))
    fig, axes = style.new_figure(nrows, ncols, width=4.0 * ncols + 1.2,
                                 height=0.45 * len(others) * nrows + 1.7 * nrows + 0.6,
                                 squeeze=False)
    axes = axes.ravel()
    y = np.arange(len(others))[::-1]
    for i, m in enumerate(ms):
        ax = axes[i]
        d = ds["diff"].sel(metric=m)
        lo = ds["diff_ci_low"].sel(metric=m)
        hi = ds["diff_ci_high"].sel(metric=m)
        for yy, s in zip(y, others):
            dv, lv, hv = (float(v.sel(scenario=s)) for v in (d, lo, hi))
            if not np.isfinite(dv):
                continue
            err = [[max(dv - lv, 0)], [max(hv - dv, 0)]] if np.isfinite(lv) else None
            ax.errorbar([dv], [yy], xerr=err, fmt="o", color=cols[s], ms=6, capsize=4,
                        lw=1.8, label=s)
        ax.axvline(0, color="#444444", lw=1, ls="--", zorder=0)
        ax.set_yticks(y)
        ax.set_yticklabels(others)
        ax.set_ylim(-0.7, len(others) - 0.3)
        ax.set_title(metric_label(m), loc="left")
        unit = unit_text(u.get(m, ""))
        ax.set_xlabel(f"difference from {base}" + (f" ({unit})" if unit else ""))
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        # Symmetric room around zero so the baseline line is always visible.
        lim = np.nanmax(np.abs([*ax.get_xlim()]))
        ax.set_xlim(-lim, lim)
    for ax in axes[len(ms):]:
        ax.remove()
    reps = ds.sizes.get("replicate", 0)
    fig.suptitle(f"Difference from the baseline ({base}) with 95% confidence intervals\n"
                 f"{reps} paired replicates per scenario (common random numbers); dashed line: "
                 "no difference", fontsize=11)
    return fig


def fig_values(ds):
    """One panel per metric: every replicate's value per scenario, with the mean and its CI."""
    ms = metrics(ds)
    sc = scenarios(ds)
    cols = colours(ds)
    u = units(ds)
    nrows, ncols = _grid(len(ms))
    fig, axes = style.new_figure(nrows, ncols, width=4.0 * ncols + 1.2,
                                 height=(0.45 * len(sc) + 1.7) * nrows + 0.6, squeeze=False)
    axes = axes.ravel()
    rng = np.random.default_rng(0)
    y = np.arange(len(sc))[::-1]
    for i, m in enumerate(ms):
        ax = axes[i]
        for yy, s in zip(y, sc):
            vals = ds["value"].sel(scenario=s, metric=m).values.astype(float)
            vals = vals[np.isfinite(vals)]
            jitter = rng.uniform(-0.15, 0.15, vals.size)
            ax.plot(vals, yy + jitter, "o", color=cols[s], alpha=0.45, ms=4, mew=0)
            mean = float(ds["mean"].sel(scenario=s, metric=m))
            lo = float(ds["ci_low"].sel(scenario=s, metric=m))
            hi = float(ds["ci_high"].sel(scenario=s, metric=m))
            if np.isfinite(mean):
                err = [[max(mean - lo, 0)], [max(hi - mean, 0)]] if np.isfinite(lo) else None
                ax.errorbar([mean], [yy], xerr=err, fmt="D", color="black", ms=5, capsize=4,
                            lw=1.5)
        ax.set_yticks(y)
        ax.set_yticklabels(sc)
        ax.set_title(metric_label(m), loc="left")
        unit = unit_text(u.get(m, ""))
        ax.set_xlabel(metric_label(m) + (f" ({unit})" if unit else ""))
        ax.grid(False, axis="y")
    for ax in axes[len(ms):]:
        ax.remove()
    fig.suptitle("Every replicate's value (dots) and the mean with its 95% confidence interval "
                 "(black)", fontsize=11)
    return fig


def catalogue(ds):
    require(ds, ("scenario", "metric", *NEEDS), "a comparison's figures")
    if ds.sizes.get("scenario", 0) < 2:
        raise InputError(f"{source_of(ds)}: a comparison needs at least two scenarios")
    return [
        (FigureSpec("forest", "Differences from the baseline",
                    "Forest plot: for each metric, how far each scenario is from the baseline "
                    "(dot) and the 95% confidence interval of that difference (bar). A bar that "
                    "crosses the dashed line is not distinguishable from no difference.",
                    fig_forest, NEEDS), None),
        (FigureSpec("values", "Values by scenario",
                    "Each dot is one replicate; the black diamond and bar are the scenario's "
                    "mean and its 95% confidence interval.", fig_values, NEEDS), None),
    ]


# --- verdicts -------------------------------------------------------------------------------------

def _decimals(*xs) -> int:
    m = max((abs(x) for x in xs if np.isfinite(x)), default=0.0)
    if m == 0:
        return 0
    return int(min(3, max(0, 1 - math.floor(math.log10(m)))))


def _num(x: float, d: int) -> str:
    return f"{x:,.{d}f}"


def horizon_phrase(ds, when: str) -> str:
    h = int(ds.attrs.get("horizon_weeks", 0) or 0)
    if when == "over":
        return f"over the {h} weeks" if h else "over the run"
    if not h:
        return "at the last week"
    text = f"at week {h - 1}"
    start = _start_date(ds)
    if start:
        text += f" ({scen_mod.nice_date(start + dt.timedelta(days=7 * (h - 1)))})"
    return text


def _start_date(ds):
    if "scenario_toml" not in ds:
        return None
    scen = scen_mod.parse(str(ds["scenario_toml"].values[0]))
    return scen_mod.as_date(scen.get("simulation", {}).get("start_date"))


def verdict(ds, scenario: str, metric: str) -> tuple[str, str]:
    """(sentence, 'better' | 'worse' | 'unclear' | 'neutral') for one scenario and metric."""
    base = baseline(ds)
    more, fewer, label, good, when, scale, word = METRICS.get(
        metric, (f"raises {metric.replace('_', ' ')} by {{x}}",
                 f"lowers {metric.replace('_', ' ')} by {{x}}", metric.replace("_", " "), 0,
                 "at", 1, ""))
    unit = unit_text(units(ds).get(metric, ""))
    if metric not in METRICS and unit:
        word = f" {unit}"
    d, lo, hi = (float(ds[v].sel(scenario=scenario, metric=metric)) * scale
                 for v in ("diff", "diff_ci_low", "diff_ci_high"))
    at = horizon_phrase(ds, when)
    name, bname = f"“{scenario}”", f"“{base}”"
    if not np.isfinite(d):
        return (f"For {label} {at}, the difference between {name} and the baseline {bname} "
                "could not be estimated (too few finished runs).", "unclear")
    if d == 0 and lo == 0 and hi == 0:
        return (f"{name} has exactly the same {label} as the baseline {bname} {at}, in every "
                "replicate.", "unclear")
    k = _decimals(d, lo, hi)
    if np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0):
        phrase = (more if d > 0 else fewer).format(x=_num(abs(d), k) + word)
        a, b = sorted((abs(lo), abs(hi)))
        cls = "neutral" if good == 0 else ("better" if (d > 0) == (good > 0) else "worse")
        return (f"{name} {phrase} {at} than the baseline {bname} "
                f"(95% CI {_num(a, k)} to {_num(b, k)}).", cls)
    shown = _num(d, k)
    if float(shown.replace(",", "")) == 0:
        shown = "0"
    elif d > 0:
        shown = "+" + shown
    return (f"For {label} {at}, {name} is not distinguishable from the baseline {bname}: the "
            f"difference is {shown}{word or (' ' + unit if unit else '')} (95% CI "
            f"{_num(lo, k)} to {_num(hi, k)}), an interval that includes zero.", "unclear")


def verdicts(ds) -> list[tuple[str, str, str, str]]:
    """[(metric, scenario, sentence, class)] for every metric and non-baseline scenario."""
    base = baseline(ds)
    out = []
    for m in metrics(ds):
        for s in scenarios(ds):
            if s != base:
                text, cls = verdict(ds, s, m)
                out.append((m, s, text, cls))
    return out


# --- report ---------------------------------------------------------------------------------------

def _flatten(d, prefix="") -> dict:
    out = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_flatten(v, f"{prefix}{k}."))
    elif isinstance(d, list) and d and all(isinstance(x, dict) for x in d):
        for i, v in enumerate(d):
            out.update(_flatten(v, f"{prefix}{i}."))
    else:
        out[prefix[:-1]] = d
    return out


def differences(base: dict, other: dict) -> list[tuple[str, object, object]]:
    """(key, baseline value, other value) of every parameter that differs (names excluded)."""
    fb, fo = _flatten(base), _flatten(other)
    skip = {"simulation.name", "simulation.question"}
    keys = [k for k in fo if k not in skip] + [k for k in fb if k not in fo and k not in skip]
    out = []
    for k in keys:
        a, b = fb.get(k, "(absent)"), fo.get(k, "(absent)")
        if a != b:
            out.append((k, a, b))
    return out


def _value_text(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def scenario_section(ds) -> list[str]:
    from .html_report import esc
    sc = scenarios(ds)
    base = baseline(ds)
    tomls = [str(t) for t in ds["scenario_toml"].values] if "scenario_toml" in ds else []
    parsed = [scen_mod.parse(t) for t in tomls]
    parts = ["<section>", "<h2>The scenarios</h2>"]
    if parsed:
        parts.append(f"<h3>The baseline: {esc(base)}</h3>")
        parts += [f"<p>{esc(p)}</p>" for p in scen_mod.describe(parsed[0], tomls[0])]
        for s, scen, text in zip(sc[1:], parsed[1:], tomls[1:]):
            q = scen.get("simulation", {}).get("question", "")
            parts.append(f"<h3>{esc(s)}</h3>")
            if q:
                parts.append(f"<p>{esc(q if q.rstrip()[-1:] in '.?!' else q + '.')}</p>")
            diffs = differences(parsed[0], scen)
            if diffs:
                desc = scen_mod.descriptions(text)
                items = []
                for key, a, b in diffs:
                    sec, _, leaf = key.rpartition(".")
                    meaning = desc.get((sec.split(".")[0], leaf))
                    item = (f"<code>{esc(key)}</code> = {esc(_value_text(b))} (baseline: "
                            f"{esc(_value_text(a))})")
                    if meaning:
                        item += f": {esc(meaning)}"
                    items.append(f"<li>{item}</li>")
                parts += ["<p>It differs from the baseline in:</p>", "<ul>", *items, "</ul>"]
            else:
                parts.append("<p>Its parameters are those of the baseline.</p>")
    else:
        parts.append("<p>The file does not store the scenarios.</p>")
    parts.append("</section>")
    return parts


def summary_table(ds):
    from .html_report import fmt_sig
    header = ["metric (unit)", "scenario", "mean (95% CI)", "difference from baseline (95% CI)",
              "p"]
    rows = []
    base = baseline(ds)
    u = units(ds)
    for m in metrics(ds):
        unit = unit_text(u.get(m, ""))
        for s in scenarios(ds):
            g = {v: float(ds[v].sel(scenario=s, metric=m)) for v in
                 ("mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high")}
            p = float(ds["p_value"].sel(scenario=s, metric=m)) if "p_value" in ds else np.nan
            mean = f"{fmt_sig(g['mean'])} ({fmt_sig(g['ci_low'])} to {fmt_sig(g['ci_high'])})"
            if s == base:
                diff, ptxt = "baseline", ""
            else:
                diff = (f"{fmt_sig(g['diff'])} ({fmt_sig(g['diff_ci_low'])} to "
                        f"{fmt_sig(g['diff_ci_high'])})")
                ptxt = "n/a" if not np.isfinite(p) else ("<0.001" if p < 0.001 else f"{p:.3f}")
            label = metric_label(m) + (f" ({unit})" if unit else "")
            rows.append([label, s, mean, diff, ptxt])
    return header, rows


def in_short(ds) -> list[str]:
    """One sentence per scenario: on which metrics it is better, worse, different or unclear."""
    out = []
    v = verdicts(ds)
    n = len(metrics(ds))
    for s in scenarios(ds):
        if s == baseline(ds):
            continue
        by = {c: [metric_label(m) for m, sc, _, cls in v if sc == s and cls == c]
              for c in ("better", "worse", "neutral", "unclear")}
        parts = []
        for cls, verb in (("better", "does better"), ("worse", "does worse")):
            if by[cls]:
                ref = "" if parts else " than the baseline"
                parts.append(f"{verb}{ref} on " + ", ".join(by[cls]))
        if by["neutral"]:
            parts.append("differs (neither better nor worse in itself) on "
                         + ", ".join(by["neutral"]))
        k = len(by["unclear"])
        if k == n:
            parts.append(f"cannot be told apart from the baseline on any of the {n} metrics")
        elif k:
            parts.append(f"cannot be told apart from it on the other {k} of {n} metrics")
        text = f"“{s}” " + "; ".join(parts) + "."
        out.append(text)
    return out


def hypotheses_section(ds) -> list[str]:
    """The hypotheses stated with --hypothesis, each with its one-sided test, if any."""
    from .html_report import esc
    if "hypothesis" not in ds.dims or "hypothesis_supported" not in ds:
        return []
    alpha = ds.attrs.get("alpha", 0.05)
    parts = ["<section>", "<h2>Hypotheses</h2>",
             f"<p>Each stated hypothesis is tested one-sided with a paired t-test; it counts as "
             f"supported when p &lt; {esc(alpha)} and the mean difference goes the stated "
             "way.</p>", "<ul>"]
    for i, text in enumerate(ds["hypothesis"].values):
        ok = bool(ds["hypothesis_supported"].values[i])
        p = float(ds["hypothesis_p_value"].values[i]) if "hypothesis_p_value" in ds else np.nan
        d = (float(ds["hypothesis_mean_difference"].values[i])
             if "hypothesis_mean_difference" in ds else np.nan)
        ptxt = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        cls = "better" if ok else "unclear"
        parts.append(f'<li class="verdict {cls}">“{esc(text)}”: '
                     f"{'supported' if ok else 'not supported'} ({ptxt}, mean difference "
                     f"{d:+.3g}).</li>")
    parts += ["</ul>", "</section>"]
    return parts


def report_body(ds, bar):
    from .html_report import _figures_section, esc, table_html
    sc = scenarios(ds)
    base = baseline(ds)
    others = [s for s in sc if s != base]
    reps = ds.sizes.get("replicate", 0)
    title = f"Comparison: {', '.join(others)} against {base}"
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="sub">{len(sc)} scenarios, {reps} replicates each, '
            f"{esc(ds.attrs.get('horizon_weeks', '?'))} weeks; the same random seeds in every "
            "scenario (common random numbers), so the differences come from the scenarios, not "
            "from chance draws.</p>"]
    vals = ds["value"].values
    if not np.all(np.isfinite(vals)):
        body.append('<p class="warning"><strong>Incomplete comparison.</strong> Some runs did '
                    "not finish; the statistics use the finished runs only.</p>")
    body += ["<section>", "<h2>Verdicts</h2>",
             "<p>For each outcome, what each scenario changes compared with the baseline, with "
             "the 95% confidence interval of the difference. When that interval includes zero, "
             "the simulations cannot tell the scenario from the baseline on that outcome.</p>"]
    body.append("<h3>In short</h3>")
    body += [f"<p>{esc(t)}</p>" for t in in_short(ds)]
    for m in metrics(ds):
        label = metric_label(m)
        body.append(f"<h3>{esc(label[:1].upper() + label[1:])}</h3>")
        for mm, s, text, cls in verdicts(ds):
            if mm == m:
                body.append(f'<p class="verdict {cls}">{esc(text)}</p>')
    body.append("</section>")
    body += hypotheses_section(ds)
    body += scenario_section(ds)
    body += _figures_section(ds, bar)
    header, rows = summary_table(ds)
    body += ["<section>", "<h2>All the numbers</h2>",
             "<p>Means over replicates with their 95% t intervals; differences are paired "
             "(replicate r of a scenario against replicate r of the baseline, same seed); p is "
             "the two-sided paired t-test p-value.</p>", table_html(rows, header), "</section>"]
    body += ["<section>", "<h2>Method</h2>",
             f"<p>Master seed {esc(ds.attrs.get('master_seed', '?'))}: "
             f"{esc(ds.attrs.get('common_random_numbers', ''))}. Confidence level "
             f"{esc(ds.attrs.get('confidence_level', 0.95))}.</p>", "</section>"]
    return f"cdpsim report: {title}", body
