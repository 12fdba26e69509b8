"""Determinism through the real binary: the thread count never changes the results, the seed does.

The scenario is big enough (20,000 initial members; member blocks hold 2,048 members) that a
2-thread run really splits the member updates between workers.
"""

import numpy as np
import pytest

BLOCK = 2048
BODY = """\
shocks = []

[simulation]
weeks = 15

[population]
potential_members = 30000
initial_members = 20000
"""


@pytest.fixture(scope="module")
def big_scenario(tmp_path_factory, reference_scenario):
    path = tmp_path_factory.mktemp("scenario") / "big.toml"
    ref = str(reference_scenario).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{ref}"\n{BODY}')
    return path


@pytest.fixture(scope="module")
def run_big(cdpsim, big_scenario, tmp_path_factory, load_dataset):
    """run_big(name, *args) -> Dataset of `cdpsim run big.toml -o NAME.h5 ARGS`, cached."""
    folder = tmp_path_factory.mktemp("runs")
    cache = {}

    def run(name, *args):
        if name not in cache:
            out = folder / f"{name}.h5"
            proc = cdpsim("run", big_scenario, "-o", out, "-q", *args)
            assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr}"
            cache[name] = load_dataset(out)
        return cache[name]

    return run


def test_scenario_spans_several_member_blocks(run_big):
    ds = run_big("t1", "--threads", "1")
    assert ds.sizes["member"] >= 4 * BLOCK
    assert ds.sizes["week"] == 15
    assert (ds["members_active"] > 0).all()


def test_one_and_two_threads_give_identical_files(run_big, assert_same_dataset):
    assert_same_dataset(run_big("t1", "--threads", "1"), run_big("t2", "--threads", "2"))


def test_default_threads_give_identical_files(run_big, assert_same_dataset):
    """Without --threads the run uses every core; the results must not change."""
    assert_same_dataset(run_big("t1", "--threads", "1"), run_big("tdefault"))


def test_repeated_parallel_runs_are_identical(run_big, assert_same_dataset):
    assert_same_dataset(run_big("t2", "--threads", "2"), run_big("t2b", "--threads", "2"))


def test_explicit_seed_equal_to_scenario_seed_changes_nothing(run_big, assert_same_dataset):
    base = run_big("t1", "--threads", "1")
    same = run_big("seed-same", "--threads", "2", "--seed", str(int(base.attrs["seed"])))
    assert_same_dataset(base, same)


def test_another_seed_gives_other_results(run_big):
    base = run_big("t1", "--threads", "1")
    other = run_big("seed-7", "--threads", "2", "--seed", "7")
    assert int(other.attrs["seed"]) == 7 != int(base.attrs["seed"])
    assert other.attrs["status"] == "complete"
    assert not (np.array_equal(base["members_active"].values, other["members_active"].values)
                and np.array_equal(base["contributions"].values,
                                   other["contributions"].values))
