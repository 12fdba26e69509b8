"""HTML building blocks of the reports: the style sheet, escaping, number formats, tables and
embedded figures. No knowledge of output kinds."""

from __future__ import annotations

import base64
import html

import numpy as np

from . import i18n
from . import scenario as scen_mod
from . import style

CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
       background: #fafafa; margin: 0; line-height: 1.5; }
main { max-width: 980px; margin: 0 auto; padding: 1.5em 2em 3em; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: 0.1em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; padding-bottom: 0.15em;
     margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
p.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f0f4f8; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.92em; }
.warning { border-left: 5px solid #B2182B; background: #fbeaea; padding: 0.6em 1em; }
.verdict { margin: 0.4em 0; }
.verdict.better { border-left: 4px solid #009E73; padding-left: 0.6em; }
.verdict.worse { border-left: 4px solid #D55E00; padding-left: 0.6em; }
.verdict.neutral { border-left: 4px solid #0072B2; padding-left: 0.6em; }
.verdict.unclear { border-left: 4px solid #999999; padding-left: 0.6em; }
ul.story li { margin: 0.3em 0; }
code { background: #f3f3f3; padding: 0 0.2em; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; }
"""


def esc(x) -> str:
    return html.escape(str(x), quote=True)


def fmt(x, digits: int = 0) -> str:
    return scen_mod.number(x, digits)


def fmt_sig(x, sig: int = 3) -> str:
    """``x`` with ``sig`` significant digits (no exponent; thousands separators), in the current
    language ("1,234" / "1 234")."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not np.isfinite(x):
        return i18n.t("n_a")
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 10 ** (sig - 1):
        return i18n.localize(f"{x:,.0f}")
    digits = max(0, sig - 1 - int(np.floor(np.log10(a))))
    return i18n.localize(f"{x:,.{digits}f}")


def pct(x) -> str:
    """0.25 -> "25%" ("25 %" in French); n/a for a missing value."""
    return i18n.pct(x)


def date_text(d) -> str:
    d = np.datetime64(d, "D").astype(object)
    return scen_mod.nice_date(d)


def figure_html(spec, fig) -> str:
    data = base64.b64encode(style.figure_bytes(fig, "png", dpi=110)).decode("ascii")
    return (f'<figure id="fig-{esc(spec.name)}">\n<h3>{esc(spec.title)}</h3>\n'
            f'<img alt="{esc(spec.title)}" src="data:image/png;base64,{data}">\n'
            f"<figcaption>{esc(spec.caption)}</figcaption>\n</figure>")


def table_html(rows, header=None) -> str:
    out = ["<table>"]
    if header:
        out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            cls = ' class="num"' if i > 0 and numeric(c) else ""
            cells.append(f"<td{cls}>{esc(c)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def numeric(c) -> bool:
    s = str(c).replace(i18n.NNBSP, "").replace(i18n.NBSP, " ")
    s = s.replace(",", ".") if i18n.current() == "fr" else s.replace(",", "")
    s = s.replace("%", "").replace(" h", "").strip()
    try:
        float(s.split()[0])
        return True
    except (ValueError, IndexError):
        return False
