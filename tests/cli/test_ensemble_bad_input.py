"""Bad input to `cdpsim ensemble` and `cdpsim merge`: exit 2 with one clear message, before any
run, and nothing written (docs/ensembles.md, "Bad input")."""

import pytest

from cli_checks import error_line


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, reference_scenario):
    folder = tmp_path_factory.mktemp("bad-ensemble")
    path = folder / "small.toml"
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{ref}"\n\n[simulation]\nweeks = 30\n\n[population]\n'
                    'potential_members = 2000\n\n[[shocks]]\nkind = "pandemic"\n'
                    "start = 2018-10-01\nduration_weeks = 10\n")
    return path


CASES = [
    pytest.param(["--sweep", "levers.animatoin=0.2,0.5"],
                 ["levers.animatoin", "unknown key", "did you mean 'animation'?"], id="unknown-key"),
    pytest.param(["--sweep", "levers.animation=0.2,1.5"],
                 ["levers.animation", "1.5", "out of range", "[0, 1]"], id="out-of-range"),
    pytest.param(["--sweep", "support.mode=expert,coaching"],
                 ["support.mode", "coaching", "allowed", "capacity_building"], id="bad-choice"),
    pytest.param(["--sweep", "levers.animation"], ["expected KEY=V1,V2"], id="no-equals"),
    pytest.param(["--sweep", "levers.animation="], ["no values", "empty"], id="no-values"),
    pytest.param(["--sweep", "levers.animation=0.2,,0.5"], ["empty value"], id="empty-value"),
    pytest.param(["--sweep", "=0.2"], ["key is empty"], id="empty-key"),
    pytest.param(["--design", "lhs", "--samples", "4"], ["--design lhs needs at least one --sweep"],
                 id="lhs-without-sweep"),
    pytest.param(["--design", "lhs", "--samples", "0", "--sweep", "levers.animation=0.2,0.5"],
                 ["--samples 0", "at least 1 sample", "empty"], id="lhs-zero-samples"),
    pytest.param(["--design", "lhs", "--sweep", "levers.animation=0.2,0.5"],
                 ["needs --samples"], id="lhs-without-samples"),
    pytest.param(["--samples", "5", "--sweep", "levers.animation=0.2,0.5"],
                 ["--samples applies to --design lhs only"], id="samples-with-grid"),
    pytest.param(["--design", "lhs", "--samples", "3", "--sweep", "support.mode=expert,none"],
                 ["support.mode", "numeric"], id="lhs-string-key"),
    pytest.param(["--sweep", "simulation.weeks=10,20"], ["simulation.weeks", "cannot be swept"],
                 id="fixed-key"),
    pytest.param(["--sweep", "levers.animation=0.2", "--sweep", "levers.animation=0.5"],
                 ["given twice"], id="duplicate-key"),
    pytest.param(["--sweep", "shocks.0.start=2018-10-01,2030-01-01", "--strict"],
                 ["shocks", "2030-01-01", "outside the simulated horizon"], id="shock-outside"),
    pytest.param(["--sweep", "shocks.0.start=2018-10-01,2017-01-02"],
                 ["shocks", "2017-01-02", "outside the simulated horizon"], id="shock-before"),
    pytest.param(["--set", "levers.animation=2"], ["levers.animation", "out of range"],
                 id="bad-set"),
    pytest.param(["--runs", "3:99"], ["--runs 3:99", "out of range", "6 runs"], id="runs-range"),
    pytest.param(["--runs", "4:4"], ["out of range"], id="runs-empty"),
    pytest.param(["--runs", "3-5"], ["expected A:B"], id="runs-malformed"),
    pytest.param(["--resume"], ["nothing to resume"], id="resume-missing-file"),
]


@pytest.mark.parametrize("extra, fragments", CASES)
def test_bad_ensemble_input_exits_2_before_any_run(cdpsim, scenario, tmp_path, extra, fragments):
    out = tmp_path / "out"
    out.mkdir()
    # A valid two-point sweep unless the case brings its own design.
    own_design = "--sweep" in extra or "--design" in extra
    base = [] if own_design else ["--sweep", "levers.core_leadership=0.4,0.6"]
    proc = cdpsim("ensemble", scenario, "--replicates", 3, *base, *extra, "-o", out / "e.h5", "-q")
    line = error_line(proc)
    for f in fragments:
        assert f in line, f"{f!r} not in {line!r}"
    assert list(out.iterdir()) == []


def test_zero_replicates_is_a_usage_error(cdpsim, scenario, tmp_path):
    proc = cdpsim("ensemble", scenario, "--replicates", 0, "-o", tmp_path / "e.h5")
    assert proc.returncode == 2 and "--replicates" in proc.stderr
    assert not (tmp_path / "e.h5").exists()


def test_existing_output_needs_force(cdpsim, scenario, tmp_path):
    out = tmp_path / "e.h5"
    out.write_bytes(b"keep me")
    line = error_line(cdpsim("ensemble", scenario, "--replicates", 1, "-o", out))
    assert "already exists" in line and "--force" in line
    assert out.read_bytes() == b"keep me"
    assert cdpsim("ensemble", scenario, "--replicates", 1, "-o", out, "--force", "-q").returncode == 0


def test_resume_of_another_ensemble_is_refused(cdpsim, scenario, tmp_path):
    out = tmp_path / "e.h5"
    assert cdpsim("ensemble", scenario, "--replicates", 2, "-o", out, "-q").returncode == 0
    before = out.read_bytes()
    line = error_line(cdpsim("ensemble", scenario, "--replicates", 3, "-o", out, "--resume"))
    assert "another ensemble" in line
    line = error_line(cdpsim("ensemble", scenario, "--replicates", 2, "--runs", "0:1", "-o", out,
                             "--resume"))
    assert "not the runs 0 asked for" in line
    assert out.read_bytes() == before


def test_missing_scenario_file(cdpsim, tmp_path):
    line = error_line(cdpsim("ensemble", tmp_path / "nope.toml", "--replicates", 1))
    assert "nope.toml" in line


def test_merge_needs_an_output_and_existing_shards(cdpsim, tmp_path):
    proc = cdpsim("merge", tmp_path / "a.h5")
    assert proc.returncode == 2 and "--output" in proc.stderr
    line = error_line(cdpsim("merge", tmp_path / "a.h5", "-o", tmp_path / "m.h5"))
    assert "a.h5: no such file" in line
    assert not (tmp_path / "m.h5").exists()
