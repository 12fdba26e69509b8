"""French and English: the message catalogue, `--lang`, the locale default, and a French
comparison report that keeps no English label of the metric table."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import os
import re
import string

import pytest

import plot_outputs as po

from cdpsim_py import compare_report, i18n
from cdpsim_py.loader import load
from cdpsim_py.metrics import metric_table


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_key_in_both_languages_with_the_same_fields():
    en, fr = i18n.MESSAGES["en"], i18n.MESSAGES["fr"]
    assert set(en) == set(fr), set(en) ^ set(fr)
    for key in en:
        assert en[key] and fr[key], key
        assert _fields(en[key]) == _fields(fr[key]), key


def test_every_term_and_lever_in_both_languages():
    assert len(i18n.LEVERS) == 17
    for key, (en, fr) in i18n.LEVERS.items():
        assert en and fr and en != fr, key
    for group, table in i18n.TERMS.items():
        for key, (en, fr) in table.items():
            assert en and fr, (group, key)


def test_levers_as_in_docs_levers_md():
    """The lever names are those of docs/levers.md (English and the thesis's French)."""
    text = (po.SOURCE_DIR / "docs" / "levers.md").read_text(encoding="utf-8")
    for key, (en, fr) in i18n.LEVERS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{key}` |"))
        cells = [c.strip() for c in row.split("|")]
        assert cells[3] == en and cells[4] == fr, (key, cells)


def test_numbers_dates_quotes():
    with i18n.language("fr"):
        assert i18n.num(1234.5, 1) == "1\u202f234,5"
        assert i18n.num(-0.25, 2) == "-0,25"
        assert i18n.date(dt.date(2022, 12, 26)) == "26 décembre 2022"
        assert i18n.date(dt.date(2020, 3, 1)) == "1er mars 2020"
        assert i18n.quote("support-none") == "«\u00a0support-none\u00a0»"
        assert i18n.pct(0.5) == "50\u00a0%"
    with i18n.language("en"):
        assert i18n.num(1234.5, 1) == "1,234.5"
        assert i18n.date(dt.date(2022, 12, 26)) == "26 December 2022"
        assert i18n.quote("support-none") == "“support-none”"


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "fr_CA.UTF-8"}, "fr"), ({"LANG": "fr_FR.UTF-8", "LC_ALL": "en_CA.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"), ({}, "en"), ({"LC_ALL": "fr_CA.UTF-8", "LANG": "C"}, "fr")])
def test_default_language_from_the_locale(monkeypatch, env, lang):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert i18n.default_lang() == lang


def test_file_carries_the_french_metric_table(cdpsim_bin):
    ds = load(po.comparison(cdpsim_bin))
    en = metric_table(ds)
    with i18n.language("fr"):
        fr = metric_table(ds)
    for m in en:
        assert fr[m].label != en[m].label, m
        assert "{x}" in fr[m].more and "{x}" in fr[m].fewer, m


def _english_labels(ds) -> list[str]:
    """The English words of the file's metric table (labels and verdict phrases) that a French
    reader would notice; words shared by both languages ("contributions") are left out."""
    shared = {"contributions"}
    labels = [m.label for m in metric_table(ds).values() if m.label not in shared]
    phrases = []
    for m in metric_table(ds).values():
        for p in (m.more, m.fewer):
            phrases.append(max((s.strip() for s in p.split("{x}")), key=len))
    return labels + [p for p in phrases if p] + [" percentage points"]


def test_french_report_has_no_english_metric_label(cdpsim_bin, tmp_path):
    cmp = po.comparison(cdpsim_bin)
    out = tmp_path / "rapport.html"
    proc = po.cdpsim(cdpsim_bin, "report", cmp, "-o", out, "--lang", "fr", "-q")
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", html)))
    plain = text.replace("\u00a0", " ").replace("\u202f", " ")
    for label in _english_labels(load(cmp)):
        assert label not in text, f"English {label!r} left in the French report"
    for english in ("baseline", "Verdicts", "than the", "In short", "replicates", "Figures and",
                    "Written on", "difference from", "does better", "does worse", "95% CI"):
        assert english not in text, english
    for french in ("Constats", "En bref", "scénario de référence", "IC à 95 %",
                   "« passerelles »", "Hypothèses", "leviers d'action"):
        assert french in plain, french
    assert "IC à 95\u00a0%" in text and "«\u00a0passerelles\u00a0»" in text  # no-break spaces
    assert "”support-none" not in text and "“" not in text  # French quotes only


def test_same_file_reported_in_english_too(cdpsim_bin, tmp_path):
    cmp = po.comparison(cdpsim_bin)
    out = tmp_path / "report.html"
    proc = po.cdpsim(cdpsim_bin, "report", cmp, "-o", out, "--lang", "en", "-q")
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "“support-none”" in html and "«" not in html


def test_report_language_from_lang(cdpsim_bin, tmp_path):
    cmp = po.comparison(cdpsim_bin)
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    out = tmp_path / "r.html"
    proc = po.cdpsim(cdpsim_bin, "report", cmp, "-o", out, "-q",
                     env=dict(env, LANG="fr_CA.UTF-8"))
    assert proc.returncode == 0, proc.stderr
    assert '<html lang="fr">' in out.read_text(encoding="utf-8")


def test_french_verdict_reads_as_french(cdpsim_bin):
    ds = load(po.comparison(cdpsim_bin))
    with i18n.language("fr"):
        verdicts = compare_report.verdicts(ds)
        short = compare_report.in_short(ds)
    for _, _, sentence, _ in verdicts:
        assert sentence.endswith("."), sentence
        assert "«\u00a0" in sentence and "\u00a0»" in sentence, sentence
        assert "baseline" not in sentence and " than " not in sentence, sentence
    assert all(s.startswith("«\u00a0") for s in short), short


def test_french_figure(cdpsim_bin, tmp_path):
    """The comparison's figures in French: titles and axes (looked at as PNG by hand too)."""
    from cdpsim_py.figure_set import plot
    written = plot(po.comparison(cdpsim_bin), tmp_path / "fr", formats=("png",),
                   show_progress=False, lang="fr")
    assert {p.stem for p in written} == {"forest", "values"}
    from cdpsim_py import compare_figures
    with i18n.language("fr"):
        fig = compare_figures.fig_forest(load(po.comparison(cdpsim_bin)))
    texts = [fig._suptitle.get_text()] + [a.get_title(loc="left") for a in fig.axes] + [
        a.get_xlabel() for a in fig.axes]
    joined = " ".join(texts)
    assert "Écart par rapport au scénario de référence" in joined
    assert "difference" not in joined and "baseline" not in joined


def test_english_only_kinds_stay_whole_in_english(cdpsim_bin, tmp_path):
    """A run report asked in French is written in English, whole, with a note (no franglais)."""
    out = tmp_path / "run.html"
    proc = po.cdpsim(cdpsim_bin, "report", po.small_run(cdpsim_bin), "-o", out, "--lang", "fr")
    assert proc.returncode == 0, proc.stderr
    assert "English only for now" in proc.stderr
    text = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "«" not in text and "Scénario" not in text


def test_french_report_text_renders_as_an_image(cdpsim_bin, tmp_path):
    """The French report's text drawn with matplotlib: every glyph (« », é, narrow no-break
    spaces) exists in the report's font, so no box replaces a character."""
    import warnings

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cdpsim_py.html_report import report_html
    html = report_html(load(po.comparison(cdpsim_bin)), lang="fr")
    body = re.sub(r"<style>.*?</style>", "", re.sub(r'src="data:[^"]+"', "", html), flags=re.S)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "\n", body))
    lines = [x for x in text.splitlines() if x.strip()][:30]
    fig = plt.figure(figsize=(12, 8))
    fig.text(0.01, 0.99, "\n".join(x[:140] for x in lines), va="top", fontsize=8)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "rapport.png", dpi=60)
    plt.close(fig)
    assert not [w for w in caught if "missing from" in str(w.message)], [str(w.message)
                                                                         for w in caught]
    assert (tmp_path / "rapport.png").stat().st_size > 10_000
