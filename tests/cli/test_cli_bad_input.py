"""Bad input through the real binary: exit code 2, one clear message on stderr, nothing written.

Every message must let a user fix the input without reading the code: the file, the line and
column where there is one, the key, and what is allowed.
"""

import os
import re
from pathlib import Path

import pytest

from cli_checks import one_error_line

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


@pytest.fixture
def out_dir(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def assert_nothing_written(folder: Path):
    """No output file, and no temporary file, appeared in `folder`."""
    entries = sorted(p.name for p in folder.iterdir())
    assert entries == [], f"{folder} should be empty, holds {entries}"


# --- scenario files -----------------------------------------------------------------------------

# (id, TOML added to the small scenario, expected location "LINE:COLUMN" or regex, fragments).
# Line numbers count the `extends = ...` line written first.
CONTENT_CASES = [
    pytest.param(
        '[levers]\nanimation = "high"\n', "3:13",
        ["levers.animation", "expected a number", "'high'", "(allowed: a number in [0, 1])"],
        id="wrong-type"),
    pytest.param(
        "[levers]\nanimation = 1.4\n", "3:13",
        ["levers.animation", "1.4", "out of range", "(allowed: a number in [0, 1])"],
        id="out-of-range"),
    pytest.param(
        "[levers]\nanmation = 0.4\n", "3:1",
        ["levers.anmation", "unknown key 'anmation'", "did you mean 'animation'?"],
        id="unknown-key"),
    pytest.param(
        "[gizmo]\nfoo = 1\n", r"2:\d+",
        ["gizmo", "unknown key 'gizmo'", "allowed:", "[levers]", "[[shocks]]"],
        id="unknown-section"),
    pytest.param(
        "[leverz]\nanimation = 0.4\n", r"2:\d+",
        ["leverz", "unknown key 'leverz'", "did you mean 'levers'?"],
        id="misspelt-section"),
    pytest.param(
        "[support]\nmode = \"helpdesk\"\n", "3:8",
        ["support.mode", "helpdesk", "allowed:", "none", "expert", "capacity_building"],
        id="bad-choice"),
    pytest.param(
        "[levers\nanimation = 0.4\n", r"2:\d+",
        ["TOML syntax error"],
        id="toml-syntax"),
    pytest.param(
        "[levers]\nanimation = 0.4 0.5\n", r"3:\d+",
        ["TOML syntax error"],
        id="toml-syntax-value"),
]


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("body, location, fragments", CONTENT_CASES)
def test_bad_scenario_content(cdpsim, write_scenario, small_scenario, out_dir, command, body,
                              location, fragments):
    scen = write_scenario("bad.toml", body, base=small_scenario)
    args = ["run", scen, "-o", out_dir / "out.h5"] if command == "run" else ["validate", scen]
    msg = one_error_line(cdpsim(*args))
    assert re.search(re.escape(f"cdpsim: error: {scen}:") + location + ": ", msg), msg
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    assert_nothing_written(out_dir)


def test_error_in_extended_file_names_that_file(cdpsim, write_scenario, small_scenario,
                                                out_dir):
    base = write_scenario("base_bad.toml", "[levers]\nbelonging = -0.2\n", base=small_scenario)
    child = write_scenario("child.toml", "[levers]\nanimation = 0.3\n", base=base)
    msg = one_error_line(cdpsim("run", child, "-o", out_dir / "out.h5"))
    assert f"{base}:3:13: levers.belonging:" in msg, msg
    assert "allowed: a number in [0, 1]" in msg
    assert_nothing_written(out_dir)


# (id, TOML added to the small scenario (30 weeks from 2018-09-03), fragments).
CONTRADICTIONS = [
    pytest.param(
        "[population]\ninitial_members = 5\ninitial_cdps = 10\n",
        ["population.initial_cdps", "initial_members = 5",
         "(allowed: initial_cdps <= initial_members)"],
        id="more-cdps-than-members"),
    pytest.param(
        '[[shocks]]\nkind = "pandemic"\nstart = 2018-01-01\nduration_weeks = 4\n',
        ["shocks[0].start", "2018-01-01", "outside the simulated horizon", "allowed: from"],
        id="shock-before-start"),
    pytest.param(
        "[population]\ninitial_members = 3000\n",
        ["population.initial_members", "potential_members = 2000", "allowed:"],
        id="more-initial-than-potential"),
]


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("body, fragments", CONTRADICTIONS)
def test_contradictory_settings(cdpsim, write_scenario, small_scenario, out_dir, command, body,
                                fragments):
    scen = write_scenario("contradiction.toml", body, base=small_scenario)
    args = ["run", scen, "-o", out_dir / "out.h5"] if command == "run" else ["validate", scen]
    msg = one_error_line(cdpsim(*args))
    assert msg.startswith(f"cdpsim: error: {scen}:"), msg  # FILE: or FILE:LINE:COLUMN:
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    assert_nothing_written(out_dir)


AFTER_HORIZON = '[[shocks]]\nkind = "pandemic"\nstart = 2019-06-03\nduration_weeks = 4\n'


def one_warning_line(proc) -> str:
    """The single warning line of a command that went on (exit 0)."""
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one warning line, got:\n{proc.stderr}"
    assert lines[0].startswith("cdpsim: warning: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("command", ["run", "validate"])
def test_shock_after_horizon_warns_and_runs(cdpsim, write_scenario, small_scenario, out_dir,
                                            command, load_dataset):
    """The run is just shorter than the story: one warning naming the shock and its date."""
    scen = write_scenario("after.toml", AFTER_HORIZON, base=small_scenario)
    out = out_dir / "out.h5"
    args = ["run", scen, "-o", out, "-q"] if command == "run" else ["validate", scen]
    msg = one_warning_line(cdpsim(*args))
    for fragment in ["shocks[0]", "pandemic", "2019-06-03", "after the simulated horizon",
                     "2018-09-03 to before 2019-04-01", "never happens"]:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    if command == "run":
        ds = load_dataset(out)
        assert ds.attrs["status"] == "complete"
        assert ds.attrs["shocks_beyond_horizon"] == "shocks[0] pandemic from 2019-06-03"


@pytest.mark.parametrize("command", ["run", "validate"])
def test_shock_after_horizon_strict_refuses(cdpsim, write_scenario, small_scenario, out_dir,
                                            command):
    scen = write_scenario("after.toml", AFTER_HORIZON, base=small_scenario)
    args = (["run", scen, "-o", out_dir / "out.h5"] if command == "run" else ["validate", scen])
    msg = one_error_line(cdpsim(*args, "--strict"))
    assert msg.startswith(f"cdpsim: error: {scen}"), msg
    for fragment in ["shocks[0].start", "2019-06-03", "outside the simulated horizon",
                     "(allowed: from 2018-09-03 to before 2019-04-01)"]:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    assert_nothing_written(out_dir)


def test_run_without_shock_beyond_has_no_attribute(cdpsim, small_scenario, out_dir, load_dataset):
    out = out_dir / "out.h5"
    proc = cdpsim("run", small_scenario, "-o", out, "-q")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "shocks_beyond_horizon" not in load_dataset(out).attrs


def test_shock_outside_horizon_from_weeks_option(cdpsim, write_scenario, small_scenario,
                                                 out_dir):
    """--weeks is validated like a file value: shortening the run can strand a shock, which then
    never happens (a warning), or refuses the run with --strict."""
    scen = write_scenario(
        "shock.toml", '[[shocks]]\nkind = "pandemic"\nstart = 2018-12-03\nduration_weeks = 4\n',
        base=small_scenario)
    ok = cdpsim("validate", scen)
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    msg = one_error_line(cdpsim("run", scen, "-o", out_dir / "out.h5", "--weeks", "5",
                                "--strict"))
    assert "shocks[0].start" in msg and "outside the simulated horizon" in msg, msg
    assert_nothing_written(out_dir)
    msg = one_warning_line(cdpsim("run", scen, "-o", out_dir / "out.h5", "--weeks", "5", "-q"))
    assert "2018-12-03" in msg, msg


def test_missing_scenario_file(cdpsim, tmp_path, out_dir):
    missing = tmp_path / "no_such_scenario.toml"
    msg = one_error_line(cdpsim("run", missing, "-o", out_dir / "out.h5"))
    assert msg == f"cdpsim: error: {missing}: cannot read scenario file: No such file or directory"
    assert_nothing_written(out_dir)


def test_missing_extended_file(cdpsim, write_scenario, tmp_path, out_dir):
    scen = write_scenario("orphan.toml", "[levers]\nanimation = 0.3\n",
                          base=tmp_path / "gone.toml")
    msg = one_error_line(cdpsim("run", scen, "-o", out_dir / "out.h5"))
    assert "gone.toml" in msg and "cannot read" in msg, msg
    assert_nothing_written(out_dir)


def test_scenario_is_a_directory(cdpsim, tmp_path, out_dir):
    folder = tmp_path / "a_folder.toml"
    folder.mkdir()
    msg = one_error_line(cdpsim("run", folder, "-o", out_dir / "out.h5"))
    assert msg.startswith(f"cdpsim: error: {folder}: cannot read scenario file: "), msg
    assert "directory" in msg
    assert_nothing_written(out_dir)


def test_unreadable_scenario_file(cdpsim, small_scenario, out_dir, unprivileged_prefix):
    """chmod 000. As root the permission bits are enforced by dropping CAP_DAC_* (setpriv)."""
    small_scenario.chmod(0)
    try:
        msg = one_error_line(cdpsim("run", small_scenario, "-o", out_dir / "out.h5",
                                    prefix=unprivileged_prefix))
    finally:
        small_scenario.chmod(0o644)
    assert msg == (f"cdpsim: error: {small_scenario}: cannot read scenario file: "
                   "Permission denied"), msg
    assert_nothing_written(out_dir)


# --- --set overrides ----------------------------------------------------------------------------

SET_CASES = [
    pytest.param("levers.anmation=0.3",
                 ["--set: levers.anmation:", "unknown key 'anmation'",
                  "did you mean 'animation'?"], id="unknown-key"),
    pytest.param("levrs.animation=0.3",
                 ["--set:", "levrs", "did you mean 'levers'?"], id="unknown-section"),
    pytest.param("levers.animation=abc",
                 ["--set: levers.animation:", "'abc'", "(allowed: a number in [0, 1])"],
                 id="bad-value"),
    pytest.param("levers.animation=2",
                 ["--set: levers.animation:", "out of range", "(allowed: a number in [0, 1])"],
                 id="out-of-range"),
    pytest.param("support.policy=random",
                 ["--set: support.policy:", "random", "allowed:", "neediest"],
                 id="bad-choice"),
    pytest.param("levers.animation",
                 ["--set:", "levers.animation", "expected KEY=VALUE"], id="no-equals"),
    pytest.param("=0.3", ["--set:", "KEY=VALUE"], id="empty-key"),
]


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("override, fragments", SET_CASES)
def test_bad_set(cdpsim, small_scenario, out_dir, command, override, fragments):
    args = (["run", small_scenario, "-o", out_dir / "out.h5"] if command == "run"
            else ["validate", small_scenario])
    msg = one_error_line(cdpsim(*args, "--set", override))
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    assert_nothing_written(out_dir)


# --- output path --------------------------------------------------------------------------------

def test_output_folder_missing(cdpsim, small_scenario, tmp_path, out_dir):
    target = out_dir / "missing" / "out.h5"
    msg = one_error_line(cdpsim("run", small_scenario, "-o", target))
    assert msg == f"cdpsim: error: {target}: folder {target.parent} does not exist", msg
    assert not target.parent.exists()
    assert_nothing_written(out_dir)


def test_output_is_a_folder(cdpsim, small_scenario, out_dir):
    msg = one_error_line(cdpsim("run", small_scenario, "-o", out_dir))
    assert f"{out_dir}: is a folder" in msg and "allowed:" in msg, msg
    assert_nothing_written(out_dir)


def test_output_folder_read_only(cdpsim, small_scenario, out_dir, unprivileged_prefix):
    """chmod 555. As root the permission bits are enforced by dropping CAP_DAC_* (setpriv)."""
    target = out_dir / "out.h5"
    out_dir.chmod(0o555)
    try:
        proc = cdpsim("run", small_scenario, "-o", target, prefix=unprivileged_prefix)
        entries = sorted(p.name for p in out_dir.iterdir())
    finally:
        out_dir.chmod(0o755)
    msg = one_error_line(proc)
    assert msg == f"cdpsim: error: {target}: folder {out_dir} is not writable", msg
    assert entries == []


def test_existing_output_kept_without_force(cdpsim, small_scenario, out_dir, leftovers):
    target = out_dir / "out.h5"
    original = b"precious results, not HDF5\n" * 10
    target.write_bytes(original)
    msg = one_error_line(cdpsim("run", small_scenario, "-o", target, "--weeks", "5"))
    assert f"{target}: already exists" in msg and "--force" in msg, msg
    assert target.read_bytes() == original
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.h5"]


def test_existing_output_kept_when_forced_run_has_bad_input(cdpsim, write_scenario,
                                                            small_scenario, out_dir):
    """--force never lets a rejected run touch the existing file."""
    target = out_dir / "out.h5"
    original = b"precious results\n"
    target.write_bytes(original)
    bad = write_scenario("bad.toml", "[levers]\nanimation = 1.4\n", base=small_scenario)
    one_error_line(cdpsim("run", bad, "-o", target, "--force"))
    assert target.read_bytes() == original
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.h5"]


def test_existing_output_replaced_with_force(cdpsim, small_scenario, out_dir, leftovers,
                                             load_dataset):
    target = out_dir / "out.h5"
    target.write_bytes(b"old bytes\n")
    proc = cdpsim("run", small_scenario, "-o", target, "--weeks", "5", "--force")
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes()[:8] == HDF5_SIGNATURE
    ds = load_dataset(target)
    assert ds.attrs["status"] == "complete"
    assert int(ds.attrs["weeks_completed"]) == 5
    assert leftovers(out_dir) == []
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.h5"]


# --- command-line usage -------------------------------------------------------------------------

def usage_error(proc, *fragments):
    assert proc.returncode == 2, (
        f"expected exit code 2, got {proc.returncode}\nstderr: {proc.stderr}")
    assert proc.stderr.strip(), "a usage error must say what is wrong on stderr"
    for fragment in fragments:
        assert fragment in proc.stderr, f"{fragment!r} missing from: {proc.stderr}"


def test_no_subcommand(cdpsim):
    usage_error(cdpsim(), "subcommand")


def test_unknown_subcommand(cdpsim):
    usage_error(cdpsim("frobnicate"), "frobnicate")


@pytest.mark.parametrize("command", ["run", "validate", "info", "resolve"])
def test_missing_argument(cdpsim, command):
    usage_error(cdpsim(command), "required")


def test_unknown_option(cdpsim, small_scenario, out_dir):
    usage_error(cdpsim("run", small_scenario, "-o", out_dir / "out.h5", "--bogus"), "--bogus")
    assert_nothing_written(out_dir)


@pytest.mark.parametrize("option, value", [
    ("--threads", "0"), ("--threads", "two"), ("--weeks", "0"), ("--weeks", "5201"),
    ("--seed", "-1"),
])
def test_bad_option_value(cdpsim, small_scenario, out_dir, option, value):
    usage_error(cdpsim("run", small_scenario, "-o", out_dir / "out.h5", option, value), option)
    assert_nothing_written(out_dir)


def test_info_missing_file(cdpsim, tmp_path):
    missing = tmp_path / "nothing.h5"
    msg = one_error_line(cdpsim("info", missing))
    assert msg == f"cdpsim: error: {missing}: no such file", msg


def test_info_not_hdf5(cdpsim, small_scenario):
    msg = one_error_line(cdpsim("info", small_scenario))
    assert msg.startswith(f"cdpsim: error: {small_scenario}: not a readable cdpsim output file")


def test_info_on_a_folder(cdpsim, tmp_path):
    msg = one_error_line(cdpsim("info", tmp_path))
    assert str(tmp_path) in msg, msg


def test_rejected_runs_leave_cwd_clean(cdpsim, small_scenario, tmp_path):
    """Without -o the default output goes to the current folder: nothing appears there either."""
    work = tmp_path / "cwd"
    work.mkdir()
    proc = cdpsim("run", small_scenario, "--set", "levers.animation=9", cwd=work)
    one_error_line(proc)
    assert os.listdir(work) == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_info_on_a_bit_flipped_file(cdpsim, small_scenario, out_dir, seed):
    """A damaged file is one message and exit 2: no trace of HDF5's exit-time clean-up (it once
    printed 'HDF5: infinite loop closing library' and a dump after the message)."""
    import random
    good = out_dir / "good.h5"
    cdpsim("run", str(small_scenario), "-o", str(good), "-q", check=True)
    data = bytearray(good.read_bytes())
    rng = random.Random(seed)
    for _ in range(50):  # in the superblock and the first object headers
        i = rng.randrange(min(len(data), 4096))
        data[i] ^= 1 << rng.randrange(8)
    bad = out_dir / "flipped.h5"
    bad.write_bytes(bytes(data))
    proc = cdpsim("info", str(bad))
    line = one_error_line(proc)  # these seeds all damage what info reads (checked by hand)
    assert str(bad) in line or bad.name in line
