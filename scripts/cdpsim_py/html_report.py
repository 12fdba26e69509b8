"""One self-contained HTML file that tells the story of a run, an ensemble or a comparison.

Figures are embedded as base64 PNG images, the style sheet is inline, and nothing refers to the
network, so the file can be mailed and opened anywhere.

    cdpsim_py.report("out/passerelles.h5", "out/passerelles-report.html")
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import numpy as np

from . import scenario as scen_mod
from . import style
from .errors import InputError
from .figure_set import catalogue
from .loader import dates_of, kind_of, load, source_of, status_of
from .progress import Progress

CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
       background: #fafafa; margin: 0; line-height: 1.5; }
main { max-width: 980px; margin: 0 auto; padding: 1.5em 2em 3em; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: 0.1em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; padding-bottom: 0.15em;
     margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
p.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f0f4f8; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.92em; }
.warning { border-left: 5px solid #B2182B; background: #fbeaea; padding: 0.6em 1em; }
.verdict { margin: 0.4em 0; }
.verdict.better { border-left: 4px solid #009E73; padding-left: 0.6em; }
.verdict.worse { border-left: 4px solid #D55E00; padding-left: 0.6em; }
.verdict.neutral { border-left: 4px solid #0072B2; padding-left: 0.6em; }
.verdict.unclear { border-left: 4px solid #999999; padding-left: 0.6em; }
ul.story li { margin: 0.3em 0; }
code { background: #f3f3f3; padding: 0 0.2em; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; }
"""


def esc(x) -> str:
    return html.escape(str(x), quote=True)


def fmt(x, digits: int = 0) -> str:
    return scen_mod.number(x, digits)


def fmt_sig(x, sig: int = 3) -> str:
    """``x`` with ``sig`` significant digits (no exponent; thousands separators)."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not np.isfinite(x):
        return "n/a"
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 10 ** (sig - 1):
        return f"{x:,.0f}"
    digits = max(0, sig - 1 - int(np.floor(np.log10(a))))
    return f"{x:,.{digits}f}"


def pct(x) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{100 * x:.0f}%"


def date_text(d) -> str:
    d = np.datetime64(d, "D").astype(object)
    return scen_mod.nice_date(d)


def figure_html(spec, fig) -> str:
    data = base64.b64encode(style.figure_bytes(fig, "png", dpi=110)).decode("ascii")
    return (f'<figure id="fig-{esc(spec.name)}">\n<h3>{esc(spec.title)}</h3>\n'
            f'<img alt="{esc(spec.title)}" src="data:image/png;base64,{data}">\n'
            f"<figcaption>{esc(spec.caption)}</figcaption>\n</figure>")


def table_html(rows, header=None) -> str:
    out = ["<table>"]
    if header:
        out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            cls = ' class="num"' if i > 0 and _numeric(c) else ""
            cells.append(f"<td{cls}>{esc(c)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _numeric(c) -> bool:
    s = str(c).replace(",", "").replace("%", "").replace(" h", "").strip()
    try:
        float(s.split()[0])
        return True
    except (ValueError, IndexError):
        return False


# --- a run ----------------------------------------------------------------------------------------

def run_headlines(ds) -> list[tuple[str, str]]:
    """(label, value) pairs of a run's headline numbers, at the last simulated week."""
    last = ds.isel(week=-1)
    dates = dates_of(ds)
    rows = [("Last simulated week", f"week {int(ds['week'].values[-1])} "
             f"({date_text(dates[-1])})")]
    total = int(last["members_total"])
    active = int(last["members_active"])
    rows.append(("Registered members", fmt(total)))
    rows.append(("Active members in the last week",
                 f"{fmt(active)} ({pct(active / total) if total else 'n/a'})"))
    peak = int(np.argmax(ds["members_active"].values))
    rows.append(("Most active members in one week",
                 f"{fmt(ds['members_active'].values[peak])} ({date_text(dates[peak])})"))
    if "members_by_tier" in ds:
        t = last["members_by_tier"]
        rows.append(("Members by tier (core / active / peripheral)",
                     " / ".join(fmt(int(t.sel(tier=k))) for k in ("core", "active",
                                                                   "peripheral"))))
    if "cdps_by_phase" in ds:
        ph = last["cdps_by_phase"]
        created = int(ph.sum())
        dissolved = int(ph.sel(phase="dissolved"))
        rows.append(("CdPs alive at the end", f"{fmt(int(last['cdps_alive']))} of {fmt(created)} "
                     f"that existed ({fmt(dissolved)} dissolved)"))
        rows.append(("CdPs alive by phase", ", ".join(
            f"{p} {fmt(int(ph.sel(phase=p)))}" for p in style.PHASES if p != "dissolved"
            and p in ph["phase"].values)))
    rows.append(("Knowledge stock", f"{fmt(float(last['knowledge_stock']))} repertoire units"))
    rows.append(("Boundary objects created", fmt(int(last["boundary_objects"]))))
    dem = float(ds["support_hours_demanded"].sum())
    giv = float(ds["support_hours_given"].sum())
    rows.append(("Support hours given / demanded over the run",
                 f"{fmt(giv)} h / {fmt(dem)} h ({pct(giv / dem) if dem else 'n/a'} covered)"))
    if "member_contributions" in ds:
        c = np.sort(np.asarray(ds["member_contributions"].values, dtype=np.int64))[::-1]
        if c.sum():
            share = c[: max(1, c.size // 100)].sum() / c.sum()
            rows.append(("Posts written by the most active 1% of members", pct(share)))
    return rows


def run_story(ds) -> list[str]:
    """A few plain sentences on what happened in a run."""
    out = []
    dates = dates_of(ds)
    mt = ds["members_total"].values
    ma = ds["members_active"].values
    out.append(f"Registered members went from {fmt(mt[0])} in the first week to {fmt(mt[-1])} "
               f"by {date_text(dates[-1])}; {fmt(ma[-1])} of them took part in a CdP in the "
               "last week.")
    if "pandemic" in ds:
        on = np.flatnonzero(ds["pandemic"].values > 0)
        if on.size:
            i0, i1 = int(on[0]), int(on[-1])
            inp = ds["interactions_inperson"].values.astype(float)
            onl = ds["interactions_online"].values.astype(float)
            before = slice(max(0, i0 - 26), i0)
            during = slice(i0, i1 + 1)

            def share(sl):
                tot = inp[sl].sum() + onl[sl].sum()
                return inp[sl].sum() / tot if tot else float("nan")

            text = (f"The pandemic began on {date_text(dates[i0])}: the share of participations "
                    f"held in person went from {pct(share(before))} in the six months before to "
                    f"{pct(share(during))} during it")
            if "cdp_mutual_aid" in ds:
                text += (f", and {fmt(int(ds['cdp_mutual_aid'].sum()))} mutual-aid CdPs were "
                         "created")
            out.append(text + ".")
    if "cdps_by_phase" in ds:
        ph = ds["cdps_by_phase"].isel(week=-1)
        out.append(f"Of the {fmt(int(ph.sum()))} CdPs that existed, {fmt(int(ds['cdps_alive'][-1]))} "
                   f"were alive at the end and {fmt(int(ph.sel(phase='dissolved')))} had "
                   "dissolved.")
    dem = float(ds["support_hours_demanded"].sum())
    giv = float(ds["support_hours_given"].sum())
    if dem > 0:
        out.append(f"The support team gave {fmt(giv)} hours, {pct(giv / dem)} of the "
                   f"{fmt(dem)} hours CdPs asked for.")
    return out


# --- the document ---------------------------------------------------------------------------------

def _figures_section(ds, bar: Progress) -> list[str]:
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


def _scenario_section(ds, heading="The scenario") -> list[str]:
    toml = ds.attrs.get("scenario_toml") or ds.attrs.get("base_toml")
    scen = scen_mod.parse(toml)
    parts = ["<section>", f"<h2>{esc(heading)}</h2>"]
    parts += [f"<p>{esc(p)}</p>" for p in scen_mod.describe(scen, toml)]
    parts.append("</section>")
    return parts


def report_html(ds, *, show_progress: bool = False) -> str:
    """The HTML text of the report of a loaded output file (any kind)."""
    kind = kind_of(ds)
    specs = [s for s, r in catalogue(ds) if r is None]
    bar = Progress("cdpsim report", len(specs), "figures", enabled=show_progress)
    try:
        if kind == "run":
            title, body = _run_body(ds, bar)
        elif kind == "ensemble":
            from .ensemble_figures import report_body
            title, body = report_body(ds, bar)
        elif kind == "sensitivity":
            from .sensitivity_figures import report_body
            title, body = report_body(ds, bar)
        else:
            from .compare_figures import report_body
            title, body = report_body(ds, bar)
    finally:
        bar.done()
    version = ds.attrs.get("cdpsim_version", "?")
    today = dt.date.today().isoformat()
    footer = (f'<footer>Written on {esc(today)} by <code>cdpsim report</code> from '
              f"<code>{esc(Path(source_of(ds)).name)}</code> (cdpsim {esc(version)}, output kind "
              f"“{esc(ds.attrs.get('output_kind', '?'))}”). The numbers are simulated: they "
              "describe the model's scenario, not observed data.</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n" + footer + "\n</main>\n</body>\n</html>\n")


def interrupted_html(ds) -> list[str]:
    interrupted, done, planned = status_of(ds)
    if not interrupted:
        return []
    return [f'<p class="warning"><strong>Interrupted run.</strong> The simulation stopped at '
            f"week {done} of {planned}: every number and figure below covers the weeks "
            "simulated so far only.</p>"]


def _run_body(ds, bar):
    name = ds.attrs.get("scenario_name", "run")
    title = f"cdpsim report: {name}"
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    question = scen.get("simulation", {}).get("question", "")
    body = [f"<h1>{esc(name)}</h1>",
            f'<p class="sub">A single simulated run{": " + esc(question) if question else ""}'
            "</p>"]
    body += interrupted_html(ds)
    body += _scenario_section(ds)
    body += ["<section>", "<h2>What happened</h2>", '<ul class="story">']
    body += [f"<li>{esc(s)}</li>" for s in run_story(ds)]
    body += ["</ul>", "<h3>Headline numbers</h3>", table_html(run_headlines(ds)), "</section>"]
    body += _figures_section(ds, bar)
    seed = ds.attrs.get("seed", "?")
    body += ["<section>", "<h2>Reproducing this run</h2>",
             f"<p>The file stores the resolved scenario (attribute <code>scenario_toml</code>). "
             f"Save it as <code>scenario.toml</code> and run <code>cdpsim run scenario.toml "
             f"--seed {esc(seed)}</code> to get the same numbers.</p>", "</section>"]
    return title, body


def report(path, output=None, *, force: bool = False, show_progress: bool = False) -> Path:
    """The report of ``path`` (a file or a loaded Dataset) written to ``output``; see write_report."""
    return write_report(path, output, force=force, show_progress=show_progress)


def default_report_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}-report.html")


def write_report(path, output=None, *, force: bool = False, show_progress: bool = True) -> Path:
    """Writes the HTML report of the output file ``path``; returns the report's path.

    The input is checked before anything is written; an existing report is replaced only with
    ``force``; the folder must exist and be writable (InputError otherwise). ``path`` may also
    be a Dataset returned by ``load`` (``output`` is then required).
    """
    ds = path if hasattr(path, "data_vars") else load(path)
    if output is None and ds is path:
        raise InputError("write_report(dataset) needs an output path")
    catalogue(ds)  # InputError for a missing variable, before any work
    out = Path(output) if output is not None else default_report_path(Path(path))
    if not out.parent.is_dir():
        raise InputError(f"{out}: folder {out.parent} does not exist")
    style.check_targets([out], force)
    style.check_writable(out.parent)
    text = report_html(ds, show_progress=show_progress)
    style.atomic_write_bytes(out, text.encode("utf-8"))
    return out
