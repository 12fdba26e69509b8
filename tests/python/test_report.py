"""`cdpsim report`: one self-contained HTML file per output file, from small real outputs."""

from __future__ import annotations

import base64
import re
import shutil
from html.parser import HTMLParser

import pytest

import plot_outputs as po

import cdpsim_py


class Resources(HTMLParser):
    """Collects the tags and every attribute that could load something."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[tuple[str, str, str]] = []
        self.imgs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "srcset", "poster", "data", "action") and v is not None:
                self.refs.append((tag, k, v))
        if tag == "img":
            self.imgs.append(dict(attrs).get("src", ""))


def parse(text: str) -> Resources:
    p = Resources()
    p.feed(text)
    return p


def assert_self_contained(text: str) -> Resources:
    """Nothing in the page needs the network: no script, link, iframe, or remote reference."""
    res = parse(text)
    assert not {"script", "link", "iframe", "object", "embed"} & set(res.tags)
    for tag, attr, value in res.refs:
        assert value.startswith(("data:", "#")), (tag, attr, value[:80])
    assert "http://" not in text and "https://" not in text
    assert "@import" not in text and "url(" not in text
    for src in res.imgs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    return res


@pytest.fixture(scope="module")
def run_report(cdpsim_bin, tmp_path_factory):
    """The report of the small run, written next to it under the default name."""
    run = tmp_path_factory.mktemp("report") / "myrun.h5"
    shutil.copy(po.small_run(cdpsim_bin), run)
    proc = po.cdpsim(cdpsim_bin, "report", run)
    out = run.with_name("myrun-report.html")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"report: {out}"
    return out.read_text(encoding="utf-8")


def test_run_report_is_self_contained_and_has_every_figure(run_report):
    res = assert_self_contained(run_report)
    figure_ids = re.findall(r'<figure id="fig-([a-z_]+)">', run_report)
    assert sorted(figure_ids) == sorted(["members", "cdps_by_phase", "members_by_tier",
                                         "interactions", "knowledge", "support", "contributions"])
    assert len(res.imgs) == len(figure_ids)


def test_run_report_tells_the_scenario(run_report):
    assert "<h2>The scenario</h2>" in run_report
    assert ("Passerelles 2018-2022: growth, CdP lifecycles and the pandemic, with scarce support"
            in run_report)
    assert "It simulates 40 weeks" in run_report and "from 3 September 2018" in run_report
    assert "COVID-19 (pandemic) from 15 October 2018 for 20 weeks" in run_report
    assert "capacity-building support" in run_report
    assert "All 17 levers of action are at their reference value 0.5." in run_report
    assert "<h3>Headline numbers</h3>" in run_report
    assert "Registered members" in run_report and "CdPs alive at the end" in run_report
    assert "Not shown: Learning territories (the scenario has a single territory)" in run_report


def test_levers_away_from_the_reference_are_told(cdpsim_bin, tmp_path):
    run = tmp_path / "levers.h5"
    proc = po.cdpsim(cdpsim_bin, "run", po.SOURCE_DIR / "scenarios" / "passerelles.toml", "-o",
                     run, "-q", *po.SHORT, "--set", "levers.animation=0.8",
                     "--set", "support.mode=expert")
    assert proc.returncode == 0, proc.stderr
    text = cdpsim_py.report_html(cdpsim_py.load(run))
    assert "animation = 0.80 (higher than the reference 0.5: animator hours per week" in text
    assert "expert support" in text


def test_territory_report_has_the_heat_map(cdpsim_bin, tmp_path):
    out = tmp_path / "t.html"
    path = cdpsim_py.write_report(po.territory_run(cdpsim_bin), out)
    text = path.read_text(encoding="utf-8")
    assert_self_contained(text)
    assert '<figure id="fig-territory_learning">' in text
    assert "spread over 17 territories" in text and "Montréal" in text
    assert len(parse(text).imgs) == 8


def test_interrupted_run_report_says_so(cdpsim_bin, tmp_path):
    path = po.interrupted_run(cdpsim_bin)
    done = int(cdpsim_py.load(path).attrs["weeks_completed"])
    text = cdpsim_py.report_html(cdpsim_py.load(path))
    assert f"The simulation stopped at week {done} of 3000" in text
    assert_self_contained(text)


# --- bad input ------------------------------------------------------------------------------------

def one_error(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cdpsim report: error: "), proc.stderr
    return lines[0]


def test_report_not_cdpsim_output(cdpsim_bin, tmp_path):
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"\x00" * 100)
    msg = one_error(po.cdpsim(cdpsim_bin, "report", bad, "-o", tmp_path / "r.html"))
    assert "not a cdpsim output file" in msg
    assert not (tmp_path / "r.html").exists()


def test_report_folder_missing(cdpsim_bin, tmp_path):
    target = tmp_path / "nowhere" / "r.html"
    msg = one_error(po.cdpsim(cdpsim_bin, "report", po.small_run(cdpsim_bin), "-o", target))
    assert msg == f"cdpsim report: error: {target}: folder {target.parent} does not exist"


def test_report_kept_without_force(cdpsim_bin, tmp_path):
    target = tmp_path / "r.html"
    target.write_text("keep me")
    msg = one_error(po.cdpsim(cdpsim_bin, "report", po.small_run(cdpsim_bin), "-o", target))
    assert msg == f"cdpsim report: error: {target}: already exists (use --force to replace it)"
    assert target.read_text() == "keep me"
