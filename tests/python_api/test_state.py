"""State views: the members', CdPs' and organisations' state now, as zero-copy NumPy views or
pandas DataFrames, equal at the end of a run to the per-member and per-CdP outputs of the file."""

import gc

import numpy as np
import pytest

import cdpsim


@pytest.fixture(scope="module")
def finished(scenarios, tmp_path_factory, run_cli):
    sc = scenarios / "passerelles.toml"
    out = tmp_path_factory.mktemp("state") / "cli.h5"
    run_cli("run", sc, "--set", "output.per_member=true", "-o", out, "--seed", 5, "-q")
    sim = cdpsim.Simulation(cdpsim.Scenario.load(sc, set={"output.per_member": True}), seed=5)
    sim.run()
    return sim, cdpsim.load(out)


def test_members_match_the_files_per_member_outputs(finished):
    sim, ds = finished
    m = sim.members()
    assert len(m) == ds.sizes["member"] > 1000
    assert m.index.name == "member"
    np.testing.assert_array_equal(m["contributions"].to_numpy(), ds["member_contributions"].values)
    np.testing.assert_array_equal(m["org"].to_numpy(), ds["member_organisation"].values)
    np.testing.assert_array_equal(m["territory"].to_numpy(), ds["member_territory"].values)
    np.testing.assert_array_equal(m["join_week"].to_numpy(), ds["member_join_week"].values)
    np.testing.assert_array_equal(m["status"].to_numpy(), ds["member_status"].values)
    # memberships agree with the last week's totals of the file.
    registered = m["status"] == 1
    assert registered.sum() == ds["members_total"].values[-1]


def test_cdps_match_the_files_per_cdp_outputs(finished):
    sim, ds = finished
    c = sim.cdps()
    assert len(c) == ds.sizes["cdp"]
    for name in ("birth_week", "territory", "platform", "mutual_aid", "last_support_week",
                 "support_total", "autonomy"):
        np.testing.assert_array_equal(c[name].to_numpy().astype(ds[f"cdp_{name}"].dtype),
                                      ds[f"cdp_{name}"].values, err_msg=name)
    # The last week's phase of every CdP is the file's per-CdP phase series at the last week.
    np.testing.assert_array_equal(c["phase"].to_numpy(), ds["cdp_phase"].values[-1])
    o = sim.organisations()
    assert len(o) == 400 and {"culture", "allow", "competition", "territory"} <= set(o.columns)


def test_views_are_zero_copy_read_only_and_live(scenarios):
    sim = cdpsim.Simulation(cdpsim.Scenario.load(scenarios / "passerelles.toml"), seed=2)
    sim.run(until=20)
    v1, v2 = sim.members(view=True), sim.members(view=True)
    assert np.shares_memory(v1["trust"], v2["trust"])  # the engine's memory, not copies
    assert v1["slot_cdp"].shape == (len(v1["trust"]), 4)
    with pytest.raises(ValueError):
        v1["trust"][0] = 1.0
    before = v1["contributions"].copy()
    sim.run(until=40)
    after = v1["contributions"]
    assert (after >= before).all() and (after > before).any()  # the view follows the run
    frame = sim.members()
    assert not np.shares_memory(frame["trust"].to_numpy(), v1["trust"])  # the frame is a copy
    cdp_view = sim.cdps(view=True)
    assert cdp_view["phase_entered"].shape[1] == 6
    # A view keeps the engine's memory alive after the Simulation is gone.
    del sim, frame
    gc.collect()
    assert int(v1["contributions"].sum()) == int(after.sum())


def test_frames_equal_their_views(scenarios):
    # The DataFrames are copied in C++ (_core.frame): the same columns, order, values and dtypes
    # as the views, with the members' territory and memberships derived from them.
    sim = cdpsim.Simulation(cdpsim.Scenario.load(scenarios / "passerelles.toml"), seed=3)
    sim.run(until=60)
    v = sim.members(view=True)
    expected = {k: a for k, a in v.items() if a.ndim == 1}
    expected["territory"] = sim.organisations(view=True)["territory"][v["org"]]
    expected["memberships"] = np.count_nonzero(v["slot_cdp"] != 0xFFFFFFFF, axis=1).astype(np.int32)
    m = sim.members()
    assert list(m.columns) == list(expected)
    assert (m["memberships"] > 0).any()
    for k, a in expected.items():
        assert m[k].dtype == a.dtype, k
        np.testing.assert_array_equal(m[k].to_numpy(), a, err_msg=k)
    for frame, kind in ((sim.cdps, "cdp"), (sim.organisations, "organisation"),
                        (sim.territories, "territory"), (sim.platforms, "platform")):
        f, views = frame(), frame(view=True)
        cols = [k for k, a in views.items() if isinstance(a, list) or a.ndim == 1]
        assert list(f.columns) == cols and f.index.name == kind
        for k in cols:
            np.testing.assert_array_equal(f[k].to_numpy(), np.asarray(views[k]), err_msg=k)
            if not isinstance(views[k], list):
                assert f[k].dtype == views[k].dtype
