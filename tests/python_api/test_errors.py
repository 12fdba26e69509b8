"""Errors carry the location (file, line, column, key, allowed values) and the command line's
text."""

import pytest

import cdpsim


def _cli_message(run_cli, *args):
    p = run_cli("validate", *args, check=False)
    assert p.returncode == 2, p.stderr
    line = p.stderr.strip().splitlines()[-1]
    assert line.startswith("cdpsim: error: ")
    return line[len("cdpsim: error: "):]


def test_set_error_has_key_and_allowed(scenarios, run_cli):
    sc = scenarios / "passerelles.toml"
    with pytest.raises(cdpsim.ScenarioError) as e:
        cdpsim.Scenario.load(sc, set={"levers.animation": 2})
    assert str(e.value) == _cli_message(run_cli, sc, "--set", "levers.animation=2")
    assert e.value.file == "--set" and e.value.key == "levers.animation"
    assert e.value.allowed == "a number in [0, 1]" and e.value.line is None
    assert isinstance(e.value, ValueError) and isinstance(e.value, cdpsim.InputError)


def test_file_error_has_line_and_column(scenarios, run_cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{scenarios / "passerelles.toml"}"\n\n[support]\n'
                   'mode = "everything"\n')
    with pytest.raises(cdpsim.ScenarioError) as e:
        cdpsim.Scenario.load(bad)
    assert str(e.value) == _cli_message(run_cli, bad)
    assert (e.value.file, e.value.line, e.value.column) == (str(bad), 4, 8)
    assert e.value.key == "support.mode"
    assert "'capacity_building'" in e.value.allowed


def test_unknown_key_names_the_nearest(scenarios, run_cli, tmp_path):
    bad = tmp_path / "typo.toml"
    bad.write_text(f'extends = "{scenarios / "passerelles.toml"}"\n\n[levers]\nanimaton = 0.5\n')
    with pytest.raises(cdpsim.ScenarioError) as e:
        cdpsim.Scenario.load(bad)
    assert str(e.value) == _cli_message(run_cli, bad)
    assert e.value.line == 4 and "did you mean 'animation'" in str(e.value)


def test_other_input_errors(scenarios, tmp_path):
    with pytest.raises(cdpsim.ScenarioError, match="cannot read scenario file"):
        cdpsim.Scenario.load(tmp_path / "missing.toml")
    bad = tmp_path / "x.h5"
    bad.write_bytes(b"not hdf5")
    with pytest.raises(cdpsim.CheckpointError, match="x.h5"):
        cdpsim.Simulation.from_checkpoint(bad)
    sim = cdpsim.Simulation(cdpsim.Scenario.load(scenarios / "passerelles.toml",
                                                 set={"simulation.weeks": 2}))
    sim.run()
    sim.write(tmp_path / "out.h5")
    with pytest.raises(cdpsim.OutputError, match="force"):
        sim.write(tmp_path / "out.h5")
    sim.write(tmp_path / "out.h5", force=True)
    with pytest.raises(cdpsim.RequestError, match="metric"):
        cdpsim.compare([scenarios / "passerelles.toml", scenarios / "support-none.toml"],
                       replicates=2, metrics=["no_such_metric"])


def test_scenario_round_trip(scenarios, run_cli):
    sc = scenarios / "programme-2018-2022.toml"
    s = cdpsim.Scenario.load(sc, set=["levers.animation=0.7"])
    assert s.to_toml() == run_cli("resolve", sc, "--set", "levers.animation=0.7").stdout
    assert s.resolve()["levers"]["animation"] == 0.7
    again = cdpsim.Scenario.from_toml(s.to_toml())
    assert again.to_toml() == s.to_toml()
    assert s.with_set({"levers.animation": 0.2}).resolve()["levers"]["animation"] == 0.2
    assert str(s.start_date) == "2018-09-03" and s.weeks > 200 and s.path == str(sc)


def test_help_is_useful():
    for obj in (cdpsim, cdpsim.Scenario, cdpsim.Simulation, cdpsim.ensemble, cdpsim.compare,
                cdpsim.sensitivity, cdpsim.load, cdpsim.ScenarioError):
        assert obj.__doc__ and len(obj.__doc__) > 60, obj
    public = [getattr(cdpsim.Simulation, n) for n in dir(cdpsim.Simulation) if not n.startswith("_")]
    public += [getattr(cdpsim.Scenario, n) for n in dir(cdpsim.Scenario) if not n.startswith("_")]
    assert all(p.__doc__ for p in public)
