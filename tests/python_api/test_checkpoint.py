"""Checkpoints from Python: a round trip is the uninterrupted run; a branch from Python equals
`cdpsim run --from`; an intervention from Python equals the scenario file holding it."""

import pytest
import xarray as xr

import cdpsim


def test_checkpoint_round_trip(scenarios, tmp_path, run_cli):
    s = cdpsim.Scenario.load(scenarios / "programme-2018-2022.toml")
    whole = cdpsim.Simulation(s, seed=9, threads=2)
    whole.run()
    part = cdpsim.Simulation(s, seed=9, threads=1)
    part.run(until="2020-03-16")
    (tmp_path / "dir").mkdir()
    ck = part.checkpoint(tmp_path / "dir" / f"week-{part.week:06d}.h5")
    again = cdpsim.Simulation.from_checkpoint(ck, threads=2)
    assert again.week == part.week == s.week_of("2020-03-16")
    xr.testing.assert_identical(part.series(), again.series())
    again.run()
    part.run()
    xr.testing.assert_identical(whole.series(), again.series())
    xr.testing.assert_identical(whole.series(), part.series())
    # The binary resumes from the checkpoint Python wrote, into the same file.
    out = tmp_path / "resumed.h5"
    run_cli("run", scenarios / "programme-2018-2022.toml", "--seed", 9, "-o", out, "-q",
            "--checkpoint-dir", tmp_path / "dir", "--checkpoint-every", 1000, "--resume",
            check=True)
    xr.testing.assert_identical(cdpsim.load(out), whole.series())


def test_branch_equals_the_binarys(scenarios, tmp_path, run_cli):
    s = cdpsim.Scenario.load(scenarios / "passerelles.toml")
    sim = cdpsim.Simulation(s, seed=4)
    sim.run(until=80)
    ck = str(sim.checkpoint(tmp_path / "week-000080.h5"))
    out = tmp_path / "branch.h5"
    run_cli("run", "--from", ck, "--set", "levers.support_capacity=1", "-o", out, "-q")
    b = cdpsim.Simulation.from_checkpoint(ck, set={"levers.support_capacity": 1})
    b.run()
    ds = b.series()
    assert ds.attrs["branch_week"] == 80 and ds.attrs["branch_of"] == ck
    xr.testing.assert_identical(cdpsim.load(out), ds)
    with pytest.raises(cdpsim.ScenarioError) as e:
        cdpsim.Simulation.from_checkpoint(ck, set={"population.organisations": 10})
    assert e.value.key == "population.organisations" and "mid-run keys" in e.value.allowed


def test_intervene_equals_the_scenario_file(scenarios, tmp_path, run_cli):
    toml = tmp_path / "with.toml"
    toml.write_text(f'extends = "{scenarios / "passerelles.toml"}"\n\n[[interventions]]\n'
                    'name = "intervene: levers.animation"\nkey = "levers.animation"\nset = 0.9\n'
                    "start = 50\nend = 120\n")
    out = tmp_path / "file.h5"
    run_cli("run", toml, "--seed", 6, "-o", out, "-q")
    sim = cdpsim.Simulation(cdpsim.Scenario.load(scenarios / "passerelles.toml"), seed=6)
    sim.run(until=50)
    sim.intervene("levers.animation", set=0.9, end=120)
    assert len(sim.scenario.resolve()["interventions"]) == 1
    sim.run()
    ds = sim.series()
    xr.testing.assert_identical(cdpsim.load(out), ds)
    # Without it, the run differs (the comparison can fail).
    plain = cdpsim.Simulation(cdpsim.Scenario.load(scenarios / "passerelles.toml"), seed=6)
    plain.run()
    assert not plain.series()["members_total"].equals(ds["members_total"])


def test_intervene_follows_the_files_rules(scenarios):
    sim = cdpsim.Simulation(cdpsim.Scenario.load(scenarios / "passerelles.toml"), seed=6)
    sim.run(until=30)
    with pytest.raises(cdpsim.ScenarioError) as e:
        sim.intervene("levers.animation", set=0.9, start=10)
    assert e.value.key == "interventions[0].start" and "from week 30" in e.value.allowed
    with pytest.raises(cdpsim.ScenarioError) as e:
        sim.intervene("levers.animation", set=3)
    assert "levers.animation" in str(e.value) and e.value.allowed
    with pytest.raises(cdpsim.ScenarioError) as e:
        sim.intervene("levers.animaton", set=0.5)
    assert "animation" in str(e.value)
    with pytest.raises(cdpsim.ScenarioError):
        sim.intervene("levers.animation", set=0.5, ramp_weks=3)
    assert sim.week == 30 and sim.scenario.resolve()["interventions"] == []
    sim.intervene("support.capacity_hours", scale=2, start="2019-06-03")  # a date works too
    sim.run()
    assert sim.series().sizes["intervention"] == 1


def test_reseeded_branch_equals_the_binarys(scenarios, tmp_path, run_cli):
    s = cdpsim.Scenario.load(scenarios / "passerelles.toml", set={"simulation.weeks": 120})
    sim = cdpsim.Simulation(s, seed=4)
    sim.run(until=60)
    ck = str(sim.checkpoint(tmp_path / "week-000060.h5"))
    out = tmp_path / "reseeded.h5"
    run_cli("run", "--from", ck, "--seed", 5, "--seed-policy", "reseed", "-o", out, "-q")
    b = cdpsim.Simulation.from_checkpoint(ck, seed_policy="reseed", seed=5)
    b.run()
    ds = b.series()
    assert ds.attrs["seed_policy"] == "reseed"
    xr.testing.assert_identical(cdpsim.load(out), ds)
