"""The figure set of any output file, and writing it as PNG and SVG.

    import cdpsim_py
    ds = cdpsim_py.load("out/passerelles.h5")
    figs = cdpsim_py.figures(ds)                 # {name: matplotlib Figure}
    cdpsim_py.plot("out/passerelles.h5", "out/figures")   # writes NAME.png and NAME.svg
"""

from __future__ import annotations

from pathlib import Path

from . import i18n, style
from .errors import InputError
from .loader import kind_of, load
from .progress import Progress

FORMATS = ("png", "svg")


def catalogue(ds):
    """[(FigureSpec, skip_reason or None)] for ``ds``; InputError if a needed variable is missing."""
    kind = kind_of(ds)
    if kind == "run":
        from . import run_figures
        run_figures.check_run(ds)
        return run_figures.applicable(ds)
    if kind == "ensemble":
        from . import ensemble_figures
        return ensemble_figures.catalogue(ds)
    if kind == "comparison":
        from . import compare_figures
        return compare_figures.catalogue(ds)
    if kind == "sensitivity":
        from . import sensitivity_figures
        return sensitivity_figures.catalogue(ds)
    raise InputError(f"unsupported output kind '{kind}'")


def figures(ds, *, progress: Progress | None = None) -> dict:
    """{name: Figure} of every figure that applies to ``ds`` (a loaded output file), in the
    current language (i18n.language)."""
    out = {}
    for spec, reason in catalogue(ds):
        if reason is not None:
            continue
        out[spec.name] = build(spec, ds)
        if progress:
            progress.step(spec.name)
    return out


def build(spec, ds):
    """The figure of ``spec`` for ``ds``, its tick labels in the current language."""
    return style.localize_ticks(spec.build(ds))


def default_folder(path: Path) -> Path:
    """``DIR/STEM-figures`` next to the input file."""
    path = Path(path)
    return path.with_name(f"{path.stem}-figures")


def plot(path, out_dir=None, *, force: bool = False, formats=FORMATS, show_progress=True,
         log=None, lang: str | None = None) -> list[Path]:
    """Writes every figure of the output file ``path`` to ``out_dir`` as PNG and SVG.

    ``path`` may also be a Dataset returned by ``load`` (``out_dir`` is then required).

    Checks everything before writing anything: the input (InputError for a file that is not
    cdpsim output or lacks a variable), the folder (created if missing; InputError when it
    cannot be created or written) and existing figure files (InputError unless ``force``).
    Returns the files written. ``log(message)`` receives notes such as skipped figures.
    ``lang`` ("fr" or "en"; None: from the locale) is the language of the figures' text.
    """
    ds = path if hasattr(path, "data_vars") else load(path)
    with i18n.language(lang):
        return _plot(ds, out_dir, force, formats, show_progress, log,
                     None if ds is path else Path(path))


def _plot(ds, out_dir, force, formats, show_progress, log, source: Path | None) -> list[Path]:
    specs = catalogue(ds)
    if out_dir is None and source is None:
        raise InputError("plot(dataset) needs an output folder")
    folder = Path(out_dir) if out_dir is not None else default_folder(source)
    pending = [s for s, r in specs if r is None]
    skipped = [(s, r) for s, r in specs if r is not None]
    targets = [folder / f"{s.name}.{fmt}" for s in pending for fmt in formats]
    if folder.exists():
        style.check_targets(targets, force)
    style.prepare_folder(folder, "figures")
    style.check_targets(targets, force)
    bar = Progress("cdpsim plot", len(pending), "figures", enabled=show_progress)
    written: list[Path] = []
    try:
        for spec in pending:
            bar.show(f"drawing {spec.name}")
            fig = build(spec, ds)
            written += style.save_figure(fig, folder, spec.name, formats)
            bar.step(f"{spec.name} done")
    finally:
        bar.done()
    if log:
        for spec, reason in skipped:
            if not spec.extra.get("quiet_skip"):  # a single territory is the usual case
                log(i18n.t("log_skipped", name=spec.name, reason=reason))
    return written
