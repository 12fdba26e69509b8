"""Report of an ensemble (output_kind = "ensemble" or "ensemble_shard", `cdpsim ensemble`)."""

from __future__ import annotations

import numpy as np

from . import scenario as scen_mod
from .ensemble_figures import finished, groups, metric_names, status_note
from .html_parts import esc, fmt_sig, table_html
from .metrics import metric_label
from .report_parts import figures_section, scenario_section

# --- report ---------------------------------------------------------------------------------------

def design_sentences(ds) -> list[str]:
    pts = int(ds.attrs.get("points", ds.sizes.get("point", 1)))
    reps = int(ds.attrs.get("replicates", ds.sizes.get("replicate", 1)))
    out = [f"The ensemble has {pts} design point{'s' if pts != 1 else ''} × {reps} replicates = "
           f"{pts * reps} runs, with master seed {ds.attrs.get('master_seed', '?')}; replicate r "
           "uses the same seed at every point (common random numbers), so differences between "
           "points are not luck of the draw."]
    sweeps = [s for s in str(ds.attrs.get("sweeps", "")).splitlines() if s.strip()]
    if sweeps:
        kind = ("a Latin hypercube of " + str(ds.attrs.get("samples")) + " samples"
                if ds.attrs.get("design_kind") == "lhs" else "a full grid")
        out.append(f"Swept ({kind}): " + "; ".join(sweeps) + ".")
    base = [s for s in str(ds.attrs.get("base_overrides", "")).splitlines() if s.strip()]
    if base:
        out.append("Applied to every run: " + ", ".join(base) + ".")
    return out


def headline_rows(ds) -> tuple[list[str], list[list[str]]]:
    """Metric table: median and 90% range over the finished runs, per design point."""
    metrics = metric_names(ds)
    units = [str(u) for u in ds["metric_units"].values] if "metric_units" in ds else []
    gs = groups(ds)
    header = ["metric (unit)"] + [lab for _, lab, _, _ in gs]
    rows = []
    for i, m in enumerate(metrics):
        unit = units[i] if i < len(units) else ""
        label = metric_label(ds, m)
        row = [f"{label} ({unit})" if unit and unit != "1" else label]
        for _, _, _, mask in gs:
            v = ds["metrics"].sel(metric=m).values.astype(float)[mask]
            v = v[np.isfinite(v)]
            if v.size == 0:
                row.append("n/a")
                continue
            lo, med, hi = np.percentile(v, [5, 50, 95])
            row.append(f"{fmt_sig(med)} ({fmt_sig(lo)} to {fmt_sig(hi)})")
        rows.append(row)
    return header, rows


def report_body(ds, bar):
    name = ds.attrs.get("scenario_name", "ensemble")
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    question = scen.get("simulation", {}).get("question", "")
    body = [f"<h1>{esc(name)}: ensemble</h1>",
            f'<p class="sub">An ensemble of simulated runs'
            f'{": " + esc(question) if question else ""}</p>']
    if status_note(ds):
        done = int(finished(ds).sum())
        total = int(ds.attrs.get("runs_total", ds.sizes["run"]))
        body.append(f'<p class="warning"><strong>Incomplete ensemble.</strong> Only {done} of '
                    f"{total} runs finished"
                    f"{' (the ensemble was interrupted)' if ds.attrs.get('status') == 'interrupted' else ''}"
                    ": the figures and numbers below cover the finished runs only.</p>")
    body += scenario_section(ds, "The base scenario")
    body += ["<section>", "<h2>The design</h2>"]
    body += [f"<p>{esc(s)}</p>" for s in design_sentences(ds)]
    body.append("</section>")
    if "metrics" in ds:
        header, rows = headline_rows(ds)
        body += ["<section>", "<h2>Headline numbers</h2>",
                 "<p>Outcome metrics at the last week: median over the runs, and in brackets "
                 "the range of the middle 90% of runs.</p>", table_html(rows, header),
                 "</section>"]
    body += figures_section(ds, bar)
    body += ["<section>", "<h2>Reproducing a run</h2>",
             "<p>Every run can be reproduced alone: <code>cdpsim run SCENARIO --seed "
             "RUN_SEED</code> with each word of its <code>run_set</code> as a "
             "<code>--set</code> (variables <code>run_seed</code> and <code>run_set</code> of "
             "the file).</p>", "</section>"]
    return f"cdpsim report: {name} (ensemble)", body
