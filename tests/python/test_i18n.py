"""French and English: the message catalogue, `--lang`, the locale default, and French reports
(run, ensemble, sensitivity, comparison) that keep no English label of the metric table, each
regenerated in English from the same file."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import os
import re

import pytest

import plot_outputs as po

from cdpsim_py import compare_report, i18n
from cdpsim_py.loader import load
from cdpsim_py.metrics import metric_table


def _fields(template: str) -> set[str]:
    return i18n.fields(template)


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


def test_plural_forms_agree_with_their_number():
    with i18n.language("fr"):
        assert i18n.t("hd_knowledge_value", x=i18n.num(1)) == "1 unité de répertoire"
        assert i18n.t("hd_knowledge_value", x=i18n.num(0)) == "0 unité de répertoire"
        assert i18n.t("hd_knowledge_value", x=i18n.num(2)) == "2 unités de répertoire"
        assert i18n.t("hd_knowledge_value", x=i18n.num(1234.5, 1)) == \
            "1\u202f234,5 unités de répertoire"
        assert "Seule 1 simulation sur 6 s'est terminée" in i18n.t("ens_incomplete", done=1,
                                                                     total=6)
        assert "Seules 4 simulations sur 6 se sont terminées" in i18n.t("ens_incomplete", done=4,
                                                                        total=6)
        assert "1 était encore en activité" in i18n.t("story_cdps", n=3, alive=1, dissolved=2)
        assert "(environ 1,5 an)" in i18n.t("sc_weeks", weeks=78, years=i18n.num(1.5, 1),
                                            start="x", end="y", seed=1)
    with i18n.language("en"):
        assert i18n.t("story_pandemic_aid", date="d", before="1%", during="2%",
                      n="1").endswith("1 mutual-aid CdP was created.")
        assert i18n.t("story_pandemic_aid", date="d", before="1%", during="2%",
                      n="1,234").endswith("1,234 mutual-aid CdPs were created.")


def test_every_kind_is_bilingual():
    assert not hasattr(i18n, "BILINGUAL_KINDS") and not hasattr(i18n, "for_kind")


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


# --- every kind in French ------------------------------------------------------------------------

def _visible_text(html: str) -> str:
    """The report's text as a reader sees it (no images, no style sheet, no tags)."""
    body = re.sub(r"<style>.*?</style>", "", re.sub(r'src="data:[^"]+"', "", html), flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def _questions(ds) -> list[str]:
    """The `simulation.question` of every scenario a file stores (users' words, not cdpsim's)."""
    from cdpsim_py import scenario
    tomls = [ds.attrs.get(k) for k in ("scenario_toml", "base_toml")]
    if "scenario_toml" in ds.variables:
        tomls += [str(x) for x in ds["scenario_toml"].values]
    out = [scenario.parse(t).get("simulation", {}).get("question", "") for t in tomls if t]
    return sorted({q for q in out if q}, key=len, reverse=True)


def _metric_labels_en(cdpsim_bin) -> list[str]:
    """Every English label of the metric table (the ensemble file carries the whole table);
    words spelt alike in French ("contributions") are left out."""
    table = metric_table(load(po.ensemble(cdpsim_bin)))
    return [m.label for m in table.values() if m.label not in ("contributions",)]


# Words of the report frames that a French report must not keep.
ENGLISH_FRAME = ("Headline numbers", "What happened", "Figures and", "Written on", "replicates",
                 "The scenario", "Reproducing", "runs finished", "Registered members",
                 "Knowledge stock", "Ranking", "noise floor", "stratum", "influential",
                 "Not shown", "baseline", " of the ", " and the ", "(ensemble)")

KINDS = {
    "run": (po.small_run, ("Ce qui s'est passé", "Chiffres clés", "Membres inscrits",
                           "unités de répertoire", "semaine 39 (3 juin 2019)")),
    "ensemble": (po.ensemble, ("Le plan d'expérience", "Chiffres clés", "répétitions",
                               "CdP en activité (CdP)", "animation = 0,2")),
    "sensitivity": (None, ("Analyse de sensibilité", "Classement", "seuil de bruit",
                           "animation soutenue", "levier fictif")),
    "comparison": (po.comparison, ("Constats", "En bref", "scénario de référence")),
}


@pytest.fixture(scope="module")
def sensitivity_file(cdpsim_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("sens") / "s.h5"
    proc = po.cdpsim(cdpsim_bin, "sensitivity", po.SOURCE_DIR / "scenarios" / "passerelles.toml",
                     "--method", "sobol", "--levers", "animation,belonging", "--samples", 8,
                     "--replicates", 2, "--stratify", "pandemic", "-o", out, "-q", *po.SHORT)
    assert proc.returncode == 0, proc.stderr
    return out


def _file_of(kind, cdpsim_bin, sensitivity_file):
    make = KINDS[kind][0]
    return sensitivity_file if make is None else make(cdpsim_bin)


@pytest.mark.parametrize("kind", list(KINDS))
def test_french_report_of_every_kind(kind, cdpsim_bin, sensitivity_file, tmp_path):
    """`cdpsim report FILE --lang fr`: lang="fr", no English label of the metric table, no
    English frame, French numbers and quotes; the same file regenerated in English."""
    path = _file_of(kind, cdpsim_bin, sensitivity_file)
    fr, en = tmp_path / "fr.html", tmp_path / "en.html"
    proc = po.cdpsim(cdpsim_bin, "report", path, "-o", fr, "--lang", "fr", "-q")
    assert proc.returncode == 0, proc.stderr
    html = fr.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    text = _visible_text(html)
    for q in _questions(load(path)):  # the scenario files' own words are quoted as written
        text = text.replace(q, "")
    plain = text.replace("\u00a0", " ").replace("\u202f", " ")
    for label in _metric_labels_en(cdpsim_bin):
        assert label not in text, f"English label {label!r} left in the French {kind} report"
    for english in ENGLISH_FRAME:
        assert english not in text, f"{english!r} in the French {kind} report"
    for french in KINDS[kind][1]:
        assert french in plain, f"{french!r} missing from the French {kind} report"
    assert "“" not in text and "”" not in text
    assert re.search(r"\d,\d", text), "no decimal comma"

    proc = po.cdpsim(cdpsim_bin, "report", path, "-o", en, "--lang", "en", "-q")
    assert proc.returncode == 0, proc.stderr
    english = en.read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "«" not in english
    assert not any(french in english for french in KINDS[kind][1])


@pytest.mark.parametrize("kind", ["run", "ensemble", "sensitivity"])
def test_french_figures_of_every_kind(kind, cdpsim_bin, sensitivity_file, tmp_path):
    """Every figure's titles, axes, legends and ticks in French (PNGs looked at by hand too)."""
    from cdpsim_py.figure_set import figures
    ds = load(_file_of(kind, cdpsim_bin, sensitivity_file))
    with i18n.language("fr"):
        figs = figures(ds)
        for fig in figs.values():
            fig.canvas.draw()
    words = []
    for fig in figs.values():
        if fig._suptitle is not None:
            words.append(fig._suptitle.get_text())
        for ax in fig.axes:
            words += [ax.get_title(loc="left"), ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
            words += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
            words += [t.get_text() for t in ax.texts]
            legend = ax.get_legend()
            if legend is not None:
                words += [t.get_text() for t in legend.get_texts()]
    joined = "\n".join(words)
    for english in ("members", "runs", "replicates", "week", "median", "stratum", "noise floor",
                    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                    "pandemic", "Support", "Share", "interrupted"):
        assert english not in joined, (kind, english)
    assert not re.search(r"\d\.\d", joined), (kind, "a decimal point in a French figure")
    written = [p for p in __import__("cdpsim_py").plot(ds, tmp_path / kind, formats=("png",),
                                                       show_progress=False, lang="fr")]
    assert written and all(p.stat().st_size > 10_000 for p in written)


def _terminal(cdpsim_bin, *args, lang=None, env_lang=None):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    if env_lang:
        env["LANG"] = env_lang
    extra = ("--lang", lang) if lang else ()
    return po.cdpsim(cdpsim_bin, *args, *extra, env=env, timeout=300)


SENSITIVITY = ("--method", "morris", "--levers", "animation,belonging", "--samples", 4,
               "--replicates", 2, "--force", *po.SHORT)


def test_sensitivity_table_in_french(cdpsim_bin, tmp_path):
    scen = po.SOURCE_DIR / "scenarios" / "passerelles.toml"
    fr = _terminal(cdpsim_bin, "sensitivity", scen, *SENSITIVITY, "-o", tmp_path / "s.h5",
                   env_lang="fr_CA.UTF-8")
    assert fr.returncode == 0, fr.stderr
    for french in ("criblage de Morris", "du scénario « passerelles »", "2 leviers",
                   "seuil de bruit", "levier fictif", "strate all", "rang  levier",
                   "simulations : ", "effectuées maintenant"):
        assert french in fr.stdout, french
    for english in ("noise floor", "stratum", "replicates", "design ", "seeds", "runs:"):
        assert english not in fr.stdout, english
    assert re.search(r"\d,\d{3}", fr.stdout)
    en = _terminal(cdpsim_bin, "sensitivity", scen, *SENSITIVITY, "-o", tmp_path / "s.h5",
                   lang="en", env_lang="fr_CA.UTF-8")
    assert en.returncode == 0, en.stderr
    assert "noise floor" in en.stdout and "cdp_survival, stratum all" in en.stdout
    assert "seuil" not in en.stdout


def test_facts_table_in_french(cdpsim_bin, tmp_path):
    """`cdpsim facts --lang fr`: the table in French (the Markdown and JSON stay English)."""
    proc = _terminal(cdpsim_bin, "facts", "--replicates", 2, "-q", "--set",
                     "population.potential_members=1500", "-o", tmp_path / "rep", lang="fr")
    assert proc.returncode in (0, 1), proc.stderr
    out = proc.stdout
    for french in ("mesure", "critère", "valeur mesurée [IC à 95 %]", "résultat",
                   "Inégalité de participation", "(a) part des membres ayant publié",
                   "sur 16", "vérifié", "(a) CdP en vie : meilleur levier de l'env."):
        assert french in out, french
    assert re.search(r"faits? stylisés? vérifiés? sur 16", out)
    # With 2 replicates a part may be inconclusive (docs/validation.md), named in French.
    assert "inconclusive" not in out
    for english in ("measure ", "criterion", "facts pass", "interval above", "share of members",
                    " pass\n"):
        assert english not in out, english
    assert "facts pass" in (tmp_path / "rep.md").read_text(encoding="utf-8")
