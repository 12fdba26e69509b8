"""Fixtures for the tests of the Python API (python/cdpsim; docs/python.md).

CTest sets the environment (tests/CMakeLists.txt, test python:api). By hand, from the source
folder after a build into build/:

    PYTHONPATH=build/python CDPSIM_BIN=$PWD/build/app/cdpsim CDPSIM_SOURCE_DIR=$PWD \\
        /usr/bin/python3 -m pytest -q tests/python_api -p no:cacheprovider

A missing variable fails the tests instead of skipping them, so a misconfigured run cannot pass.
The results of `cdpsim run` are compared with those of the module exactly (xarray's
assert_identical: values, dtypes, coordinates and every attribute), since both are the same
deterministic engine.
"""

import os
import subprocess
from pathlib import Path

import pytest


def _required(variable: str, what: str) -> str:
    value = os.environ.get(variable)
    if not value:
        pytest.fail(f"environment variable {variable} is not set: it must name {what} (ctest sets "
                    "it; when running pytest by hand, export it first)", pytrace=False)
    return value


@pytest.fixture(scope="session")
def cdpsim_bin() -> Path:
    return Path(_required("CDPSIM_BIN", "the cdpsim executable"))


@pytest.fixture(scope="session")
def source_dir() -> Path:
    return Path(_required("CDPSIM_SOURCE_DIR", "the source folder"))


@pytest.fixture(scope="session")
def scenarios(source_dir) -> Path:
    return source_dir / "scenarios"


@pytest.fixture(scope="session")
def run_cli(cdpsim_bin):
    """run_cli("run", "x.toml", "-o", "y.h5", ...) -> CompletedProcess (text); fails on exit != 0
    unless check=False."""

    def run(*args, check=True, cwd=None):
        p = subprocess.run([str(cdpsim_bin), *map(str, args)], capture_output=True, text=True,
                           cwd=cwd)
        if check and p.returncode != 0:
            pytest.fail(f"cdpsim {' '.join(map(str, args))} exited {p.returncode}:\n{p.stderr}")
        return p

    return run


# A short, small variant of the reference scenario for tests that need many runs.
SMALL = {"simulation.weeks": 12, "population.potential_members": 1500,
         "population.organisations": 60, "population.initial_members": 40,
         "population.initial_cdps": 6}


@pytest.fixture(scope="session")
def small_toml(tmp_path_factory, scenarios) -> Path:
    """A scenario file: passerelles.toml, shorter and smaller (and without the pandemic, which
    starts after its horizon)."""
    p = tmp_path_factory.mktemp("small") / "small.toml"
    p.write_text(f'extends = "{scenarios / "passerelles.toml"}"\nshocks = []\n\n'
                 "[simulation]\nweeks = 12\n\n[population]\npotential_members = 1500\n"
                 "organisations = 60\ninitial_members = 40\ninitial_cdps = 6\n")
    return p
