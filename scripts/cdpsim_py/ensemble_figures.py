"""Figures and report of an ensemble (output_kind = "ensemble" or "ensemble_shard").

Every weekly series is drawn as its median across replicates with 50% and 90% bands, one colour
per design point; sweeps add response curves (a metric against each swept key, with bands).
Runs that did not finish (run_complete = 0, an interrupted ensemble) are left out and the
figures say how many finished.
"""

from __future__ import annotations

import textwrap

import numpy as np

from . import i18n, style
from .errors import InputError
from .loader import dates_of, require, source_of
from .metrics import metric_table
from .run_figures import FigureSpec, intervention_marks, mark_interventions, pandemic_label

BANDS = ((5, 95), (25, 75))    # 90% and 50% of the replicates
MAX_BANDED_POINTS = 5           # more design points: medians only (see the sweep responses)


# --- the ensemble's structure ---------------------------------------------------------------------

def finished(ds) -> np.ndarray:
    """Boolean mask over `run`: runs that finished (all of them when run_complete is absent)."""
    if "run_complete" in ds:
        return np.asarray(ds["run_complete"].values).astype(bool)
    return np.ones(ds.sizes["run"], dtype=bool)


def run_points(ds) -> np.ndarray:
    if "run_point" in ds:
        return np.asarray(ds["run_point"].values)
    return np.zeros(ds.sizes["run"], dtype=int)


def point_labels(ds) -> list[str]:
    """A short label per design point: 'animation = 0.2, support.mode = expert'."""
    n = ds.sizes.get("point", 1)
    if "point_set" not in ds or n <= 1:
        return [i18n.t("ef_all_runs")] * n
    out = []
    for text in ds["point_set"].values:
        parts = []
        for word in str(text).split():
            word = word.strip("'")
            key, _, value = word.partition("=")
            parts.append(f"{key.split('.')[-1]} = {i18n.localize(value)}")
        out.append(", ".join(parts) if parts else i18n.t("ef_reference"))
    return out


def point_colours(n: int) -> list[str]:
    """Ordered colours for design points (a sweep is ordered, so a sequential map beyond 1)."""
    if n <= 1:
        return [style.SCENARIO_PALETTE[0]]
    import matplotlib
    cmap = matplotlib.colormaps["viridis"]
    return [matplotlib.colors.to_hex(cmap(0.05 + 0.8 * i / (n - 1))) for i in range(n)]


def groups(ds):
    """[(point index, label, colour, run mask)] of the design points with finished runs."""
    done = finished(ds)
    rp = run_points(ds)
    labels = point_labels(ds)
    colours = point_colours(len(labels))
    out = []
    for p, (lab, col) in enumerate(zip(labels, colours)):
        mask = done & (rp == p)
        if mask.any():
            out.append((p, lab, col, mask))
    return out


def status_note(ds) -> str | None:
    """'interrupted: 4 of 9 runs finished' when runs are missing, else None."""
    done = finished(ds)
    total = int(ds.attrs.get("runs_total", ds.sizes["run"]))
    if done.all() and total == ds.sizes["run"]:
        return None
    key = "ef_interrupted" if ds.attrs.get("status") == "interrupted" else "ef_partial"
    return i18n.t(key, done=int(done.sum()), total=total)


def quantiles(values: np.ndarray) -> dict:
    """{q: series} over the run axis (axis 0) for the band edges and the median."""
    qs = sorted({50, *[q for b in BANDS for q in b]})
    with np.errstate(all="ignore"):
        arr = np.nanpercentile(values.astype(float), qs, axis=0)
    return dict(zip(qs, arr))


def band(ax, dates, values, colour, label, *, bands: bool = True, ls="-"):
    """Median line with the 50% and 90% bands of ``values`` (runs x weeks)."""
    q = quantiles(values)
    if bands and values.shape[0] > 1:
        ax.fill_between(dates, q[5], q[95], color=colour, alpha=style.BAND_ALPHA[90], lw=0)
        ax.fill_between(dates, q[25], q[75], color=colour, alpha=style.BAND_ALPHA[50], lw=0)
    ax.plot(dates, q[50], color=colour, lw=1.8, ls=ls, label=label,
            marker="o" if len(dates) <= 3 else None)


def decorate(ax, ds, dates, *, text: bool = True, labels: bool | None = None) -> None:
    """Dates on x, the pandemic shaded and the interventions the base scenario schedules marked
    (``labels``, default ``text``: their names and legend entries on this panel); the status of
    the ensemble is in the title."""
    if "pandemic" in ds.variables:
        p = ds["pandemic"]
        if "run" in p.dims:
            ok = finished(ds)
            p = p.isel(run=np.flatnonzero(ok)[:1]) if ok.any() else p.isel(run=[0])
            p = p.squeeze("run")
        style.shade_periods(ax, dates, np.nan_to_num(p.values), label=pandemic_label(ds))
    if len(dates):
        mark_interventions(ax, ds, dates, labels=text if labels is None else labels)
        style.mark_branch(ax, ds, dates, text=text)
    if len(dates):
        ax.set_xlim(dates[0], dates[-1] + np.timedelta64(7, "D"))
    style.date_axis(ax)


def _title(fig, ds, text: str, bands: bool = True) -> None:
    n = int(finished(ds).sum())
    title = i18n.t("ef_title", text=text, name=ds.attrs.get("scenario_name", "ensemble"), n=n)
    notes = [status_note(ds) or ""]
    if bands and n > 1:
        notes.append(i18n.t("ef_band_note"))
    notes = [x for x in notes if x]
    if notes:
        title += "\n" + i18n.semicolon().join(notes)
    fig.suptitle(title, fontsize=11)


def _series(ds, name, mask, extra=None) -> np.ndarray:
    da = ds[name]
    if extra is not None:
        da = da.sel(extra)
    return np.asarray(da.values)[mask]


# --- time-series figures --------------------------------------------------------------------------

def _multi_series(ds, specs, title, ylabel, *, thousands=True):
    """One axes; for each (variable, label, linestyle) one banded line per design point."""
    dates = dates_of(ds)
    gs = groups(ds)
    bands_on = len(gs) <= MAX_BANDED_POINTS
    fig, ax = style.new_figure()
    for p, plab, col, mask in gs:
        for i, (var, lab, ls) in enumerate(specs):
            colour = col if len(gs) > 1 else style.SERIES_COLOURS.get(var, col)
            label = lab if len(gs) == 1 else (i18n.t("ef_point_series", point=plab, series=lab)
                                              if len(specs) > 1 else plab)
            band(ax, dates, _series(ds, var, mask), colour, label, bands=bands_on,
                 ls=ls if len(gs) > 1 else "-")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    if thousands:
        style.thousands(ax)
    decorate(ax, ds, dates)
    style.outside_legend(ax, ncol=3)
    _title(fig, ds, title, bands_on)
    return fig


def fig_members(ds):
    return _multi_series(ds, [("members_total", i18n.t("rf_registered"), "-"),
                              ("members_active", i18n.t("ef_active"), "--")],
                         i18n.t("rf_members_sup"), i18n.t("members_word"))


def fig_interactions(ds):
    fig = _multi_series(ds, [("interactions_inperson", i18n.t("in_person"), "--"),
                             ("interactions_online", i18n.t("online"), "-")],
                        i18n.t("rf_inter_title"), i18n.t("rf_inter_axis"))
    if len(groups(ds)) == 1:  # the consistent mode colours
        ax = fig.axes[0]
        for line, mode in zip(data_lines(ax), ("in person", "online")):
            line.set_color(style.MODE_COLOURS[mode])
        for coll, mode in zip(ax.collections, ("in person", "in person", "online", "online")):
            coll.set_color(style.MODE_COLOURS[mode])
    return fig


def fig_support(ds):
    return _multi_series(ds, [("support_hours_demanded", i18n.t("ef_demanded"), "--"),
                              ("support_hours_given", i18n.t("ef_given"), "-")],
                         i18n.t("rf_support_sup"), i18n.t("rf_support_axis"), thousands=False)


def data_lines(ax):
    return [ln for ln in ax.get_lines() if len(np.atleast_1d(ln.get_xdata())) > 2]


def _panels(ds, var, dim, names, title, ylabel, colours_of, ncols=3, shown=None):
    """One panel per value of ``dim`` (phase, tier); banded lines per design point."""
    dates = dates_of(ds)
    gs = groups(ds)
    bands_on = len(gs) <= MAX_BANDED_POINTS
    n = len(names)
    nrows = int(np.ceil(n / ncols))
    legend_row = len(gs) > 1
    fig, grid = style.new_figure(nrows + legend_row, ncols, width=12.0,
                                 height=2.6 * nrows + 1.0 + 0.5 * legend_row, squeeze=False,
                                 height_ratios=[1] * nrows + [0.18] * legend_row)
    if legend_row:  # one row across the figure for the legend, so no column is widened
        spec = grid[-1, 0].get_gridspec()
        for ax in grid[-1]:
            ax.remove()
        lax = fig.add_subplot(spec[-1, :], label="legend")
        lax.axis("off")
        grid = grid[:-1]
    axes = grid.ravel()
    for ax in axes[1:n]:
        ax.sharex(axes[0])
    for i, name in enumerate(names):
        ax = axes[i]
        for p, plab, col, mask in gs:
            colour = colours_of(name) if len(gs) == 1 else col
            band(ax, dates, _series(ds, var, mask, {dim: name}), colour,
                 i18n.t("median") if len(gs) == 1 else plab, bands=bands_on)
        ax.set_title(shown(name) if shown else name, loc="left")
        ax.set_ylim(bottom=0)
        if i % ncols == 0:
            ax.set_ylabel(ylabel)
        decorate(ax, ds, dates, text=(i == ncols - 1 or (n < ncols and i == n - 1)),
                 labels=(i == 0))
        if i < n - ncols:
            ax.set_xlabel("")
    for ax in axes[n:]:
        ax.remove()
    if legend_row:
        handles, labels = axes[0].get_legend_handles_labels()
        lax.legend(handles, labels, loc="center", ncol=min(len(handles), 5), frameon=False)
    _title(fig, ds, title, bands_on)
    return fig


def fig_cdps_by_phase(ds):
    names = [str(p) for p in ds["phase"].values]
    return _panels(ds, "cdps_by_phase", "phase", names, i18n.t("rf_phase_title"),
                   i18n.t("cdps_word"), lambda p: style.PHASE_COLOURS.get(p, "#777777"),
                   shown=lambda p: i18n.phase(p, plural=True))


def fig_members_by_tier(ds):
    names = [str(t) for t in ds["tier"].values]
    return _panels(ds, "members_by_tier", "tier", names, i18n.t("rf_tier_title"),
                   i18n.t("members_word"), lambda t: style.TIER_COLOURS.get(t, "#777777"),
                   shown=lambda t: i18n.term("tier", t))


def fig_knowledge(ds):
    dates = dates_of(ds)
    gs = groups(ds)
    bands_on = len(gs) <= MAX_BANDED_POINTS
    fig, (ax1, ax2) = style.new_figure(2, 1, height=6.2, sharex=True)
    for p, plab, col, mask in gs:
        c1 = style.SERIES_COLOURS["knowledge_stock"] if len(gs) == 1 else col
        c2 = style.SERIES_COLOURS["boundary_objects"] if len(gs) == 1 else col
        band(ax1, dates, _series(ds, "knowledge_stock", mask), c1,
             i18n.t("ef_knowledge") if len(gs) == 1 else plab, bands=bands_on)
        band(ax2, dates, _series(ds, "boundary_objects", mask), c2,
             i18n.t("ef_objects") if len(gs) == 1 else plab, bands=bands_on)
    ax1.set_ylabel(i18n.t("rf_knowledge_axis"))
    ax2.set_ylabel(i18n.t("rf_objects_axis"))
    for ax in (ax1, ax2):
        ax.set_ylim(bottom=0)
        style.thousands(ax)
    decorate(ax1, ds, dates)
    decorate(ax2, ds, dates, text=False)
    ax1.set_xlabel("")
    style.outside_legend(ax2, ncol=3)
    _title(fig, ds, i18n.t("rf_knowledge_sup"), bands_on)
    return fig


def fig_territory_learning(ds):
    """The run figure's heat map, drawn from the median over the finished runs."""
    from .run_figures import fig_territory_learning as run_heat
    mask = finished(ds)
    tl = ds["territory_learning"].isel(run=np.flatnonzero(mask))
    med = tl.median("run")
    view = ds.drop_dims(["run"], errors="ignore").assign(territory_learning=med)
    if "pandemic" in ds:
        view["pandemic"] = ds["pandemic"].isel(run=int(np.flatnonzero(mask)[0]))
    view.attrs = dict(ds.attrs, status="complete")
    fig = run_heat(view)
    fig.suptitle(i18n.t("ef_terr_sup", n=int(mask.sum()),
                        name=ds.attrs.get("scenario_name", "ensemble")), fontsize=12)
    return fig


# --- sweep responses ------------------------------------------------------------------------------

def sweep_keys(ds) -> list[str]:
    if "sweep_key" not in ds.dims or ds.sizes.get("point", 1) < 2:
        return []
    return [str(k) for k in ds["sweep_key"].values]


def metric_names(ds) -> list[str]:
    return [str(m) for m in ds["metric"].values] if "metric" in ds.dims else []


def fig_sweep_response(ds, key: str):
    design = ds["design"].sel(sweep_key=key).values.astype(float)
    # The metrics `cdpsim compare` reports by default, as the file states.
    table = metric_table(ds)
    metrics = [m for m, info in table.items() if info.compare_default]
    done = finished(ds)
    rp = run_points(ds)
    x_run = design[rp]
    xs = np.unique(x_run[done & np.isfinite(x_run)])
    ncols = 3
    nrows = int(np.ceil(len(metrics) / ncols))
    fig, axes = style.new_figure(nrows, ncols, width=11.0, height=2.9 * nrows + 0.8,
                                 squeeze=False)
    axes = axes.ravel()
    colour = style.SCENARIO_PALETTE[0]
    for i, m in enumerate(metrics):
        ax = axes[i]
        vals = ds["metrics"].sel(metric=m).values.astype(float)
        qs = {q: [] for q in (5, 25, 50, 75, 95)}
        for x in xs:
            sel = vals[done & (x_run == x)]
            sel = sel[np.isfinite(sel)]
            for q in qs:
                qs[q].append(np.percentile(sel, q) if sel.size else np.nan)
        q = {k: np.asarray(v) for k, v in qs.items()}
        ax.fill_between(xs, q[5], q[95], color=colour, alpha=style.BAND_ALPHA[90], lw=0,
                        label=i18n.t("ef_runs_90"))
        ax.fill_between(xs, q[25], q[75], color=colour, alpha=style.BAND_ALPHA[50], lw=0,
                        label=i18n.t("ef_runs_50"))
        ax.plot(xs, q[50], "o-", color=colour, lw=1.8, ms=4, label=i18n.t("median"))
        unit, label = table[m].unit, table[m].label
        if i18n.current() == "fr":  # French labels are longer
            label = "\n".join(textwrap.wrap(label, 30)) or label
        ax.set_ylabel(i18n.t("axis_unit", label=label, unit=i18n.term("unit", unit))
                      if unit and unit != "1" else label)
        ax.set_xlabel(key)
    for ax in axes[len(metrics):]:
        ax.remove()
    style.outside_legend(axes[len(metrics) - 1], ncol=3)
    note = status_note(ds)
    name = ds.attrs.get("scenario_name", "")
    title = (i18n.t("ef_sweep_sup_note", key=key, name=name, note=note) if note
             else i18n.t("ef_sweep_sup", key=key, name=name))
    fig.suptitle(title + "\n" + i18n.t("ef_sweep_sub"), fontsize=11)
    return fig


# --- catalogue ------------------------------------------------------------------------------------

def time_series():
    """(name, title, caption, builder, variables) of the time-series figures, in the current
    language."""
    t = i18n.t
    return [
        ("members", t("rf_members_title"), t("ef_members_caption"), fig_members,
         ("members_total", "members_active")),
        ("cdps_by_phase", t("rf_phase_title"), t("ef_phase_caption"), fig_cdps_by_phase,
         ("cdps_by_phase",)),
        ("members_by_tier", t("rf_tier_title"), t("ef_tier_caption"), fig_members_by_tier,
         ("members_by_tier",)),
        ("interactions", t("rf_inter_title"), t("ef_inter_caption"), fig_interactions,
         ("interactions_inperson", "interactions_online")),
        ("knowledge", t("rf_knowledge_title"), t("ef_knowledge_caption"), fig_knowledge,
         ("knowledge_stock", "boundary_objects")),
        ("support", t("rf_support_title"), t("ef_support_caption"), fig_support,
         ("support_hours_demanded", "support_hours_given")),
    ]


def intervention_note(ds, heat_map: bool = False) -> str:
    """What the captions say of the scheduled interventions marked ("" without any)."""
    if "week" not in ds.dims:
        return ""
    marks = intervention_marks(ds)
    if not marks:
        return ""
    note = " " + i18n.t("iv_caption_heat" if heat_map else "iv_caption_ensemble")
    triggered = [m.name for m in marks if m.triggered]
    if triggered:
        note += " " + i18n.t("iv_caption_ensemble_triggered",
                             names=", ".join(i18n.quote(n) for n in triggered))
    return note


def catalogue(ds):
    require(ds, ("run", "week"), "an ensemble's figures")
    if not finished(ds).any():
        raise InputError(f"{source_of(ds)}: no run of this ensemble finished; nothing to plot")
    out = []
    note = intervention_note(ds)
    for name, title, caption, build, needs in time_series():
        require(ds, needs, f"the '{name}' figure")
        out.append((FigureSpec(name, title, caption + note, build, needs,
                               extra={"time_series": True}), None))
    terr = FigureSpec("territory_learning", i18n.t("rf_territory_title"),
                      i18n.t("ef_territory_caption") + intervention_note(ds, heat_map=True),
                      fig_territory_learning,
                      ("territory_learning",),
                      extra={"quiet_skip": True, "time_series": True})
    if ds.sizes.get("territory", 1) < 2:
        out.append((terr, i18n.t("skip_one_territory")))
    else:
        require(ds, terr.needs, "the 'territory_learning' figure")
        out.append((terr, None))
    for key in sweep_keys(ds):
        require(ds, ("design", "metrics", "run_point"), "the sweep responses")
        safe = "".join(c if c.isalnum() else "_" for c in key)
        out.append((FigureSpec(
            f"sweep_{safe}", i18n.t("ef_sweep_title", key=key),
            i18n.t("ef_sweep_caption", key=key),
            lambda d, k=key: fig_sweep_response(d, k), ("design", "metrics")), None))
    return out
