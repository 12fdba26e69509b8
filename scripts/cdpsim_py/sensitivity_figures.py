"""Figures and report of a sensitivity analysis (output_kind = "sensitivity", `cdpsim sensitivity`).

The file holds, per stratum, metric and lever, the influence (Sobol ST with S1, or Morris mu*
with mu and sigma) with 95% bootstrap intervals, the noise floor (the upper bound of the dummy
lever's interval) and the flag ``influential`` (the lever's interval lies above it).

    ds = cdpsim_py.load("passerelles-sensitivity.h5")
    fig = tornado(ds, stratum="all")      # levers ranked by influence, one panel per metric
    fig = heatmap(ds)                     # lever x stratum, one panel per metric
"""

from __future__ import annotations

import math
import re

import numpy as np

from . import i18n, style
from .errors import InputError
from .loader import require, source_of
from .metrics import metric_label
from .run_figures import FigureSpec

DUMMY = "dummy"
DUMMY_COLOUR = "#999999"
INFLUENTIAL_COLOUR = "#0072B2"
WEAK_COLOUR = "#A6CEE3"
FIRST_ORDER_COLOUR = "#E69F00"


def method(ds) -> str:
    return str(ds.attrs.get("method", "sobol"))


def measure(ds) -> str:
    """The influence variable: ST (Sobol) or mu_star (Morris)."""
    return "ST" if method(ds) == "sobol" else "mu_star"


def measure_label(ds) -> str:
    """The influence measure as the object of "ranked by" (with its article in French)."""
    return i18n.term("measure", "sobol" if method(ds) == "sobol" else "morris")


def metric_title(ds, m: str) -> str:
    """A metric as panels and headings name it: its key in English (as typed on the command
    line), its label in French."""
    if i18n.current() == "en":
        return m
    label = metric_label(ds, m)
    return label[:1].upper() + label[1:]


def strata(ds) -> list[str]:
    return [str(s) for s in ds["stratum"].values]


def metrics(ds) -> list[str]:
    return [str(m) for m in ds["metric"].values]


def levers(ds) -> list[str]:
    return [str(x) for x in ds["lever"].values]


def strata_with_indices(ds) -> list[str]:
    """Strata where at least one metric has indices (an empty cohort has none)."""
    values = ds[measure(ds)].values  # (stratum, metric, lever)
    return [s for s, v in zip(strata(ds), values) if np.isfinite(v).any()]


def file_name(stratum: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stratum).strip("-") or "stratum"


def _grid(n: int):
    ncols = 1 if n == 1 else 2
    return int(math.ceil(n / ncols)), ncols


def tornado(ds, stratum: str | None = None):
    """Levers ranked by influence with their 95% intervals, one panel per metric.

    The dummy's bar is grey and the dashed line is the noise floor; a lever is influential (dark
    bar) when its whole interval lies to the right of that line. For Sobol indices the first-order
    index S1 is drawn as a thin orange bar inside each ST bar.
    """
    ms = metrics(ds)
    st = strata(ds)
    stratum = stratum if stratum is not None else (strata_with_indices(ds) or st)[0]
    if stratum not in st:
        raise InputError(f"{source_of(ds)}: no stratum '{stratum}' (allowed: {', '.join(st)})")
    lv = levers(ds)
    meas = measure(ds)
    sobol = method(ds) == "sobol"
    nrows, ncols = _grid(len(ms))
    fig, axes = style.new_figure(nrows, ncols, width=5.2 * ncols + 0.8,
                                 height=(0.26 * len(lv) + 1.3) * nrows + 0.7, squeeze=False)
    axes = axes.ravel()
    for ax, m in zip(axes, ms):
        sel = dict(stratum=stratum, metric=m)
        val = ds[meas].sel(**sel).values.astype(float)
        lo = ds[f"{meas}_ci_low"].sel(**sel).values.astype(float)
        hi = ds[f"{meas}_ci_high"].sel(**sel).values.astype(float)
        infl = ds["influential"].sel(**sel).values
        floor = float(ds["noise_floor"].sel(**sel))
        ok = np.isfinite(val)
        if not ok.any():
            ax.text(0.5, 0.5, i18n.t("sf_no_indices"), ha="center", va="center",
                    transform=ax.transAxes, color="#666666")
            ax.set_title(metric_title(ds, m), loc="left")
            ax.set_axis_off()
            continue
        order = [i for i in np.argsort(-np.where(ok, val, -np.inf), kind="stable") if ok[i]]
        y = np.arange(len(order))[::-1]
        colours = [DUMMY_COLOUR if lv[i] == DUMMY else
                   INFLUENTIAL_COLOUR if infl[i] == 1 else WEAK_COLOUR for i in order]
        ax.barh(y, val[order], color=colours, height=0.7, zorder=2)
        err_lo = np.where(np.isfinite(lo[order]), np.maximum(val[order] - lo[order], 0), 0)
        err_hi = np.where(np.isfinite(hi[order]), np.maximum(hi[order] - val[order], 0), 0)
        ax.errorbar(val[order], y, xerr=[err_lo, err_hi], fmt="none", ecolor="#333333",
                    capsize=2.5, lw=1, zorder=3)
        if sobol:
            s1 = ds["S1"].sel(**sel).values.astype(float)[order]
            ax.barh(y, np.clip(np.nan_to_num(s1), 0, None), color=FIRST_ORDER_COLOUR,
                    height=0.25, zorder=4, label=i18n.t("sf_first_order"))
        if np.isfinite(floor):
            ax.axvline(floor, color="#B2182B", lw=1.2, ls="--", zorder=5,
                       label=i18n.t("sf_noise_floor", x=i18n.localize(f"{floor:.3g}")))
        ax.set_yticks(y)
        ax.set_yticklabels([i18n.input_name(lv[i]) for i in order])
        ax.set_ylim(-0.7, len(order) - 0.3)
        ax.set_xlim(left=min(0.0, float(np.nanmin(np.append(lo[order], 0)))))
        ax.set_xlabel(i18n.t("sf_axis", measure=meas.replace("_star", "*")))
        ax.set_title(metric_title(ds, m), loc="left")
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    for ax in axes[len(ms):]:
        ax.remove()
    reps = ds.attrs.get("replicates", "?")
    fig.suptitle(i18n.t("sf_tornado_sup", measure=measure_label(ds), stratum=i18n.stratum(stratum),
                        points=ds.attrs.get("points", "?"), reps=reps), fontsize=11)
    return fig


def heatmap(ds):
    """Influence of each lever (rows) in each stratum (columns), one panel per metric.

    Cells show the value; a dot marks an influential lever; blank columns are strata without
    indices. Rows follow the mean rank over the strata.
    """
    ms = metrics(ds)
    shown = strata_with_indices(ds)
    st = strata(ds)
    lv = levers(ds)
    meas = measure(ds)
    cols = [st.index(s) for s in shown]
    nrows, ncols = _grid(len(ms))
    fig, axes = style.new_figure(nrows, ncols,
                                 width=(0.9 * len(shown) + 3.2) * ncols + 0.8,
                                 height=(0.3 * len(lv) + 1.8) * nrows + 0.6, squeeze=False)
    axes = axes.ravel()
    for ax, m in zip(axes, ms):
        val = ds[meas].sel(metric=m).values.astype(float)[cols]       # (stratum, lever)
        infl = ds["influential"].sel(metric=m).values[cols]
        rank = ds["rank"].sel(metric=m).values[cols].astype(float)
        rank[rank <= 0] = np.nan
        with np.errstate(all="ignore"):
            mean_rank = np.nanmean(np.where(np.isfinite(rank), rank, np.nan), axis=0)
        order = np.argsort(np.where(np.isfinite(mean_rank), mean_rank, np.inf), kind="stable")
        grid = val[:, order].T                                          # (lever, stratum)
        vmax = float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0
        im = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap="viridis", vmin=0,
                       vmax=max(vmax, 1e-12))
        for r, i in enumerate(order):
            for c in range(len(cols)):
                v = grid[r, c]
                if not np.isfinite(v):
                    continue
                text = i18n.localize(f"{v:.2f}" if abs(v) < 100 else f"{v:.3g}")
                colour = "white" if v < 0.55 * vmax else "black"
                ax.text(c, r, text + (" •" if infl[c, i] == 1 else ""), ha="center",
                        va="center", fontsize=7, color=colour)
        ax.set_xticks(range(len(cols)))
        ax.set_xticklabels([i18n.stratum(s) for s in shown], rotation=35, ha="right")
        ax.set_yticks(range(len(order)))
        ax.set_yticklabels([i18n.input_name(lv[i]) for i in order])
        ax.grid(False)
        ax.set_title(metric_title(ds, m), loc="left")
        fig.colorbar(im, ax=ax, shrink=0.8, label=meas.replace("_star", "*"))
    for ax in axes[len(ms):]:
        ax.remove()
    fig.suptitle(i18n.t("sf_heat_sup_sobol" if method(ds) == "sobol" else "sf_heat_sup_morris"),
                 fontsize=11)
    return fig


def noise(ds):
    """Share of the variance of the point means that is replicate noise, per stratum and metric."""
    ms = metrics(ds)
    shown = strata_with_indices(ds)
    share = ds["noise_share"].sel(stratum=shown).values.astype(float)  # (stratum, metric)
    fig, ax = style.new_figure(1, 1, width=max(5.0, 1.1 * len(shown) * len(ms) ** 0.5 + 3),
                               height=3.6)
    x = np.arange(len(shown))
    width = 0.8 / max(len(ms), 1)
    palette = style.SCENARIO_PALETTE
    for j, m in enumerate(ms):
        ax.bar(x + (j - (len(ms) - 1) / 2) * width, 100 * np.nan_to_num(share[:, j]), width,
               color=palette[j % len(palette)], label=metric_title(ds, m))
    ax.set_xticks(x)
    ax.set_xticklabels([i18n.stratum(s) for s in shown], rotation=35, ha="right")
    ax.set_ylabel(i18n.t("sf_noise_axis"))
    ax.grid(False, axis="x")
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(i18n.t("sf_noise_title", reps=ds.attrs.get("replicates", "?")), loc="left")
    return fig


def _check(ds) -> None:
    if str(ds.attrs.get("status", "complete")) != "complete":
        raise InputError(f"{source_of(ds)}: the sensitivity analysis was interrupted before its "
                         "indices were computed; finish it with the same cdpsim sensitivity "
                         "command and --resume")
    meas = measure(ds)
    require(ds, ("stratum", "metric", "lever", meas, f"{meas}_ci_low", f"{meas}_ci_high",
                 "influential", "rank", "noise_floor", "noise_share"),
            "a sensitivity analysis's figures")


def catalogue(ds):
    _check(ds)
    shown = strata_with_indices(ds)
    specs = []
    for s in shown or strata(ds)[:1]:
        name = "tornado" if len(strata(ds)) == 1 else f"tornado-{file_name(s)}"
        specs.append((FigureSpec(name, i18n.t("sf_tornado_title", stratum=i18n.stratum(s)),
                                 i18n.t("sf_tornado_caption"), lambda d, s=s: tornado(d, s)),
                      None))
    reason = None if len(shown) > 1 else i18n.t("sf_single_stratum")
    specs.append((FigureSpec("heatmap", i18n.t("sf_heat_title"), i18n.t("sf_heat_caption"),
                             heatmap), reason))
    specs.append((FigureSpec("noise", i18n.t("sf_noise_fig_title"), i18n.t("sf_noise_caption"),
                             noise), None))
    return specs
