"""sim.series() equals the file `cdpsim run` writes; the same run step by step, and at any thread
count, through Python and through the binary."""

import pytest
import xarray as xr

import cdpsim

# The reference, a programme with budgeted interventions, and 17 territories with spill-overs.
THREE = ["passerelles.toml", "programme-2018-2022.toml", "territoires-apprenants.toml"]


@pytest.mark.parametrize("name", THREE)
def test_series_equal_the_binarys_file(name, scenarios, run_cli, tmp_path):
    out = tmp_path / "cli.h5"
    run_cli("run", scenarios / name, "-o", out, "--seed", 7, "--threads", 2, "-q")
    sim = cdpsim.Simulation(cdpsim.Scenario.load(scenarios / name), seed=7, threads=2)
    sim.run()
    ds = sim.series()
    xr.testing.assert_identical(cdpsim.load(out), ds)
    assert ds.attrs["status"] == "complete" and ds.attrs["seed"] == 7
    # sim.write() is the same file as far as any reader can tell.
    xr.testing.assert_identical(cdpsim.load(sim.write(tmp_path / "py.h5")), ds)


@pytest.mark.parametrize("threads", [1, 2])
def test_deterministic_as_the_cli_at_1_and_2_threads(threads, scenarios, run_cli, tmp_path):
    sc = scenarios / "passerelles.toml"
    cli = {}
    for t in (1, 2):
        out = tmp_path / f"cli{t}.h5"
        run_cli("run", sc, "-o", out, "--seed", 11, "--threads", t, "-q")
        cli[t] = cdpsim.load(out)
    sim = cdpsim.Simulation(cdpsim.Scenario.load(sc), seed=11, threads=threads)
    sim.run()
    ds = sim.series()
    xr.testing.assert_identical(cli[1], ds)
    xr.testing.assert_identical(cli[2], ds)
    # Another seed gives another run (the comparison above can fail).
    other = cdpsim.Simulation(cdpsim.Scenario.load(sc), seed=12, threads=threads)
    other.run()
    assert not other.series()["members_total"].equals(ds["members_total"])


def test_step_by_step_equals_run(scenarios):
    s = cdpsim.Scenario.load(scenarios / "passerelles.toml", set={"simulation.weeks": 90})
    a = cdpsim.Simulation(s, seed=3, threads=1)
    assert a.run() == 90 and a.done
    b = cdpsim.Simulation(s, seed=3, threads=2)
    weeks = [b.step() for _ in range(40)]
    assert weeks == list(range(1, 41))
    assert b.step(5) == 45
    assert b.run(until="2020-03-16") == s.week_of("2020-03-16") == b.week
    assert str(b.date) == "2020-03-16"
    partial = b.series()
    assert partial.attrs["status"] == "interrupted" and partial.sizes["week"] == b.week
    b.run()
    xr.testing.assert_identical(a.series(), b.series())
    with pytest.raises(IndexError, match="horizon"):
        b.step()
    with pytest.raises(ValueError, match="allowed: weeks 90 to 90"):
        b.run(until=10)


def test_seed_default_is_the_scenarios(scenarios, run_cli, tmp_path):
    s = cdpsim.Scenario.load(scenarios / "passerelles.toml", set={"simulation.weeks": 30})
    out = tmp_path / "cli.h5"
    run_cli("run", scenarios / "passerelles.toml", "--set", "simulation.weeks=30", "-o", out, "-q")
    sim = cdpsim.Simulation(s)
    sim.run()
    assert sim.seed == s.seed
    xr.testing.assert_identical(cdpsim.load(out), sim.series())
