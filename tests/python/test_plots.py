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


# --- interventions --------------------------------------------------------------------------------

TIME_SERIES_FIGURES = ("members", "cdps_by_phase", "members_by_tier", "interactions", "knowledge",
                       "support", "spending", "levers_in_force")
WEEK = np.timedelta64(7, "D")


@pytest.fixture(scope="module")
def iv_ds(cdpsim_bin):
    return cdpsim_py.load(po.intervention_run(cdpsim_bin))


@pytest.fixture(scope="module")
def iv_figs(iv_ds):
    return cdpsim_py.figures(iv_ds)


def week_x(ds, week: int) -> float:
    """The x (matplotlib date number) of the Monday of ``week``."""
    return float(mdates.date2num(ds["date"].values[0] + int(week) * WEEK))


def spans_in_force(ds, i: int) -> list[tuple[float, float]]:
    """Stretches of weeks in force of intervention i, recounted from intervention_active."""
    on = ds["intervention_active"].isel(intervention=i).values > 0
    edges = np.diff(np.concatenate([[0], on.astype(int), [0]]))
    weeks = ds["week"].values
    return [(week_x(ds, weeks[a]), week_x(ds, weeks[b - 1] + 1))
            for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1))]


def iv_lines(ax, which: str) -> dict[str, list[float]]:
    """{intervention name: x of its start (or end) lines} on ``ax``."""
    out: dict[str, list[float]] = {}
    colours = {}
    for ln in ax.get_lines():
        label = ln.get_label()
        if label.startswith(f"_intervention {which}: "):
            name = label.split(": ", 1)[1]
        elif which == "start" and not label.startswith("_") and ln.get_linestyle() == "-" \
                and len(set(np.atleast_1d(ln.get_xdata()))) == 1:
            name = label.split(" (", 1)[0]       # the legend entry of one never in force
        else:
            continue
        xs = {float(x) for x in np.atleast_1d(ln.get_xdata())}
        assert len(xs) == 1, label                # a vertical line
        out.setdefault(name, []).append(xs.pop())
        colours[name] = ln.get_color()
    return out


def test_intervention_run_file(iv_ds):
    """The scenario of the tests does what they rely on (else retune INTERVENTIONS_TOML)."""
    assert list(iv_ds["intervention"].values) == ["programme", "animation boost", "peer network",
                                                  "rescue"]
    assert list(iv_ds["intervention_triggered"].values) == [0, 0, 0, 1]
    assert len(spans_in_force(iv_ds, 3)) >= 2, "the trigger should switch on and off"
    active = iv_ds["intervention_active"].sel(intervention="programme").values
    assert active.sum() < 30 - 2, "the programme's budget should end it before week 30"
    assert float(iv_ds["spending_money"].values[-1]) > 0


def test_intervention_run_has_the_new_figures(iv_figs):
    assert set(iv_figs) == RUN_FIGURES | {"spending", "levers_in_force"}


@pytest.mark.parametrize("name", TIME_SERIES_FIGURES)
def test_start_and_end_lines_at_the_scheduled_weeks(iv_figs, iv_ds, name):
    starts = iv_ds["intervention_start"].values
    ends = iv_ds["intervention_end"].values
    names = [str(n) for n in iv_ds["intervention"].values]
    last = int(iv_ds["week"].values[-1]) + 1
    for ax in iv_figs[name].axes:
        got_start, got_end = iv_lines(ax, "start"), iv_lines(ax, "end")
        for n, s, e in zip(names, starts, ends):
            assert got_start.get(n) == [week_x(iv_ds, s)], (name, n, got_start)
            if 0 <= e <= last:
                assert got_end.get(n) == [week_x(iv_ds, e)], (name, n, got_end)
            else:
                assert n not in got_end, (name, n)


def iv_strips(ax, colour) -> list[tuple[float, float]]:
    """x extents of the strips of weeks in force drawn in ``colour``."""
    rgb = mdates.mpl.colors.to_rgb(colour)
    out = []
    for p in ax.patches:
        if tuple(np.round(p.get_facecolor()[:3], 4)) == tuple(np.round(rgb, 4)):
            xs = p.get_xy()[:, 0]
            out.append((float(xs.min()), float(xs.max())))
    return sorted(out)


@pytest.mark.parametrize("name", TIME_SERIES_FIGURES)
def test_weeks_in_force_are_shaded_from_intervention_active(iv_figs, iv_ds, name):
    for ax in iv_figs[name].axes:
        for i in range(iv_ds.sizes["intervention"]):
            expected = spans_in_force(iv_ds, i)
            got = iv_strips(ax, cdpsim_py.style.INTERVENTION_COLOURS[i])
            assert got == pytest.approx(expected), (name, i, got, expected)


def test_intervention_labels_are_named_and_do_not_overlap(iv_figs):
    fig = iv_figs["members"]
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_text().endswith((": start", ": end",
                                                           ": trigger window opens"))]
    assert sorted(t.get_text() for t in texts) == sorted([
        "programme: start", "programme: end", "animation boost: start", "animation boost: end",
        "peer network: start", "rescue: trigger window opens"])
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()                                # the layout is done: boxes where they are seen
    renderer = canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "two intervention labels overlap"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for entry in ("programme (in force)", "rescue (in force, triggered)"):
        assert entry in legend


def test_labels_and_legend_on_one_panel_only(iv_figs):
    top, bottom = iv_figs["knowledge"].axes
    assert any(t.get_text() == "programme: start" for t in top.texts)
    assert not any(t.get_text() == "programme: start" for t in bottom.texts)
    assert top.get_legend() is None             # one legend under the figure, each entry once
    legend = [t.get_text() for t in bottom.get_legend().get_texts()]
    assert len(legend) == len(set(legend))
    assert {"knowledge stock of the CdPs alive", "boundary objects (cumulative)",
            "programme (in force)"} <= set(legend)


def test_captions_say_how_interventions_are_marked(iv_ds, run_ds):
    captions = {s.name: s.caption for s, r in run_figures.applicable(iv_ds) if r is None}
    assert "strips along the top" in captions["members"]
    assert "strips along the top" not in captions["contributions"]
    # Without interventions, the captions are the catalogue's own.
    plain = {s.name: s.caption for s, _ in run_figures.applicable(run_ds)}
    assert {n: plain[n] for n in RUN_FIGURES} == {s.name: s.caption
                                                  for s in run_figures.RUN_FIGURES
                                                  if s.name in RUN_FIGURES}


def test_spending_figure(iv_figs, iv_ds):
    money_ax, hours_ax = iv_figs["spending"].axes
    assert "Money spent" in money_ax.get_ylabel()
    assert "Support hours paid" in hours_ax.get_ylabel()
    for ax, var in ((money_ax, "spending_money"), (hours_ax, "spending_hours")):
        line = [ln for ln in data_lines(ax)]
        assert len(line) == 1, ax.get_ylabel()
        y = np.asarray(line[0].get_ydata(), dtype=float)
        assert y[0] == 0 and list(y[1:]) == pytest.approx(iv_ds[var].values)
    # The week the budget ran out, with a cross at the end of that week.
    kinds = dict(kv.split("=") for kv in iv_ds["event_kind"].attrs["flag_meanings"].split())
    code = int(next(k for k, v in kinds.items() if v == "budget_exhausted"))
    week = int(iv_ds["event_week"].values[iv_ds["event_kind"].values == code][0])
    crosses = [ln for ln in money_ax.get_lines() if ln.get_marker() == "X"]
    assert [float(mdates.date2num(crosses[0].get_xdata()[0]))] == [week_x(iv_ds, week + 1)]
    legend = [t.get_text() for t in hours_ax.get_legend().get_texts()]
    assert "budget spent: programme" in legend and "money spent" in legend


def test_levers_and_parameters_figure(iv_figs, iv_ds):
    fig = iv_figs["levers_in_force"]
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Levers that change", "support.capacity_hours", "support.peer_network"]
    levers_ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in data_lines(levers_ax)
             if not ln.get_label().startswith("_")}
    assert set(lines) == {"animation", "recognition"}
    y = np.asarray(lines["recognition"].get_ydata(), dtype=float)
    assert list(y[:-1]) == pytest.approx(iv_ds["lever_value"].sel(lever="recognition").values)
    hours = [ln for ln in data_lines(fig.axes[1]) if not ln.get_label().startswith("_")][0]
    assert list(np.asarray(hours.get_ydata())[:-1]) == pytest.approx(
        iv_ds["param_support_capacity_hours"].values)
    assert [t.get_text() for t in fig.axes[2].get_yticklabels()] == ["no", "yes"]


def test_cdpsim_plot_writes_the_intervention_figures(cdpsim_bin, tmp_path):
    out = tmp_path / "figs"
    proc = po.cdpsim(cdpsim_bin, "plot", po.intervention_run(cdpsim_bin), "-o", out)
    assert proc.returncode == 0, proc.stderr
    expected = RUN_FIGURES | {"spending", "levers_in_force"}
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.{e}" for n in expected for e in ("png", "svg"))
    for n in ("spending", "levers_in_force"):
        for e in ("png", "svg"):
            assert (out / f"{n}.{e}").stat().st_size > 5000, (n, e)
    assert b"rescue: trigger window opens" in (out / "members.svg").read_bytes()
    assert "note:" not in proc.stderr, proc.stderr


def test_run_without_interventions_has_no_marks(run_figs, run_ds):
    reasons = {s.name: r for s, r in run_figures.applicable(run_ds)}
    assert reasons["spending"] == reasons["levers_in_force"] == (
        "the scenario has no interventions and nothing was spent")
    for name, fig in run_figs.items():
        for ax in fig.axes:
            assert not [a for a in ax.get_children()
                        if str(getattr(a, "get_label", lambda: "")()).startswith("_intervention")]
            assert not [t for t in ax.texts if t.get_text().endswith((": start", ": end"))]
            colours = {tuple(np.round(mdates.mpl.colors.to_rgb(c), 4))
                       for c in cdpsim_py.style.INTERVENTION_COLOURS}
            assert not [p for p in ax.patches
                        if tuple(np.round(p.get_facecolor()[:3], 4)) in colours], name


def test_heat_map_has_intervention_lines_without_strips(cdpsim_bin):
    ds = cdpsim_py.load(po.intervention_territory_run(cdpsim_bin))
    fig = cdpsim_py.figures(ds)["territory_learning"]
    heat = fig.axes[0]
    starts = iv_lines(heat, "start")
    assert starts["programme"] == [week_x(ds, 2)] and starts["peer network"] == [week_x(ds, 20)]
    assert iv_lines(heat, "end")["animation boost"] == [week_x(ds, 22)]
    for i in range(ds.sizes["intervention"]):
        assert iv_strips(heat, cdpsim_py.style.INTERVENTION_COLOURS[i]) == []


def test_ensemble_marks_the_scheduled_interventions(cdpsim_bin):
    ds = cdpsim_py.load(po.intervention_ensemble(cdpsim_bin))
    assert "intervention" not in ds.dims
    specs = dict((s.name, s) for s, r in cdpsim_py.figure_set.catalogue(ds) if r is None)
    figs = cdpsim_py.figures(ds)
    scheduled = {"programme": (2, 30), "animation boost": (8, 22), "peer network": (20, None)}
    for name in ("members", "support", "knowledge", "cdps_by_phase"):
        ax = figs[name].axes[0]
        starts, ends = iv_lines(ax, "start"), iv_lines(ax, "end")
        for n, (s, e) in scheduled.items():
            assert starts[n] == [week_x(ds, s)], (name, n)
            assert ends.get(n) == ([week_x(ds, e)] if e is not None else None), (name, n)
        # The triggered one: its window only (from week 0, no end), and no strip.
        assert starts["rescue"] == [week_x(ds, 0)] and "rescue" not in ends
        assert iv_strips(ax, cdpsim_py.style.INTERVENTION_COLOURS[3]) == []
        assert iv_strips(ax, cdpsim_py.style.INTERVENTION_COLOURS[0]) == pytest.approx(
            [(week_x(ds, 2), week_x(ds, 30))])
        caption = specs[name].caption
        assert "the interventions the base scenario schedules" in caption
        assert "Triggered interventions (“rescue”)" in caption and "cannot be shown per run" \
            in caption
    legend = [t.get_text() for t in figs["members"].axes[0].get_legend().get_texts()]
    assert "programme (scheduled)" in legend
    assert "rescue (triggered: its trigger window only)" in legend
