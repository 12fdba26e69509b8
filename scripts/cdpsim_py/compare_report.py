"""Verdicts and report of a comparison (output_kind = "comparison", `cdpsim compare`).

A verdict reads each scenario's difference from the baseline with the phrases, direction and
display scale the file states for the metric (metrics.py).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from . import i18n
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
    return i18n.num(x, d)


def horizon_phrase(ds, when: str) -> str:
    h = int(ds.attrs.get("horizon_weeks", 0) or 0)
    if when == "over":
        return i18n.t("over_weeks", h=h) if h else i18n.t("over_run")
    if not h:
        return i18n.t("at_last_week")
    start = _start_date(ds)
    if start:
        return i18n.t("at_week_date", week=h - 1,
                      date=scen_mod.nice_date(start + dt.timedelta(days=7 * (h - 1))))
    return i18n.t("at_week", week=h - 1)


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
    name, bname = i18n.quote(scenario), i18n.quote(base)
    if not np.isfinite(d):
        return (i18n.t("v_not_estimated", label=label, at=at, name=name, base=bname), "unclear")
    if d == 0 and lo == 0 and hi == 0:
        return (i18n.t("v_identical", label=label, at=at, name=name, base=bname), "unclear")
    k = _decimals(d, lo, hi)
    if np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0):
        phrase = (more if d > 0 else fewer).format(x=_num(abs(d), k) + word)
        a, b = sorted((abs(lo), abs(hi)))
        cls = "neutral" if good == 0 else ("better" if (d > 0) == (good > 0) else "worse")
        return (i18n.t("v_clear", name=name, phrase=phrase, at=at, base=bname, lo=_num(a, k),
                       hi=_num(b, k)), cls)
    shown = f"{d:,.{k}f}"
    if float(shown.replace(",", "")) == 0:
        shown = "0"
    else:
        shown = ("+" if d > 0 else "") + _num(d, k)
    diff = shown + (word or (" " + unit if unit else ""))
    return (i18n.t("v_unclear", label=label, at=at, name=name, base=bname, diff=diff,
                   lo=_num(lo, k), hi=_num(hi, k)), "unclear")


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
    parts = ["<section>", f"<h2>{i18n.t('scenarios_heading')}</h2>"]
    if parsed:
        parts.append(f"<h3>{esc(i18n.t('baseline_heading', base=base))}</h3>")
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
                    # The parameter meanings of the resolved TOML are English: French reports
                    # name the lever instead when the key is one.
                    meaning = (desc.get((sec.split(".")[0], leaf)) if i18n.current() == "en"
                               else (i18n.lever(leaf) if sec == "levers" else None))
                    item = i18n.t("diff_item", key=esc(key), value=esc(_value_text(b)),
                                  base=esc(_value_text(a)))
                    if meaning:
                        item += f"{i18n.colon()}{esc(meaning)}"
                    items.append(f"<li>{item}</li>")
                parts += [f"<p>{i18n.t('differs_in')}</p>", "<ul>", *items, "</ul>"]
            else:
                parts.append(f"<p>{i18n.t('same_params')}</p>")
    else:
        parts.append(f"<p>{i18n.t('no_scenarios')}</p>")
    parts.append("</section>")
    return parts


def summary_table(ds):
    header = [i18n.t(k) for k in ("col_metric", "col_scenario", "col_mean", "col_diff", "col_p")]
    rows = []
    base = baseline(ds)
    u = units(ds)
    for m in metrics(ds):
        unit = unit_text(u.get(m, ""))
        for s in scenarios(ds):
            g = {v: float(ds[v].sel(scenario=s, metric=m)) for v in
                 ("mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high")}
            p = float(ds["p_value"].sel(scenario=s, metric=m)) if "p_value" in ds else np.nan
            sig = fmt_sig  # in the current language
            mean = i18n.t("interval", mean=sig(g["mean"]), lo=sig(g["ci_low"]),
                          hi=sig(g["ci_high"]))
            if s == base:
                diff, ptxt = i18n.t("baseline_word"), ""
            else:
                diff = i18n.t("interval", mean=sig(g["diff"]), lo=sig(g["diff_ci_low"]),
                              hi=sig(g["diff_ci_high"]))
                ptxt = (i18n.t("n_a") if not np.isfinite(p)
                        else i18n.localize("<0.001" if p < 0.001 else f"{p:.3f}"))
            label = metric_label(ds, m)
            label = i18n.t("with_unit", label=label, unit=unit) if unit else label
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
        sep = i18n.t("list_and")
        for cls in ("better", "worse"):
            if by[cls]:
                key = f"s_{cls}_next" if parts else f"s_{cls}"
                parts.append(i18n.t(key, list=sep.join(by[cls])))
        if by["neutral"]:
            parts.append(i18n.t("s_neutral", list=sep.join(by["neutral"])))
        k = len(by["unclear"])
        if k == n:
            parts.append(i18n.t("s_unclear_all", n=n))
        elif k:
            parts.append(i18n.t("s_unclear_rest", k=k, n=n))
        text = i18n.t("s_sentence", name=i18n.quote(s), parts=i18n.semicolon().join(parts))
        out.append(text)
    return out


def hypotheses_section(ds) -> list[str]:
    """The hypotheses stated with --hypothesis, each with its one-sided test, if any."""
    if "hypothesis" not in ds.dims or "hypothesis_supported" not in ds:
        return []
    alpha = ds.attrs.get("alpha", 0.05)
    parts = ["<section>", f"<h2>{i18n.t('hyp_heading')}</h2>",
             f"<p>{i18n.t('hyp_intro', alpha=esc(i18n.localize(str(alpha))))}</p>", "<ul>"]
    for i, text in enumerate(ds["hypothesis"].values):
        ok = bool(ds["hypothesis_supported"].values[i])
        p = float(ds["hypothesis_p_value"].values[i]) if "hypothesis_p_value" in ds else np.nan
        d = (float(ds["hypothesis_mean_difference"].values[i])
             if "hypothesis_mean_difference" in ds else np.nan)
        ptxt = i18n.localize("p < 0.001" if p < 0.001 else f"p = {p:.3f}")
        cls = "better" if ok else "unclear"
        item = i18n.t("hyp_item", text=esc(i18n.quote(text)),
                      verdict=i18n.t("hyp_supported" if ok else "hyp_not_supported"), p=ptxt,
                      d=i18n.localize(f"{d:+.3g}"))
        parts.append(f'<li class="verdict {cls}">{item}</li>')
    parts += ["</ul>", "</section>"]
    return parts


def report_body(ds, bar):
    sc = scenarios(ds)
    base = baseline(ds)
    others = [s for s in sc if s != base]
    reps = ds.sizes.get("replicate", 0)
    title = i18n.t("cmp_title", others=", ".join(others), base=base)
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="sub">' + esc(i18n.t("cmp_sub", n=len(sc), reps=reps,
                                           weeks=ds.attrs.get("horizon_weeks", "?"))) + "</p>"]
    vals = ds["value"].values
    if not np.all(np.isfinite(vals)):
        body.append(f'<p class="warning">{i18n.t("cmp_incomplete")}</p>')
    body += ["<section>", f"<h2>{i18n.t('verdicts_heading')}</h2>",
             f"<p>{esc(i18n.t('verdicts_intro'))}</p>"]
    body.append(f"<h3>{i18n.t('in_short')}</h3>")
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
    body += ["<section>", f"<h2>{i18n.t('numbers_heading')}</h2>",
             f"<p>{esc(i18n.t('numbers_intro'))}</p>", table_html(rows, header), "</section>"]
    level = i18n.localize(str(ds.attrs.get("confidence_level", 0.95)))
    body += ["<section>", f"<h2>{i18n.t('method_heading')}</h2>",
             f"<p>{esc(i18n.t('method', seed=ds.attrs.get('master_seed', '?'), level=level))}</p>",
             "</section>"]
    return i18n.t("report_title", title=title), body
