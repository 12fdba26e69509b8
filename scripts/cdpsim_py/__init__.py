"""cdpsim_py: reading, plotting and reporting cdpsim output files with Debian's Python.

    import cdpsim_py
    ds = cdpsim_py.load("out/passerelles.h5")         # xarray.Dataset, any output kind
    figs = cdpsim_py.figures(ds)                       # {name: matplotlib Figure}
    cdpsim_py.plot("out/passerelles.h5", "out/figures")          # PNG + SVG files
    cdpsim_py.report("out/passerelles.h5", "out/report.html")   # one HTML file

Run it with /usr/bin/python3 (Debian's numpy, pandas, xarray, h5netcdf, h5py, matplotlib, scipy).
The command-line front ends are ``cdpsim plot`` and ``cdpsim report``. Submodules are imported
on first use, so a failing command answers quickly.
"""

from importlib import import_module

from .errors import InputError

_WHERE = {
    "load": "loader",
    "figures": "figure_set",
    "plot": "figure_set",
    "report": "html_report",
    "metric_table": "metrics",
    "report_html": "html_report",
    "write_report": "html_report",
    "style": "style",
    "scenario": "scenario",
    "run_figures": "run_figures",
    "ensemble_figures": "ensemble_figures",
    "compare_figures": "compare_figures",
    "sensitivity_figures": "sensitivity_figures",
}

__all__ = ["InputError", "load", "figures", "plot", "report", "report_html", "write_report"]


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module 'cdpsim_py' has no attribute {name!r}")
    module = import_module(f".{_WHERE[name]}", __name__)
    value = module if _WHERE[name] == name else getattr(module, name)
    globals()[name] = value
    return value
