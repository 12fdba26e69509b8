"""Sections every report shares: the figures, the scenario, the interruption warning."""

from __future__ import annotations

from . import i18n
from . import scenario as scen_mod
from .figure_set import build, catalogue
from .html_parts import esc, figure_html
from .loader import status_of
from .progress import Progress


def figures_section(ds, bar: Progress, exclude=()) -> list[str]:
    """The "Figures" section: every figure of the catalogue but those named in ``exclude``
    (shown in a section of their own), with a note for each one not shown."""
    parts = ["<section>", f"<h2>{i18n.t('figures_heading')}</h2>"]
    parts += figures_html(ds, bar, [(s, r) for s, r in catalogue(ds) if s.name not in exclude])
    parts.append("</section>")
    return parts


def figures_html(ds, bar: Progress, specs) -> list[str]:
    """Each figure of ``specs`` ([(spec, skip reason or None)]) drawn and embedded, or a note."""
    parts = []
    for spec, reason in specs:
        if reason is not None:
            note = i18n.t("not_shown", title=spec.title, reason=reason)
            parts.append(f'<p class="sub">{esc(note)}</p>')
            continue
        bar.show(f"drawing {spec.name}")
        fig = build(spec, ds)
        parts.append(figure_html(spec, fig))
        bar.step(f"{spec.name} done")
    return parts


def scenario_section(ds, heading=None) -> list[str]:
    heading = heading or i18n.t("scenario_heading")
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
    return [f'<p class="warning">{i18n.t("interrupted", done=done, planned=planned)}</p>']
