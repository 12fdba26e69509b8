"""Shared pytest fixtures for the tests that drive cdpsim binaries.

CTest sets the environment (see tests/CMakeLists.txt). By hand:

    CDPSIM_BIN=build/app/cdpsim NC_FIXTURE_BIN=build/tests/nc_writer_fixture \\
        CDPSIM_SOURCE_DIR=$PWD /usr/bin/python3 -m pytest -q tests/python

A missing variable fails the test instead of skipping it, so a misconfigured run cannot pass.
"""

import os
from pathlib import Path

import pytest


def required_executable(variable: str, what: str) -> Path:
    """The executable named by environment `variable`; fails the test clearly when unusable."""
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
    return path


@pytest.fixture(scope="session")
def cdpsim_bin() -> Path:
    """Path of the cdpsim executable, from CDPSIM_BIN."""
    return required_executable("CDPSIM_BIN", "the cdpsim executable")


@pytest.fixture(scope="session")
def nc_fixture_bin() -> Path:
    """Path of tests/fixtures/nc_writer_fixture, from NC_FIXTURE_BIN."""
    return required_executable("NC_FIXTURE_BIN", "the nc_writer_fixture executable")


@pytest.fixture(scope="session")
def source_dir() -> Path:
    """Root of the source tree, from CDPSIM_SOURCE_DIR (default: the tree holding this file)."""
    value = os.environ.get("CDPSIM_SOURCE_DIR")
    path = Path(value) if value else Path(__file__).resolve().parents[2]
    if not (path / "CMakeLists.txt").is_file():
        pytest.fail(f"CDPSIM_SOURCE_DIR={path} is not the cdpsim source tree", pytrace=False)
    return path
