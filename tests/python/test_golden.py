"""Golden regression: summary statistics of key scenarios, compared with stored values.

Any change to the dynamics shows up here and must be justified in its commit. To accept new
values after an intended change, regenerate and commit the JSON files:

    CDPSIM_REGEN_GOLDEN=1 CDPSIM_BIN=build/app/cdpsim /usr/bin/python3 -m pytest tests/python/test_golden.py
"""
import json
import os
import subprocess

import numpy as np
import pytest
import xarray as xr

# Runs are deterministic; the tolerance only absorbs libm differences between machines.
RTOL = 1e-6

# One golden file per key scenario of the library (the large one is left to the benchmarks).
SCENARIOS = {
    name: [f"scenarios/{name}.toml"]
    for name in ["passerelles", "passerelles-no-covid", "support-none", "support-expert",
                 "support-capacity-building", "support-peer-network", "competition-high",
                 "competition-low", "platform-interoperable", "territoires-apprenants",
                 "programme-2018-2022", "support-doubled-covid", "support-triggered",
                 "switch-to-capacity-building"]
}

# Rows of the events table that interventions write (models/types.hpp, EventKind).
INTERVENTION_EVENTS = {"intervention_start", "intervention_end", "trigger_on", "trigger_off",
                       "budget_exhausted"}


def intervention_events(ds) -> int:
    """Number of events table rows about interventions (0 without interventions)."""
    if "event_kind" not in ds:
        return 0
    kinds = dict(kv.split("=") for kv in ds.event_kind.attrs["flag_meanings"].split())
    codes = {int(code) for code, name in kinds.items() if name in INTERVENTION_EVENTS}
    return int(np.isin(ds.event_kind.values, list(codes)).sum())


def summary(path):
    ds = xr.open_dataset(path, engine="h5netcdf")
    out = {
        "members_total_final": int(ds.members_total[-1]),
        "members_total_week9": int(ds.members_total[9]),
        "members_total_week154": int(ds.members_total[154]),
        "members_active_mean": float(ds.members_active.mean()),
        "contributions_sum": int(ds.contributions.sum()),
        "interactions_inperson_sum": int(ds.interactions_inperson.sum()),
        "interactions_online_sum": int(ds.interactions_online.sum()),
        "cdps_alive_final": int(ds.cdps_alive[-1]),
        "knowledge_stock_final": float(ds.knowledge_stock[-1]),
        "boundary_objects_final": int(ds.boundary_objects[-1]),
        "support_hours_given_sum": float(ds.support_hours_given.sum()),
        "support_hours_demanded_sum": float(ds.support_hours_demanded.sum()),
        "engagement_mean_final": float(ds.engagement_mean[-1]),
        "territory_learning_final": float(ds.territory_learning[-1].mean()),
        # What a funder reads: money and support hours the programmes paid (0 without
        # interventions), and how often interventions started, stopped or ran out.
        "spending_money_final": float(ds.spending_money[-1]),
        "spending_hours_final": float(ds.spending_hours[-1]),
        "intervention_events": intervention_events(ds),
    }
    for k, name in enumerate(ds.tier.values):
        out[f"tier_{name}_final"] = int(ds.members_by_tier[-1, k])
    for k, name in enumerate(ds.phase.values):
        out[f"phase_{name}_final"] = int(ds.cdps_by_phase[-1, k])
    ds.close()
    return out


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_golden(name, cdpsim_bin, source_dir, tmp_path):
    args = SCENARIOS[name]
    out = tmp_path / f"{name}.h5"
    subprocess.run([cdpsim_bin, "run", os.path.join(source_dir, args[0]), *args[1:], "-o", str(out),
                    "-q"], check=True)
    got = summary(out)
    golden = os.path.join(source_dir, "tests", "golden", f"{name}.json")
    if os.environ.get("CDPSIM_REGEN_GOLDEN") == "1":
        with open(golden, "w") as f:
            json.dump(got, f, indent=2, sort_keys=True)
            f.write("\n")
    with open(golden) as f:
        want = json.load(f)
    assert sorted(got) == sorted(want), "the set of summary statistics changed"
    bad = {k: (got[k], want[k]) for k in want
           if not np.isclose(got[k], want[k], rtol=RTOL, atol=1e-9)}
    assert not bad, f"{name}: changed statistics (got, golden): {bad}"
