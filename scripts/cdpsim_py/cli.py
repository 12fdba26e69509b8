"""Command-line entry points: ``cdpsim plot`` and ``cdpsim report``.

The C++ front end runs ``/usr/bin/python3 -m cdpsim_py plot|report ARGS`` with this folder on
PYTHONPATH; the same command works by hand:

    PYTHONPATH=scripts /usr/bin/python3 -m cdpsim_py plot out/passerelles.h5 -o out/figures

Exit codes: 0 success, 2 bad input or usage (a message on stderr, no traceback), 1 an unexpected
failure, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import InputError

OK, RUNTIME, BAD_INPUT, INTERRUPTED = 0, 1, 2, 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cdpsim",
        description="figures and reports from cdpsim output files (run, ensemble, comparison)")
    sub = p.add_subparsers(dest="command", required=True, metavar="{plot,report}")

    pl = sub.add_parser(
        "plot", help="write the figure set of an output file as PNG and SVG",
        description="Write the figures of a cdpsim output file (run, ensemble or comparison) "
                    "as PNG and SVG files.")
    pl.add_argument("file", type=Path, help="output file of cdpsim run, ensemble or compare")
    pl.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                    help="folder for the figures, created if missing (default: FILE-STEM-figures "
                         "next to the file)")
    pl.add_argument("--format", choices=("png", "svg", "both"), default="both",
                    help="file formats to write (default: both)")
    pl.add_argument("--force", action="store_true", help="replace existing figure files")
    pl.add_argument("--lang", choices=("fr", "en"), default=None,
                    help="language of the figures (default: French when LC_ALL or LANG starts "
                         "with fr, else English)")
    pl.add_argument("-q", "--quiet", action="store_true", help="no progress line and no summary")

    rp = sub.add_parser(
        "report", help="write a self-contained HTML report of an output file",
        description="Write one self-contained HTML file (figures embedded, no network needed) "
                    "that tells the story of a run, an ensemble or a comparison.")
    rp.add_argument("file", type=Path, help="output file of cdpsim run, ensemble or compare")
    rp.add_argument("-o", "--output", type=Path, default=None, metavar="REPORT.html",
                    help="the HTML file to write (default: FILE-STEM-report.html next to the "
                         "file)")
    rp.add_argument("--force", action="store_true", help="replace an existing report")
    rp.add_argument("--lang", choices=("fr", "en"), default=None,
                    help="language of the report (default: French when LC_ALL or LANG starts "
                         "with fr, else English); any file can be reported in either")
    rp.add_argument("-q", "--quiet", action="store_true", help="no progress line and no summary")
    return p


def _note(quiet: bool):
    def log(msg: str) -> None:
        if not quiet:
            print(f"note: {msg}", file=sys.stderr)
    return log


def cmd_plot(a) -> int:
    from .loader import load
    ds = load(a.file)  # bad input fails here, before the plotting modules are imported
    from .figure_set import default_folder, plot
    formats = ("png", "svg") if a.format == "both" else (a.format,)
    folder = a.output if a.output is not None else default_folder(a.file)
    written = plot(ds, folder, force=a.force, formats=formats, show_progress=not a.quiet,
                   log=_note(a.quiet), lang=a.lang)
    if not a.quiet:
        from . import i18n
        folder = written[0].parent if written else a.output
        names = sorted({p.stem for p in written})
        with i18n.language(a.lang):
            print(i18n.t("plot_summary", n=len(names), formats=", ".join(formats),
                         folder=folder, names=", ".join(names)))
    return OK


def cmd_report(a) -> int:
    from .loader import load
    ds = load(a.file)
    from .html_report import default_report_path, write_report
    output = a.output if a.output is not None else default_report_path(a.file)
    path = write_report(ds, output, force=a.force, show_progress=not a.quiet, lang=a.lang)
    if not a.quiet:
        from . import i18n
        with i18n.language(a.lang):
            print(i18n.t("report_written", path=path))
    return OK


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    name = f"cdpsim {args.command}"
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        if args.command == "plot":
            return cmd_plot(args)
        return cmd_report(args)
    except InputError as e:
        print(f"{name}: error: {e}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except MemoryError:
        print(f"{name}: error: out of memory", file=sys.stderr)
        return RUNTIME
    except BrokenPipeError:
        return RUNTIME
