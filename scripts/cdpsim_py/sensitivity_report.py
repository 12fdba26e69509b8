"""Report of a sensitivity analysis (output_kind = "sensitivity", `cdpsim sensitivity`)."""

from __future__ import annotations

import numpy as np

from .html_parts import esc, table_html
from .report_parts import figures_section
from .sensitivity_figures import measure, measure_label, method, metrics, strata_with_indices

def report_body(ds, bar):
    meas = measure(ds)
    label = "ST" if meas == "ST" else "mu*"
    name = ds.attrs.get("scenario_name", "scenario")
    title = f"Sensitivity analysis: {name}"
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="sub">{esc(method(ds).capitalize())} design, '
            f"{esc(ds.attrs.get('points', '?'))} points x {esc(ds.attrs.get('replicates', '?'))} "
            f"replicates, {esc(ds.attrs.get('horizon_weeks', '?'))} weeks; levers ranked by "
            f"{esc(measure_label(ds))} with the dummy lever as the noise floor.</p>",
            "<section>", "<h2>Ranking</h2>"]
    for m in metrics(ds):
        for s in strata_with_indices(ds):
            sel = dict(stratum=s, metric=m)
            rank = ds["rank"].sel(**sel).values
            rows = []
            for i in np.argsort(np.where(rank > 0, rank, 10**9), kind="stable"):
                if rank[i] <= 0:
                    continue
                v = float(ds[meas].sel(**sel).values[i])
                lo = float(ds[f"{meas}_ci_low"].sel(**sel).values[i])
                hi = float(ds[f"{meas}_ci_high"].sel(**sel).values[i])
                infl = ds["influential"].sel(**sel).values[i]
                rows.append([str(ds["lever"].values[i]), int(rank[i]), f"{v:.3f}",
                             f"[{lo:.3f}, {hi:.3f}]", "yes" if infl == 1 else ""])
            body.append(f"<h3>{esc(m)}, stratum {esc(s)} (noise floor "
                        f"{float(ds['noise_floor'].sel(**sel)):.3f})</h3>")
            body.append(table_html(rows, ["lever", "rank", label, "95% interval", "influential"]))
    body.append("</section>")
    body += figures_section(ds, bar)
    return title, body
