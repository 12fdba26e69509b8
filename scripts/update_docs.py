#!/usr/bin/python3
"""Regenerates the parameter table of docs/model.md from `cdpsim params`.

The table sits between two marker lines in docs/model.md:

    <!-- BEGIN GENERATED PARAMETER TABLE: scripts/update_docs.py -->
    ...output of `cdpsim params`, verbatim...
    <!-- END GENERATED PARAMETER TABLE -->

Usage (Debian's /usr/bin/python3; no third-party module needed):

    scripts/update_docs.py                       # rewrite the block if it changed
    scripts/update_docs.py --check               # exit 1 if the block is out of date
    scripts/update_docs.py path/to/cdpsim        # another binary (else $CDPSIM_BIN,
                                                 # else build/app/cdpsim)

Exit codes: 0 up to date (or rewritten), 1 out of date in --check mode, 2 usage or setup error
(binary missing, markers missing or duplicated).
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path

BEGIN = "<!-- BEGIN GENERATED PARAMETER TABLE: scripts/update_docs.py -->"
END = "<!-- END GENERATED PARAMETER TABLE -->"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOC = ROOT / "docs" / "model.md"
DEFAULT_BIN = Path("build") / "app" / "cdpsim"


class DocsError(Exception):
    """A setup problem: the binary cannot run or the markers are not where they must be."""


def resolve_binary(arg: str | None) -> Path:
    """The cdpsim binary: the argument, else $CDPSIM_BIN, else build/app/cdpsim (relative paths
    are taken from the current directory first, then from the source tree)."""
    value = arg or os.environ.get("CDPSIM_BIN") or str(DEFAULT_BIN)
    path = Path(value)
    if not path.is_absolute() and not path.exists():
        path = ROOT / path
    if not path.is_file() or not os.access(path, os.X_OK):
        raise DocsError(f"{value}: not an executable cdpsim binary "
                        "(build it: cmake --build build -j2 --target cdpsim)")
    return path


def parameter_table(binary: Path) -> str:
    """The Markdown table printed by `cdpsim params`, verbatim (ends with a newline)."""
    run = subprocess.run([str(binary), "params"], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise DocsError(f"{binary} params failed (exit {run.returncode}): {run.stderr.strip()}")
    if not run.stdout.startswith("| section |"):
        raise DocsError(f"{binary} params did not print the parameter table")
    return run.stdout if run.stdout.endswith("\n") else run.stdout + "\n"


def split_block(text: str, doc: Path) -> tuple[str, str, str]:
    """(text up to and including the BEGIN line, the block, text from the END line on)."""
    lines = text.splitlines(keepends=True)
    begins = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == END]
    if len(begins) != 1 or len(ends) != 1:
        raise DocsError(f"{doc}: expected exactly one line '{BEGIN}' and one line '{END}', "
                        f"found {len(begins)} and {len(ends)}")
    b, e = begins[0], ends[0]
    if e < b:
        raise DocsError(f"{doc}: the END marker comes before the BEGIN marker")
    if not lines[b].endswith("\n"):
        lines[b] += "\n"
    return "".join(lines[: b + 1]), "".join(lines[b + 1 : e]), "".join(lines[e:])


def generated_block(doc: Path) -> str:
    """The current content between the markers of `doc`."""
    return split_block(doc.read_text(encoding="utf-8"), doc)[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("binary", nargs="?", default=None,
                    help="cdpsim binary (default: $CDPSIM_BIN, else build/app/cdpsim)")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the generated block differs")
    ap.add_argument("--doc", type=Path, default=DEFAULT_DOC,
                    help="Markdown file holding the markers (default: docs/model.md)")
    args = ap.parse_args(argv)
    try:
        table = parameter_table(resolve_binary(args.binary))
        text = args.doc.read_text(encoding="utf-8")
        head, block, tail = split_block(text, args.doc)
    except (DocsError, OSError) as e:
        print(f"update_docs.py: error: {e}", file=sys.stderr)
        return 2
    if block == table:
        if not args.check:
            print(f"{args.doc}: parameter table already up to date")
        return 0
    if args.check:
        diff = list(difflib.unified_diff(block.splitlines(), table.splitlines(),
                                         "docs (current)", "cdpsim params", lineterm="", n=0))
        print(f"{args.doc}: the generated parameter table differs from `cdpsim params` "
              f"({len(diff)} diff lines); run scripts/update_docs.py to regenerate it",
              file=sys.stderr)
        for line in diff[:40]:
            print("  " + line, file=sys.stderr)
        if len(diff) > 40:
            print(f"  ... {len(diff) - 40} more lines", file=sys.stderr)
        return 1
    tmp = args.doc.with_name("." + args.doc.name + ".tmp")
    tmp.write_text(head + table + tail, encoding="utf-8")
    tmp.replace(args.doc)
    print(f"{args.doc}: parameter table regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
