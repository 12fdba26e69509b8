"""Figures of a single run (output_kind = "run").

Every builder takes the run's Dataset and returns a ``matplotlib.figure.Figure``; ``RUN_FIGURES``
lists them with the variables they need and when they apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

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
    return f"pandemic ({labels[0]})" if labels else "pandemic"


def decorate_time(ax, ds, dates, *, interrupted_text: bool = True, shade: bool = True) -> None:
    """Dates on x, the pandemic shaded, and the 'interrupted at week N' mark when it applies."""
    if shade and "pandemic" in ds.variables:
        style.shade_periods(ax, dates, ds["pandemic"].values, label=pandemic_label(ds))
    interrupted, done, planned = status_of(ds)
    if interrupted and len(dates):
        style.mark_interrupted(ax, dates[-1] + np.timedelta64(7, "D"), done, planned,
                               text=interrupted_text)
    if len(dates):  # exactly the simulated period: from the first Monday to the last week's end
        ax.set_xlim(dates[0], dates[-1] + np.timedelta64(7, "D"))
    style.date_axis(ax)


def marker(dates):
    """Dots on the lines of very short runs, where a line alone would not show."""
    return "o" if len(dates) <= 3 else None


def _title(fig, ds, text: str) -> None:
    name = ds.attrs.get("scenario_name", "")
    fig.suptitle(f"{text}: {name}" if name else text, fontsize=12)


# --- the figures ----------------------------------------------------------------------------------

def fig_members(ds):
    dates = dates_of(ds)
    fig, ax = style.new_figure()
    ax.plot(dates, ds["members_total"].values, color=style.SERIES_COLOURS["members_total"],
            lw=2, label="registered members", marker=marker(dates))
    ax.plot(dates, ds["members_active"].values, color=style.SERIES_COLOURS["members_active"],
            lw=1.6, label="active members (took part this week)", marker=marker(dates))
    ax.set_ylabel("Members")
    ax.set_ylim(bottom=0)
    style.thousands(ax)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=3)
    _title(fig, ds, "Registered and active members")
    return fig


def fig_cdps_by_phase(ds):
    dates = dates_of(ds)
    by_phase = ds["cdps_by_phase"]
    phases = [str(p) for p in by_phase["phase"].values]
    live = [p for p in phases if p != "dissolved"]
    fig, ax = style.new_figure()
    ys = [by_phase.sel(phase=p).values for p in live]
    ax.stackplot(dates, *ys, labels=[f"{p}" for p in live],
                 colors=[style.PHASE_COLOURS.get(p, "#999999") for p in live], alpha=0.9,
                 lw=0)
    if "dissolved" in phases:
        ax.plot(dates, by_phase.sel(phase="dissolved").values, color=style.PHASE_COLOURS["dissolved"],
                ls="--", lw=1.5, label="dissolved (cumulative)", marker=marker(dates))
    ax.set_ylabel("CdPs")
    ax.set_ylim(bottom=0)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=4)
    _title(fig, ds, "Communities of practice by lifecycle phase")
    return fig


def fig_members_by_tier(ds):
    dates = dates_of(ds)
    by_tier = ds["members_by_tier"]
    tiers = [str(t) for t in by_tier["tier"].values]
    fig, (ax, ax2) = style.new_figure(1, 2, width=10.0, height=4.2)
    ys = [by_tier.sel(tier=t).values.astype(float) for t in tiers]
    ax.stackplot(dates, *ys, labels=tiers,
                 colors=[style.TIER_COLOURS.get(t, "#999999") for t in tiers], lw=0)
    ax.set_ylabel("Members")
    ax.set_ylim(bottom=0)
    ax.set_title("Members by tier (stacked)")
    style.thousands(ax)
    decorate_time(ax, ds, dates)
    total = np.sum(ys, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        for t, y in zip(tiers, ys):
            share = np.where(total > 0, 100.0 * y / np.where(total > 0, total, 1), np.nan)
            ax2.plot(dates, share, color=style.TIER_COLOURS.get(t, "#999999"), lw=1.8,
                     label=t)
    ax2.set_ylabel("Share of registered members (%)")
    ax2.set_ylim(0, 100)
    ax2.set_title("Share of members in each tier")
    decorate_time(ax2, ds, dates, interrupted_text=False)
    style.outside_legend(ax, ncol=4)
    _title(fig, ds, "Participation tiers (highest tier over each member's CdPs)")
    return fig


def fig_interactions(ds):
    dates = dates_of(ds)
    fig, ax = style.new_figure()
    ax.plot(dates, ds["interactions_inperson"].values, color=style.MODE_COLOURS["in person"],
            lw=1.8, label="in person", marker=marker(dates))
    ax.plot(dates, ds["interactions_online"].values, color=style.MODE_COLOURS["online"], lw=1.8,
            label="online", marker=marker(dates))
    ax.set_ylabel("Participations per week\n(member × CdP)")
    ax.set_ylim(bottom=0)
    style.thousands(ax)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=3)
    _title(fig, ds, "In-person and online interactions")
    return fig


def fig_knowledge(ds):
    dates = dates_of(ds)
    fig, (ax1, ax2) = style.new_figure(2, 1, height=6.0, sharex=True)
    ax1.plot(dates, ds["knowledge_stock"].values, color=style.SERIES_COLOURS["knowledge_stock"],
             lw=2, label="knowledge stock of the CdPs alive", marker=marker(dates))
    ax1.set_ylabel("Knowledge stock\n(repertoire units)")
    ax1.set_ylim(bottom=0)
    style.thousands(ax1)
    decorate_time(ax1, ds, dates)
    ax1.set_xlabel("")
    ax2.plot(dates, ds["boundary_objects"].values, color=style.SERIES_COLOURS["boundary_objects"],
             lw=2, label="boundary objects (cumulative)", marker=marker(dates))
    ax2.set_ylabel("Boundary objects\n(cumulative count)")
    ax2.set_ylim(bottom=0)
    style.thousands(ax2)
    decorate_time(ax2, ds, dates, interrupted_text=False)
    ax1.legend(loc="upper left", frameon=False)
    ax2.legend(loc="upper left", frameon=False)
    _title(fig, ds, "Knowledge stock and boundary objects")
    return fig


def fig_support(ds):
    dates = dates_of(ds)
    fig, ax = style.new_figure()
    demanded = ds["support_hours_demanded"].values.astype(float)
    given = ds["support_hours_given"].values.astype(float)
    ax.plot(dates, demanded, color=style.SERIES_COLOURS["support_hours_demanded"], lw=1.8,
            label="hours demanded by CdPs", marker=marker(dates))
    ax.plot(dates, given, color=style.SERIES_COLOURS["support_hours_given"], lw=1.8,
            label="hours given by the support team", marker=marker(dates))
    ax.fill_between(dates, given, demanded, where=demanded > given, interpolate=True,
                    facecolor="none", edgecolor=style.SERIES_COLOURS["support_hours_demanded"],
                    hatch="////", alpha=0.35, lw=0, label="unmet demand")
    ax.set_ylabel("Support (hours per week)")
    ax.set_ylim(bottom=0)
    decorate_time(ax, ds, dates)
    style.outside_legend(ax, ncol=4)
    _title(fig, ds, "Support hours demanded and given")
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
    subtitle = "Highest in the last week at the top"
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
            subtitle += f"; dotted lines: start and end of the {pandemic_label(ds)}"
    ax.set_title(subtitle, fontsize=9)
    style.date_axis(ax)
    cbar = fig.colorbar(mesh, ax=ax, location="bottom", pad=0.0, fraction=0.05, aspect=40)
    cbar.set_label("Learning capacity $L_T$ (0 to 1)")
    final = values[:, -1] if values.shape[1] else np.zeros(n)
    start = values[:, 0] if values.shape[1] else np.zeros(n)
    axb.barh(np.arange(n), final, color="#0072B2", height=0.7, label="last week")
    axb.plot(start, np.arange(n), "|", color="black", ms=10, mew=1.5, label="first week")
    axb.set_xlabel("Learning capacity $L_T$,\nlast week (0 to 1)")
    axb.tick_params(axis="y", labelleft=False)
    axb.set_xlim(0, max(1e-9, float(np.nanmax(values)) if values.size else 1.0) * 1.05)
    axb.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8,
               ncol=1)
    _title(fig, ds, f"Territory learning capacity over the {n} territories")
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
                label="members (each dot: a number of posts)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        desc = np.sort(c)[::-1]
        total = desc.sum()
        top1 = desc[: max(1, n // 100)].sum() / total if total else 0.0
        top10 = desc[: max(1, n // 10)].sum() / total if total else 0.0
        never = float(np.mean(c == 0))
        text = (f"{n:,} members\n{never:.0%} never posted\n"
                f"top 1% wrote {top1:.0%} of posts\ntop 10% wrote {top10:.0%} of posts")
        ax.text(0.97, 0.97, text, transform=ax.transAxes, ha="right", va="top", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.4", fc="white", ec="#BBBBBB"))
    else:
        ax.text(0.5, 0.5, "no member posted anything", transform=ax.transAxes, ha="center")
    ax.set_xlabel("Contributions over the run, x (posts, log scale)")
    ax.set_ylabel("Share of members with at least x posts (log scale)")
    interrupted, done, planned = status_of(ds)
    if interrupted:
        ax.text(0.03, 0.03, style.interrupted_text(done, planned) + " (partial counts)",
                transform=ax.transAxes, color=style.INTERRUPTED_COLOUR, fontsize=9,
                fontweight="bold")
    _title(fig, ds, "Participation inequality")
    return fig


# --- the catalogue --------------------------------------------------------------------------------

def _territories_apply(ds):
    if "territory" in ds.sizes and ds.sizes["territory"] < 2:
        return "the scenario has a single territory"
    return None


def _per_member_apply(ds):
    if "member_contributions" in ds.variables:
        return None
    scen = scen_mod.parse(ds.attrs.get("scenario_toml"))
    if scen.get("output", {}).get("per_member") is False:
        return "per-member output was switched off ([output] per_member = false)"
    return None  # expected but missing: require() reports it


RUN_FIGURES = [
    FigureSpec("members", "Members over time",
               "Registered members and members active in at least one CdP each week; the shaded "
               "band is the pandemic.",
               fig_members, ("members_total", "members_active")),
    FigureSpec("cdps_by_phase", "CdPs by lifecycle phase",
               "CdPs alive in each phase of their lifecycle (stacked), and the cumulative number "
               "dissolved (dashed).",
               fig_cdps_by_phase, ("cdps_by_phase",)),
    FigureSpec("members_by_tier", "Members by tier",
               "Members by their highest participation tier: peripheral, active, core (left: "
               "counts, stacked; right: shares).",
               fig_members_by_tier, ("members_by_tier",)),
    FigureSpec("interactions", "In-person and online interactions",
               "Participations (one member in one CdP in one week) held in person and online.",
               fig_interactions, ("interactions_inperson", "interactions_online")),
    FigureSpec("knowledge", "Knowledge and boundary objects",
               "The codified knowledge (repertoire) of the CdPs alive, and the boundary objects "
               "created between linked CdPs since the start.",
               fig_knowledge, ("knowledge_stock", "boundary_objects")),
    FigureSpec("support", "Support demanded and given",
               "Support hours the CdPs asked for and the hours the support team gave, per week.",
               fig_support, ("support_hours_demanded", "support_hours_given")),
    FigureSpec("territory_learning", "Learning territories",
               "Learning capacity of each territory over time (heat map), and its value in the "
               "last week against the first (bars).",
               fig_territory_learning, ("territory_learning",), _territories_apply,
               {"quiet_skip": True}),
    FigureSpec("contributions", "Participation inequality",
               "How contributions are spread over members, on log-log axes: a straight, falling "
               "line is the long tail of participation inequality (a few members write most).",
               fig_contributions, ("member_contributions",), _per_member_apply),
]


def applicable(ds, specs=None):
    """[(spec, None)] for the figures to draw and [(spec, reason)] for those skipped."""
    specs = RUN_FIGURES if specs is None else specs
    out = []
    for spec in specs:
        reason = spec.applies(ds) if spec.applies else None
        out.append((spec, reason))
    return out


def check_run(ds) -> None:
    """InputError when a variable a figure needs is missing (before anything is drawn)."""
    require(ds, ("week",), "every figure")
    for spec, reason in applicable(ds):
        if reason is None:
            require(ds, spec.needs, f"the '{spec.name}' figure")
