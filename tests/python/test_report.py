"""`cdpsim report`: one self-contained HTML file per output file, from small real outputs."""

from __future__ import annotations

import base64
import re
import shutil
from html.parser import HTMLParser

import numpy as np
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


# --- ensembles and comparisons --------------------------------------------------------------------

def test_ensemble_report(cdpsim_bin):
    text = cdpsim_py.report_html(cdpsim_py.load(po.ensemble(cdpsim_bin)))
    res = assert_self_contained(text)
    ids = re.findall(r'<figure id="fig-([a-z_]+)">', text)
    assert sorted(ids) == sorted(["members", "cdps_by_phase", "members_by_tier", "interactions",
                                  "knowledge", "support", "sweep_levers_animation"])
    assert len(res.imgs) == len(ids)
    assert "2 design points × 3 replicates = 6 runs" in text
    assert "Swept (a full grid): levers.animation=0.2,0.8." in text
    assert "<th>animation = 0.2</th><th>animation = 0.8</th>" in text
    assert "<h2>The base scenario</h2>" in text


def test_interrupted_ensemble_report(cdpsim_bin):
    text = cdpsim_py.report_html(cdpsim_py.load(po.interrupted_ensemble(cdpsim_bin)))
    assert "Only 2 of 6 runs finished (the ensemble was interrupted)" in text


VERDICT = re.compile(
    r'<p class="verdict (better|worse|neutral|unclear)">(.*?)</p>')


@pytest.fixture(scope="module")
def comparison_report(cdpsim_bin, tmp_path_factory):
    """cdpsim compare's file turned into a report with one more command, as a funder would."""
    out = tmp_path_factory.mktemp("cmp") / "funder.html"
    proc = po.cdpsim(cdpsim_bin, "report", po.comparison(cdpsim_bin), "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


def test_comparison_report_has_figures_and_verdicts(comparison_report, cdpsim_bin):
    text = comparison_report
    res = assert_self_contained(text)
    assert re.findall(r'<figure id="fig-([a-z_]+)">', text) == ["forest", "values"]
    assert len(res.imgs) == 2
    verdicts = VERDICT.findall(text)
    assert len(verdicts) == 6 * 2                 # every metric, every non-baseline scenario
    ds = cdpsim_py.load(po.comparison(cdpsim_bin))
    for (cls, sentence), (metric, scen) in zip(
            verdicts, [(m, s) for m in ds["metric"].values for s in ("support-expert",
                                                                     "support-none")]):
        assert f"“{scen}”" in sentence and "“passerelles”" in sentence
        lo, hi = (float(ds[v].sel(scenario=scen, metric=metric))
                  for v in ("diff_ci_low", "diff_ci_high"))
        if lo > 0 or hi < 0:
            assert re.search(r"than the baseline “passerelles” \(95% CI [\d.,]+ to [\d.,]+\)\.$",
                             sentence), sentence
            assert cls in ("better", "worse", "neutral")
        elif lo == hi == 0:
            assert "exactly the same" in sentence
        else:
            assert "is not distinguishable from the baseline" in sentence
            assert "an interval that includes zero" in sentence
    # Without support there are no autonomous CdPs: a clear, signed verdict.
    assert any("“support-none” has" in s and "fewer autonomous CdPs" in s for _, s in verdicts)
    assert "at week 39 (3 June 2019)" in text
    assert "<h3>In short</h3>" in text
    assert re.search(r"<p>“support-none” does worse than the baseline on [^;<]*autonomous CdPs",
                     text)
    assert "<h3>The baseline: passerelles</h3>" in text
    assert "<code>support.mode</code> = none (baseline: capacity_building)" in text
    assert re.search(r"<h2>Hypotheses</h2>.*“passerelles &gt; support-none on cdps_autonomous”: "
                     r"(supported|not supported) \(p [=<] [\d.]+, mean difference [+-]", text,
                     re.S)


def test_compare_csv_gets_a_hint(cdpsim_bin):
    csv = po.comparison(cdpsim_bin).with_suffix(".csv")
    proc = po.cdpsim(cdpsim_bin, "report", csv)
    msg = one_error(proc)
    assert msg.endswith(f"cdpsim compare wrote {csv.with_suffix('.h5')} next to it: use that one)")


def _synthetic_comparison(diff, lo, hi, horizon=226):
    import xarray as xr
    sc = ["passerelles", "support-capacity-building"]
    ms = ["cdps_alive", "sharing_rate"]
    toml = '[simulation]\nname = "passerelles"\nstart_date = 2018-09-03\nweeks = 226\n'

    def table(v):
        return (("scenario", "metric"), np.array([[np.nan, np.nan], [v, v / 100]]))
    ds = xr.Dataset(
        {"value": (("scenario", "replicate", "metric"), np.zeros((2, 3, 2))),
         "mean": table(1.0), "ci_low": table(0.5), "ci_high": table(1.5),
         "diff": table(diff), "diff_ci_low": table(lo), "diff_ci_high": table(hi),
         "metric_units": (("metric",), np.array(["CdPs", "1"], dtype=object)),
         # The metric table's rows, as cdpsim writes them (experiments/metrics/metrics.cpp).
         **{f"metric_{k}": (("metric",), np.array(v, dtype=object)) for k, v in {
             "label": ["CdPs alive", "sharing rate"],
             "direction": ["higher_is_better", "higher_is_better"],
             "when": ["at_last_week", "over_run"],
             "verdict_more": ["keeps {x} more CdPs alive", "raises the share of contributions "
                              "shared across organisations by {x}"],
             "verdict_fewer": ["keeps {x} fewer CdPs alive", "lowers the share of contributions "
                               "shared across organisations by {x}"],
             "display_unit": ["", " percentage points"]}.items()},
         "metric_display_scale": (("metric",), np.array([1.0, 100.0])),
         "scenario_toml": (("scenario",), np.array([toml, toml], dtype=object))},
        coords={"scenario": sc, "metric": ms, "replicate": [0, 1, 2]},
        attrs={"output_kind": "comparison", "baseline": "passerelles",
               "horizon_weeks": horizon})
    return ds


def test_verdict_wording():
    from cdpsim_py.compare_report import verdict
    ds = _synthetic_comparison(4.2, 1.3, 7.1)
    text, cls = verdict(ds, "support-capacity-building", "cdps_alive")
    assert text == ("“support-capacity-building” keeps 4.2 more CdPs alive at week 225 "
                    "(26 December 2022) than the baseline “passerelles” (95% CI 1.3 to 7.1).")
    assert cls == "better"
    text, _ = verdict(ds, "support-capacity-building", "sharing_rate")
    assert text == ("“support-capacity-building” raises the share of contributions shared "
                    "across organisations by 4.2 percentage points over the 226 weeks than the "
                    "baseline “passerelles” (95% CI 1.3 to 7.1).")
    ds = _synthetic_comparison(-12.0, -16.4, -8.2)
    text, cls = verdict(ds, "support-capacity-building", "cdps_alive")
    assert text == ("“support-capacity-building” keeps 12 fewer CdPs alive at week 225 "
                    "(26 December 2022) than the baseline “passerelles” (95% CI 8 to 16).")
    assert cls == "worse"
    ds = _synthetic_comparison(1.5, -4.4, 7.4)
    text, cls = verdict(ds, "support-capacity-building", "cdps_alive")
    assert text == ("For CdPs alive at week 225 (26 December 2022), “support-capacity-building” "
                    "is not distinguishable from the baseline “passerelles”: the difference is "
                    "+1.5 CdPs (95% CI -4.4 to 7.4), an interval that includes zero.")
    assert cls == "unclear"


# --- interventions and spending -------------------------------------------------------------------

def table_after(text: str, marker: str) -> list[list[str]]:
    """The rows (cells, tags stripped) of the first table after ``marker``."""
    import html as htmllib
    start = text.index(marker)
    table = text[start:text.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [[htmllib.unescape(re.sub(r"<[^>]+>", "", c))
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


@pytest.fixture(scope="module")
def iv_report(cdpsim_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("ivreport") / "iv.html"
    proc = po.cdpsim(cdpsim_bin, "report", po.intervention_run(cdpsim_bin), "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


def test_intervention_report_has_the_section_and_figures(iv_report):
    res = assert_self_contained(iv_report)
    assert "<h2>Interventions and spending</h2>" in iv_report
    ids = re.findall(r'<figure id="fig-([a-z_]+)">', iv_report)
    assert sorted(ids) == sorted(["members", "cdps_by_phase", "members_by_tier", "interactions",
                                  "knowledge", "support", "contributions", "spending",
                                  "levers_in_force"])
    assert len(res.imgs) == len(ids)
    # The two new figures are in the interventions section, before the "Figures" section.
    section = iv_report.index("<h2>Interventions and spending</h2>")
    figures = iv_report.index("<h2>Figures</h2>")
    assert section < iv_report.index('<figure id="fig-spending">') < figures
    assert section < iv_report.index('<figure id="fig-levers_in_force">') < figures
    assert "strips along the top" in iv_report     # the captions of the time series say so


def test_intervention_table_names_and_weeks_in_force(iv_report, cdpsim_bin):
    ds = cdpsim_py.load(po.intervention_run(cdpsim_bin))
    rows = table_after(iv_report, '<div id="interventions">')
    assert rows[0] == ["name", "key", "set / scale", "start", "end", "triggered",
                       "weeks in force"]
    body = rows[1:]
    assert [r[0] for r in body] == [str(n) for n in ds["intervention"].values]
    assert [r[1] for r in body] == [str(k) for k in ds["intervention_key"].values]
    active = ds["intervention_active"].transpose("week", "intervention").values
    assert [int(r[6]) for r in body] == [int(n) for n in (active > 0).sum(axis=0)]
    assert body[0][2] == "scaled by 2"
    assert body[1][2] == "set to 0.8, over 3 weeks"
    assert body[2][2] == "switched on (set to true)"
    assert body[0][3] == "week 2 (17 September 2018)" and body[0][4] == "week 30 (1 April 2019)"
    assert body[2][4] == "none"
    assert [r[5] for r in body[:3]] == ["no"] * 3
    assert body[3][5] == ("yes: when members_active_share < 0.2, until members_active_share > "
                          "0.215")


def test_intervention_events_table(iv_report, cdpsim_bin):
    ds = cdpsim_py.load(po.intervention_run(cdpsim_bin))
    kinds = {int(k): v for k, v in (kv.split("=") for kv in
                                     ds["event_kind"].attrs["flag_meanings"].split())}
    wanted = {"intervention_start", "intervention_end", "trigger_on", "trigger_off",
              "budget_exhausted"}
    expected = [(int(w), kinds[int(k)], str(d)) for w, k, d in
                zip(ds["event_week"].values, ds["event_kind"].values, ds["event_detail"].values)
                if kinds[int(k)] in wanted]
    rows = table_after(iv_report, '<div id="intervention-events">')
    assert rows[0] == ["week", "date", "event", "detail"]
    words = {"intervention_start": "intervention starts", "intervention_end": "intervention ends",
             "trigger_on": "trigger on", "trigger_off": "trigger off",
             "budget_exhausted": "budget spent"}
    assert [(int(r[0]), r[2], r[3]) for r in rows[1:]] == [(w, words[k], d)
                                                           for w, k, d in expected]
    assert {k for _, k, _ in expected} == wanted         # the scenario logs every kind
    spent = float(ds["spending_money"].values[-1])
    assert f"the interventions spent {spent:,.0f} (in the scenario" in iv_report


def test_run_without_interventions_has_no_intervention_section(run_report):
    assert "Interventions and spending" not in run_report
    assert "fig-spending" not in run_report and "fig-levers_in_force" not in run_report
    assert "Not shown: Spending" not in run_report and 'id="interventions"' not in run_report


def test_intervention_section_in_french(cdpsim_bin):
    from cdpsim_py import i18n, run_report
    from cdpsim_py.progress import Progress
    ds = cdpsim_py.load(po.intervention_run(cdpsim_bin))
    with i18n.language("fr"):
        text = "\n".join(run_report.interventions_section(ds, Progress("t", 2, "figures",
                                                                       enabled=False)))
    assert "<h2>Interventions et dépenses</h2>" in text
    rows = table_after(text, '<div id="interventions">')
    assert rows[0] == ["nom", "clé", "valeur fixée / facteur", "début", "fin", "déclenchée",
                       "semaines en vigueur"]
    assert rows[1][2] == "multipliée par 2" and rows[2][2] == "fixée à 0,8, en 3 semaines"
    assert rows[1][3] == "semaine 2 (17 septembre 2018)"
    assert table_after(text, '<div id="intervention-events">')[0] == [
        "semaine", "date", "événement", "détail"]
    for english in ("weeks in force", "Intervention events", "Spending over time", "in force"):
        assert english not in text, english
    assert "Dépenses au fil du temps" in text and "Leviers et paramètres en vigueur" in text


def test_ensemble_report_says_triggered_interventions_are_not_shown(cdpsim_bin):
    text = cdpsim_py.report_html(cdpsim_py.load(po.intervention_ensemble(cdpsim_bin)))
    assert_self_contained(text)
    captions = dict(re.findall(r'<figure id="fig-([a-z_]+)">.*?<figcaption>(.*?)</figcaption>',
                               text, re.S))
    series = ("members", "cdps_by_phase", "members_by_tier", "interactions", "knowledge",
              "support")
    assert set(series) <= set(captions), captions
    for name in series:
        assert "the interventions the base scenario schedules" in captions[name], name
        assert "Triggered interventions (“rescue”)" in captions[name], name
        assert "cannot be shown per run" in captions[name], name
    assert "Interventions and spending" not in text
