"""Interventions through the real binary (models/interventions.hpp, docs/model.md 7.15).

Bad [[interventions]] input: exit code 2, one line on stderr naming FILE:LINE:COLUMN of the
offending key, the key path and what is allowed, and nothing written. A good intervention
scenario: the output file holds the intervention variables, the events and spending that recount
from the weekly series.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from cli_checks import one_error_line

# Small and short: a 40-week run of 800 potential members takes a few hundredths of a second.
BASE_BODY = """\
shocks = []

[simulation]
weeks = 40

[population]
potential_members = 800
initial_members = 300
"""

MARK = "#!"  # ends the line of the offending key in a case's body


@pytest.fixture
def base(write_scenario) -> Path:
    return write_scenario("base.toml", BASE_BODY)


def hidden_files(folder: Path) -> list[str]:
    """Every hidden or temporary file under `folder` (an interrupted atomic write leaves one)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.name.startswith(".") or ".tmp" in p.name)


LEVER = '[[interventions]]\nkey = "levers.animation"\n'
PROGRAMME = '[[interventions]]\nkey = "support.mode"\nset = "expert"\n'

# (id, body with MARK on the line of the offending key, key path, fragments of the message).
BAD_CASES = [
    pytest.param(
        LEVER + 'set = 0.9\nwhen = "members_actve < 3"  #!\n', "interventions[0].when",
        ["unknown variable 'members_actve'", "did you mean 'members_active'?", "allowed: ",
         "cdps_active_share"],
        id="unknown-trigger-variable"),
    pytest.param(
        LEVER + "set = 0.9\nstart = 5\nend = 10\nramp_weeks = 6  #!\n",
        "interventions[0].ramp_weeks", ["longer than the span of 5 weeks", "allowed: "],
        id="ramp-longer-than-span"),
    pytest.param(
        LEVER + "set = 0.9\nstart = 10\nend = 4  #!\n", "interventions[0].end",
        ["week 4 is not after the start, week 10", "allowed: an end after the start"],
        id="end-before-start"),
    pytest.param(
        '[[interventions]]\nkey = "population.potential_members"  #!\nset = 900\n',
        "interventions[0].key",
        ["not safe to change during a run", "allowed: ", "levers.time_allowance"],
        id="parameter-not-safe"),
    pytest.param(
        PROGRAMME + "budget_hours = -5  #!\n", "interventions[0].budget_hours",
        ["-5", "out of range", "allowed: "],
        id="negative-budget-hours"),
    pytest.param(
        PROGRAMME + "cost_per_hour = 3\nbudget = -1  #!\n", "interventions[0].budget",
        ["-1", "out of range", "allowed: "],
        id="negative-budget"),
    pytest.param(
        LEVER + "set = 0.9\nend = 20\n" + LEVER + "set = 0.1\nstart = 19  #!\n",
        "interventions[1].start",
        ["interventions[0]", "levers.animation", "allowed: one set per key at a time"],
        id="two-overlapping-sets"),
    pytest.param(
        PROGRAMME + "end = 20\nbudget_hours = 50\n"
        '[[interventions]]\nkey = "levers.support_capacity"\nscale = 2\nstart = 10  #!\n'
        "cost_per_hour = 30\n",
        "interventions[1].start", ["pays for support", "allowed: one paying programme at a time"],
        id="two-overlapping-programmes"),
    pytest.param(
        LEVER + "set = 0.9\nscale = 1.2  #!\n", "interventions[0].scale",
        ["set and scale are both given", "allowed: exactly one"],
        id="set-and-scale"),
    pytest.param(
        LEVER + 'set = "high"  #!\n', "interventions[0].set",
        ["expected a number for levers.animation", "allowed: a number in [0, 1]"],
        id="string-set-for-number"),
    pytest.param(
        '[[interventions]]\nkey = "support.peer_network"\nscale = 2  #!\n',
        "interventions[0].scale", ["cannot be scaled", "allowed: "],
        id="scale-of-boolean"),
    pytest.param(
        '[[interventions]]\nkey = "support.peer_network"\nset = 1  #!\n',
        "interventions[0].set", ["expected true or false", "allowed: "],
        id="number-set-for-boolean"),
]


def expected_line(body: str) -> int:
    """File line of the marked line: the file starts with one `extends = ...` line."""
    marked = [i for i, line in enumerate(body.splitlines(), start=1) if line.endswith(MARK)]
    assert len(marked) == 1, body
    return 1 + marked[0]


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("body, key, fragments", BAD_CASES)
def test_bad_intervention_is_refused(cdpsim, write_scenario, base, tmp_path, command, body, key,
                                     fragments):
    scen = write_scenario("bad.toml", body, base=base)
    out = tmp_path / "out.h5"
    before = hidden_files(tmp_path)
    args = ["run", scen, "-o", out] if command == "run" else ["validate", scen]
    msg = one_error_line(cdpsim(*args))
    where = re.escape(f"cdpsim: error: {scen}:{expected_line(body)}:") + r"\d+: "
    assert re.match(where + re.escape(key) + ": ", msg), msg
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    assert not out.exists()
    assert hidden_files(tmp_path) == before


# --- a good intervention scenario -----------------------------------------------------------

PROG_START, PROG_END = 5, 30
PER_HOUR, PER_WEEK = 40.0, 125.0
GOOD_BODY = f"""\
[[interventions]]
name = "programme"
key = "support.capacity_hours"
set = 30
start = {PROG_START}
end = {PROG_END}
cost_per_hour = {PER_HOUR}
cost_per_week = {PER_WEEK}

[[interventions]]
name = "boost"
key = "levers.animation"
set = 0.9
ramp_weeks = 4
start = 10
end = 20
"""


@pytest.fixture
def good(write_scenario, base) -> Path:
    return write_scenario("good.toml", GOOD_BODY, base=base)


def event_codes(ds) -> dict[str, int]:
    """event_kind's flag_meanings ("0=shock_start 1=shock_end ...") as name -> code."""
    out = {}
    for item in str(ds["event_kind"].attrs["flag_meanings"]).split():
        code, name = item.split("=")
        out[name] = int(code)
    return out


def test_good_intervention_scenario_runs_and_records(cdpsim, good, tmp_path, load_dataset):
    out = tmp_path / "good.h5"
    assert cdpsim("validate", good).returncode == 0
    proc = cdpsim("run", good, "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out)
    weeks = ds.sizes["week"]
    assert weeks == 40
    for name in ["intervention_active", "lever_value", "spending_hours", "spending_money",
                 "param_support_capacity_hours", "intervention_key", "intervention_start",
                 "intervention_end"]:
        assert name in ds.variables, name
    assert ds["intervention_active"].dims == ("week", "intervention")
    assert ds["lever_value"].dims[0] == "week"
    assert list(ds["intervention"].values) == ["programme", "boost"]
    assert list(ds["intervention_key"].values) == ["support.capacity_hours", "levers.animation"]
    assert list(ds["intervention_start"].values) == [PROG_START, 10]
    assert list(ds["intervention_end"].values) == [PROG_END, 20]

    # In force exactly in [start, end).
    active = ds["intervention_active"].values
    week = np.arange(weeks)
    np.testing.assert_array_equal(active[:, 0], (week >= PROG_START) & (week < PROG_END))
    np.testing.assert_array_equal(active[:, 1], (week >= 10) & (week < 20))

    # The parameter in force: 30 in the programme's weeks, the scenario's 10 otherwise.
    param = ds["param_support_capacity_hours"].values
    np.testing.assert_array_equal(param, np.where(active[:, 0] == 1, 30.0, 10.0))
    # The ramped lever: 0.5 + min(1, (t - 10 + 1) / 4) (0.9 - 0.5), exactly; 0.5 off.
    lever = ds["lever_value"].sel(lever="animation").values
    ramp = np.minimum(1.0, (week - 10 + 1) / 4.0)
    np.testing.assert_array_equal(lever, np.where(active[:, 1] == 1, 0.5 + ramp * (0.9 - 0.5),
                                                  0.5))

    # Events: start and end of each scheduled intervention, in the week they happen.
    codes = event_codes(ds)
    for name in ["intervention_start", "intervention_end", "trigger_on", "trigger_off",
                 "budget_exhausted"]:
        assert name in codes, codes
    kind, ev_week = ds["event_kind"].values, ds["event_week"].values
    detail = [str(d) for d in ds["event_detail"].values]
    starts = sorted(int(w) for w, k in zip(ev_week, kind) if k == codes["intervention_start"])
    ends = sorted(int(w) for w, k in zip(ev_week, kind) if k == codes["intervention_end"])
    assert starts == [PROG_START, 10]
    assert ends == [20, PROG_END]
    assert any(d.startswith("programme") for d, k in zip(detail, kind)
               if k == codes["intervention_start"])

    # Spending recounts from the series: the programme pays its weekly cost and every support
    # hour given while in force. Same additions in the same order as the model, so the only
    # difference is summation order of doubles: 1e-12 relative.
    given = ds["support_hours_given"].values
    on = active[:, 0] == 1
    money = np.cumsum(np.where(on, PER_WEEK + PER_HOUR * given, 0.0))
    hours = np.cumsum(np.where(on, given, 0.0))
    assert given[on].sum() > 0
    np.testing.assert_allclose(ds["spending_money"].values, money, rtol=1e-12, atol=0)
    np.testing.assert_allclose(ds["spending_hours"].values, hours, rtol=1e-12, atol=0)
    assert ds["spending_money"].values[-1] == pytest.approx(
        sum(PER_WEEK + PER_HOUR * g for g, a in zip(given, on) if a), rel=1e-12)
    assert ds["spending_money"].values[PROG_START - 1] == 0.0
    assert ds["spending_money"].values[-1] == ds["spending_money"].values[PROG_END - 1]


def test_set_override_of_an_intervention_budget(cdpsim, good, tmp_path, load_dataset):
    free = tmp_path / "free.h5"
    capped = tmp_path / "capped.h5"
    assert cdpsim("run", good, "-o", free, "-q").returncode == 0
    proc = cdpsim("run", good, "-o", capped, "-q", "--set", "interventions.0.budget_hours=100")
    assert proc.returncode == 0, proc.stderr
    a, b = load_dataset(free), load_dataset(capped)
    assert a["spending_hours"].values[-1] > 100 + 1  # the override really caps it
    # support_given is a 32-bit float per CdP: the total matches the budget to ~1e-5 h.
    assert abs(b["spending_hours"].values[-1] - 100.0) <= 1e-3
    assert b["spending_money"].values[-1] < a["spending_money"].values[-1]
    codes = event_codes(b)
    assert list(b["event_kind"].values).count(codes["budget_exhausted"]) == 1


def test_set_override_of_an_intervention_is_range_checked(cdpsim, good, tmp_path):
    out = tmp_path / "out.h5"
    msg = one_error_line(
        cdpsim("run", good, "-o", out, "--set", "interventions.0.budget_hours=-1"))
    assert "interventions" in msg and "budget_hours" in msg and "allowed" in msg, msg
    assert not out.exists()
