"""Reading any cdpsim output file as an ``xarray.Dataset``.

    import cdpsim_py
    ds = cdpsim_py.load("out/passerelles.h5")   # a run, an ensemble or a comparison
    ds.attrs["output_kind"]                      # "run", "ensemble", "ensemble_shard", "comparison"

Every failure the user can fix (no such file, not HDF5, not written by cdpsim, an unknown kind)
raises ``InputError`` with a message that names the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .errors import InputError

RUN_KINDS = ("run",)
ENSEMBLE_KINDS = ("ensemble", "ensemble_shard")
COMPARISON_KINDS = ("comparison",)
SENSITIVITY_KINDS = ("sensitivity",)
KINDS = RUN_KINDS + ENSEMBLE_KINDS + COMPARISON_KINDS + SENSITIVITY_KINDS


def load(path, *, lazy: bool = False):
    """The output file at ``path`` as an ``xarray.Dataset``, for every output kind.

    ``date`` is decoded to ``datetime64``; the root attributes (``output_kind``, ``status``,
    ``scenario_toml``, ``start_date``...) are in ``ds.attrs``. The data are read into memory and
    the file is closed, unless ``lazy=True`` (then close the dataset when done). Raises
    ``InputError`` for a missing file, a file that is not HDF5 or not cdpsim output, or an
    output kind this version does not know.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a cdpsim output file")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: cannot read the file (permission denied)")
    import h5py

    try:
        is_hdf5 = h5py.is_hdf5(str(path))
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e})") from None
    if not is_hdf5:
        hint = ""
        if path.suffix in (".csv", ".json") and path.with_suffix(".h5").is_file():
            hint = f"; cdpsim compare wrote {path.with_suffix('.h5')} next to it: use that one"
        raise InputError(f"{path}: not a cdpsim output file (not an HDF5 file; expected the "
                         f"output of cdpsim run, ensemble or compare{hint})")
    try:
        with h5py.File(path, "r") as f:
            kind = f.attrs.get("output_kind")
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({_short(e)})") from None
    if kind is None:
        raise InputError(f"{path}: not a cdpsim output file (no output_kind attribute; expected "
                         "the output of cdpsim run, ensemble or compare)")
    kind = kind.decode() if isinstance(kind, bytes) else str(kind)
    if kind not in KINDS:
        raise InputError(f"{path}: unsupported output kind '{kind}' (allowed: "
                         f"{', '.join(KINDS)})")
    import xarray as xr

    try:
        ds = xr.open_dataset(path, engine="h5netcdf")
    except Exception as e:  # noqa: BLE001 - any reader failure is a bad file for the user
        raise InputError(f"{path}: not a readable cdpsim output file ({_short(e)})") from None
    if not lazy:
        try:
            ds = ds.load()
        except Exception as e:  # noqa: BLE001
            ds.close()
            raise InputError(f"{path}: the file is damaged ({_short(e)})") from None
        ds.close()
    ds.encoding["source"] = str(path)
    return ds


def kind_of(ds) -> str:
    """``run``, ``ensemble`` or ``comparison`` (an ensemble shard counts as an ensemble)."""
    kind = str(ds.attrs.get("output_kind", ""))
    if kind in ENSEMBLE_KINDS:
        return "ensemble"
    return kind


def source_of(ds) -> str:
    """The file a dataset was loaded from (for messages), or ``the dataset``."""
    return str(ds.encoding.get("source", "the dataset"))


def require(ds, names, what: str) -> None:
    """InputError naming every variable of ``names`` missing from ``ds`` (needed for ``what``)."""
    missing = [n for n in names if n not in ds.variables]
    if missing:
        listed = ", ".join(f"'{n}'" for n in missing)
        plural = "s" if len(missing) > 1 else ""
        raise InputError(f"{source_of(ds)}: variable{plural} {listed} missing (needed for "
                         f"{what}); the file is incomplete or was not written by this cdpsim")


def dates_of(ds, week_dim: str = "week") -> np.ndarray:
    """Calendar dates (datetime64[ns]) of the weeks of ``ds``.

    From the decoded ``date`` variable when it is there, else from the ``start_date`` attribute
    and the week index.
    """
    if "date" in ds.variables and np.issubdtype(ds["date"].dtype, np.datetime64):
        d = ds["date"]
        if d.dims == (week_dim,):
            return d.values.astype("datetime64[ns]")
    start = ds.attrs.get("start_date")
    weeks = ds[week_dim].values if week_dim in ds.coords else np.arange(ds.sizes[week_dim])
    if start is None:
        raise InputError(f"{source_of(ds)}: neither 'date' nor the start_date attribute is "
                         "there; cannot put the weeks on a calendar")
    return (np.datetime64(str(start), "D") + 7 * weeks.astype("int64")).astype("datetime64[ns]")


def status_of(ds) -> tuple[bool, int, int]:
    """(interrupted, weeks_completed, weeks_planned) of a run or ensemble file."""
    status = str(ds.attrs.get("status", "complete"))
    done = int(ds.attrs.get("weeks_completed", ds.sizes.get("week", 0)))
    planned = int(ds.attrs.get("weeks_planned", done))
    return status == "interrupted", done, planned


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return text[0][:200] if text else type(e).__name__
