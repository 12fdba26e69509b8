"""Every input that ever crashed or hung the scenario reader (tests/fuzz/regressions/, found by
tests/fuzz/fuzz_scenarios.py or reported in issue 14) is refused cleanly: exit 0 or 2, one
'cdpsim: error:' line, within seconds."""

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
sys.path.insert(0, str(FUZZ))
import fuzz_scenarios  # noqa: E402

CASES = sorted((FUZZ / "regressions").glob("*.toml"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_regression_case_is_handled(cdpsim_bin, case):
    assert fuzz_scenarios.run_case(str(cdpsim_bin), case, timeout=20) is None


def test_a_short_fuzz_run_finds_nothing(cdpsim_bin, tmp_path):
    import subprocess
    proc = subprocess.run([sys.executable, str(FUZZ / "fuzz_scenarios.py"), "--bin",
                           str(cdpsim_bin), "--cases", "200", "--seed", "3", "--crashers",
                           str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr + proc.stdout
