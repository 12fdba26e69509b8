"""Report of a sensitivity analysis (output_kind = "sensitivity", `cdpsim sensitivity`)."""

from __future__ import annotations

import numpy as np

from . import i18n
from .html_parts import esc, table_html
from .report_parts import figures_section
from .sensitivity_figures import (measure, measure_label, method, metric_title, metrics,
                                  strata_with_indices)


def _fixed(v: float, digits: int = 3) -> str:
    return i18n.localize(f"{v:.{digits}f}")


def report_body(ds, bar):
    t = i18n.t
    meas = measure(ds)
    label = "ST" if meas == "ST" else "mu*"
    name = ds.attrs.get("scenario_name", "scenario")
    title = t("sens_title", name=name)
    sub = t("sens_sub_sobol" if method(ds) == "sobol" else "sens_sub_morris",
            points=ds.attrs.get("points", "?"), reps=ds.attrs.get("replicates", "?"),
            weeks=ds.attrs.get("horizon_weeks", "?"), measure=measure_label(ds))
    body = [f"<h1>{esc(title)}</h1>", f'<p class="sub">{esc(sub)}</p>',
            "<section>", f"<h2>{esc(t('sens_ranking'))}</h2>"]
    header = [t("sens_col_lever"), t("sens_col_rank"), label, t("sens_col_interval"),
              t("sens_col_influential")]
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
                rows.append([i18n.input_name(str(ds["lever"].values[i])), int(rank[i]), _fixed(v),
                             t("sens_interval", lo=_fixed(lo), hi=_fixed(hi)),
                             t("bool_true") if infl == 1 else ""])
            floor = _fixed(float(ds["noise_floor"].sel(**sel)))
            heading = t("sens_table_heading", metric=metric_title(ds, m),
                        stratum=i18n.stratum(s), floor=floor)
            body.append(f"<h3>{esc(heading)}</h3>")
            body.append(table_html(rows, header))
    body.append("</section>")
    body += figures_section(ds, bar)
    return title, body
