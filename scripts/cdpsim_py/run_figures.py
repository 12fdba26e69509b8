"""Figures of a single run (output_kind = "run").

Every builder takes the run's Dataset and returns a ``matplotlib.figure.Figure``;
``run_figure_specs()`` lists them with the variables they need and when they apply, titled in the
current language.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from . import i18n
from . import scenario as scen_mod
from . import style
from .loader import dates_of, require, status_of


@dataclass
class FigureSpec:
    name: str                     # file stem: NAME.png, NAME.svg
    title: str                    # heading in the report
    caption: str                  # what to read in it (report)
    build: Callable               # build(ds) -> Figure
    needs: tuple = ()             # variables that must be present
    applies: Callable | None = None   # applies(ds) -> None (yes) or a reason it is skipped
    extra: dict = field(default_factory=dict)


# --- shared decorations ---------------------------------------------------------------------------

def pandemic_label(ds) -> str:
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    labels = [s.get("label") for s in scen.get("shocks", []) or []
              if s.get("kind") == "pandemic" and s.get("label")]
    return i18n.t("pandemic_labelled", label=labels[0]) if labels else i18n.t("pandemic")


def decorate_time(ax, ds, dates, *, interrupted_text: bool = True, shade: bool = True,
                  labels: bool | None = None) -> None:
    """Dates on x, the pandemic shaded, the interventions marked, and the 'interrupted at week N'
    mark when it applies. ``labels`` (default: ``interrupted_text``): the interventions' names
    at their lines and their legend entries (one panel of a figure carries them)."""
    if shade and "pandemic" in ds.variables:
        style.shade_periods(ax, dates, ds["pandemic"].values, label=pandemic_label(ds))
    labels = interrupted_text if labels is None else labels
    mark_interventions(ax, ds, dates, labels=labels)
    style.mark_branch(ax, ds, dates, text=interrupted_text)
    interrupted, done, planned = status_of(ds)
    if interrupted and len(dates):
        style.mark_interrupted(ax, dates[-1] + np.timedelta64(7, "D"), done, planned,
                               text=interrupted_text)
    if len(dates):  # exactly the simulated period: from the first Monday to the last week's end
        ax.set_xlim(dates[0], dates[-1] + np.timedelta64(7, "D"))
    style.date_axis(ax)


# --- interventions on the time axes ---------------------------------------------------------------

WEEK = np.timedelta64(7, "D")


@dataclass
class InterventionMark:
    """What the time axes show of one intervention (dates are datetime64; None: not drawn)."""
    name: str
    colour: str
    start: np.datetime64 | None
    end: np.datetime64 | None
    spans: list            # [(first day, day after the last week)] shaded: the weeks in force
    legend: str
    start_label: str
    end_label: str
    triggered: bool = False
    scheduled: bool = False   # from the scenario (ensembles), not from the run's record


def has_interventions(ds) -> bool:
    """The run file records interventions (the `intervention` axis)."""
    return "intervention_active" in ds.variables and ds.sizes.get("intervention", 0) > 0


def _week_dates(ds, dates):
    """date_of(week): the Monday of a week number, on the calendar of ``dates``."""
    first = int(ds["week"].values[0]) if "week" in ds.coords and ds.sizes.get("week") else 0

    def date_of(w: int):
        return dates[0] + (int(w) - first) * WEEK
    return first, date_of


def _spans(active, dates) -> list:
    on = np.asarray(active, dtype=float) > 0
    edges = np.diff(np.concatenate([[0], on.astype(int), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(dates[a], dates[b - 1] + WEEK) for a, b in zip(starts, stops)]


def intervention_marks(ds, dates=None) -> list[InterventionMark]:
    """The interventions to mark on a figure of ``ds``: from the run's record when the file has
    one (its real weeks in force, triggers included), else the ones the stored scenario
    schedules (an ensemble: start and end lines, and the scheduled span of those not
    triggered). Lines are drawn only inside the simulated period (an end at its last edge is)."""
    dates = dates_of(ds) if dates is None else dates
    if not len(dates):
        return []
    first, date_of = _week_dates(ds, dates)
    last_edge = first + len(dates)          # the week after the last simulated one
    out = []
    if has_interventions(ds):
        names = [str(n) for n in ds["intervention"].values]
        starts = np.asarray(ds["intervention_start"].values, dtype=np.int64)
        ends = np.asarray(ds["intervention_end"].values, dtype=np.int64)
        trig = np.asarray(ds["intervention_triggered"].values).astype(bool)
        active = ds["intervention_active"].transpose("week", "intervention").values
        for i, name in enumerate(names):
            start = int(starts[i])
            end = None if ends[i] < 0 else int(ends[i])
            out.append(_mark(i, name, start, end, bool(trig[i]), _spans(active[:, i], dates),
                             date_of, first, last_edge, scheduled=False))
        return out
    if ds.attrs.get("output_kind") == "run":   # a run records its interventions: it has none
        return []
    for i, iv in enumerate(scen_mod.scheduled_interventions(
            scen_mod.parse(ds.attrs.get("scenario_toml")))):
        start, end = iv["start"], iv["end"]
        spans = []
        if not iv["triggered"] and start < last_edge and (end is None or end > start):
            a = max(start, first)
            b = last_edge if end is None else min(end, last_edge)
            if b > a:
                spans = [(date_of(a), date_of(b))]
        out.append(_mark(i, iv["name"], start, end, iv["triggered"], spans, date_of, first,
                         last_edge, scheduled=True))
    return out


def _mark(i, name, start, end, triggered, spans, date_of, first, last_edge, *, scheduled):
    if scheduled:
        legend = i18n.t("iv_legend_window" if triggered else "iv_legend_scheduled", name=name)
    elif not spans:
        legend = i18n.t("iv_legend_never", name=name)
    else:
        legend = i18n.t("iv_legend_triggered" if triggered else "iv_legend_in_force", name=name)
    window = triggered
    return InterventionMark(
        name=name, colour=style.intervention_colour(i),
        start=date_of(start) if first <= start < last_edge else None,
        end=date_of(end) if end is not None and first < end <= last_edge else None,
        spans=spans, legend=legend,
        start_label=i18n.t("iv_window_start" if window else "iv_start_label", name=name),
        end_label=i18n.t("iv_window_end" if window else "iv_end_label", name=name),
        triggered=triggered, scheduled=scheduled)


def mark_interventions(ax, ds, dates, *, labels: bool = True, spans: bool = True,
                       outline: bool = False, headroom: bool = True) -> list[InterventionMark]:
    """Draws the interventions of ``ds`` on a time axis (nothing without interventions)."""
    marks = intervention_marks(ds, dates)
    if marks:
        style.mark_interventions(ax, marks, (dates[0], dates[-1] + WEEK), labels=labels,
                                 legend=labels, spans=spans, outline=outline,
                                 headroom=headroom)
    return marks


def marker(dates):
    """Dots on the lines of very short runs, where a line alone would not show."""
    return "o" if len(dates) <= 3 else None


def _title(fig, ds, text: str) -> None:
    name = ds.attrs.get("scenario_name", "")
    fig.suptitle(i18n.t("fig_title", text=text, name=name) if name else text, fontsize=12)


# --- the figures ----------------------------------------------------------------------------------

def fig_members(ds):
    dates = dates_of(ds)
    fig, ax = style.new_figure()
    ax.plot(dates, ds["members_total"].values, color=style.SERIES_COLOURS["members_total"],
            lw=2, label=i18n.t("rf_registered"), marker=marker(dates))
    ax.plot(dates, ds["members_active"].values, color=style.SERIES_COLOURS["members_active"],
            lw=1.6, label=i18n.t("rf_active_week"), marker=marker(dates))
    ax.set_ylabel(i18n.t("members_word"))
    ax.set_ylim(bottom=0)
    style.thousands(ax)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=3)
    _title(fig, ds, i18n.t("rf_members_sup"))
    return fig


def fig_cdps_by_phase(ds):
    dates = dates_of(ds)
    by_phase = ds["cdps_by_phase"]
    phases = [str(p) for p in by_phase["phase"].values]
    live = [p for p in phases if p != "dissolved"]
    fig, ax = style.new_figure()
    ys = [by_phase.sel(phase=p).values for p in live]
    ax.stackplot(dates, *ys, labels=[i18n.phase(p, plural=True) for p in live],
                 colors=[style.PHASE_COLOURS.get(p, "#999999") for p in live], alpha=0.9,
                 lw=0)
    if "dissolved" in phases:
        ax.plot(dates, by_phase.sel(phase="dissolved").values, color=style.PHASE_COLOURS["dissolved"],
                ls="--", lw=1.5, label=i18n.t("rf_dissolved"), marker=marker(dates))
    ax.set_ylabel(i18n.t("cdps_word"))
    ax.set_ylim(bottom=0)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=4)
    _title(fig, ds, i18n.t("rf_phase_sup"))
    return fig


def fig_members_by_tier(ds):
    dates = dates_of(ds)
    by_tier = ds["members_by_tier"]
    tiers = [str(t) for t in by_tier["tier"].values]
    fig, (ax, ax2) = style.new_figure(1, 2, width=10.0, height=4.2)
    ys = [by_tier.sel(tier=t).values.astype(float) for t in tiers]
    ax.stackplot(dates, *ys, labels=[i18n.term("tier", t) for t in tiers],
                 colors=[style.TIER_COLOURS.get(t, "#999999") for t in tiers], lw=0)
    ax.set_ylabel(i18n.t("members_word"))
    ax.set_ylim(bottom=0)
    ax.set_title(i18n.t("rf_tier_stacked"))
    style.thousands(ax)
    decorate_time(ax, ds, dates)
    total = np.sum(ys, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        for t, y in zip(tiers, ys):
            share = np.where(total > 0, 100.0 * y / np.where(total > 0, total, 1), np.nan)
            ax2.plot(dates, share, color=style.TIER_COLOURS.get(t, "#999999"), lw=1.8,
                     label=i18n.term("tier", t))
    ax2.set_ylabel(i18n.t("rf_tier_share_axis"))
    ax2.set_ylim(0, 100)
    ax2.set_title(i18n.t("rf_tier_share"))
    decorate_time(ax2, ds, dates, interrupted_text=False)
    style.outside_legend(ax, ncol=4)
    _title(fig, ds, i18n.t("rf_tier_sup"))
    return fig


def fig_interactions(ds):
    dates = dates_of(ds)
    fig, ax = style.new_figure()
    ax.plot(dates, ds["interactions_inperson"].values, color=style.MODE_COLOURS["in person"],
            lw=1.8, label=i18n.t("in_person"), marker=marker(dates))
    ax.plot(dates, ds["interactions_online"].values, color=style.MODE_COLOURS["online"], lw=1.8,
            label=i18n.t("online"), marker=marker(dates))
    ax.set_ylabel(i18n.t("rf_inter_axis"))
    ax.set_ylim(bottom=0)
    style.thousands(ax)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=3)
    _title(fig, ds, i18n.t("rf_inter_title"))
    return fig


def fig_knowledge(ds):
    dates = dates_of(ds)
    fig, (ax1, ax2) = style.new_figure(2, 1, height=6.0, sharex=True)
    ax1.plot(dates, ds["knowledge_stock"].values, color=style.SERIES_COLOURS["knowledge_stock"],
             lw=2, label=i18n.t("rf_knowledge_line"), marker=marker(dates))
    ax1.set_ylabel(i18n.t("rf_knowledge_axis"))
    ax1.set_ylim(bottom=0)
    style.thousands(ax1)
    decorate_time(ax1, ds, dates)
    ax1.set_xlabel("")
    ax2.plot(dates, ds["boundary_objects"].values, color=style.SERIES_COLOURS["boundary_objects"],
             lw=2, label=i18n.t("rf_objects_line"), marker=marker(dates))
    ax2.set_ylabel(i18n.t("rf_objects_axis"))
    ax2.set_ylim(bottom=0)
    style.thousands(ax2)
    decorate_time(ax2, ds, dates, interrupted_text=False)
    if has_interventions(ds):
        # The interventions' labels take the top of the axes, and their entries make a long
        # legend: one legend of both panels under the figure then, each entry once.
        h1, l1 = ax1.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        entries = dict(zip(l1[:1] + l2 + l1[1:], h1[:1] + h2 + h1[1:]))
        style.legend_below(ax2, list(entries.values()), list(entries))
    else:
        ax1.legend(loc="upper left", frameon=False)
        ax2.legend(loc="upper left", frameon=False)
    _title(fig, ds, i18n.t("rf_knowledge_sup"))
    return fig


def fig_support(ds):
    dates = dates_of(ds)
    fig, ax = style.new_figure()
    demanded = ds["support_hours_demanded"].values.astype(float)
    given = ds["support_hours_given"].values.astype(float)
    ax.plot(dates, demanded, color=style.SERIES_COLOURS["support_hours_demanded"], lw=1.8,
            label=i18n.t("rf_demanded"), marker=marker(dates))
    ax.plot(dates, given, color=style.SERIES_COLOURS["support_hours_given"], lw=1.8,
            label=i18n.t("rf_given"), marker=marker(dates))
    ax.fill_between(dates, given, demanded, where=demanded > given, interpolate=True,
                    facecolor="none", edgecolor=style.SERIES_COLOURS["support_hours_demanded"],
                    hatch="////", alpha=0.35, lw=0, label=i18n.t("rf_unmet"))
    ax.set_ylabel(i18n.t("rf_support_axis"))
    ax.set_ylim(bottom=0)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=4)
    _title(fig, ds, i18n.t("rf_support_sup"))
    return fig


def fig_territory_learning(ds):
    import matplotlib.dates as mdates

    dates = dates_of(ds)
    tl = ds["territory_learning"].transpose("territory", "week")
    names = [str(n) for n in tl["territory"].values]
    values = tl.values.astype(float)
    order = np.argsort(-values[:, -1], kind="stable")  # highest final learning on top
    values = values[order]
    names = [names[i] for i in order]
    n = len(names)
    fig, (ax, axb) = style.new_figure(1, 2, width=11.0, height=max(4.2, 0.3 * n + 1.8),
                                      sharey=True, width_ratios=[4, 1])
    edges = np.concatenate([dates, [dates[-1] + np.timedelta64(7, "D")]]) if len(dates) else dates
    x = mdates.date2num(edges)
    y = np.arange(n + 1) - 0.5
    ax.grid(False)
    mesh = ax.pcolormesh(x, y, values, cmap="viridis", vmin=0, vmax=max(1e-9, float(
        np.nanmax(values)) if values.size else 1.0), shading="flat")
    ax.xaxis_date()
    ax.set_yticks(np.arange(n))
    ax.set_yticklabels(names)
    ax.set_ylim(n - 0.5, -0.5)
    subtitle = i18n.t("rf_terr_sub")
    ax.grid(False)
    interrupted, done, planned = status_of(ds)
    if interrupted and len(dates):
        style.mark_interrupted(ax, edges[-1], done, planned)
    if "pandemic" in ds.variables:
        on = np.flatnonzero(ds["pandemic"].values > 0)
        if on.size:
            for i in (on[0], on[-1] + 1):
                d = edges[min(i, len(edges) - 1)]
                ax.axvline(d, color="white", ls=":", lw=1.2)
            subtitle = i18n.t("rf_terr_sub_pandemic", pandemic=pandemic_label(ds))
    # Interventions: lines only, since shading would change the heat map's colours.
    if len(dates) and mark_interventions(ax, ds, dates, spans=False, outline=True,
                                         headroom=False):
        ax.set_xlim(x[0], x[-1])
    ax.set_title(subtitle, fontsize=9)
    style.date_axis(ax)
    cbar = fig.colorbar(mesh, ax=ax, location="bottom", pad=0.0, fraction=0.05, aspect=40)
    cbar.set_label(i18n.t("rf_terr_colour"))
    final = values[:, -1] if values.shape[1] else np.zeros(n)
    start = values[:, 0] if values.shape[1] else np.zeros(n)
    axb.barh(np.arange(n), final, color="#0072B2", height=0.7, label=i18n.t("rf_terr_last"))
    axb.plot(start, np.arange(n), "|", color="black", ms=10, mew=1.5, label=i18n.t("rf_terr_first"))
    axb.set_xlabel(i18n.t("rf_terr_bar_axis"))
    axb.tick_params(axis="y", labelleft=False)
    axb.set_xlim(0, max(1e-9, float(np.nanmax(values)) if values.size else 1.0) * 1.05)
    axb.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8,
               ncol=1)
    _title(fig, ds, i18n.t("rf_terr_sup", n=n))
    return fig


def fig_contributions(ds):
    c = np.asarray(ds["member_contributions"].values, dtype=np.int64)
    fig, ax = style.new_figure(width=7.0, height=5.0)
    n = c.size
    posted = np.sort(c[c > 0])
    if posted.size:
        values, counts = np.unique(posted, return_counts=True)
        # share of all members with at least x posts
        at_least = (posted.size - np.concatenate([[0], np.cumsum(counts)[:-1]])) / n
        ax.plot(values, at_least, "o", ms=3.5, color=style.SERIES_COLOURS["contributions"],
                label=i18n.t("rf_contrib_dots"))
        ax.set_xscale("log")
        ax.set_yscale("log")
        desc = np.sort(c)[::-1]
        total = desc.sum()
        top1 = desc[: max(1, n // 100)].sum() / total if total else 0.0
        top10 = desc[: max(1, n // 10)].sum() / total if total else 0.0
        never = float(np.mean(c == 0))
        text = i18n.t("rf_contrib_box", n=i18n.num(n), never=i18n.pct(never),
                      top1=i18n.pct(top1), top10=i18n.pct(top10))
        ax.text(0.97, 0.97, text, transform=ax.transAxes, ha="right", va="top", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.4", fc="white", ec="#BBBBBB"))
    else:
        ax.text(0.5, 0.5, i18n.t("rf_contrib_none"), transform=ax.transAxes, ha="center")
    ax.set_xlabel(i18n.t("rf_contrib_x"))
    ax.set_ylabel(i18n.t("rf_contrib_y"))
    interrupted, done, planned = status_of(ds)
    if interrupted:
        ax.text(0.03, 0.03, i18n.t("rf_partial", text=style.interrupted_text(done, planned)),
                transform=ax.transAxes, color=style.INTERRUPTED_COLOUR, fontsize=9,
                fontweight="bold")
    _title(fig, ds, i18n.t("rf_contrib_title"))
    return fig


# --- interventions: spending, and the levers and parameters in force ------------------------------

def _event_weeks(ds, kind: str) -> list[tuple[int, str]]:
    """(week, detail) of the events of ``kind`` (empty without an events table)."""
    if "event_kind" not in ds.variables:
        return []
    codes = event_codes(ds)
    code = codes.get(kind)
    if code is None:
        return []
    k = np.asarray(ds["event_kind"].values)
    weeks = np.asarray(ds["event_week"].values)[k == code]
    details = (np.asarray(ds["event_detail"].values)[k == code] if "event_detail" in ds
               else [""] * len(weeks))
    return [(int(w), str(d)) for w, d in zip(weeks, details)]


def event_codes(ds) -> dict[str, int]:
    """{kind name: code} from the ``flag_meanings`` of ``event_kind`` ("0=shock_start ...")."""
    text = str(ds["event_kind"].attrs.get("flag_meanings", "")) if "event_kind" in ds else ""
    out = {}
    for pair in text.split():
        code, _, name = pair.partition("=")
        try:
            out[name] = int(code)
        except ValueError:
            continue
    return out


def _steps(dates, values):
    """x, y of a step line over whole weeks (each value holds to the end of its week)."""
    x = np.concatenate([dates, [dates[-1] + WEEK]]) if len(dates) else dates
    y = np.concatenate([values, values[-1:]]) if len(values) else values
    return x, y


def fig_spending(ds):
    dates = dates_of(ds)
    fig, (ax1, ax2) = style.new_figure(2, 1, height=6.0, sharex=True)
    money = np.asarray(ds["spending_money"].values, dtype=float)
    hours = np.asarray(ds["spending_hours"].values, dtype=float)
    # Cumulative at the end of each week (drawn at the week's end), from 0 at the first Monday.
    x = np.concatenate([dates[:1], dates + WEEK]) if len(dates) else dates
    ax1.plot(x, np.concatenate([[0.0], money]), color=style.SERIES_COLOURS["spending_money"],
             lw=2, label=i18n.t("fig_spending_money_line"), marker=marker(dates))
    ax2.plot(x, np.concatenate([[0.0], hours]), color=style.SERIES_COLOURS["spending_hours"],
             lw=2, label=i18n.t("fig_spending_hours_line"), marker=marker(dates))
    first, date_of = _week_dates(ds, dates)
    spent = [(w, d) for w, d in _event_weeks(ds, "budget_exhausted")
             if first <= w < first + len(dates)]
    for k, (w, detail) in enumerate(spent):
        i = w - first
        name = detail.split(":", 1)[0]
        for ax, y in ((ax1, money[i]), (ax2, hours[i])):
            ax.plot([date_of(w) + WEEK], [y], "X", ms=8, color=style.INTERRUPTED_COLOUR, zorder=6,
                    label=i18n.t("fig_budget_spent", name=name) if ax is ax1 else "_nolegend_")
    ax1.set_ylabel(i18n.t("fig_spending_money"))
    ax2.set_ylabel(i18n.t("fig_spending_hours"))
    for ax in (ax1, ax2):
        ax.set_ylim(bottom=0)
        style.thousands(ax)
    decorate_time(ax1, ds, dates)
    decorate_time(ax2, ds, dates, interrupted_text=False)
    ax1.set_xlabel("")
    # One legend under the figure: both curves, the budgets spent and the interventions.
    h1, l1 = ax1.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    entries = dict(zip(l1[:1] + l2 + l1[1:], h1[:1] + h2 + h1[1:]))  # each label once
    style.legend_below(ax2, list(entries.values()), list(entries))
    _title(fig, ds, i18n.t("fig_spending_sup"))
    return fig


def changed_levers(ds) -> list[str]:
    """Levers whose value in force changes during the run."""
    if "lever_value" not in ds.variables:
        return []
    lv = ds["lever_value"].transpose("week", "lever")
    values = np.asarray(lv.values, dtype=float)
    if not values.shape[0]:
        return []
    moved = np.nanmax(values, axis=0) - np.nanmin(values, axis=0) > 0
    return [str(k) for k, m in zip(lv["lever"].values, moved) if m]


def param_variables(ds) -> list[str]:
    """The param_SECTION_KEY(week) variables: parameters some intervention changes."""
    return [str(v) for v in ds.data_vars if str(v).startswith("param_")
            and ds[v].dims == ("week",)]


def param_key(ds, var: str) -> str:
    """support.capacity_hours for param_support_capacity_hours (from its long_name)."""
    words = str(ds[var].attrs.get("long_name", "")).split()
    if words and "." in words[-1]:
        return words[-1]
    return var[len("param_"):]


def _scenario_value(scen: dict, key: str):
    section, _, name = key.partition(".")
    return (scen.get(section, {}) or {}).get(name)


def lever_label(key: str) -> str:
    return key.replace("_", " ") if i18n.current() == "en" else i18n.lever(key)


def fig_levers_in_force(ds):
    dates = dates_of(ds)
    levers = changed_levers(ds)
    params = param_variables(ds)
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    panels = (["levers"] if levers else []) + params
    lever_labels = {lever_label(k) for k in levers}
    n = len(panels)
    fig, axes = style.new_figure(n, 1, height=2.2 * n + 1.4, sharex=True, squeeze=False)
    axes = axes[:, 0]
    for k, (ax, what) in enumerate(zip(axes, panels)):
        if what == "levers":
            lv = ds["lever_value"]
            for j, key in enumerate(levers):
                colour = style.SCENARIO_PALETTE[j % len(style.SCENARIO_PALETTE)]
                x, y = _steps(dates, np.asarray(lv.sel(lever=key).values, dtype=float))
                ax.plot(x, y, drawstyle="steps-post", color=colour, lw=1.8,
                        label=lever_label(key), marker=marker(dates))
                base = _scenario_value(scen, f"levers.{key}")
                if isinstance(base, (int, float)) and not isinstance(base, bool):
                    ax.axhline(float(base), color=colour, ls=":", lw=1.0, zorder=1,
                               label="_scenario value")
            ax.set_ylim(0, 1.02)
            ax.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])   # a lever's range, above it the labels
            ax.set_ylabel(i18n.t("fig_levers_axis"))
            ax.set_title(i18n.t("fig_levers_panel"), loc="left", fontsize=10)
        else:
            var = ds[what]
            key = param_key(ds, what)
            values = np.asarray(var.values, dtype=float)
            x, y = _steps(dates, values)
            ax.plot(x, y, drawstyle="steps-post", color=style.SCENARIO_PALETTE[0], lw=1.8,
                    label=key, marker=marker(dates))
            meanings = str(var.attrs.get("flag_meanings", "")).split()
            flags = [int(v) for v in str(var.attrs.get("flag_values", "")).split()]
            base = _scenario_value(scen, key)
            if meanings and len(meanings) == len(flags):
                names = [i18n.t("bool_" + m) if m in ("true", "false") else m for m in meanings]
                ax.set_yticks(flags)
                ax.set_yticklabels(names)
                ax.set_ylim(min(flags) - 0.4, max(flags) + 0.4)
                ax.grid(False, axis="y")
                if isinstance(base, bool):
                    base = flags[meanings.index(str(base).lower())] if str(base).lower() in \
                        meanings else None
                elif isinstance(base, str):
                    base = flags[meanings.index(base)] if base in meanings else None
            else:
                unit = str(var.attrs.get("units", ""))
                ax.set_ylabel(i18n.t("fig_param_axis", unit=unit) if unit not in ("", "1")
                              else i18n.t("fig_param_axis_nounit"))
                ax.set_ylim(bottom=min(0.0, float(np.nanmin(values)) if values.size else 0.0))
                style.thousands(ax)
            if isinstance(base, (int, float)) and not isinstance(base, bool):
                ax.axhline(float(base), color=style.SCENARIO_PALETTE[0], ls=":", lw=1.0,
                           zorder=1, label="_scenario value")
            ax.set_title(key, loc="left", fontsize=10)
        decorate_time(ax, ds, dates, interrupted_text=(k == 0))
        if k < n - 1:
            ax.set_xlabel("")
        if what == "levers":
            lines = [ln for ln in ax.get_lines() if ln.get_label() in lever_labels]
            ax.legend(lines, [ln.get_label() for ln in lines], loc="lower right",
                      frameon=False, fontsize=8)
    # The interventions' legend once, under the last panel.
    handles, labels = axes[0].get_legend_handles_labels()
    iv = [(h, lb) for h, lb in zip(handles, labels) if _is_intervention_entry(ds, lb)]
    if iv:
        style.legend_below(axes[-1], [h for h, _ in iv], [lb for _, lb in iv])
    _title(fig, ds, i18n.t("fig_levers_sup"))
    return fig


def _is_intervention_entry(ds, label: str) -> bool:
    return any(label == m.legend for m in intervention_marks(ds))


# --- the catalogue --------------------------------------------------------------------------------

def _interventions_apply(ds):
    """None when the file has interventions or spent something, else why the intervention
    figures are not drawn."""
    if has_interventions(ds) or spent(ds):
        return None
    return i18n.t("iv_skip_none")


def spent(ds) -> bool:
    """Something was spent (money or support hours paid) during the run."""
    return any(v in ds.variables and np.nanmax(np.asarray(ds[v].values, dtype=float),
                                                initial=0.0) > 0
               for v in ("spending_money", "spending_hours"))


def _spending_apply(ds):
    reason = _interventions_apply(ds)
    if reason is None and not spent(ds):
        return i18n.t("iv_skip_no_spending")
    return reason


def _levers_apply(ds):
    reason = _interventions_apply(ds)
    if reason is None and not changed_levers(ds) and not param_variables(ds):
        return i18n.t("iv_skip_no_change")
    return reason


def _territories_apply(ds):
    if "territory" in ds.sizes and ds.sizes["territory"] < 2:
        return i18n.t("skip_one_territory")
    return None


def _per_member_apply(ds):
    if "member_contributions" in ds.variables:
        return None
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    if scen.get("output", {}).get("per_member") is False:
        return i18n.t("skip_per_member")
    return None  # expected but missing: require() reports it


TIME = {"time_series": True}
# Figures shown only for a run with interventions or spending: no note when they are not.
INTERVENTION_FIGURES = ("spending", "levers_in_force")


def run_figure_specs():
    """The run's figures, titles and captions in the current language."""
    t = i18n.t
    return [
        FigureSpec("members", t("rf_members_title"), t("rf_members_caption"), fig_members,
                   ("members_total", "members_active"), extra=TIME),
        FigureSpec("cdps_by_phase", t("rf_phase_title"), t("rf_phase_caption"),
                   fig_cdps_by_phase, ("cdps_by_phase",), extra=TIME),
        FigureSpec("members_by_tier", t("rf_tier_title"), t("rf_tier_caption"),
                   fig_members_by_tier, ("members_by_tier",), extra=TIME),
        FigureSpec("interactions", t("rf_inter_title"), t("rf_inter_caption"), fig_interactions,
                   ("interactions_inperson", "interactions_online"), extra=TIME),
        FigureSpec("knowledge", t("rf_knowledge_title"), t("rf_knowledge_caption"),
                   fig_knowledge, ("knowledge_stock", "boundary_objects"), extra=TIME),
        FigureSpec("support", t("rf_support_title"), t("rf_support_caption"), fig_support,
                   ("support_hours_demanded", "support_hours_given"), extra=TIME),
        FigureSpec("territory_learning", t("rf_territory_title"), t("rf_territory_caption"),
                   fig_territory_learning, ("territory_learning",), _territories_apply,
                   {"quiet_skip": True, "time_series": True, "heat_map": True}),
        FigureSpec("contributions", t("rf_contrib_title"), t("rf_contrib_caption"),
                   fig_contributions, ("member_contributions",), _per_member_apply),
        FigureSpec("spending", t("fig_spending_title"), t("fig_spending_caption"),
                   fig_spending, ("spending_money", "spending_hours"), _spending_apply,
                   {**TIME, "quiet_skip": True, "interventions": True}),
        FigureSpec("levers_in_force", t("fig_levers_title"), t("fig_levers_caption"),
                   fig_levers_in_force, ("lever_value",), _levers_apply,
                   {**TIME, "quiet_skip": True, "interventions": True}),
    ]


# The figures drawn for every run, in English (the language at import).
RUN_FIGURES = [s for s in run_figure_specs() if not s.extra.get("interventions")]


def applicable(ds, specs=None):
    """[(spec, None)] for the figures to draw and [(spec, reason)] for those skipped. With
    interventions, the captions of the time-series figures say how they are marked."""
    specs = run_figure_specs() if specs is None else specs
    marks = intervention_marks(ds) if has_interventions(ds) else []
    out = []
    for spec in specs:
        reason = spec.applies(ds) if spec.applies else None
        if marks and spec.extra.get("time_series"):
            note = i18n.t("iv_caption_heat" if spec.extra.get("heat_map") else "iv_caption_run")
            spec = replace(spec, caption=spec.caption + " " + note)
        out.append((spec, reason))
    return out


def check_run(ds) -> None:
    """InputError when a variable a figure needs is missing (before anything is drawn)."""
    require(ds, ("week",), "every figure")
    for spec, reason in applicable(ds):
        if reason is None:
            require(ds, spec.needs, f"the '{spec.name}' figure")
