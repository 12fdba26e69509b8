"""Colours, axes helpers and figure writing shared by every figure.

One colour per phase, tier, interaction mode and scenario, the same in every figure and report
(colour-blind-safe Okabe-Ito hues where a qualitative palette is needed). Figures are plain
``matplotlib.figure.Figure`` objects (no pyplot state, no display needed).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib.ticker
import numpy as np
from matplotlib.figure import Figure

from . import i18n
from .errors import InputError

PHASES = ("potential", "coalescing", "maturing", "stewardship", "transformation", "dissolved")
PHASE_COLOURS = {
    "potential": "#BBBBBB",
    "coalescing": "#E69F00",
    "maturing": "#56B4E9",
    "stewardship": "#0072B2",
    "transformation": "#CC79A7",
    "dissolved": "#444444",
}
TIERS = ("peripheral", "active", "core")
TIER_COLOURS = {"peripheral": "#9ECAE1", "active": "#3182BD", "core": "#08306B"}
MODE_COLOURS = {"in person": "#D55E00", "online": "#009E73"}
SERIES_COLOURS = {
    "members_total": "#0072B2",
    "members_active": "#E69F00",
    "knowledge_stock": "#0072B2",
    "boundary_objects": "#CC79A7",
    "support_hours_demanded": "#CC79A7",
    "support_hours_given": "#009E73",
    "contributions": "#0072B2",
    "spending_money": "#D55E00",
    "spending_hours": "#009E73",
}
# Scenarios take these colours in the order they are listed (the baseline first).
SCENARIO_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                    "#000000", "#F0E442", "#882255", "#44AA99", "#999933", "#AA4499")
PANDEMIC_COLOUR = "#F4A582"
# Interventions take these in the order the scenario lists them (Tol's muted hues: apart from the
# Okabe-Ito series colours above and from the pandemic's shading).
INTERVENTION_COLOURS = ("#882255", "#117733", "#332288", "#999933", "#44AA99", "#AA4499",
                        "#CC6677", "#6699CC")
INTERVENTION_ALPHA = 0.55   # the strips of weeks in force
INTERRUPTED_COLOUR = "#B2182B"
BAND_ALPHA = {50: 0.35, 90: 0.15}

RC = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.fonttype": "none",      # text stays text in SVG (searchable, smaller)
    "svg.hashsalt": "cdpsim",    # reproducible SVG ids
}


def scenario_colours(names) -> dict[str, str]:
    """One colour per scenario name, by order of appearance (the baseline first)."""
    out: dict[str, str] = {}
    for name in names:
        if name not in out:
            out[name] = SCENARIO_PALETTE[len(out) % len(SCENARIO_PALETTE)]
    return out


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 8.0, height: float = 4.2,
               sharex: bool = False, sharey: bool = False, squeeze: bool = True,
               width_ratios=None, height_ratios=None):
    """A Figure with a grid of axes, in the package's style."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=squeeze,
                            width_ratios=width_ratios, height_ratios=height_ratios)
    return fig, axes


def style_axes(ax) -> None:
    """Re-applies the style to axes created outside ``new_figure`` (rc applies at creation)."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(True, alpha=0.3)


# matplotlib writes month abbreviations with the C locale's strftime: French ones instead.
_MONTHS_FR = {"Jan": "janv.", "Feb": "févr.", "Mar": "mars", "Apr": "avr.", "May": "mai",
              "Jun": "juin", "Jul": "juil.", "Aug": "août", "Sep": "sept.", "Oct": "oct.",
              "Nov": "nov.", "Dec": "déc."}


def _french_months(text: str) -> str:
    for en, fr in _MONTHS_FR.items():
        text = text.replace(en, fr)
    return text


class _FrenchConciseDateFormatter(mdates.ConciseDateFormatter):
    """ConciseDateFormatter with French month names (the locale of the process may be C)."""

    def __call__(self, x, pos=None):
        return _french_months(super().__call__(x, pos))

    def format_ticks(self, values):
        return [_french_months(s) for s in super().format_ticks(values)]

    def get_offset(self):
        return _french_months(super().get_offset())


def date_axis(ax, label: str = "Date") -> None:
    """Concise calendar-date ticks on the x axis, month names in the current language."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    cls = _FrenchConciseDateFormatter if i18n.current() == "fr" else mdates.ConciseDateFormatter
    ax.xaxis.set_major_formatter(cls(locator))
    ax.set_xlabel(label)


def shade_periods(ax, dates, intensity, label: str = "pandemic", colour: str = PANDEMIC_COLOUR):
    """Shades every stretch of weeks where ``intensity`` > 0; returns the number of stretches.

    A week's row covers the week that starts on its date, so a stretch runs from the first
    week's date to the date after its last week.
    """
    intensity = np.asarray(intensity, dtype=float)
    dates = np.asarray(dates)
    if intensity.size == 0 or dates.size == 0:
        return 0
    on = intensity > 0
    n = 0
    i = 0
    week = np.timedelta64(7, "D")
    while i < on.size:
        if not on[i]:
            i += 1
            continue
        j = i
        while j + 1 < on.size and on[j + 1]:
            j += 1
        ax.axvspan(dates[i], dates[j] + week, color=colour, alpha=0.25, lw=0,
                   label=label if n == 0 else None, zorder=0)
        n += 1
        i = j + 1
    return n


def intervention_colour(i: int) -> str:
    return INTERVENTION_COLOURS[i % len(INTERVENTION_COLOURS)]


def mark_interventions(ax, marks, xlim=None, *, labels: bool = True, legend: bool = True,
                       spans: bool = True, outline: bool = False, headroom: bool = True) -> None:
    """Marks interventions on a time axis (x in dates).

    Each mark has ``name``, ``colour``, ``start`` and ``end`` (a date or None: no line),
    ``start_label`` and ``end_label`` (the text at each line), ``spans`` ([(from, to)] dates:
    the weeks in force) and ``legend`` (the legend entry of its first span, or of its start line
    when it has no span). A start is a solid line, an end a dashed one, both across the axes.
    The weeks in force are shaded in a strip along the top of the axes, one strip per
    intervention (overlapping interventions stay apart); below the strips, the labels sit beside
    their lines, stacked in lanes so that the labels of nearby lines never overlap.

    ``xlim`` (first, last date) is the range the labels are packed in (default: the current
    one); ``outline`` draws the lines with a white edge (on a heat map); ``headroom`` raises the
    top of a linear y axis so that the strips and labels sit above the data.
    """
    marks = [m for m in marks if m.start is not None or m.end is not None or m.spans]
    if not marks:
        return
    if xlim is None:
        lo, hi = ax.get_xlim()
    else:
        lo, hi = (float(mdates.date2num(np.datetime64(x))) for x in xlim)
    effects = None
    if outline:
        from matplotlib import patheffects
        effects = [patheffects.withStroke(linewidth=3.0, foreground="white")]
    height_pt = max(1.0, ax.figure.get_figheight() * 72.0 * ax.get_position().height)
    strips = [m for m in marks if m.spans] if spans else []
    pending = []  # (x, text, colour, text on the left of the line)
    for m in marks:
        legend_used = not legend
        if m in strips:
            k = strips.index(m)
            top = 1.0 - k * (STRIP_POINTS + STRIP_GAP) / height_pt
            for a, b in m.spans:
                ax.axvspan(float(mdates.date2num(a)), float(mdates.date2num(b)),
                           ymin=top - STRIP_POINTS / height_pt, ymax=top, color=m.colour,
                           alpha=INTERVENTION_ALPHA, lw=0, zorder=6,
                           label=f"_intervention span: {m.name}" if legend_used else m.legend)
                legend_used = True
        for which, date, ls in (("start", m.start, "-"), ("end", m.end, "--")):
            if date is None:
                continue
            x = float(mdates.date2num(date))
            ax.axvline(x, color=m.colour, ls=ls, lw=1.2, zorder=4, path_effects=effects,
                       label=(m.legend if not legend_used and which == "start"
                              else f"_intervention {which}: {m.name}"))
            legend_used = legend_used or which == "start"
            if labels:
                pending.append((x, m.start_label if which == "start" else m.end_label,
                                m.colour, which == "end"))
    below = len(strips) * (STRIP_POINTS + STRIP_GAP)
    lanes = _lane_labels(ax, pending, lo, hi, below) if pending and hi > lo else 0
    if headroom:
        _make_headroom(ax, below + (4.0 + LANE_POINTS * lanes if lanes else 2.0), height_pt)


LABEL_FONTSIZE = 7
LANE_POINTS = 10.5   # height of a lane of labels
STRIP_POINTS = 5.0   # height of an intervention's strip of weeks in force
STRIP_GAP = 1.5


def _make_headroom(ax, points: float, height_pt: float) -> None:
    """Raises the top of a linear, upright y axis by ``points`` of the axes' height."""
    if ax.get_yscale() != "linear":
        return
    bottom, top = ax.get_ylim()
    if top <= bottom:
        return
    frac = min(0.45, points / height_pt)
    ax.set_ylim(bottom, bottom + (top - bottom) / (1.0 - frac))


def _lane_labels(ax, pending, lo: float, hi: float, below: float = 0.0) -> int:
    """Labels at the top of the axes (``below`` points under its top edge), each at its line,
    packed into lanes (greedy: the highest lane where it overlaps no other label); a label that
    would cross the axes' edge is put on the other side of its line. Returns the lanes used."""
    fig = ax.figure
    width_pt = max(1.0, fig.get_figwidth() * 72.0 * ax.get_position().width)
    lanes: list[list[tuple[float, float]]] = []
    for x, text, colour, left in sorted(pending, key=lambda p: p[0]):
        xf = (x - lo) / (hi - lo)
        w = (0.58 * LABEL_FONTSIZE * len(text) + 6.0) / width_pt
        if left and xf - w < 0:
            left = False
        elif not left and xf + w > 1:
            left = True
        span = (xf - w, xf) if left else (xf, xf + w)
        lane = next((k for k, used in enumerate(lanes)
                     if all(span[1] + 0.005 < a or span[0] - 0.005 > b for a, b in used)), None)
        if lane is None:
            lanes.append([])
            lane = len(lanes) - 1
        lanes[lane].append(span)
        ax.annotate(text, xy=(x, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(-2.5 if left else 2.5, -2.0 - below - LANE_POINTS * lane),
                    textcoords="offset points", ha="right" if left else "left", va="top",
                    fontsize=LABEL_FONTSIZE, color=colour, zorder=7, annotation_clip=False,
                    bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.8))
    return len(lanes)


BRANCH_COLOUR = "#5b3f8c"


def mark_interrupted(ax, date, weeks_completed: int, weeks_planned: int | None = None,
                     text: bool = True) -> None:
    """A dashed vertical line at the last simulated week, with 'interrupted at week N'."""
    ax.axvline(date, color=INTERRUPTED_COLOUR, ls="--", lw=1.2, zorder=5)
    if text:
        msg = interrupted_text(weeks_completed, weeks_planned)
        # Just above the top-right corner of the axes: it never covers data.
        ax.text(1.0, 1.01, msg, transform=ax.transAxes, ha="right", va="bottom",
                color=INTERRUPTED_COLOUR, fontsize=9, fontweight="bold",
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=INTERRUPTED_COLOUR, lw=0.8),
                zorder=6)


def mark_branch(ax, ds, dates, text: bool = True) -> None:
    """A solid line at the week a branch left its checkpoint (docs/checkpoints.md): the history
    before it is shared with the run the checkpoint came from."""
    week = int(ds.attrs.get("branch_week", -1))
    if week < 0 or week >= len(dates):
        return
    ax.axvline(dates[week], color=BRANCH_COLOUR, ls="-", lw=1.4, zorder=5)
    if text:
        day = dt.date.fromisoformat(str(np.datetime64(dates[week], "D")))
        label = i18n.t("branch_at", week=week, date=i18n.date(day))
        ax.text(0.0, 1.01, label, transform=ax.transAxes, ha="left", va="bottom",
                color=BRANCH_COLOUR, fontsize=9,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=BRANCH_COLOUR, lw=0.8),
                zorder=6)


def interrupted_text(weeks_completed: int, weeks_planned: int | None = None) -> str:
    if weeks_planned:
        return i18n.t("interrupted_at_of", done=int(weeks_completed), planned=int(weeks_planned))
    return i18n.t("interrupted_at", done=int(weeks_completed))


def outside_legend(ax, **kw) -> None:
    """A legend below the axes, so it never covers the data."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    ncol = kw.pop("ncol", 4)
    # As many columns as fit in about 90 characters of labels.
    per_item = max(len(str(lb)) for lb in labels) + 6
    ncol = max(1, min(ncol, len(handles), 90 // per_item))
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=ncol,
              frameon=False, **kw)


def legend_below(ax, handles, labels, ncol: int = 2) -> None:
    """A legend of the given entries below ``ax`` (under its date axis, as outside_legend), for
    the lowest panel of a figure whose entries come from several panels."""
    if not handles:
        return
    per_item = max(len(str(lb)) for lb in labels) + 6
    ncol = max(1, min(ncol, len(handles), 90 // per_item))
    height = max(0.5, ax.figure.get_figheight() * ax.get_position().height)
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.6 / height),
              ncol=ncol, frameon=False)


def thousands(ax, axis: str = "y") -> None:
    """Tick labels with thousands separators (1,200 rather than 1200)."""
    import matplotlib.ticker as mticker
    lang = i18n.current()  # the language now, not the one at drawing time

    def label(v, _pos):
        with i18n.language(lang):
            return i18n.tick(f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(mticker.FuncFormatter(label))


class _FrenchScalarFormatter(matplotlib.ticker.ScalarFormatter):
    """matplotlib's default tick labels with a decimal comma."""

    def __call__(self, x, pos=None):
        return super().__call__(x, pos).replace(".", ",")

    def get_offset(self):
        return super().get_offset().replace(".", ",")


def localize_ticks(fig: Figure) -> Figure:
    """In French, decimal commas on every axis that still has matplotlib's default number
    labels (the others are dates, categories or already formatted); returns ``fig``."""
    if i18n.current() != "fr":
        return fig
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if type(fmt) is matplotlib.ticker.ScalarFormatter:
                axis.set_major_formatter(_FrenchScalarFormatter())
    return fig


# --- writing --------------------------------------------------------------------------------------

def prepare_folder(folder: Path, what: str) -> Path:
    """Creates ``folder`` if needed and checks it is writable; InputError otherwise."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{folder}: cannot create the {what} folder ({e.strerror or e})") from None
    check_writable(folder)
    return folder


def check_writable(folder: Path) -> None:
    """InputError when files cannot be created in ``folder`` (tested by creating one)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"folder {folder} does not exist")
    probe = folder / f".cdpsim-write-test-{os.getpid()}"
    try:
        with open(probe, "wb"):
            pass
    except OSError:
        raise InputError(f"folder {folder} is not writable") from None
    finally:
        try:
            probe.unlink()
        except OSError:
            pass


def check_targets(paths, force: bool) -> None:
    """InputError when an output file exists and ``force`` is false (nothing is written then)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            raise InputError(f"{p}: is a folder")
        if p.exists() and not force:
            raise InputError(f"{p}: already exists (use --force to replace it)")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Writes under a temporary name in the same folder, then renames: never a partial file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise InputError(f"{path}: cannot write ({e.strerror or e})") from None


def figure_bytes(fig: Figure, fmt: str, dpi: int = 120) -> bytes:
    """The figure rendered as PNG or SVG bytes (reproducible: no date in the metadata)."""
    import io
    buf = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
    return buf.getvalue()


def save_figure(fig: Figure, folder: Path, name: str, formats=("png", "svg")) -> list[Path]:
    """Writes ``folder/name.png`` and ``folder/name.svg``; returns the paths."""
    out = []
    for fmt in formats:
        path = Path(folder) / f"{name}.{fmt}"
        atomic_write_bytes(path, figure_bytes(fig, fmt))
        out.append(path)
    return out
