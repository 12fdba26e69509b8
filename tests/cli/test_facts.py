"""`cdpsim facts`: the stylized facts of docs/validation.md, checked through the real binary."""
import json
import os
import subprocess

import numpy as np
import pytest
import xarray as xr
from seed_rule import replicate_seed

FACT_IDS = [f"F{i}" for i in range(1, 17)]


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory, cdpsim_bin, source_dir):
    out = tmp_path_factory.mktemp("facts") / "report"
    proc = subprocess.run([cdpsim_bin, "facts", "--quick", "-q", "-o", str(out),
                           "--scenarios", os.path.join(source_dir, "scenarios")],
                          capture_output=True, text=True)
    return proc, out


def test_quick_facts_exit_code_and_failures_are_explained(quick_report, source_dir):
    """Exit 0 exactly when no fact fails (with 5 replicates a fact may be inconclusive instead,
    docs/validation.md "Inconclusive"); a failing fact must be explained in docs/validation.md's
    Status section (facts are never removed to make a run pass)."""
    proc, out = quick_report
    report = json.loads((out.parent / "report.json").read_text())
    assert report["decisive"] is False
    failing = [f["id"] for f in report["facts"] if f["verdict"] == "fail"]
    inconclusive = [f["id"] for f in report["facts"] if f["verdict"] == "inconclusive"]
    assert proc.returncode == (0 if not failing else 1), proc.stderr
    passed = len(FACT_IDS) - len(failing) - len(inconclusive)
    assert f"{passed} of {len(FACT_IDS)} facts pass" in proc.stdout
    if inconclusive:
        assert f"{len(inconclusive)} inconclusive" in proc.stdout
    doc = open(os.path.join(source_dir, "docs", "validation.md"), encoding="utf-8").read()
    status = doc[doc.index("## Status"):]
    for fid in failing:
        assert f"**{fid}**" in status, f"{fid} fails in --quick but is not explained in Status"


def test_report_lists_every_fact_with_intervals(quick_report):
    proc, out = quick_report
    report = json.loads((out.parent / "report.json").read_text())
    assert report["replicates"] == 5
    assert [f["id"] for f in report["facts"]] == FACT_IDS
    for f in report["facts"]:
        assert f["source"] and f["fact"] and f["parts"]
        assert f["pass"] == all(p["pass"] for p in f["parts"])
        verdicts = {p["verdict"] for p in f["parts"]}
        assert f["verdict"] == ("fail" if "fail" in verdicts else
                                "inconclusive" if "inconclusive" in verdicts else "pass")
        for p in f["parts"]:
            assert p["ci_low"] <= p["value"] <= p["ci_high"], p
            assert p["criterion"]
            assert p["verdict"] == "pass" if p["pass"] else p["verdict"] in ("fail", "inconclusive")
    md = (out.parent / "report.md").read_text()
    n_parts = sum(len(f["parts"]) for f in report["facts"])
    assert md.count("\n| F") == n_parts
    for fid in FACT_IDS:
        assert f"| {fid} |" in md
        assert fid in proc.stdout


def test_growth_fact_equals_the_mean_of_single_runs(quick_report, cdpsim_bin, source_dir,
                                                    tmp_path):
    """F11(a) must be the plain mean of members_total at week 9 over the five replicate runs."""
    _, out = quick_report
    report = json.loads((out.parent / "report.json").read_text())
    f11 = next(f for f in report["facts"] if f["id"] == "F11")
    values = []
    for r in range(5):
        h5 = tmp_path / f"r{r}.h5"
        subprocess.run([cdpsim_bin, "run", os.path.join(source_dir, "scenarios/passerelles.toml"),
                        "--seed", str(replicate_seed(20180903, r)), "-o", str(h5), "-q"],
                       check=True)
        with xr.open_dataset(h5, engine="h5netcdf") as ds:
            values.append(int(ds.members_total[9]))
    assert f11["parts"][0]["value"] == pytest.approx(np.mean(values), rel=1e-12)


def test_existing_report_is_not_overwritten(quick_report, cdpsim_bin):
    _, out = quick_report
    before = (out.parent / "report.md").read_bytes()
    proc = subprocess.run([cdpsim_bin, "facts", "--quick", "-q", "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "already exists" in proc.stderr and "--force" in proc.stderr
    assert (out.parent / "report.md").read_bytes() == before


def test_bad_override_is_rejected_before_work(cdpsim_bin, tmp_path):
    proc = subprocess.run([cdpsim_bin, "facts", "--quick", "-q", "--set", "levers.anmation=0.3",
                           "-o", str(tmp_path / "r")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "did you mean 'animation'" in proc.stderr
    assert list(tmp_path.iterdir()) == []
