"""Fixtures for the tests that drive the cdpsim binary the way a user does.

CTest sets the environment (see tests/CMakeLists.txt). By hand:

    CDPSIM_BIN=$PWD/build/app/cdpsim CDPSIM_SOURCE_DIR=$PWD \\
        /usr/bin/python3 -m pytest -q tests/cli -p no:cacheprovider

A missing variable fails the test instead of skipping it, so a misconfigured run cannot pass.
The scenarios used here are small variants of scenarios/passerelles.toml written into tmp_path,
so the whole folder runs in a few seconds.
"""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

# Kept small: a 20-30 week run of a 2,000-member pool takes a few hundredths of a second.
SMALL_BODY = """\
shocks = []

[simulation]
weeks = 30

[population]
potential_members = 2000
"""


def _required_executable(variable: str, what: str) -> Path:
    value = os.environ.get(variable)
    if not value:
        pytest.fail(
            f"environment variable {variable} is not set: it must name {what} "
            f"(ctest sets it; when running pytest by hand, export it first)",
            pytrace=False,
        )
    path = Path(value)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"{variable}={value} is not an executable file; build {what} first",
                    pytrace=False)
    return path.resolve()


@pytest.fixture(scope="session")
def cdpsim_bin() -> Path:
    """Path of the cdpsim executable, from CDPSIM_BIN."""
    return _required_executable("CDPSIM_BIN", "the cdpsim executable")


@pytest.fixture(scope="session")
def source_dir() -> Path:
    """Root of the source tree, from CDPSIM_SOURCE_DIR (default: the tree holding this file)."""
    value = os.environ.get("CDPSIM_SOURCE_DIR")
    path = Path(value) if value else Path(__file__).resolve().parents[2]
    if not (path / "CMakeLists.txt").is_file():
        pytest.fail(f"CDPSIM_SOURCE_DIR={path} is not the cdpsim source tree", pytrace=False)
    return path.resolve()


@pytest.fixture(scope="session")
def reference_scenario(source_dir) -> Path:
    path = source_dir / "scenarios" / "passerelles.toml"
    if not path.is_file():
        pytest.fail(f"{path} is missing", pytrace=False)
    return path


def toml_string(text: str) -> str:
    """`text` as a TOML basic string."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def scenario_text(base: Path, body: str) -> str:
    """A scenario that extends `base` and adds `body`."""
    return f"extends = {toml_string(base)}\n{body}"


@pytest.fixture
def write_scenario(tmp_path, reference_scenario):
    """write_scenario(name, body, base=None) -> Path of tmp_path/scenarios/NAME.

    The file extends `base` (default: the reference scenario) and adds `body`.
    """
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)

    def write(name: str, body: str, base: Path | None = None) -> Path:
        path = folder / name
        path.write_text(scenario_text(base or reference_scenario, body))
        return path

    return write


@pytest.fixture
def small_scenario(write_scenario) -> Path:
    """The reference scenario shortened to 30 weeks, 2,000 potential members and no shock."""
    return write_scenario("small.toml", SMALL_BODY)


@pytest.fixture(scope="session")
def cdpsim(cdpsim_bin):
    """cdpsim(*args, prefix=(), timeout=120) -> CompletedProcess (text, captured)."""

    def run(*args, prefix=(), timeout=120, **kwargs):
        return subprocess.run([*prefix, str(cdpsim_bin), *map(str, args)], capture_output=True,
                              text=True, timeout=timeout, **kwargs)

    return run


def _probe_unprivileged() -> tuple[str, ...] | None:
    """A command prefix under which permission bits are enforced, or None.

    Tests run as root in CI containers, where chmod 000 / chmod 555 do not stop reading or
    writing. Dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH for the child (setpriv, still uid
    0) makes the kernel enforce the permission bits again.
    """
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = (setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--")
    try:
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return prefix if probe.returncode == 0 else None


@pytest.fixture(scope="session")
def unprivileged_prefix():
    """Command prefix that makes permission bits apply to the child; skips when impossible."""
    prefix = _probe_unprivileged()
    if prefix is None:
        pytest.skip("running as root without a working setpriv: permission bits cannot be "
                    "enforced, so this unreadable/read-only sub-case cannot be exercised")
    return prefix


def _load_dataset(path: Path):
    """The whole output file as an in-memory xarray Dataset (file closed afterwards)."""
    import xarray as xr

    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def _assert_same_dataset(a, b, *, ignore_attrs=()):
    """Every variable (with coordinates) and every root attribute of `a` and `b` are equal."""
    assert sorted(a.variables) == sorted(b.variables)
    for name in a.variables:
        va, vb = a.variables[name], b.variables[name]
        assert va.dims == vb.dims, name
        x, y = va.values, vb.values
        assert x.dtype == y.dtype, name
        if x.dtype.kind in "fc":
            same = np.array_equal(x, y, equal_nan=True)
        else:
            same = np.array_equal(x, y)
        assert same, f"variable {name} differs"
    attrs_a = {k: v for k, v in a.attrs.items() if k not in ignore_attrs}
    attrs_b = {k: v for k, v in b.attrs.items() if k not in ignore_attrs}
    assert sorted(attrs_a) == sorted(attrs_b)
    for k in attrs_a:
        assert np.array_equal(attrs_a[k], attrs_b[k]), f"attribute {k} differs"


def _leftovers(folder: Path) -> list[str]:
    """Temporary files a run may have left in `folder`."""
    return sorted(p.name for p in folder.glob(".*.tmp-*"))


# The helpers as fixtures: test modules cannot safely `import conftest` (tests/python has one too).
@pytest.fixture(scope="session")
def load_dataset():
    """load_dataset(path) -> xarray.Dataset read fully into memory."""
    return _load_dataset


@pytest.fixture(scope="session")
def assert_same_dataset():
    """assert_same_dataset(a, b, ignore_attrs=()): all variables and root attributes equal."""
    return _assert_same_dataset


@pytest.fixture(scope="session")
def leftovers():
    """leftovers(folder) -> names of `.NAME.tmp-PID` files left in folder."""
    return _leftovers


@pytest.fixture(scope="session")
def mpi_bin(source_dir) -> Path:
    """The MPI build: CDPSIM_MPI_BIN (scripts/test.sh builds build-mpi/ and sets it), else
    build-mpi/app/cdpsim. Missing or stale, it fails the tests when CDPSIM_MPI_BIN or CI=true is
    set, and skips them otherwise (a developer's build without MPI)."""
    given = os.environ.get("CDPSIM_MPI_BIN")
    path = Path(given) if given else source_dir / "build-mpi" / "app" / "cdpsim"
    strict = bool(given) or os.environ.get("CI") == "true"
    if not path.is_file():
        if strict:
            pytest.fail(f"no MPI build at {path}: build it with cmake -DCDPSIM_MPI=ON "
                        "(scripts/test.sh does and sets CDPSIM_MPI_BIN)", pytrace=False)
        pytest.skip(f"no MPI build at {path} (cmake -S . -B build-mpi -DCDPSIM_MPI=ON)")
    for command in ("ensemble", "sensitivity"):
        probe = subprocess.run([str(path), command, "--help"], capture_output=True, timeout=60)
        if probe.returncode != 0:
            message = f"the MPI build at {path} predates cdpsim {command}: rebuild it"
            if strict:
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def mpirun(mpi_bin):
    exe = shutil.which("mpirun")
    if exe is None:
        pytest.fail("mpirun not found: install openmpi-bin (scripts/setup.sh does)", pytrace=False)
    # As root in CI containers Open MPI needs explicit permission; two ranks fit two cores, and
    # --oversubscribe lets them run on fewer.
    return [exe, "--allow-run-as-root", "--oversubscribe", "-n", "2"]
