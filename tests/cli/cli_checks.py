"""Checks shared by the CLI tests: what a rejected command must look like (docs/output.md, exit
codes: 2 for bad input, one `cdpsim: error:` line on stderr, nothing on stdout), and the
comparison of two HDF5 files dataset by dataset."""

import math

import h5py
import numpy as np


def one_error_line(proc) -> str:
    """The single error line of a rejected command (exit 2, nothing on stdout)."""
    assert proc.returncode == 2, (
        f"expected exit code 2, got {proc.returncode}\nstdout: {proc.stdout}\nstderr: "
        f"{proc.stderr}")
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got:\n{proc.stderr}"
    assert lines[0].startswith("cdpsim: error: "), lines[0]
    assert proc.stdout == "", f"nothing should be printed on stdout, got:\n{proc.stdout}"
    return lines[0]


def error_line(proc) -> str:
    """The single error line of a rejected command (exit 2); stdout is not checked."""
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cdpsim: error: "), lines[0]
    return lines[0]


def _resolved(f, value):
    """Attribute values comparable across files: object references become the names they name."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "O":
        return [_resolved(f, v) for v in value.flat]
    if isinstance(value, h5py.Reference):
        return f[value].name if value else None
    if isinstance(value, bytes):
        return value.decode()
    return value


def _same(x, y):
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        x, y = np.asarray(x), np.asarray(y)
        if x.shape != y.shape or x.dtype.kind != y.dtype.kind:
            return False
        if x.dtype.kind in "fc":
            return np.array_equal(x, y, equal_nan=True)
        return np.array_equal(x, y)
    if isinstance(x, float) and isinstance(y, float) and np.isnan(x) and np.isnan(y):
        return True
    return x == y


def _attributes(f, obj, ignore):
    # REFERENCE_LIST (a dimension scale's back-references) mirrors DIMENSION_LIST, compared by name.
    return {k: _resolved(f, v) for k, v in obj.attrs.items()
            if k not in ignore and k != "REFERENCE_LIST"}


def assert_same_h5(a_path, b_path, ignore_attrs=()):
    """Every dataset of the two files (dtype, shape, values, attributes) and every root attribute
    not in `ignore_attrs` are equal. The ensemble and sensitivity files carry no wall time nor
    path (docs/ensembles.md), so nothing is ignored by default."""
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        names_a, names_b = [], []
        a.visit(names_a.append)
        b.visit(names_b.append)
        assert sorted(names_a) == sorted(names_b)
        for name in names_a:
            x, y = a[name], b[name]
            assert type(x) is type(y), name
            if isinstance(x, h5py.Dataset):
                assert x.dtype == y.dtype and x.shape == y.shape, name
                assert _same(x[()], y[()]), f"dataset {name} differs"
            ax, ay = _attributes(a, x, ()), _attributes(b, y, ())
            assert sorted(ax) == sorted(ay), name
            for k in ax:
                assert _same(ax[k], ay[k]), f"attribute {k} of {name} differs"
        ra, rb = _attributes(a, a, ignore_attrs), _attributes(b, b, ignore_attrs)
        assert sorted(ra) == sorted(rb)
        for k in ra:
            assert _same(ra[k], rb[k]), f"root attribute {k} differs: {ra[k]!r} != {rb[k]!r}"


def close(a, b, rel=1e-9, abs_=1e-12):
    """Equal within rounding, NaN equal to NaN (an undefined statistic on both sides)."""
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
