"""Report of a single run (output_kind = "run", `cdpsim run`): headline numbers and a few plain
sentences on what happened."""

from __future__ import annotations

import numpy as np

from . import i18n
from . import scenario as scen_mod
from . import style
from .figure_set import catalogue
from .html_parts import date_text, esc, fmt, pct, table_html
from .loader import dates_of
from .report_parts import figures_html, figures_section, interrupted_html, scenario_section
from .run_figures import INTERVENTION_FIGURES, event_codes, has_interventions, spent


def run_headlines(ds) -> list[tuple[str, str]]:
    """(label, value) pairs of a run's headline numbers, at the last simulated week."""
    t = i18n.t
    last = ds.isel(week=-1)
    dates = dates_of(ds)
    rows = [(t("hd_last_week"), t("iv_week", week=int(ds["week"].values[-1]),
                                  date=date_text(dates[-1])))]
    total = int(last["members_total"])
    active = int(last["members_active"])
    rows.append((t("hd_registered"), fmt(total)))
    rows.append((t("hd_active"), t("hd_active_value", n=fmt(active),
                                   pct=pct(active / total) if total else t("n_a"))))
    peak = int(np.argmax(ds["members_active"].values))
    rows.append((t("hd_peak"), t("hd_peak_value", n=fmt(ds["members_active"].values[peak]),
                                 date=date_text(dates[peak]))))
    if "members_by_tier" in ds:
        tiers = last["members_by_tier"]
        rows.append((t("hd_tiers"), " / ".join(fmt(int(tiers.sel(tier=k)))
                                                for k in ("core", "active", "peripheral"))))
    if "cdps_by_phase" in ds:
        ph = last["cdps_by_phase"]
        created = int(ph.sum())
        dissolved = int(ph.sel(phase="dissolved"))
        rows.append((t("hd_alive"), t("hd_alive_value", alive=fmt(int(last["cdps_alive"])),
                                      created=fmt(created), dissolved=fmt(dissolved))))
        rows.append((t("hd_by_phase"), ", ".join(
            t("hd_phase_count", phase=i18n.phase(p, plural=True), n=fmt(int(ph.sel(phase=p))))
            for p in style.PHASES if p != "dissolved" and p in ph["phase"].values)))
    rows.append((t("hd_knowledge"), t("hd_knowledge_value",
                                      x=fmt(float(last["knowledge_stock"])))))
    rows.append((t("hd_objects"), fmt(int(last["boundary_objects"]))))
    dem = float(ds["support_hours_demanded"].sum())
    giv = float(ds["support_hours_given"].sum())
    rows.append((t("hd_support"), t("hd_support_value", given=fmt(giv), demanded=fmt(dem),
                                    pct=pct(giv / dem) if dem else t("n_a"))))
    if "member_contributions" in ds:
        c = np.sort(np.asarray(ds["member_contributions"].values, dtype=np.int64))[::-1]
        if c.sum():
            share = c[: max(1, c.size // 100)].sum() / c.sum()
            rows.append((t("hd_top1"), pct(share)))
    return rows


def run_story(ds) -> list[str]:
    """A few plain sentences on what happened in a run."""
    t = i18n.t
    out = []
    dates = dates_of(ds)
    mt = ds["members_total"].values
    ma = ds["members_active"].values
    out.append(t("story_members", first=fmt(mt[0]), last=fmt(mt[-1]), date=date_text(dates[-1]),
                 active=fmt(ma[-1])))
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

            fields = dict(date=date_text(dates[i0]), before=pct(share(before)),
                          during=pct(share(during)))
            if "cdp_mutual_aid" in ds:
                out.append(t("story_pandemic_aid", n=fmt(int(ds["cdp_mutual_aid"].sum())),
                             **fields))
            else:
                out.append(t("story_pandemic", **fields))
    if "cdps_by_phase" in ds:
        ph = ds["cdps_by_phase"].isel(week=-1)
        out.append(t("story_cdps", n=fmt(int(ph.sum())), alive=fmt(int(ds["cdps_alive"][-1])),
                     dissolved=fmt(int(ph.sel(phase="dissolved")))))
    dem = float(ds["support_hours_demanded"].sum())
    giv = float(ds["support_hours_given"].sum())
    if dem > 0:
        out.append(t("story_support", given=fmt(giv), pct=pct(giv / dem), demanded=fmt(dem)))
    return out


# --- interventions and spending -------------------------------------------------------------------

EVENT_KINDS = ("intervention_start", "intervention_end", "trigger_on", "trigger_off",
               "budget_exhausted")


def _value_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return i18n.localize(f"{v:g}")
    return str(v)


def _week_text(ds, week: int) -> str:
    dates = dates_of(ds)
    first = int(ds["week"].values[0])
    if first <= week < first + len(dates):
        return i18n.t("iv_week", week=week, date=date_text(dates[week - first]))
    if week >= first + len(dates) and len(dates):
        return i18n.t("iv_week_after", week=week)
    return i18n.t("iv_week", week=week, date=date_text(dates[0] + (week - first) *
                                                      np.timedelta64(7, "D")))


def interventions_rows(ds) -> tuple[list[str], list[list[str]]]:
    """The table of a run's interventions: name, key, set / scale, start, end, triggered and the
    weeks in force (counted from intervention_active)."""
    header = [i18n.t(k) for k in ("iv_col_name", "iv_col_key", "iv_col_change", "iv_col_start",
                                  "iv_col_end", "iv_col_triggered", "iv_col_weeks")]
    if not has_interventions(ds):
        return header, []
    planned = scen_mod.scheduled_interventions(scen_mod.parse(ds.attrs.get("scenario_toml")))
    names = [str(n) for n in ds["intervention"].values]
    by_name = {p["name"]: p for p in planned}
    active = ds["intervention_active"].transpose("week", "intervention").values
    rows = []
    for i, name in enumerate(names):
        plan = planned[i] if i < len(planned) and planned[i]["name"] == name else \
            by_name.get(name, {})
        change = ""
        if plan.get("how") == "set" and isinstance(plan["value"], bool):
            change = i18n.t("iv_set_true" if plan["value"] else "iv_set_false")
        elif plan.get("how") == "set":
            change = i18n.t("iv_set", value=_value_text(plan["value"]))
        elif plan.get("how") == "scale":
            change = i18n.t("iv_scale", value=_value_text(plan["value"]))
        if change and plan.get("ramp_weeks", 0) > 1:
            change += i18n.t("iv_ramp", weeks=plan["ramp_weeks"])
        end = int(ds["intervention_end"].values[i])
        if bool(ds["intervention_triggered"].values[i]):
            trig = i18n.t("iv_triggered_yes", when=plan.get("when", "?"))
            if plan.get("until"):
                trig += i18n.t("iv_until", until=plan["until"])
        else:
            trig = i18n.t("iv_triggered_no")
        rows.append([name, str(ds["intervention_key"].values[i]), change,
                     _week_text(ds, int(ds["intervention_start"].values[i])),
                     i18n.t("iv_no_end") if end < 0 else _week_text(ds, end), trig,
                     str(int(np.sum(active[:, i] > 0)))])
    return header, rows


def intervention_events(ds) -> list[list[str]] | None:
    """[week, date, event, detail] of the events of kinds intervention_*, trigger_* and
    budget_exhausted, in order; None when the file has no events table."""
    if "event_kind" not in ds.variables:
        return None
    codes = event_codes(ds)
    names = {codes[k]: k for k in EVENT_KINDS if k in codes}
    kinds = np.asarray(ds["event_kind"].values)
    weeks = np.asarray(ds["event_week"].values)
    details = np.asarray(ds["event_detail"].values) if "event_detail" in ds else None
    dates = dates_of(ds)
    first = int(ds["week"].values[0])
    rows = []
    for j in np.flatnonzero(np.isin(kinds, list(names))):
        w = int(weeks[j])
        when = date_text(dates[w - first]) if 0 <= w - first < len(dates) else ""
        rows.append([str(w), when, i18n.term("event", names[int(kinds[j])]),
                     str(details[j]) if details is not None else ""])
    return rows


def interventions_section(ds, bar) -> list[str]:
    """"Interventions and spending": the interventions, what they spent, their events and the
    figures of spending and of the levers and parameters in force. Only for a run with
    interventions or spending."""
    if not (has_interventions(ds) or spent(ds)):
        return []
    parts = ["<section>", f"<h2>{esc(i18n.t('iv_heading'))}</h2>"]
    n = ds.sizes.get("intervention", 0) if has_interventions(ds) else 0
    if n:
        parts.append(f"<p>{esc(i18n.t('iv_count_one' if n == 1 else 'iv_count', n=n))}</p>")
    if spent(ds):
        money = float(ds["spending_money"].values[-1]) if "spending_money" in ds else 0.0
        hours = float(ds["spending_hours"].values[-1]) if "spending_hours" in ds else 0.0
        parts.append(f"<p>{esc(i18n.t('iv_spent', money=fmt(money), hours=fmt(hours, 1)))}</p>")
    elif n:
        parts.append(f"<p>{esc(i18n.t('iv_nothing_spent'))}</p>")
    header, rows = interventions_rows(ds)
    if rows:
        parts += ['<div id="interventions">', table_html(rows, header), "</div>",
                  f'<p class="sub">{esc(i18n.t("iv_table_note"))}</p>']
    events = intervention_events(ds)
    parts.append(f"<h3>{esc(i18n.t('iv_events_heading'))}</h3>")
    if events is None:
        parts.append(f"<p>{esc(i18n.t('iv_no_events_table'))}</p>")
    elif not events:
        parts.append(f"<p>{esc(i18n.t('iv_no_events'))}</p>")
    else:
        head = [i18n.t(k) for k in ("iv_col_week", "iv_col_date", "iv_col_event",
                                    "iv_col_detail")]
        parts += ['<div id="intervention-events">', table_html(events, head), "</div>"]
    parts += figures_html(ds, bar, [(s, r) for s, r in catalogue(ds)
                                    if s.name in INTERVENTION_FIGURES])
    parts.append("</section>")
    return parts


def report_body(ds, bar):
    t = i18n.t
    name = ds.attrs.get("scenario_name", "run")
    title = t("report_title", title=name)
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    question = scen.get("simulation", {}).get("question", "")
    sub = t("run_sub_q", question=question) if question else t("run_sub")
    body = [f"<h1>{esc(name)}</h1>", f'<p class="sub">{esc(sub)}</p>']
    body += interrupted_html(ds)
    body += scenario_section(ds)
    body += ["<section>", f"<h2>{esc(t('run_what_happened'))}</h2>", '<ul class="story">']
    body += [f"<li>{esc(s)}</li>" for s in run_story(ds)]
    body += ["</ul>", f"<h3>{esc(t('headline_heading'))}</h3>", table_html(run_headlines(ds)),
             "</section>"]
    body += interventions_section(ds, bar)
    body += figures_section(ds, bar, exclude=INTERVENTION_FIGURES)
    seed = ds.attrs.get("seed", "?")
    body += ["<section>", f"<h2>{esc(t('run_reproduce_heading'))}</h2>",
             f"<p>{t('run_reproduce', seed=esc(seed))}</p>", "</section>"]
    return title, body
