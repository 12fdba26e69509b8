"""Report of an ensemble (output_kind = "ensemble" or "ensemble_shard", `cdpsim ensemble`)."""

from __future__ import annotations

import numpy as np

from . import i18n
from . import scenario as scen_mod
from .ensemble_figures import finished, groups, metric_names, status_note
from .html_parts import esc, fmt, fmt_sig, table_html
from .metrics import metric_label
from .report_parts import figures_section, scenario_section

# --- report ---------------------------------------------------------------------------------------

def design_sentences(ds) -> list[str]:
    t = i18n.t
    pts = int(ds.attrs.get("points", ds.sizes.get("point", 1)))
    reps = int(ds.attrs.get("replicates", ds.sizes.get("replicate", 1)))
    out = [t("ens_design", points=fmt(pts), reps=fmt(reps), runs=fmt(pts * reps),
             seed=ds.attrs.get("master_seed", "?"))]
    sweeps = [s for s in str(ds.attrs.get("sweeps", "")).splitlines() if s.strip()]
    if sweeps:
        kind = (t("ens_lhs", n=fmt(int(ds.attrs.get("samples", 0) or 0)))
                if ds.attrs.get("design_kind") == "lhs" else t("ens_grid"))
        out.append(t("ens_swept", kind=kind, list=i18n.semicolon().join(sweeps)))
    base = [s for s in str(ds.attrs.get("base_overrides", "")).splitlines() if s.strip()]
    if base:
        out.append(t("ens_applied", list=", ".join(base)))
    return out


def headline_rows(ds) -> tuple[list[str], list[list[str]]]:
    """Metric table: median and 90% range over the finished runs, per design point."""
    metrics = metric_names(ds)
    units = [str(u) for u in ds["metric_units"].values] if "metric_units" in ds else []
    gs = groups(ds)
    header = [i18n.t("col_metric")] + [lab for _, lab, _, _ in gs]
    rows = []
    for i, m in enumerate(metrics):
        unit = units[i] if i < len(units) else ""
        label = metric_label(ds, m)
        row = [i18n.t("with_unit", label=label, unit=i18n.term("unit", unit))
               if unit and unit != "1" else label]
        for _, _, _, mask in gs:
            v = ds["metrics"].sel(metric=m).values.astype(float)[mask]
            v = v[np.isfinite(v)]
            if v.size == 0:
                row.append(i18n.t("n_a"))
                continue
            lo, med, hi = np.percentile(v, [5, 50, 95])
            row.append(i18n.t("interval", mean=fmt_sig(med), lo=fmt_sig(lo), hi=fmt_sig(hi)))
        rows.append(row)
    return header, rows


def report_body(ds, bar):
    t = i18n.t
    name = ds.attrs.get("scenario_name", "ensemble")
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    question = scen.get("simulation", {}).get("question", "")
    sub = t("ens_sub_q", question=question) if question else t("ens_sub")
    body = [f"<h1>{esc(t('ens_h1', name=name))}</h1>", f'<p class="sub">{esc(sub)}</p>']
    if status_note(ds):
        done = int(finished(ds).sum())
        total = int(ds.attrs.get("runs_total", ds.sizes["run"]))
        key = ("ens_incomplete_interrupted" if ds.attrs.get("status") == "interrupted"
               else "ens_incomplete")
        body.append(f'<p class="warning">{t(key, done=fmt(done), total=fmt(total))}</p>')
    body += scenario_section(ds, t("ens_base_heading"))
    body += ["<section>", f"<h2>{esc(t('ens_design_heading'))}</h2>"]
    body += [f"<p>{esc(s)}</p>" for s in design_sentences(ds)]
    body.append("</section>")
    if "metrics" in ds:
        header, rows = headline_rows(ds)
        body += ["<section>", f"<h2>{esc(t('headline_heading'))}</h2>",
                 f"<p>{esc(t('ens_headline_intro'))}</p>", table_html(rows, header),
                 "</section>"]
    body += figures_section(ds, bar)
    body += ["<section>", f"<h2>{esc(t('ens_reproduce_heading'))}</h2>",
             f"<p>{t('ens_reproduce')}</p>", "</section>"]
    return t("report_title", title=t("ens_report_title", name=name)), body
