"""Verdicts and report of a comparison (output_kind = "comparison", `cdpsim compare`).

A verdict reads each scenario's difference from the baseline with the phrases, direction and
display scale the file states for the metric (metrics.py).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from . import scenario as scen_mod
from .compare_figures import baseline, metrics, scenarios, unit_text, units
from .html_parts import esc, fmt_sig, table_html
from .metrics import metric_label, metric_table
from .report_parts import figures_section

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
    info = metric_table(ds)[metric]
    more, fewer, label, good = info.more, info.fewer, info.label, info.direction
    when, scale, word = info.when, info.scale, info.unit_word
    unit = unit_text(info.unit)
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
            label = metric_label(ds, m) + (f" ({unit})" if unit else "")
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
        by = {c: [metric_label(ds, m) for m, sc, _, cls in v if sc == s and cls == c]
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
        label = metric_label(ds, m)
        body.append(f"<h3>{esc(label[:1].upper() + label[1:])}</h3>")
        for mm, s, text, cls in verdicts(ds):
            if mm == m:
                body.append(f'<p class="verdict {cls}">{esc(text)}</p>')
    body.append("</section>")
    body += hypotheses_section(ds)
    body += scenario_section(ds)
    body += figures_section(ds, bar)
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
