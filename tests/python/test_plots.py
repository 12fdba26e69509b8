"""`cdpsim plot` and the cdpsim_py figures, from small real runs.

The figures are inspected as matplotlib objects (axes labels, lines, collections, panels) and the
files written by the real `cdpsim plot` command are checked; bad input goes through the command.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import h5py
import matplotlib.dates as mdates
import numpy as np
import pytest

import plot_outputs as po

import cdpsim_py
from cdpsim_py import run_figures

RUN_FIGURES = {"members", "cdps_by_phase", "members_by_tier", "interactions", "knowledge",
               "support", "contributions"}


@pytest.fixture(scope="module")
def run_file(cdpsim_bin):
    return po.small_run(cdpsim_bin)


@pytest.fixture(scope="module")
def run_ds(run_file):
    return cdpsim_py.load(run_file)


@pytest.fixture(scope="module")
def run_figs(run_ds):
    return cdpsim_py.figures(run_ds)


def data_lines(ax):
    """Lines that carry data (not the interrupted marker, whose x data has one value)."""
    return [ln for ln in ax.get_lines() if len(np.atleast_1d(ln.get_xdata())) > 2]


def year_of_left_limit(ax) -> int:
    return mdates.num2date(ax.get_xlim()[0]).year


# --- the loader -----------------------------------------------------------------------------------

def test_loader_returns_labelled_dataset(run_ds):
    assert run_ds.attrs["output_kind"] == "run"
    assert run_ds.sizes["week"] == 40
    assert run_ds.sizes["phase"] == 6 and run_ds.sizes["tier"] == 3
    assert run_ds["members_by_tier"].dims == ("week", "tier")
    assert run_ds["cdps_by_phase"].dims == ("week", "phase")
    assert np.issubdtype(run_ds["date"].dtype, np.datetime64)
    assert str(run_ds["date"].values[0])[:10] == "2018-09-03"
    assert list(run_ds["phase"].values) == ["potential", "coalescing", "maturing", "stewardship",
                                           "transformation", "dissolved"]


def test_loader_territories(cdpsim_bin):
    ds = cdpsim_py.load(po.territory_run(cdpsim_bin))
    assert ds.sizes["territory"] == 17
    assert ds["territory_learning"].dims == ("week", "territory")
    assert "Montréal" in list(ds["territory"].values)


# --- figure objects -------------------------------------------------------------------------------

def test_every_run_figure_is_built(run_figs):
    assert set(run_figs) == RUN_FIGURES


def test_members_figure(run_figs):
    ax = run_figs["members"].axes[0]
    assert ax.get_ylabel() == "Members"
    assert ax.get_xlabel() == "Date"
    labels = [ln.get_label() for ln in data_lines(ax)]
    assert labels == ["registered members", "active members (took part this week)"]
    assert year_of_left_limit(ax) == 2018
    # The pandemic (weeks 6 to 25) is shaded once and named in the legend.
    spans = [p for p in ax.patches if p.get_label() == "pandemic (COVID-19)"]
    assert len(spans) == 1
    assert "pandemic (COVID-19)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_phase_figure_is_a_stacked_area(run_figs, run_ds):
    ax = run_figs["cdps_by_phase"].axes[0]
    assert ax.get_ylabel() == "CdPs"
    assert len(ax.collections) == 5                       # the five live phases, stacked
    assert [ln.get_label() for ln in data_lines(ax)] == ["dissolved (cumulative)"]
    colours = [tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in ax.collections]
    expected = [tuple(np.round(mdates.mpl.colors.to_rgb(cdpsim_py.style.PHASE_COLOURS[p]), 3))
                for p in ("potential", "coalescing", "maturing", "stewardship", "transformation")]
    assert colours == expected


def test_tier_figure_has_two_panels(run_figs):
    fig = run_figs["members_by_tier"]
    assert len(fig.axes) == 2
    counts, shares = fig.axes
    assert counts.get_ylabel() == "Members" and len(counts.collections) == 3
    assert shares.get_ylabel() == "Share of registered members (%)"
    assert [ln.get_label() for ln in data_lines(shares)] == ["peripheral", "active", "core"]


def test_interactions_figure(run_figs):
    ax = run_figs["interactions"].axes[0]
    assert "Participations per week" in ax.get_ylabel()
    assert [ln.get_label() for ln in data_lines(ax)] == ["in person", "online"]


def test_knowledge_figure_has_two_panels(run_figs):
    fig = run_figs["knowledge"]
    assert len(fig.axes) == 2
    assert "repertoire units" in fig.axes[0].get_ylabel()
    assert "Boundary objects" in fig.axes[1].get_ylabel()
    assert all(len(data_lines(ax)) == 1 for ax in fig.axes)


def test_support_figure(run_figs):
    ax = run_figs["support"].axes[0]
    assert ax.get_ylabel() == "Support (hours per week)"
    assert len(data_lines(ax)) == 2
    assert any(c.get_label() == "unmet demand" for c in ax.collections)


def test_contributions_on_log_log_axes(run_figs):
    ax = run_figs["contributions"].axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "posts" in ax.get_xlabel()
    assert "Share of members" in ax.get_ylabel()
    assert len(ax.get_lines()) == 1
    assert any("top 1% wrote" in t.get_text() for t in ax.texts)


def test_territory_heat_map(cdpsim_bin):
    ds = cdpsim_py.load(po.territory_run(cdpsim_bin))
    figs = cdpsim_py.figures(ds)
    assert set(figs) == RUN_FIGURES | {"territory_learning"}
    fig = figs["territory_learning"]
    heat, bars = fig.axes[0], fig.axes[1]
    mesh = heat.collections[0]
    assert mesh.get_array().size == 17 * 40          # 17 regions x 40 weeks
    assert len(heat.get_yticklabels()) == 17
    assert {t.get_text() for t in heat.get_yticklabels()} == set(ds["territory"].values)
    assert len(bars.patches) == 17
    assert heat.get_xlabel() == "Date" and "Learning capacity" in bars.get_xlabel()
    assert any("Learning capacity" in ax.get_ylabel() or "Learning capacity" in ax.get_xlabel()
               for ax in fig.axes[2:])                # the colour bar


def test_single_territory_has_no_territory_figure(run_ds):
    reasons = {s.name: r for s, r in run_figures.applicable(run_ds)}
    assert reasons["territory_learning"] == "the scenario has a single territory"


# --- the command ----------------------------------------------------------------------------------

def test_cdpsim_plot_writes_every_figure(cdpsim_bin, run_file, tmp_path):
    out = tmp_path / "figs"
    proc = po.cdpsim(cdpsim_bin, "plot", run_file, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{n}.{ext}" for n in RUN_FIGURES for ext in ("png", "svg"))
    for p in out.iterdir():
        data = p.read_bytes()
        assert len(data) > 5000, p
        if p.suffix == ".png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
        else:
            assert b"<svg" in data[:2000]
            assert (b"Date" in data) == (p.stem != "contributions"), p   # time axes
    assert "7 figures" in proc.stdout


def test_existing_figures_are_kept_without_force(cdpsim_bin, run_file, tmp_path):
    out = tmp_path / "figs"
    out.mkdir()
    (out / "members.png").write_bytes(b"precious")
    proc = po.cdpsim(cdpsim_bin, "plot", run_file, "-o", out)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"cdpsim plot: error: {out / 'members.png'}: already exists "
                                   "(use --force to replace it)")
    assert sorted(p.name for p in out.iterdir()) == ["members.png"]
    proc = po.cdpsim(cdpsim_bin, "plot", run_file, "-o", out, "--force", "-q", "--format", "png")
    assert proc.returncode == 0, proc.stderr
    assert (out / "members.png").read_bytes()[:4] == b"\x89PNG"


def test_interrupted_run_is_plotted_with_a_mark(cdpsim_bin, tmp_path):
    path = po.interrupted_run(cdpsim_bin)
    ds = cdpsim_py.load(path)
    done = int(ds.attrs["weeks_completed"])
    assert ds.attrs["status"] == "interrupted" and 0 < done < 3000
    figs = cdpsim_py.figures(ds)
    mark = f"interrupted at week {done} of 3000"
    for name in ("members", "cdps_by_phase", "interactions", "knowledge", "support",
                 "members_by_tier"):
        texts = [t.get_text() for ax in figs[name].axes for t in ax.texts]
        assert mark in texts, (name, texts)
    assert any(mark in t.get_text() for t in figs["contributions"].axes[0].texts)
    out = tmp_path / "figs"
    proc = po.cdpsim(cdpsim_bin, "plot", path, "-o", out, "--format", "svg")
    assert proc.returncode == 0, proc.stderr
    assert mark.encode() in (out / "members.svg").read_bytes()


# --- bad input ------------------------------------------------------------------------------------

def one_error(proc, command="plot") -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"cdpsim {command}: error: "), lines[0]
    return lines[0]


def test_not_a_cdpsim_file(cdpsim_bin, tmp_path):
    text = tmp_path / "notes.h5"
    text.write_text("not HDF5 at all\n")
    msg = one_error(po.cdpsim(cdpsim_bin, "plot", text, "-o", tmp_path / "f"))
    assert f"{text}: not a cdpsim output file (not an HDF5 file" in msg
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = np.arange(3)
    msg = one_error(po.cdpsim(cdpsim_bin, "plot", other, "-o", tmp_path / "f"))
    assert f"{other}: not a cdpsim output file (no output_kind attribute" in msg
    assert not (tmp_path / "f").exists()


def test_missing_file(cdpsim_bin, tmp_path):
    msg = one_error(po.cdpsim(cdpsim_bin, "plot", tmp_path / "gone.h5"))
    assert msg == f"cdpsim plot: error: {tmp_path / 'gone.h5'}: no such file"


def test_missing_variable(cdpsim_bin, run_file, tmp_path):
    damaged = tmp_path / "damaged.h5"
    shutil.copy(run_file, damaged)
    with h5py.File(damaged, "a") as f:
        del f["support_hours_given"]
    msg = one_error(po.cdpsim(cdpsim_bin, "plot", damaged, "-o", tmp_path / "f"))
    assert "variable 'support_hours_given' missing (needed for the 'support' figure)" in msg
    assert not (tmp_path / "f").exists()


def test_unknown_output_kind(cdpsim_bin, run_file, tmp_path):
    odd = tmp_path / "odd.h5"
    shutil.copy(run_file, odd)
    with h5py.File(odd, "a") as f:
        f.attrs["output_kind"] = "hologram"
    msg = one_error(po.cdpsim(cdpsim_bin, "plot", odd, "-o", tmp_path / "f"))
    assert "unsupported output kind 'hologram'" in msg


def test_folder_that_cannot_be_created(cdpsim_bin, run_file, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = blocker / "figs"
    msg = one_error(po.cdpsim(cdpsim_bin, "plot", run_file, "-o", target))
    assert msg.startswith(f"cdpsim plot: error: {target}: cannot create the figures folder")


def _unprivileged_prefix():
    """A prefix under which permission bits apply even to root (as in tests/cli), or None."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = (setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--")
    try:
        ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return prefix if ok else None


def test_unwritable_folder(cdpsim_bin, run_file, tmp_path):
    prefix = _unprivileged_prefix()
    if prefix is None:
        pytest.skip("running as root without a working setpriv: permission bits not enforced")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        proc = po.cdpsim(cdpsim_bin, "plot", run_file, "-o", out, prefix=prefix)
        left = sorted(p.name for p in out.iterdir())
    finally:
        out.chmod(0o755)
    msg = one_error(proc)
    assert msg == f"cdpsim plot: error: folder {out} is not writable"
    assert left == []


def test_usage_errors_exit_2(cdpsim_bin):
    proc = po.cdpsim(cdpsim_bin, "plot")
    assert proc.returncode == 2 and "required: file" in proc.stderr
    assert po.cdpsim(cdpsim_bin, "plot", "--help").returncode == 0


# --- ensembles ------------------------------------------------------------------------------------

ENSEMBLE_FIGURES = {"members", "cdps_by_phase", "members_by_tier", "interactions", "knowledge",
                    "support", "sweep_levers_animation"}


@pytest.fixture(scope="module")
def ens_ds(cdpsim_bin):
    return cdpsim_py.load(po.ensemble(cdpsim_bin))


@pytest.fixture(scope="module")
def ens_figs(ens_ds):
    return cdpsim_py.figures(ens_ds)


def test_loader_ensemble_dimensions(ens_ds):
    assert ens_ds.attrs["output_kind"] == "ensemble"
    assert (ens_ds.sizes["run"], ens_ds.sizes["point"], ens_ds.sizes["replicate"]) == (6, 2, 3)
    assert ens_ds.sizes["week"] == 40
    assert ens_ds["members_total"].dims == ("run", "week")
    assert ens_ds["cdps_by_phase"].dims == ("run", "week", "phase")
    assert ens_ds["metrics"].dims == ("run", "metric")
    assert np.issubdtype(ens_ds["date"].dtype, np.datetime64)


def test_every_ensemble_figure_is_built(ens_figs):
    assert set(ens_figs) == ENSEMBLE_FIGURES


def test_ensemble_series_have_medians_and_bands(ens_figs):
    ax = ens_figs["members"].axes[0]
    assert ax.get_ylabel() == "Members" and ax.get_xlabel() == "Date"
    # 2 design points x (registered, active): a median line and two bands (50%, 90%) each.
    labels = [ln.get_label() for ln in data_lines(ax)]
    assert labels == ["animation = 0.2: registered members", "animation = 0.2: active members",
                      "animation = 0.8: registered members", "animation = 0.8: active members"]
    assert len(ax.collections) == 8
    assert "bands: middle 50% and 90%" in ens_figs["members"]._suptitle.get_text()
    assert year_of_left_limit(ax) == 2018


def panels(fig):
    """The data panels of a figure (not the row that holds the legend)."""
    return [ax for ax in fig.axes if ax.get_label() != "legend"]


def test_ensemble_panels(ens_figs):
    phases = panels(ens_figs["cdps_by_phase"])
    assert [ax.get_title(loc="left") for ax in phases] == [
        "potential", "coalescing", "maturing", "stewardship", "transformation", "dissolved"]
    assert all(len(data_lines(ax)) == 2 for ax in phases)       # one median per design point
    tiers = panels(ens_figs["members_by_tier"])
    assert [ax.get_title(loc="left") for ax in tiers] == ["peripheral", "active", "core"]
    assert len(ens_figs["knowledge"].axes) == 2
    legend = [ax for ax in ens_figs["cdps_by_phase"].axes if ax.get_label() == "legend"]
    assert [t.get_text() for t in legend[0].get_legend().get_texts()][:2] == [
        "animation = 0.2", "animation = 0.8"]


def test_sweep_response(ens_figs, ens_ds):
    fig = ens_figs["sweep_levers_animation"]
    assert len(fig.axes) == 6                                  # the six default metrics
    for ax in fig.axes:
        assert ax.get_xlabel() == "levers.animation"
        lines = ax.get_lines()
        assert len(lines) == 1 and list(lines[0].get_xdata()) == [0.2, 0.8]
        assert len(ax.collections) == 2                        # the 50% and 90% bands
    assert fig.axes[0].get_ylabel() == "CdPs alive\n(CdPs)"


def test_interrupted_ensemble_is_plotted_with_a_note(cdpsim_bin, tmp_path):
    path = po.interrupted_ensemble(cdpsim_bin)
    ds = cdpsim_py.load(path)
    assert ds.attrs["status"] == "interrupted"
    assert int(ds["run_complete"].sum()) == 2
    figs = cdpsim_py.figures(ds)
    for name, fig in figs.items():
        assert "interrupted: 2 of 6 runs finished" in fig._suptitle.get_text(), name
    proc = po.cdpsim(cdpsim_bin, "plot", path, "-o", tmp_path / "f", "--format", "png", "-q")
    assert proc.returncode == 0, proc.stderr


def test_cdpsim_plot_ensemble_files(cdpsim_bin, tmp_path):
    out = tmp_path / "figs"
    proc = po.cdpsim(cdpsim_bin, "plot", po.ensemble(cdpsim_bin), "-o", out)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{n}.{e}" for n in ENSEMBLE_FIGURES for e in ("png", "svg"))
    assert all(p.stat().st_size > 5000 for p in out.iterdir())


# --- comparisons ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cmp_ds(cdpsim_bin):
    return cdpsim_py.load(po.comparison(cdpsim_bin))


def test_loader_comparison_dimensions(cmp_ds):
    assert cmp_ds.attrs["output_kind"] == "comparison"
    assert list(cmp_ds["scenario"].values) == ["passerelles", "support-expert", "support-none"]
    assert cmp_ds["value"].dims == ("scenario", "replicate", "metric")
    assert (cmp_ds.sizes["replicate"], cmp_ds.sizes["metric"]) == (4, 6)
    assert cmp_ds["diff"].dims == ("scenario", "metric")


def test_forest_plot(cmp_ds):
    figs = cdpsim_py.figures(cmp_ds)
    assert set(figs) == {"forest", "values"}
    forest = figs["forest"]
    assert len(forest.axes) == 6                               # one panel per metric
    metrics = list(cmp_ds["metric"].values)
    for ax, m in zip(forest.axes, metrics):
        assert [t.get_text() for t in ax.get_yticklabels()] == ["support-expert", "support-none"]
        assert ax.get_xlabel().startswith("difference from passerelles")
        assert len(ax.containers) <= 2                          # one error bar per scenario
        zero = [ln for ln in ax.get_lines() if list(ln.get_xdata()) == [0, 0]]
        assert len(zero) == 1                                   # the no-difference line
    assert forest.axes[0].get_title(loc="left") == "CdPs alive"
    assert "(CdPs)" in forest.axes[0].get_xlabel()
    # The same colour for a scenario in both figures.
    c_forest = forest.axes[0].containers[-1].lines[0].get_color()
    values = figs["values"].axes[0]
    dots = [ln for ln in values.get_lines() if ln.get_marker() == "o"]
    assert len(dots) == 3 and dots[2].get_color() == c_forest
    assert len(figs["values"].axes) == 6


def test_cdpsim_plot_comparison_files(cdpsim_bin, tmp_path):
    out = tmp_path / "figs"
    proc = po.cdpsim(cdpsim_bin, "plot", po.comparison(cdpsim_bin), "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["forest.png", "forest.svg", "values.png",
                                                     "values.svg"]


def test_contributions_skipped_without_per_member_output(cdpsim_bin, tmp_path):
    run = tmp_path / "no-members.h5"
    proc = po.cdpsim(cdpsim_bin, "run", po.SOURCE_DIR / "scenarios" / "passerelles.toml", "-o",
                     run, "-q", *po.SHORT, "--set", "output.per_member=false")
    assert proc.returncode == 0, proc.stderr
    reasons = {s.name: r for s, r in run_figures.applicable(cdpsim_py.load(run))}
    assert reasons["contributions"] == ("per-member output was switched off ([output] "
                                        "per_member = false)")
    assert set(cdpsim_py.figures(cdpsim_py.load(run))) == RUN_FIGURES - {"contributions"}
