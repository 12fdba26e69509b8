"""Figures of a comparison (output_kind = "comparison", `cdpsim compare`).

The file holds, per scenario and metric, the mean with its 95% interval and the paired
difference from the baseline (the first scenario) with its interval; and every run's value.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.ticker import FuncFormatter

from . import i18n, style
from .errors import InputError
from .loader import require, source_of
from .metrics import metric_label
from .run_figures import FigureSpec

NEEDS = ("value", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high")
def scenarios(ds) -> list[str]:
    return [str(s) for s in ds["scenario"].values]


def metrics(ds) -> list[str]:
    return [str(m) for m in ds["metric"].values]


def units(ds) -> dict[str, str]:
    if "metric_units" not in ds:
        return {m: "" for m in metrics(ds)}
    return {m: str(u) for m, u in zip(metrics(ds), ds["metric_units"].values)}


def baseline(ds) -> str:
    return str(ds.attrs.get("baseline", scenarios(ds)[0]))


def colours(ds) -> dict[str, str]:
    return style.scenario_colours(scenarios(ds))


def unit_text(u: str) -> str:
    return "" if u in ("", "1") else i18n.term("unit", u)


# --- figures --------------------------------------------------------------------------------------

def _title(label: str) -> str:
    """A panel title on two lines when it would overflow a panel (French labels are longer)."""
    return "\n".join(textwrap.wrap(label, 36)) or label


def _french_ticks(fig) -> None:
    """Decimal commas on the value axes of a French figure."""
    if i18n.current() != "fr":
        return
    fmt = FuncFormatter(lambda v, _pos: f"{v:g}".replace("-", "\u2212").replace(".", ","))
    for ax in fig.axes:
        ax.xaxis.set_major_formatter(fmt)


def _grid(n: int):
    ncols = 1 if n == 1 else 2 if n in (2, 4) else 3
    return int(math.ceil(n / ncols)), ncols


def fig_forest(ds):
    """One panel per metric: each scenario's difference from the baseline with its 95% CI."""
    ms = metrics(ds)
    sc = scenarios(ds)
    base = baseline(ds)
    others = [s for s in sc if s != base]
    cols = colours(ds)
    u = units(ds)
    nrows, ncols = _grid(len(ms))
    fig, axes = style.new_figure(nrows, ncols, width=4.0 * ncols + 1.2,
                                 height=0.45 * len(others) * nrows + 1.7 * nrows + 0.6,
                                 squeeze=False)
    axes = axes.ravel()
    y = np.arange(len(others))[::-1]
    for i, m in enumerate(ms):
        ax = axes[i]
        d = ds["diff"].sel(metric=m)
        lo = ds["diff_ci_low"].sel(metric=m)
        hi = ds["diff_ci_high"].sel(metric=m)
        for yy, s in zip(y, others):
            dv, lv, hv = (float(v.sel(scenario=s)) for v in (d, lo, hi))
            if not np.isfinite(dv):
                continue
            err = [[max(dv - lv, 0)], [max(hv - dv, 0)]] if np.isfinite(lv) else None
            ax.errorbar([dv], [yy], xerr=err, fmt="o", color=cols[s], ms=6, capsize=4,
                        lw=1.8, label=s)
        ax.axvline(0, color="#444444", lw=1, ls="--", zorder=0)
        ax.set_yticks(y)
        ax.set_yticklabels(others)
        ax.set_ylim(-0.7, len(others) - 0.3)
        ax.set_title(_title(metric_label(ds, m)), loc="left")
        unit = unit_text(u.get(m, ""))
        axis = i18n.t("fig_diff_axis", base=base)
        ax.set_xlabel(i18n.t("with_unit", label=axis, unit=unit) if unit else axis)
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        # Symmetric room around zero so the baseline line is always visible.
        lim = np.nanmax(np.abs([*ax.get_xlim()]))
        ax.set_xlim(-lim, lim)
    for ax in axes[len(ms):]:
        ax.remove()
    reps = ds.sizes.get("replicate", 0)
    fig.suptitle(i18n.t("fig_forest_sup", base=base, reps=reps), fontsize=11)
    _french_ticks(fig)
    return fig


def fig_values(ds):
    """One panel per metric: every replicate's value per scenario, with the mean and its CI."""
    ms = metrics(ds)
    sc = scenarios(ds)
    cols = colours(ds)
    u = units(ds)
    nrows, ncols = _grid(len(ms))
    fig, axes = style.new_figure(nrows, ncols, width=4.0 * ncols + 1.2,
                                 height=(0.45 * len(sc) + 1.7) * nrows + 0.6, squeeze=False)
    axes = axes.ravel()
    rng = np.random.default_rng(0)
    y = np.arange(len(sc))[::-1]
    for i, m in enumerate(ms):
        ax = axes[i]
        for yy, s in zip(y, sc):
            vals = ds["value"].sel(scenario=s, metric=m).values.astype(float)
            vals = vals[np.isfinite(vals)]
            jitter = rng.uniform(-0.15, 0.15, vals.size)
            ax.plot(vals, yy + jitter, "o", color=cols[s], alpha=0.45, ms=4, mew=0)
            mean = float(ds["mean"].sel(scenario=s, metric=m))
            lo = float(ds["ci_low"].sel(scenario=s, metric=m))
            hi = float(ds["ci_high"].sel(scenario=s, metric=m))
            if np.isfinite(mean):
                err = [[max(mean - lo, 0)], [max(hi - mean, 0)]] if np.isfinite(lo) else None
                ax.errorbar([mean], [yy], xerr=err, fmt="D", color="black", ms=5, capsize=4,
                            lw=1.5)
        ax.set_yticks(y)
        ax.set_yticklabels(sc)
        ax.set_title(_title(metric_label(ds, m)), loc="left")
        unit = unit_text(u.get(m, ""))
        label = metric_label(ds, m)
        label = i18n.t("with_unit", label=label, unit=unit) if unit else label
        ax.set_xlabel("\n".join(textwrap.wrap(label, 44)) or label)
        ax.grid(False, axis="y")
    for ax in axes[len(ms):]:
        ax.remove()
    fig.suptitle(i18n.t("fig_values_sup"), fontsize=11)
    _french_ticks(fig)
    return fig


def catalogue(ds):
    require(ds, ("scenario", "metric", *NEEDS), "a comparison's figures")
    if ds.sizes.get("scenario", 0) < 2:
        raise InputError(f"{source_of(ds)}: a comparison needs at least two scenarios")
    return [
        (FigureSpec("forest", i18n.t("fig_forest_title"), i18n.t("fig_forest_caption"),
                    fig_forest, NEEDS), None),
        (FigureSpec("values", i18n.t("fig_values_title"), i18n.t("fig_values_caption"),
                    fig_values, NEEDS), None),
    ]
