"""The metric table as an output file states it (cdpsim's experiments/metrics/metrics.cpp).

Compare, ensemble and sensitivity files carry, over their ``metric`` axis, each metric's unit,
label, meaning, direction, when it is measured, whether ``cdpsim compare`` reports it by default,
the verdict phrases and the display scale: readers take them from here, not from a copy.
Files written before the table had only ``metric_units``: names stand in for labels then.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n

DIRECTIONS = {"higher_is_better": 1, "lower_is_better": -1, "neutral": 0}


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    label: str
    meaning: str
    direction: int          # 1 higher is better, -1 lower is better, 0 neutral
    when: str               # "at" the last week or "over" the run
    compare_default: bool
    more: str               # how a positive difference reads; {x}: its size
    fewer: str
    scale: float            # shown value = value * scale
    unit_word: str          # appended to a shown difference


def _strings(ds, var: str, n: int) -> list[str] | None:
    return [str(v) for v in ds[var].values] if var in ds else None


def metric_table(ds) -> dict[str, Metric]:
    """{name: Metric} for the file's metric axis, in its order (empty without one).

    In French (i18n.current()), the labels, verdict phrases and display units are the file's
    ``metric_*_fr`` variables; files written before them fall back to the English ones.
    """
    if "metric" not in ds.dims:
        return {}
    names = [str(m) for m in ds["metric"].values]
    n = len(names)
    get = {v: _strings(ds, f"metric_{v}", n) for v in
           ("units", "label", "meaning", "direction", "when", "verdict_more", "verdict_fewer",
            "display_unit")}
    scale = ds["metric_display_scale"].values if "metric_display_scale" in ds else None
    default = ds["metric_compare_default"].values if "metric_compare_default" in ds else None
    if i18n.current() == "fr":
        for v in ("label", "meaning", "verdict_more", "verdict_fewer", "display_unit"):
            fr = _strings(ds, f"metric_{v}_fr", n)
            if fr:
                get[v] = fr
    out = {}
    for i, m in enumerate(names):
        words = m.replace("_", " ")
        unit = get["units"][i] if get["units"] else ""
        col = {k: (v[i] if v else None) for k, v in get.items()}
        out[m] = Metric(
            name=m, unit=unit, label=col["label"] or words, meaning=col["meaning"] or "",
            direction=DIRECTIONS.get(col["direction"] or "neutral", 0),
            when="over" if col["when"] == "over_run" else "at",
            compare_default=bool(default[i]) if default is not None else True,
            more=col["verdict_more"] or f"raises {words} by {{x}}",
            fewer=col["verdict_fewer"] or f"lowers {words} by {{x}}",
            scale=float(scale[i]) if scale is not None else 1.0,
            unit_word=(col["display_unit"] if col["display_unit"] is not None
                       else (f" {unit}" if unit not in ("", "1") else "")))
    return out


def metric_label(ds, m: str) -> str:
    info = metric_table(ds).get(m)
    return info.label if info else m.replace("_", " ")
