"""The documentation cannot drift from the code.

(a) the parameter table generated into docs/model.md equals `cdpsim params` (and
    scripts/update_docs.py --check agrees);
(b) every variable a real run writes is documented in a table row of docs/output.md;
(c) every lever key appears in docs/levers.md and in the Levers section of docs/model.md;
(d) every mechanism file models/*.hpp is named in the Submodels section of docs/model.md, and the
    section its header comment points to exists.

Run by ctest (python:pytest), or by hand:

    CDPSIM_BIN=$PWD/build/app/cdpsim CDPSIM_SOURCE_DIR=$PWD \\
        /usr/bin/python3 -m pytest -q tests/python/test_docs_in_sync.py -p no:cacheprovider

When (a) fails, regenerate the table with scripts/update_docs.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BEGIN = "<!-- BEGIN GENERATED PARAMETER TABLE: scripts/update_docs.py -->"
END = "<!-- END GENERATED PARAMETER TABLE -->"

# Headers in models/ that are infrastructure, not mechanisms (no submodel of their own).
# models/ headers that are the model's structure rather than a mechanism: state, parameters, and
# the initialisation, schedule, record and stream registry that docs/model.md names in "Process
# overview and scheduling", "Initialisation" and "Determinism" (checked below).
NOT_MECHANISMS = {"context.hpp", "effective.hpp", "levers.hpp", "params.hpp", "scenario.hpp",
                  "types.hpp", "world.hpp", "init.hpp", "schedule.hpp", "series.hpp",
                  "streams.hpp", "week_record.hpp", "world_stores.hpp"}


def test_model_structure_files_are_named_in_the_odd(model_md: str):
    """The schedule, initialisation, record and stream registry are cited by path in the ODD."""
    for path in ("models/schedule.cpp", "models/init.cpp", "models/series.cpp",
                 "models/streams.hpp"):
        assert f"`{path}`" in model_md, f"docs/model.md does not cite {path}"

# A short scenario written into tmp_path, so (b) does not depend on the scenarios in the tree;
# every optional output group is switched on.
SHORT_SCENARIO = """\
[simulation]
name = "docs_in_sync"
start_date = 2018-09-03
weeks = 5
seed = 7

[output]
per_cdp_series = true
per_member = true
events = true

[[shocks]]
kind = "pandemic"
label = "test"
start = 2018-09-10
duration_weeks = 2
intensity = 1.0

[[interventions]]
name = "programme"
key = "support.mode"
set = "expert"
start = 1
end = 4
cost_per_hour = 50

[[interventions]]
key = "support.capacity_hours"
scale = 2
start = 2
"""


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=300, **kw)


@pytest.fixture(scope="module")
def params_output(cdpsim_bin: Path) -> str:
    r = run([str(cdpsim_bin), "params"])
    assert r.returncode == 0, f"cdpsim params failed: {r.stderr}"
    return r.stdout


@pytest.fixture(scope="module")
def model_md(source_dir: Path) -> str:
    return (source_dir / "docs" / "model.md").read_text(encoding="utf-8")


def section(markdown: str, title_word: str, level: int = 2) -> str:
    """Text of the first heading of `level` whose title contains `title_word`, up to the next
    heading of the same or a higher level."""
    hashes = "#" * level
    pattern = re.compile(rf"^{hashes} [^\n]*\b{re.escape(title_word)}\b[^\n]*$", re.M)
    m = pattern.search(markdown)
    assert m, f"docs/model.md has no '{hashes} ...{title_word}...' heading"
    nxt = re.compile(rf"^#{{1,{level}}} ", re.M).search(markdown, m.end())
    return markdown[m.end(): nxt.start() if nxt else len(markdown)]


def lever_keys(params: str) -> list[str]:
    keys = re.findall(r"^\| levers \| `(\w+)` \|", params, re.M)
    assert len(keys) == 17, f"expected 17 levers in `cdpsim params`, found {len(keys)}"
    return keys


# (a) --------------------------------------------------------------------------------------------

def test_parameter_table_is_generated_from_cdpsim_params(model_md: str, params_output: str):
    lines = model_md.splitlines(keepends=True)
    begins = [i for i, l in enumerate(lines) if l.rstrip("\n") == BEGIN]
    ends = [i for i, l in enumerate(lines) if l.rstrip("\n") == END]
    assert len(begins) == 1 and len(ends) == 1 and begins[0] < ends[0], \
        "docs/model.md must hold exactly one BEGIN and one END marker line, in that order"
    block = "".join(lines[begins[0] + 1: ends[0]])
    assert block == params_output, (
        "the parameter table in docs/model.md differs from `cdpsim params`; "
        "run scripts/update_docs.py to regenerate it")
    # The table sits in the Parameters section.
    assert BEGIN in section(model_md, "Parameters")


def test_update_docs_check_agrees(source_dir: Path, cdpsim_bin: Path):
    r = run([sys.executable, str(source_dir / "scripts" / "update_docs.py"), "--check",
             str(cdpsim_bin), "--doc", str(source_dir / "docs" / "model.md")])
    assert r.returncode == 0, f"update_docs.py --check failed:\n{r.stdout}{r.stderr}"


def test_update_docs_check_detects_drift(source_dir: Path, cdpsim_bin: Path, tmp_path: Path,
                                         model_md: str):
    stale = tmp_path / "model.md"
    stale.write_text(model_md.replace(END, "| stale | row |\n" + END), encoding="utf-8")
    script = str(source_dir / "scripts" / "update_docs.py")
    r = run([sys.executable, script, "--check", str(cdpsim_bin), "--doc", str(stale)])
    assert r.returncode == 1
    assert "update_docs.py" in r.stderr and "differs" in r.stderr
    # Regenerating repairs it.
    r = run([sys.executable, script, str(cdpsim_bin), "--doc", str(stale)])
    assert r.returncode == 0, r.stderr
    assert stale.read_text(encoding="utf-8") == model_md


# (b) --------------------------------------------------------------------------------------------

def documented_names(output_md: str) -> set[str]:
    """Names in the first cell of every table row of docs/output.md."""
    names = set()
    for line in output_md.splitlines():
        m = re.match(r"^\|\s*`?([A-Za-z_][\w]*)`?\s*\|", line)
        if m:
            names.add(m.group(1))
    return names


def test_every_written_variable_is_documented(cdpsim_bin: Path, source_dir: Path,
                                              tmp_path: Path):
    h5py = pytest.importorskip("h5py")
    scenario = tmp_path / "short.toml"
    scenario.write_text(SHORT_SCENARIO, encoding="utf-8")
    out = tmp_path / "short.h5"
    r = run([str(cdpsim_bin), "run", str(scenario), "--weeks", "5", "-o", str(out), "-q"])
    assert r.returncode == 0, f"cdpsim run failed: {r.stderr}"

    written: set[str] = set()
    with h5py.File(out, "r") as f:
        f.visit(written.add)
        root_attrs = set(f.attrs.keys())
    assert {"members_total", "cdp_phase", "member_status", "event_kind"} <= written

    output_md = (source_dir / "docs" / "output.md").read_text(encoding="utf-8")
    documented = documented_names(output_md)
    # param_SECTION_KEY is one documented row for every changed parameter; each must be a
    # mid-run key listed by `cdpsim params`.
    params = run([str(cdpsim_bin), "params"]).stdout
    mid_run = {k.replace(".", "_")
               for k in re.findall(r"^\| `(\w+\.\w+)` \| (?:number|true/false|choice) \|",
                                   params, re.M)}
    assert "param_support_mode" in written, "the short scenario's interventions wrote nothing"
    for name in [n for n in written if n.startswith("param_")]:
        assert name[len("param_"):] in mid_run, f"{name} is not a mid-run key"
        written.discard(name)
        written.add("param_SECTION_KEY")
    missing = sorted(written - documented)
    assert not missing, f"variables written but not documented in docs/output.md: {missing}"
    missing_attrs = sorted(root_attrs - documented)
    assert not missing_attrs, f"root attributes not documented in docs/output.md: {missing_attrs}"


# (c) --------------------------------------------------------------------------------------------

def test_every_lever_is_documented(params_output: str, source_dir: Path, model_md: str):
    keys = lever_keys(params_output)
    levers_md = (source_dir / "docs" / "levers.md").read_text(encoding="utf-8")
    levers_section = section(model_md, "Levers")
    for key in keys:
        assert f"`{key}`" in levers_md, f"lever {key} is missing from docs/levers.md"
        assert re.search(rf"^### `{key}`", levers_md, re.M), \
            f"docs/levers.md has no '### `{key}`' subsection"
        assert f"`{key}`" in levers_section, \
            f"lever {key} is missing from the Levers section of docs/model.md"


# (d) --------------------------------------------------------------------------------------------

def mechanism_headers(source_dir: Path) -> list[Path]:
    files = sorted(p for p in (source_dir / "models").glob("*.hpp") if p.name not in NOT_MECHANISMS)
    assert files, "no mechanism headers found in models/"
    return files


def test_every_mechanism_file_is_a_submodel(source_dir: Path, model_md: str):
    submodels = section(model_md, "Submodels")
    missing = [p.name for p in mechanism_headers(source_dir) if p.name not in submodels]
    assert not missing, f"mechanism files not described in the Submodels section: {missing}"


def test_header_references_point_to_existing_sections(source_dir: Path, model_md: str):
    headings = [h.lower() for h in re.findall(r"^#{2,4} (.*)$", model_md, re.M)]
    for path in sorted((source_dir / "models").glob("*.hpp")):
        # The opening comment block, as one line of text.
        comment = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("//"):
                break
            comment.append(line[2:].strip())
        head = " ".join(comment)
        for ref in re.findall(r'docs/model\.md,\s*"([^"]+)"', head):
            assert any(ref.lower() in h for h in headings), \
                f"{path.name} points to section \"{ref}\" of docs/model.md, which has no such heading"
