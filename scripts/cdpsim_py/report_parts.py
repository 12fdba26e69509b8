"""Sections every report shares: the figures, the scenario, the interruption warning."""

from __future__ import annotations

from . import scenario as scen_mod
from .figure_set import catalogue
from .html_parts import esc, figure_html
from .loader import status_of
from .progress import Progress


def figures_section(ds, bar: Progress) -> list[str]:
    parts = ["<section>", "<h2>Figures</h2>"]
    for spec, reason in catalogue(ds):
        if reason is not None:
            parts.append(f'<p class="sub">Not shown: {esc(spec.title)} ({esc(reason)}).</p>')
            continue
        bar.show(f"drawing {spec.name}")
        fig = spec.build(ds)
        parts.append(figure_html(spec, fig))
        bar.step(f"{spec.name} done")
    parts.append("</section>")
    return parts


def scenario_section(ds, heading="The scenario") -> list[str]:
    toml = ds.attrs.get("scenario_toml") or ds.attrs.get("base_toml")
    scen = scen_mod.parse(toml)
    parts = ["<section>", f"<h2>{esc(heading)}</h2>"]
    parts += [f"<p>{esc(p)}</p>" for p in scen_mod.describe(scen, toml)]
    parts.append("</section>")
    return parts


def interrupted_html(ds) -> list[str]:
    interrupted, done, planned = status_of(ds)
    if not interrupted:
        return []
    return [f'<p class="warning"><strong>Interrupted run.</strong> The simulation stopped at '
            f"week {done} of {planned}: every number and figure below covers the weeks "
            "simulated so far only.</p>"]
