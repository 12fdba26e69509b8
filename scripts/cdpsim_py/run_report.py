"""Report of a single run (output_kind = "run", `cdpsim run`): headline numbers and a few plain
sentences on what happened."""

from __future__ import annotations

import numpy as np

from . import scenario as scen_mod
from . import style
from .html_parts import date_text, esc, fmt, pct, table_html
from .loader import dates_of
from .report_parts import figures_section, interrupted_html, scenario_section


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


def report_body(ds, bar):
    name = ds.attrs.get("scenario_name", "run")
    title = f"cdpsim report: {name}"
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    question = scen.get("simulation", {}).get("question", "")
    body = [f"<h1>{esc(name)}</h1>",
            f'<p class="sub">A single simulated run{": " + esc(question) if question else ""}'
            "</p>"]
    body += interrupted_html(ds)
    body += scenario_section(ds)
    body += ["<section>", "<h2>What happened</h2>", '<ul class="story">']
    body += [f"<li>{esc(s)}</li>" for s in run_story(ds)]
    body += ["</ul>", "<h3>Headline numbers</h3>", table_html(run_headlines(ds)), "</section>"]
    body += figures_section(ds, bar)
    seed = ds.attrs.get("seed", "?")
    body += ["<section>", "<h2>Reproducing this run</h2>",
             f"<p>The file stores the resolved scenario (attribute <code>scenario_toml</code>). "
             f"Save it as <code>scenario.toml</code> and run <code>cdpsim run scenario.toml "
             f"--seed {esc(seed)}</code> to get the same numbers.</p>", "</section>"]
    return title, body
