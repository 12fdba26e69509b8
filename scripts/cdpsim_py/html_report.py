"""One self-contained HTML file that tells the story of a run, an ensemble or a comparison.

Figures are embedded as base64 PNG images, the style sheet is inline, and nothing refers to the
network, so the file can be mailed and opened anywhere.

    cdpsim_py.report("out/passerelles.h5", "out/passerelles-report.html")
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import compare_report, ensemble_report, i18n, run_report, sensitivity_report, style
from .errors import InputError
from .figure_set import catalogue
from .html_parts import CSS, esc
from .loader import kind_of, load, source_of
from .progress import Progress

_BODIES = {"run": run_report.report_body, "ensemble": ensemble_report.report_body,
           "sensitivity": sensitivity_report.report_body,
           "comparison": compare_report.report_body}


def report_html(ds, *, show_progress: bool = False, lang: str | None = None) -> str:
    """The HTML text of the report of a loaded output file (any kind), in ``lang`` ("fr" or
    "en"; None: from the locale, i18n.default_lang())."""
    with i18n.language(lang) as lang:
        return _report_html(ds, show_progress, lang)


def _report_html(ds, show_progress: bool, lang: str) -> str:
    kind = kind_of(ds)
    specs = [s for s, r in catalogue(ds) if r is None]
    bar = Progress("cdpsim report", len(specs), "figures", enabled=show_progress)
    try:
        title, body = _BODIES[kind](ds, bar)
    finally:
        bar.done()
    version = ds.attrs.get("cdpsim_version", "?")
    today = dt.date.today().isoformat()
    if lang == "fr":
        today = i18n.date(dt.date.today())
    footer = ("<footer>" + i18n.t("footer", today=esc(today), source=esc(Path(source_of(ds)).name),
                                  version=esc(version),
                                  kind=esc(i18n.quote(i18n.term("kind", ds.attrs.get("output_kind", "?")))))
              + "</footer>")
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n" + footer + "\n</main>\n</body>\n</html>\n")


def report(path, output=None, *, force: bool = False, show_progress: bool = False,
           lang: str | None = None) -> Path:
    """The report of ``path`` (a file or a loaded Dataset) written to ``output``; see write_report."""
    return write_report(path, output, force=force, show_progress=show_progress, lang=lang)


def default_report_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}-report.html")


def write_report(path, output=None, *, force: bool = False, show_progress: bool = True,
                 lang: str | None = None) -> Path:
    """Writes the HTML report of the output file ``path``; returns the report's path.

    The input is checked before anything is written; an existing report is replaced only with
    ``force``; the folder must exist and be writable (InputError otherwise). ``path`` may also
    be a Dataset returned by ``load`` (``output`` is then required).
    """
    ds = path if hasattr(path, "data_vars") else load(path)
    if output is None and ds is path:
        raise InputError("write_report(dataset) needs an output path")
    with i18n.language(lang):
        catalogue(ds)  # InputError for a missing variable, before any work
    out = Path(output) if output is not None else default_report_path(Path(path))
    if not out.parent.is_dir():
        raise InputError(f"{out}: folder {out.parent} does not exist")
    style.check_targets([out], force)
    style.check_writable(out.parent)
    text = report_html(ds, show_progress=show_progress, lang=lang)
    style.atomic_write_bytes(out, text.encode("utf-8"))
    return out
