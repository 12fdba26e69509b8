"""Normal runs through the real binary: exit code, summary, the HDF5 file's contents, the stored
scenario, the other subcommands, interruption by signals and boundary cases with exact answers."""

import os
import re
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

WEEKS = 20

WEEK_SERIES = [
    "members_total", "members_active", "cdps_alive", "engagement_mean", "interactions_inperson",
    "interactions_online", "contributions", "knowledge_stock", "boundary_objects",
    "support_hours_demanded", "support_hours_given", "platform_active_users",
]
EXPECTED_DIMS = {
    **{name: ("week",) for name in WEEK_SERIES},
    "cdps_by_phase": ("week", "phase"),
    "members_by_tier": ("week", "tier"),
    "territory_learning": ("week", "territory"),
    "cdp_members": ("week", "cdp"),
    "cdp_active_members": ("week", "cdp"),
    "cdp_phase": ("week", "cdp"),
    "cdp_repertoire": ("week", "cdp"),
    "cdp_support_hours": ("week", "cdp"),
    "member_contributions": ("member",),
    "member_organisation": ("member",),
    "member_territory": ("member",),
    "event_week": ("event",),
    "event_kind": ("event",),
    "event_cdp": ("event",),
    "event_detail": ("event",),
}
PER_CDP_SERIES = [name for name, dims in EXPECTED_DIMS.items() if dims == ("week", "cdp")]

LEVERS = [
    "organisational_culture", "time_allowance", "support_capacity", "recognition",
    "ecosystem_trust", "theme_clarity", "evolving_design", "autonomy", "composition_fit",
    "animation", "core_leadership", "activity_rhythm", "belonging", "trust_climate",
    "perceived_value", "digital_tools", "cdp_intersections",
]


@pytest.fixture(scope="module")
def module_scenario(tmp_path_factory, reference_scenario):
    """The reference scenario shortened to 30 weeks, 2,000 potential members and no shock."""
    folder = tmp_path_factory.mktemp("scenario")
    path = folder / "small.toml"
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{ref}"\nshocks = []\n\n[simulation]\nweeks = 30\n\n'
                    "[population]\npotential_members = 2000\n")
    return path


@pytest.fixture(scope="module")
def normal_run(cdpsim, module_scenario, tmp_path_factory):
    """One `cdpsim run SCEN -o out.h5 --weeks 20`, shared by the checks of its output."""
    folder = tmp_path_factory.mktemp("run")
    out = folder / "out.h5"
    proc = cdpsim("run", module_scenario, "-o", out, "--weeks", WEEKS)
    return proc, out


@pytest.fixture(scope="module")
def normal_ds(normal_run, load_dataset):
    proc, out = normal_run
    assert proc.returncode == 0, proc.stderr
    return load_dataset(out)


def run_ok(cdpsim, *args):
    proc = cdpsim("run", *args, "-q")
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr}"
    return proc


# --- a normal run -------------------------------------------------------------------------------

def test_run_exits_0_with_summary(normal_run, leftovers):
    proc, out = normal_run
    assert proc.returncode == 0, proc.stderr
    assert out.is_file()
    assert proc.stderr == "", "a successful run without a terminal prints nothing on stderr"
    assert f"{WEEKS} of {WEEKS} weeks" in proc.stdout
    assert "INTERRUPTED" not in proc.stdout
    for word in ("members", "CdPs", "knowledge", "support", str(out)):
        assert word in proc.stdout, f"{word!r} missing from the summary:\n{proc.stdout}"
    assert leftovers(out.parent) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.h5"]


@pytest.mark.parametrize("name", sorted(EXPECTED_DIMS))
def test_output_variable_dims(normal_ds, name):
    assert name in normal_ds.variables, f"{name} missing from the output"
    assert normal_ds[name].dims == EXPECTED_DIMS[name]


def test_output_sizes(normal_ds):
    ds = normal_ds
    assert ds.sizes["week"] == WEEKS
    np.testing.assert_array_equal(ds["week"].values, np.arange(WEEKS))
    assert list(ds["phase"].values) == ["potential", "coalescing", "maturing", "stewardship",
                                        "transformation", "dissolved"]
    assert list(ds["tier"].values) == ["peripheral", "active", "core"]
    assert ds.sizes["member"] == int(ds["members_total"].values[-1]) > 0
    assert ds.sizes["cdp"] > 0 and ds.sizes["event"] > 0


def test_output_is_consistent(normal_ds):
    """Totals that must agree exactly between the series of one file."""
    ds = normal_ds
    np.testing.assert_array_equal(ds["members_by_tier"].sum("tier").values,
                                  ds["members_total"].values)
    alive = ds["cdps_by_phase"].sel(phase=[p for p in ds["phase"].values if p != "dissolved"])
    np.testing.assert_array_equal(alive.sum("phase").values, ds["cdps_alive"].values)
    assert int(ds["member_contributions"].sum()) == int(ds["contributions"].sum())
    assert (ds["members_active"] <= ds["members_total"]).all()
    assert (ds["support_hours_given"] <= ds["support_hours_demanded"] + 1e-9).all()
    assert (ds["members_active"] > 0).any() and (ds["contributions"] > 0).any()


def test_root_attributes(normal_ds):
    attrs = normal_ds.attrs
    for key in ("cdpsim_version", "scenario_toml", "seed", "status", "weeks_completed"):
        assert key in attrs, f"root attribute {key} missing"
    assert attrs["status"] == "complete"
    assert int(attrs["weeks_completed"]) == WEEKS
    assert int(attrs["seed"]) == 20180903
    assert attrs["cdpsim_version"]
    assert "[levers]" in attrs["scenario_toml"]


def test_string_attributes_are_str_in_h5py(normal_run):
    _, out = normal_run
    with h5py.File(out, "r") as f:
        for key in ("cdpsim_version", "scenario_toml", "status"):
            value = f.attrs[key]
            assert isinstance(value, str), f"{key} is {type(value).__name__}, not str"
        assert f.attrs["status"] == "complete"
        assert int(f.attrs["weeks_completed"]) == WEEKS


def test_stored_scenario_validates_and_reproduces(cdpsim, normal_run, normal_ds, tmp_path,
                                                  load_dataset, assert_same_dataset):
    stored = tmp_path / "stored.toml"
    stored.write_text(normal_ds.attrs["scenario_toml"])
    proc = cdpsim("validate", stored)
    assert proc.returncode == 0, proc.stderr
    assert f"{stored}: valid scenario" in proc.stdout
    # Same seed (stored in the scenario) and the stored --weeks: identical data.
    again = tmp_path / "again.h5"
    run_ok(cdpsim, stored, "-o", again, "--seed", normal_ds.attrs["seed"])
    assert_same_dataset(normal_ds, load_dataset(again))


def test_per_cdp_series_can_be_switched_off(cdpsim, module_scenario, tmp_path, load_dataset):
    out = tmp_path / "lean.h5"
    run_ok(cdpsim, module_scenario, "-o", out, "--weeks", WEEKS,
           "--set", "output.per_cdp_series=false")
    ds = load_dataset(out)
    for name in PER_CDP_SERIES:
        assert name not in ds.variables, f"{name} still written with per_cdp_series=false"
    assert not [n for n, v in ds.variables.items() if v.dims == ("week", "cdp")]
    assert "members_total" in ds.variables


def test_info_lists_variables(cdpsim, normal_run):
    _, out = normal_run
    proc = cdpsim("info", out)
    assert proc.returncode == 0, proc.stderr
    words = proc.stdout.split()
    for name in ("members_total", "cdp_members", "status", "complete"):
        assert name in words, f"{name} missing from `cdpsim info`:\n{proc.stdout}"


def test_levers_lists_all_17(cdpsim):
    proc = cdpsim("levers")
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[0] for line in proc.stdout.splitlines()
              if line and not line[0].isspace()][1:]  # first column, header dropped
    assert listed == LEVERS


@pytest.mark.parametrize("args, expected", [
    (["--version"], "cdpsim "),
    (["--help"], "run"),
    (["run", "--help"], "--threads"),
    (["params"], "time_allowance"),
])
def test_informational_commands_exit_0(cdpsim, args, expected):
    proc = cdpsim(*args)
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout


def test_version_matches_output_attribute(cdpsim, normal_ds):
    proc = cdpsim("--version")
    assert proc.stdout.strip() == f"cdpsim {normal_ds.attrs['cdpsim_version']}"


def test_resolve_round_trips(cdpsim, module_scenario, tmp_path):
    proc = cdpsim("resolve", module_scenario, "--set", "levers.animation=0.25")
    assert proc.returncode == 0, proc.stderr
    resolved = tmp_path / "resolved.toml"
    resolved.write_text(proc.stdout)
    again = cdpsim("resolve", resolved)
    assert again.returncode == 0, again.stderr
    assert again.stdout == proc.stdout
    assert "animation = 0.25" in proc.stdout


def test_every_repository_scenario_validates(cdpsim, source_dir):
    scenarios = sorted((source_dir / "scenarios").glob("*.toml"))
    assert scenarios, "no scenario in scenarios/"
    failures = []
    for path in scenarios:
        proc = cdpsim("validate", path)
        if proc.returncode != 0 or "valid scenario" not in proc.stdout:
            failures.append(f"{path.name}: exit {proc.returncode}: {proc.stderr.strip()}")
    assert not failures, "\n".join(failures)


# --- interruption -------------------------------------------------------------------------------

LONG_WEEKS = 2000


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_keeps_a_valid_file(cdpsim_bin, write_scenario, tmp_path, sig,
                                            load_dataset, leftovers):
    scen = write_scenario(
        "long.toml",
        f"shocks = []\n\n[simulation]\nweeks = {LONG_WEEKS}\n\n"
        "[population]\npotential_members = 200000\ninitial_members = 50000\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "long.h5"
    proc = subprocess.Popen([str(cdpsim_bin), "run", str(scen), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        assert proc.poll() is None, (
            f"the {LONG_WEEKS}-week run ended before it could be interrupted "
            f"(exit {proc.returncode}); make the test scenario longer")
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, f"exit {proc.returncode}\n{stderr}"
    assert out.is_file()
    assert leftovers(out_dir) == []
    assert sorted(p.name for p in out_dir.iterdir()) == ["long.h5"]
    ds = load_dataset(out)
    assert ds.attrs["status"] == "interrupted"
    done = int(ds.attrs["weeks_completed"])
    assert 0 < done < LONG_WEEKS
    assert int(ds.attrs["weeks_planned"]) == LONG_WEEKS
    assert ds.sizes["week"] == done
    assert ds["members_total"].shape == (done,)
    assert ds["cdp_members"].shape[0] == done
    assert f"{done} of {LONG_WEEKS} weeks (INTERRUPTED)" in stdout
    assert f"interrupted after week {done}" in stderr


# --- boundary cases with exact answers ----------------------------------------------------------

def test_no_time_allowed_means_no_activity(cdpsim, module_scenario, tmp_path, load_dataset):
    out = tmp_path / "no_time.h5"
    run_ok(cdpsim, module_scenario, "-o", out, "--weeks", WEEKS,
           "--set", "levers.time_allowance=0")
    ds = load_dataset(out)
    assert ds.sizes["week"] == WEEKS
    np.testing.assert_array_equal(ds["members_active"].values, 0)
    np.testing.assert_array_equal(ds["contributions"].values, 0)


@pytest.mark.parametrize("override", ["levers.support_capacity=0", "support.mode=none"])
def test_no_support_means_no_support_hours(cdpsim, module_scenario, tmp_path, load_dataset,
                                           override):
    out = tmp_path / "no_support.h5"
    run_ok(cdpsim, module_scenario, "-o", out, "--weeks", WEEKS, "--set", override)
    ds = load_dataset(out)
    assert ds.sizes["week"] == WEEKS
    np.testing.assert_array_equal(ds["support_hours_given"].values, 0.0)
    np.testing.assert_array_equal(ds["cdp_support_hours"].values, 0.0)


def test_pandemic_shock_changes_only_the_weeks_it_covers(cdpsim, write_scenario, module_scenario,
                                                         tmp_path, load_dataset):
    shock_week, duration, weeks = 10, 15, 30
    shocked = write_scenario(
        "pandemic.toml",
        '[[shocks]]\nkind = "pandemic"\nlabel = "test"\nstart = 2018-11-12\n'  # week 10
        f"duration_weeks = {duration}\nintensity = 1.0\n",
        base=module_scenario)
    calm_out, shock_out = tmp_path / "calm.h5", tmp_path / "shock.h5"
    run_ok(cdpsim, module_scenario, "-o", calm_out, "--weeks", weeks)
    run_ok(cdpsim, shocked, "-o", shock_out, "--weeks", weeks)
    calm = load_dataset(calm_out)["interactions_inperson"].values
    shock_ds = load_dataset(shock_out)
    shock = shock_ds["interactions_inperson"].values
    np.testing.assert_array_equal(shock[:shock_week], calm[:shock_week])
    assert not np.array_equal(shock[shock_week:], calm[shock_week:])
    during = slice(shock_week, shock_week + duration)
    assert shock[during].mean() < calm[during].mean()
    pandemic = shock_ds["pandemic"].values
    np.testing.assert_array_equal(pandemic[:shock_week], 0.0)
    assert (pandemic[during] > 0).all()


# --- language and short runs --------------------------------------------------------------------

def test_summary_in_french(cdpsim, module_scenario, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    proc = cdpsim("run", module_scenario, "-o", tmp_path / "fr.h5", "--weeks", WEEKS,
                  env=dict(env, LANG="fr_CA.UTF-8"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"{WEEKS} semaines sur {WEEKS}" in out, out
    for word in ("membres", "inscrits", "noyau", "en activité sur", "unités de répertoire",
                 "objets-frontières", "accompagnement", "h données sur"):
        assert word in out, f"{word!r} missing from:\n{out}"
    assert re.search(r"\d,\d h données", out), out  # decimal comma
    en = cdpsim("run", module_scenario, "-o", tmp_path / "en.h5", "--weeks", WEEKS, "--lang", "en",
                env=dict(env, LANG="fr_CA.UTF-8"))
    assert en.returncode == 0 and f"{WEEKS} of {WEEKS} weeks" in en.stdout


def test_passerelles_for_20_weeks_runs_with_one_warning(cdpsim, source_dir, tmp_path,
                                                        load_dataset):
    """The quick test run of the README: the pandemic of March 2020 lies beyond 20 weeks."""
    out = tmp_path / "p.h5"
    proc = cdpsim("run", source_dir / "scenarios" / "passerelles.toml", "--weeks", 20, "-o", out)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert lines == [
        "cdpsim: warning: shocks[0] 'COVID-19' (pandemic) starts on 2020-03-16, after the "
        "simulated horizon (2018-09-03 to before 2019-01-21): it never happens in this run "
        "(--strict refuses the run instead)"], proc.stderr
    ds = load_dataset(out)
    assert ds.attrs["shocks_beyond_horizon"] == "shocks[0] 'COVID-19' (pandemic) from 2020-03-16"
    strict = cdpsim("run", source_dir / "scenarios" / "passerelles.toml", "--weeks", 20, "-o",
                    tmp_path / "strict.h5", "--strict")
    assert strict.returncode == 2 and "outside the simulated horizon" in strict.stderr
    assert not (tmp_path / "strict.h5").exists()
