"""The message catalogue of cdpsim's reports and figures, in English and French.

Every sentence a reader sees is a whole template here, written in each language (not assembled
word by word), with ``{name}`` fields; lever names are the thesis's (French) and docs/levers.md's
(English); metric labels and verdict phrases come from the file's metric table (metrics.py reads
``metric_label_fr`` and the other ``_fr`` variables). Numbers, dates and quotation marks follow the
language: ``1 234,5`` (narrow no-break space, decimal comma), ``26 décembre 2022`` and « ... » in
French; ``1,234.5``, ``26 December 2022`` and “...” in English. Error messages stay in English.

    with language("fr"):
        t("verdicts_heading")          # "Verdicts"
        num(1234.5, 1)                 # "1 234,5"
        quote("support-none")          # "« support-none »"

The C++ twin (terminal tables) is experiments/text/catalogue.cpp.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os

LANGS = ("en", "fr")
NNBSP = "\u202f"  # narrow no-break space: thousands in French, before ; : ! ? and inside « »
NBSP = "\u00a0"

_current = ["en"]


def default_lang() -> str:
    """"fr" when LC_ALL, else LC_MESSAGES, else LANG (the first one set) starts with "fr"."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var)
        if v:
            return "fr" if v.lower().startswith("fr") else "en"
    return "en"


# Output kinds whose report and figures are written in both languages; the others (run, ensemble,
# sensitivity) are English only for now and are written in English whatever ``lang`` says, rather
# than half translated.
BILINGUAL_KINDS = frozenset({"comparison"})


def for_kind(lang: str | None, kind: str) -> str:
    """The language a report or figure set of ``kind`` is written in when ``lang`` is asked for
    (None: default_lang())."""
    lang = lang or default_lang()
    return lang if kind in BILINGUAL_KINDS else "en"


def current() -> str:
    return _current[-1]


@contextlib.contextmanager
def language(lang: str | None):
    """Everything inside speaks ``lang`` (None: default_lang())."""
    lang = lang or default_lang()
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (allowed: fr, en)")
    _current.append(lang)
    try:
        yield lang
    finally:
        _current.pop()


def t(key: str, /, **fields) -> str:
    """The template ``key`` in the current language, its fields filled in (French templates get
    their no-break spaces before : ; % and inside « »; the fields are left as they are)."""
    template = MESSAGES[current()][key]
    if current() == "fr":
        template = _FRENCH_SPACES(template)
    return template.format(**fields)


def _FRENCH_SPACES(s: str) -> str:
    for a, b in ((" :", NBSP + ":"), (" ;", NNBSP + ";"), (" %", NBSP + "%"),
                 ("« ", "«" + NBSP), (" »", NBSP + "»"), (" ?", NNBSP + "?"), (" !", NNBSP + "!")):
        s = s.replace(a, b)
    return s


def quote(s) -> str:
    return f"«{NBSP}{s}{NBSP}»" if current() == "fr" else f"“{s}”"


def num(x, digits: int = 0, sign: bool = False) -> str:
    """x with ``digits`` decimals, thousands grouped, in the current language."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(x):
        return t("n_a")
    s = f"{x:+,.{digits}f}" if sign else f"{x:,.{digits}f}"
    return localize(s)


def localize(s: str) -> str:
    """A number formatted the English way ("1,234.5") written the current language's way."""
    if current() != "fr":
        return s
    return s.replace(",", NNBSP).replace(".", ",")


def pct(x, digits: int = 0) -> str:
    if x is None or not math.isfinite(float(x)):
        return t("n_a")
    v = num(100 * float(x), digits)
    return f"{v}{NBSP}%" if current() == "fr" else f"{v}%"


MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def date(d: dt.date | None) -> str:
    """26 December 2022 / 26 décembre 2022 (1er for the first day in French)."""
    if d is None:
        return t("unknown_date")
    if current() == "fr":
        day = "1er" if d.day == 1 else str(d.day)
        return f"{day} {MONTHS_FR[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def month_year(d: dt.date) -> str:
    return (f"{MONTHS_FR[d.month - 1]} {d.year}" if current() == "fr"
            else f"{MONTHS_EN[d.month - 1]} {d.year}")


def lever(key: str) -> str:
    """The lever's name (docs/levers.md): English name or the thesis's French name."""
    names = LEVERS.get(key)
    return names[1 if current() == "fr" else 0] if names else key.replace("_", " ")


def term(group: str, key: str) -> str:
    """A phase, tier, unit, shock kind, support mode or policy in the current language."""
    table = TERMS[group]
    names = table.get(key)
    return names[1 if current() == "fr" else 0] if names else key


def colon() -> str:
    """": " in English, " : " (no-break space before) in French."""
    return f"{NBSP}: " if current() == "fr" else ": "


def semicolon() -> str:
    return f"{NNBSP}; " if current() == "fr" else "; "


# key: (English name as in docs/levers.md, French name as in the thesis / docs/levers.md)
LEVERS = {
    "organisational_culture": ("supportive organisational context and culture",
                               "contexte et culture organisationnels favorables"),
    "time_allowance": ("sufficient time for activities", "temps suffisant pour les activités"),
    "support_capacity": ("resources and support (accompagnement)", "ressources et accompagnement"),
    "recognition": ("recognition and tangible results", "reconnaissance et résultats tangibles"),
    "ecosystem_trust": ("low-competition ecosystem, trust between organisations",
                        "écosystème peu compétitif, confiance entre organisations"),
    "theme_clarity": ("relevant, clear theme and joint enterprise",
                      "thème pertinent et clair, entreprise commune"),
    "evolving_design": ("evolving design (design for evolution)", "conception évolutive"),
    "autonomy": ("real autonomy of the group over its mandate",
                 "autonomie réelle du groupe sur son mandat"),
    "composition_fit": ("size and composition suited to the membership",
                        "taille et composition adaptées"),
    "animation": ("sustained animation", "animation soutenue"),
    "core_leadership": ("an active core / shared leadership", "noyau actif et leadership partagé"),
    "activity_rhythm": ("rhythm and mix of activities", "rythme et variété des activités"),
    "belonging": ("engagement and sense of belonging", "engagement et sentiment d'appartenance"),
    "trust_climate": ("trust, shared language, openness to disagreement",
                      "confiance, langage commun, ouverture au désaccord"),
    "perceived_value": ("perceived value for one's own practice", "valeur perçue pour sa pratique"),
    "digital_tools": ("suitable, usable digital tools", "outils numériques adaptés et conviviaux"),
    "cdp_intersections": ("cooperation and intersections between CdPs",
                          "coopération et intersections entre CdP"),
}

TERMS = {
    "phase": {
        "potential": ("potential", "potentielle"),
        "coalescing": ("coalescing", "en regroupement"),
        "maturing": ("maturing", "en maturation"),
        "stewardship": ("stewardship", "en intendance"),
        "transformation": ("transformation", "en transformation"),
        "dissolved": ("dissolved", "dissoute"),
    },
    "tier": {
        "peripheral": ("peripheral", "en périphérie"),
        "active": ("active", "actifs"),
        "core": ("core", "noyau"),
    },
    "unit": {  # units of the metric table
        "CdPs": ("CdPs", "CdP"),
        "members": ("members", "membres"),
        "repertoire units": ("repertoire units", "unités de répertoire"),
        "objects": ("objects", "objets"),
        "posts": ("posts", "publications"),
        "participations": ("participations", "participations"),
        "h/CdP": ("h/CdP", "h/CdP"),
        "h": ("h", "h"),
        # Funders' metrics: the currency is the scenario's (Canadian dollars in the library).
        "money": ("money", "unités monétaires"),
        "money/CdP": ("money/CdP", "unités monétaires par CdP"),
        "money/CdP-year": ("money/CdP-year", "unités monétaires par année d'activité de CdP"),
        "money/member-year": ("money/member-year",
                              "unités monétaires par membre actif et par an"),
    },
    "kind": {  # output_kind
        "run": ("run", "simulation"),
        "ensemble": ("ensemble", "ensemble de simulations"),
        "comparison": ("comparison", "comparaison"),
        "sensitivity": ("sensitivity", "analyse de sensibilité"),
    },
    "shock": {
        "pandemic": ("pandemic", "pandémie"),
        "funding_cut": ("funding cut", "compressions budgétaires"),
        "platform_migration": ("platform migration", "migration de plateforme"),
    },
    "support_mode": {
        "none": ("no support team", "aucune équipe d'accompagnement"),
        "expert": ("expert support (experts stand in for the animators: the hours help only "
                   "while they last)",
                   "de type expert (des experts se substituent aux personnes qui animent : l'effet "
                   "ne dure que le temps des heures données)"),
        "capacity_building": ("capacity-building support (the support team trains animators and "
                              "CdPs: the skills stay)",
                              "axé sur le renforcement des capacités (l'équipe forme les "
                              "personnes qui animent et les CdP : les compétences restent)"),
    },
    "event": {  # event kinds of the interventions (event_kind's flag_meanings)
        "intervention_start": ("intervention starts", "début d'une intervention"),
        "intervention_end": ("intervention ends", "fin d'une intervention"),
        "trigger_on": ("trigger on", "déclenchement"),
        "trigger_off": ("trigger off", "arrêt du déclenchement"),
        "budget_exhausted": ("budget spent", "budget épuisé"),
    },
    "support_policy": {
        "neediest": ("the neediest CdPs first", "en priorité aux CdP qui en ont le plus besoin"),
        "first_come": ("first come, first served", "selon l'ordre des demandes"),
        "proportional": ("in proportion to what each CdP asks for",
                         "en proportion de ce que chaque CdP demande"),
    },
}

MESSAGES = {
    "en": {
        "n_a": "n/a",
        "unknown_date": "an unknown date",
        # report frame
        "footer": ("Written on {today} by <code>cdpsim report</code> from <code>{source}</code> "
                   "(cdpsim {version}, output kind {kind}). The numbers are simulated: they "
                   "describe the model's scenario, not observed data."),
        "report_title": "cdpsim report: {title}",
        "figures_heading": "Figures",
        "not_shown": "Not shown: {title} ({reason}).",
        "scenario_heading": "The scenario",
        "interrupted": ("<strong>Interrupted run.</strong> The simulation stopped at week {done} "
                        "of {planned}: every number and figure below covers the weeks simulated "
                        "so far only."),
        # comparison
        "cmp_title": "Comparison: {others} against {base}",
        "cmp_sub": ("{n} scenarios, {reps} replicates each, {weeks} weeks; the same random seeds "
                    "in every scenario (common random numbers), so the differences come from "
                    "the scenarios, not from chance draws."),
        "cmp_incomplete": ("<strong>Incomplete comparison.</strong> Some runs did not finish; "
                           "the statistics use the finished runs only."),
        "verdicts_heading": "Verdicts",
        "verdicts_intro": ("For each outcome, what each scenario changes compared with the "
                           "baseline, with the 95% confidence interval of the difference. When "
                           "that interval includes zero, the simulations cannot tell the "
                           "scenario from the baseline on that outcome."),
        "in_short": "In short",
        "over_weeks": "over the {h} weeks",
        "over_run": "over the run",
        "at_last_week": "at the last week",
        "at_week": "at week {week}",
        "at_week_date": "at week {week} ({date})",
        "v_not_estimated": ("For {label} {at}, the difference between {name} and the baseline "
                            "{base} could not be estimated (too few finished runs)."),
        "v_identical": ("{name} has exactly the same {label} as the baseline {base} {at}, in "
                        "every replicate."),
        "v_clear": "{name} {phrase} {at} than the baseline {base} (95% CI {lo} to {hi}).",
        "v_unclear": ("For {label} {at}, {name} is not distinguishable from the baseline {base}: "
                      "the difference is {diff} (95% CI {lo} to {hi}), an interval that includes "
                      "zero."),
        "s_better": "does better than the baseline on {list}",
        "s_better_next": "does better on {list}",
        "s_worse": "does worse than the baseline on {list}",
        "s_worse_next": "does worse on {list}",
        "s_neutral": "differs (neither better nor worse in itself) on {list}",
        "s_unclear_all": "cannot be told apart from the baseline on any of the {n} metrics",
        "s_unclear_rest": "cannot be told apart from it on the other {k} of {n} metrics",
        "s_sentence": "{name} {parts}.",
        "list_and": ", ",
        "hyp_heading": "Hypotheses",
        "hyp_intro": ("Each stated hypothesis is tested one-sided with a paired t-test; it counts "
                      "as supported when p &lt; {alpha} and the mean difference goes the stated "
                      "way."),
        "hyp_item": "{text}: {verdict} ({p}, mean difference {d}).",
        "hyp_supported": "supported",
        "hyp_not_supported": "not supported",
        "scenarios_heading": "The scenarios",
        "baseline_heading": "The baseline: {base}",
        "differs_in": "It differs from the baseline in:",
        "diff_item": "<code>{key}</code> = {value} (baseline: {base})",
        "same_params": "Its parameters are those of the baseline.",
        "no_scenarios": "The file does not store the scenarios.",
        "numbers_heading": "All the numbers",
        "numbers_intro": ("Means over replicates with their 95% t intervals; differences are "
                          "paired (replicate r of a scenario against replicate r of the baseline, "
                          "same seed); p is the two-sided paired t-test p-value."),
        "col_metric": "metric (unit)",
        "col_scenario": "scenario",
        "col_mean": "mean (95% CI)",
        "col_diff": "difference from baseline (95% CI)",
        "col_p": "p",
        "baseline_word": "baseline",
        "interval": "{mean} ({lo} to {hi})",
        "method_heading": "Method",
        "method": ("Master seed {seed}: replicate r of every scenario uses seed replicate_seed[r]. "
                   "Confidence level {level}."),
        # comparison figures
        "fig_forest_title": "Differences from the baseline",
        "fig_values_title": "Values by scenario",
        "fig_forest_caption": ("Forest plot: for each metric, how far each scenario is from the "
                               "baseline (dot) and the 95% confidence interval of that difference "
                               "(bar). A bar that crosses the dashed line is not distinguishable "
                               "from no difference."),
        "fig_values_caption": ("Each dot is one replicate; the black diamond and bar are the "
                               "scenario's mean and its 95% confidence interval."),
        "fig_diff_axis": "difference from {base}",
        "fig_forest_sup": ("Difference from the baseline ({base}) with 95% confidence intervals\n"
                           "{reps} paired replicates per scenario (common random numbers); dashed "
                           "line: no difference"),
        "fig_values_sup": ("Every replicate's value (dots) and the mean with its 95% confidence "
                           "interval (black)"),
        "with_unit": "{label} ({unit})",
        # scenario in words
        "sc_first": "Scenario {name}.",
        "sc_first_q": "Scenario {name}: {question}",
        "sc_weeks": ("It simulates {weeks} weeks (about {years} years), from {start} to {end}, "
                     "with random seed {seed}."),
        "sc_population": ("The ecosystem starts with {members} members of {orgs} organisations "
                          "and {cdps} communities of practice (CdPs); up to {potential} people "
                          "may register over time."),
        "sc_territories": " The organisations are spread over {n} territories ({names}).",
        "sc_platforms": " CdPs work on {n} digital platforms ({names}).",
        "sc_shocks": "Shocks: {list}.",
        "sc_no_shock": "No shock is scheduled.",
        "sc_shock": "{name} from {start}",
        "sc_shock_weeks": " for {weeks} weeks",
        "sc_shock_to": " (to {end})",
        "sc_shock_beyond": " (to {end}, beyond the simulated period)",
        "sc_shock_intensity": ", at {pct} intensity",
        "sc_shock_never": ("{name}, scheduled from {start}, after the simulated period: it never "
                           "happened in this run"),
        "sc_no_support": "Support: none; CdPs are on their own.",
        "sc_support": "Support: {mode}",
        "sc_support_hours": (", a team of {hours} hours a week at the reference support capacity "
                             "(support_capacity lever {cap})"),
        "sc_support_policy": ", giving {policy}",
        "sc_support_episode": ", for at most {weeks} weeks per CdP",
        "sc_support_peers": "; trained animators form a peer network",
        "sc_levers": "Levers set away from the reference value 0.5: {list}.",
        "sc_lever_higher": "{name} = {value} (higher than the reference 0.5)",
        "sc_lever_lower": "{name} = {value} (lower than the reference 0.5)",
        "sc_levers_ref": "All 17 levers of action are at their reference value 0.5.",
        "sc_unreadable": "The file does not store a readable scenario.",
        # interventions on the time axes (run and ensemble figures)
        "iv_start_label": "{name}: start",
        "iv_end_label": "{name}: end",
        "iv_window_start": "{name}: trigger window opens",
        "iv_window_end": "{name}: trigger window closes",
        "iv_legend_in_force": "{name} (in force)",
        "iv_legend_triggered": "{name} (in force, triggered)",
        "iv_legend_never": "{name} (never in force)",
        "iv_legend_scheduled": "{name} (scheduled)",
        "iv_legend_window": "{name} (triggered: its trigger window only)",
        "iv_caption_run": ("Coloured lines: each intervention's start (solid) and end (dashed) "
                           "as scheduled; coloured strips along the top, one per intervention: "
                           "the weeks it was in force (for a triggered intervention, from each "
                           "trigger on to the next trigger off; a spent budget ends one before "
                           "its scheduled end)."),
        "iv_caption_heat": ("Coloured lines: each intervention's start (solid) and end (dashed) as "
                            "scheduled (on the heat map, no strips of the weeks in force)."),
        "iv_caption_ensemble": ("Coloured lines: the start (solid) and end (dashed) of the "
                                "interventions the base scenario schedules; coloured strips "
                                "along the top: their scheduled span (a budget spent early ends "
                                "one sooner in some runs)."),
        "iv_caption_ensemble_triggered": ("Triggered interventions ({names}) switch on and off "
                                          "in different weeks in each run, so they cannot be "
                                          "shown per run here: only the window in which their "
                                          "trigger is checked is marked."),
        "iv_skip_none": "the scenario has no interventions and nothing was spent",
        "iv_skip_no_spending": "no intervention spent money or paid support hours",
        "iv_skip_no_change": "no lever or parameter changed during the run",
        # spending figure
        "fig_spending_title": "Spending over time",
        "fig_spending_caption": ("Money spent and support hours paid by the interventions since "
                                 "the start of the run (cumulative); a cross marks the week a "
                                 "budget was spent."),
        "fig_spending_sup": "Spending of the interventions (cumulative)",
        "fig_spending_money": "Money spent\n(cumulative, scenario's currency)",
        "fig_spending_hours": "Support hours paid\n(cumulative, h)",
        "fig_spending_money_line": "money spent",
        "fig_spending_hours_line": "support hours paid",
        "fig_budget_spent": "budget spent: {name}",
        # levers and parameters figure
        "fig_levers_title": "Levers and parameters in force",
        "fig_levers_caption": ("The value in force each week of every lever that changes during "
                               "the run and of every other parameter an intervention changes "
                               "(steps), with the scenario's own value (dotted)."),
        "fig_levers_sup": "Levers and parameters in force",
        "fig_levers_panel": "Levers that change",
        "fig_levers_axis": "Lever value\n(0 to 1)",
        "fig_param_axis": "Value in force\n({unit})",
        "fig_param_axis_nounit": "Value in force",
        "bool_true": "yes",
        "bool_false": "no",
        # run report: interventions and spending
        "iv_heading": "Interventions and spending",
        "iv_count": ("The scenario has {n} interventions, each changing one parameter during the "
                     "run."),
        "iv_count_one": "The scenario has one intervention, changing one parameter during the run.",
        "iv_spent": ("Over the run the interventions spent {money} (in the scenario's currency) "
                     "and paid for {hours} support hours."),
        "iv_nothing_spent": "The interventions spent nothing (no cost is set).",
        "iv_col_name": "name",
        "iv_col_key": "key",
        "iv_col_change": "set / scale",
        "iv_col_start": "start",
        "iv_col_end": "end",
        "iv_col_triggered": "triggered",
        "iv_col_weeks": "weeks in force",
        "iv_set": "set to {value}",
        "iv_set_true": "switched on (set to true)",
        "iv_set_false": "switched off (set to false)",
        "iv_scale": "scaled by {value}",
        "iv_ramp": ", over {weeks} weeks",
        "iv_week": "week {week} ({date})",
        "iv_week_after": "week {week} (after the simulated period)",
        "iv_no_end": "none",
        "iv_triggered_yes": "yes: when {when}",
        "iv_until": ", until {until}",
        "iv_triggered_no": "no",
        "iv_table_note": ("Start: the first week it may be in force; end: the first week no "
                          "longer in force, as scheduled. Weeks in force are counted from the "
                          "run's record (intervention_active): a trigger or a spent budget makes "
                          "them fewer than the span."),
        "iv_events_heading": "Intervention events",
        "iv_col_week": "week",
        "iv_col_date": "date",
        "iv_col_event": "event",
        "iv_col_detail": "detail",
        "iv_no_events": "No intervention event was logged.",
        "iv_no_events_table": "The file has no events table ([output] events = false).",
    },
    "fr": {
        "n_a": "s.o.",
        "unknown_date": "une date inconnue",
        "footer": ("Rapport produit le {today} par <code>cdpsim report</code> à partir de "
                   "<code>{source}</code> (cdpsim {version}, type de fichier {kind}). Les "
                   "chiffres sont issus de simulations : ils décrivent le scénario du modèle, et "
                   "non des données observées."),
        "report_title": "Rapport cdpsim : {title}",
        "figures_heading": "Figures",
        "not_shown": "Figure omise : {title} ({reason}).",
        "scenario_heading": "Le scénario",
        "interrupted": ("<strong>Simulation interrompue.</strong> La simulation s'est arrêtée à "
                        "la semaine {done} sur {planned} : les chiffres et les figures qui suivent "
                        "ne portent que sur les semaines déjà simulées."),
        "cmp_title": "Comparaison : {others} par rapport à {base}",
        "cmp_sub": ("{n} scénarios, {reps} répétitions chacun, {weeks} semaines ; les mêmes "
                    "graines aléatoires dans chaque scénario (nombres aléatoires communs) : les "
                    "écarts tiennent donc aux scénarios, et non au hasard des tirages."),
        "cmp_incomplete": ("<strong>Comparaison incomplète.</strong> Certaines simulations ne se "
                           "sont pas terminées ; les statistiques ne portent que sur celles qui "
                           "l'ont été."),
        "verdicts_heading": "Constats",
        "verdicts_intro": ("Pour chaque résultat, ce que chaque scénario change par rapport au "
                           "scénario de référence, avec l'intervalle de confiance à 95 % de "
                           "l'écart. Lorsque cet intervalle comprend zéro, les simulations ne "
                           "permettent pas de distinguer le scénario de la référence sur ce "
                           "résultat."),
        "in_short": "En bref",
        "over_weeks": "sur les {h} semaines",
        "over_run": "sur l'ensemble de la simulation",
        "at_last_week": "à la dernière semaine",
        "at_week": "à la semaine {week}",
        "at_week_date": "à la semaine {week} ({date})",
        "v_not_estimated": ("Pour l'indicateur « {label} » {at}, l'écart entre {name} et le "
                            "scénario de référence {base} n'a pas pu être estimé (trop peu de "
                            "simulations terminées)."),
        "v_identical": ("Pour l'indicateur « {label} », {name} obtient exactement le même "
                        "résultat que le scénario de référence {base} {at}, dans chaque "
                        "répétition."),
        "v_clear": ("Par rapport au scénario de référence {base}, {name} {phrase} {at} "
                    "(IC à 95 % : de {lo} à {hi})."),
        "v_unclear": ("Pour l'indicateur « {label} » {at}, {name} ne se distingue pas du scénario "
                      "de référence {base} : l'écart est de {diff} (IC à 95 % : de {lo} à {hi}), "
                      "un intervalle qui comprend zéro."),
        "s_better": "fait mieux que la référence pour : {list}",
        "s_better_next": "fait mieux pour : {list}",
        "s_worse": "fait moins bien que la référence pour : {list}",
        "s_worse_next": "fait moins bien pour : {list}",
        "s_neutral": "diffère (sans être en soi meilleur ou pire) pour : {list}",
        "s_unclear_all": "ne se distingue de la référence sur aucun des {n} indicateurs",
        "s_unclear_rest": "ne s'en distingue pas sur les {k} autres indicateurs (sur {n})",
        "s_sentence": "{name} {parts}.",
        "list_and": ", ",
        "hyp_heading": "Hypothèses",
        "hyp_intro": ("Chaque hypothèse énoncée est soumise à un test t apparié unilatéral ; elle "
                      "est jugée appuyée par les données lorsque p &lt; {alpha} et que l'écart "
                      "moyen va dans le sens annoncé."),
        "hyp_item": "{text} : {verdict} ({p}, écart moyen de {d}).",
        "hyp_supported": "hypothèse appuyée",
        "hyp_not_supported": "hypothèse non appuyée",
        "scenarios_heading": "Les scénarios",
        "baseline_heading": "Le scénario de référence : {base}",
        "differs_in": "Il se distingue du scénario de référence par les paramètres suivants :",
        "diff_item": "<code>{key}</code> = {value} (référence : {base})",
        "same_params": "Ses paramètres sont ceux du scénario de référence.",
        "no_scenarios": "Le fichier ne contient pas les scénarios.",
        "numbers_heading": "Tous les chiffres",
        "numbers_intro": ("Moyennes sur les répétitions, avec leur intervalle de confiance de "
                          "Student à 95 % ; les écarts sont appariés (la répétition r d'un "
                          "scénario est comparée à la répétition r de la référence, avec la même "
                          "graine) ; p est la valeur p du test t apparié bilatéral."),
        "col_metric": "indicateur (unité)",
        "col_scenario": "scénario",
        "col_mean": "moyenne (IC à 95 %)",
        "col_diff": "écart par rapport à la référence (IC à 95 %)",
        "col_p": "p",
        "baseline_word": "référence",
        "interval": "{mean} (de {lo} à {hi})",
        "method_heading": "Méthode",
        "method": ("Graine maîtresse {seed} : la répétition r de chaque scénario utilise la "
                   "graine replicate_seed[r]. Niveau de confiance : {level}."),
        "fig_forest_title": "Écarts par rapport au scénario de référence",
        "fig_values_title": "Valeurs par scénario",
        "fig_forest_caption": ("Diagramme en forêt : pour chaque indicateur, l'écart entre "
                               "chaque scénario et la référence (point) et l'intervalle de "
                               "confiance à 95 % de cet écart (barre). Une barre qui croise la "
                               "ligne pointillée ne se distingue pas d'une absence d'écart."),
        "fig_values_caption": ("Chaque point représente une répétition ; le losange noir et sa "
                               "barre indiquent la moyenne du scénario et son intervalle de "
                               "confiance à 95 %."),
        "fig_diff_axis": "écart par rapport à {base}",
        "fig_forest_sup": ("Écart par rapport au scénario de référence ({base}), avec "
                           "intervalles de confiance à 95 %\n{reps} répétitions appariées par "
                           "scénario (nombres aléatoires communs) ; tirets : aucun écart"),
        "fig_values_sup": ("Valeur de chaque répétition (points) et moyenne avec son intervalle "
                           "de confiance à 95 % (en noir)"),
        "with_unit": "{label} ({unit})",
        "sc_first": "Scénario {name}.",
        "sc_first_q": "Scénario {name} : {question}",
        "sc_weeks": ("La simulation couvre {weeks} semaines (environ {years} ans), du {start} au "
                     "{end}, avec la graine aléatoire {seed}."),
        "sc_population": ("L'écosystème compte au départ {members} membres issus de {orgs} "
                          "organisations et {cdps} communautés de pratique (CdP) ; jusqu'à "
                          "{potential} personnes peuvent s'inscrire au fil du temps."),
        "sc_territories": " Les organisations sont réparties sur {n} territoires ({names}).",
        "sc_platforms": " Les CdP utilisent {n} plateformes numériques ({names}).",
        "sc_shocks": "Chocs : {list}.",
        "sc_no_shock": "Aucun choc n'est prévu.",
        "sc_shock": "{name} à partir du {start}",
        "sc_shock_weeks": " pendant {weeks} semaines",
        "sc_shock_to": " (jusqu'au {end})",
        "sc_shock_beyond": " (jusqu'au {end}, au-delà de la période simulée)",
        "sc_shock_intensity": ", à une intensité de {pct}",
        "sc_shock_never": ("{name}, prévu à partir du {start}, après la fin de la période "
                           "simulée : ce choc n'a pas eu lieu dans cette simulation"),
        "sc_no_support": "Accompagnement : aucun ; les CdP sont laissées à elles-mêmes.",
        "sc_support": "Accompagnement : {mode}",
        "sc_support_hours": (", assuré par une équipe disposant de {hours} heures par semaine à "
                             "la capacité de référence (levier « ressources et accompagnement » "
                             "à {cap})"),
        "sc_support_policy": ", offert {policy}",
        "sc_support_episode": ", pendant au plus {weeks} semaines par CdP",
        "sc_support_peers": " ; les personnes formées à l'animation forment une CdP de pairs",
        "sc_levers": "Leviers d'action réglés autrement qu'à la valeur de référence 0,5 : {list}.",
        "sc_lever_higher": "{name} = {value} (au-dessus de la référence 0,5)",
        "sc_lever_lower": "{name} = {value} (sous la référence 0,5)",
        "sc_levers_ref": "Les 17 leviers d'action sont à leur valeur de référence, 0,5.",
        "sc_unreadable": "Le fichier ne contient pas de scénario lisible.",
        "iv_start_label": "{name} : début",
        "iv_end_label": "{name} : fin",
        "iv_window_start": "{name} : ouverture de la fenêtre de déclenchement",
        "iv_window_end": "{name} : fermeture de la fenêtre de déclenchement",
        "iv_legend_in_force": "{name} (en vigueur)",
        "iv_legend_triggered": "{name} (en vigueur, déclenchée)",
        "iv_legend_never": "{name} (jamais en vigueur)",
        "iv_legend_scheduled": "{name} (prévue)",
        "iv_legend_window": "{name} (déclenchée : fenêtre de déclenchement seulement)",
        "iv_caption_run": ("Lignes de couleur : début (trait plein) et fin (tirets) prévus de "
                           "chaque intervention ; bandes colorées en haut, une par intervention : "
                           "les semaines où elle était en vigueur (pour une intervention "
                           "déclenchée, de chaque déclenchement à l'arrêt suivant ; un budget "
                           "épuisé met fin à une intervention avant la fin prévue)."),
        "iv_caption_heat": ("Lignes de couleur : début (trait plein) et fin (tirets) prévus de "
                            "chaque intervention (sur la carte de chaleur, sans bande des semaines "
                            "en vigueur)."),
        "iv_caption_ensemble": ("Lignes de couleur : début (trait plein) et fin (tirets) des "
                                "interventions prévues par le scénario de base ; bandes colorées "
                                "en haut : leur période prévue (un budget épuisé plus tôt y met "
                                "fin plus tôt dans certaines simulations)."),
        "iv_caption_ensemble_triggered": ("Les interventions déclenchées ({names}) commencent et "
                                          "s'arrêtent à des semaines différentes d'une simulation "
                                          "à l'autre : elles ne peuvent donc pas être montrées "
                                          "simulation par simulation ici, seule la fenêtre où "
                                          "leur déclencheur est vérifié est indiquée."),
        "iv_skip_none": "le scénario ne comporte aucune intervention et rien n'a été dépensé",
        "iv_skip_no_spending": ("aucune intervention n'a dépensé d'argent ni payé d'heures "
                                "d'accompagnement"),
        "iv_skip_no_change": "aucun levier ni paramètre n'a changé pendant la simulation",
        "fig_spending_title": "Dépenses au fil du temps",
        "fig_spending_caption": ("Argent dépensé et heures d'accompagnement payées par les "
                                 "interventions depuis le début de la simulation (cumul) ; une "
                                 "croix indique la semaine où un budget a été épuisé."),
        "fig_spending_sup": "Dépenses des interventions (cumul)",
        "fig_spending_money": "Argent dépensé\n(cumul, monnaie du scénario)",
        "fig_spending_hours": "Heures d'accompagnement payées\n(cumul, h)",
        "fig_spending_money_line": "argent dépensé",
        "fig_spending_hours_line": "heures d'accompagnement payées",
        "fig_budget_spent": "budget épuisé : {name}",
        "fig_levers_title": "Leviers et paramètres en vigueur",
        "fig_levers_caption": ("La valeur en vigueur chaque semaine de chaque levier qui change "
                               "pendant la simulation et de chaque autre paramètre modifié par "
                               "une intervention (en escalier), avec la valeur propre du scénario "
                               "(pointillés)."),
        "fig_levers_sup": "Leviers et paramètres en vigueur",
        "fig_levers_panel": "Leviers qui changent",
        "fig_levers_axis": "Valeur du levier\n(de 0 à 1)",
        "fig_param_axis": "Valeur en vigueur\n({unit})",
        "fig_param_axis_nounit": "Valeur en vigueur",
        "bool_true": "oui",
        "bool_false": "non",
        "iv_heading": "Interventions et dépenses",
        "iv_count": ("Le scénario comporte {n} interventions, chacune modifiant un paramètre en "
                     "cours de simulation."),
        "iv_count_one": ("Le scénario comporte une intervention, qui modifie un paramètre en cours "
                         "de simulation."),
        "iv_spent": ("Sur l'ensemble de la simulation, les interventions ont dépensé {money} (dans "
                     "la monnaie du scénario) et payé {hours} heures d'accompagnement."),
        "iv_nothing_spent": "Les interventions n'ont rien dépensé (aucun coût n'est fixé).",
        "iv_col_name": "nom",
        "iv_col_key": "clé",
        "iv_col_change": "valeur fixée / facteur",
        "iv_col_start": "début",
        "iv_col_end": "fin",
        "iv_col_triggered": "déclenchée",
        "iv_col_weeks": "semaines en vigueur",
        "iv_set": "fixée à {value}",
        "iv_set_true": "activée (true)",
        "iv_set_false": "désactivée (false)",
        "iv_scale": "multipliée par {value}",
        "iv_ramp": ", en {weeks} semaines",
        "iv_week": "semaine {week} ({date})",
        "iv_week_after": "semaine {week} (après la période simulée)",
        "iv_no_end": "aucune",
        "iv_triggered_yes": "oui : quand {when}",
        "iv_until": ", jusqu'à {until}",
        "iv_triggered_no": "non",
        "iv_table_note": ("Début : la première semaine où elle peut être en vigueur ; fin : la "
                          "première semaine où elle ne l'est plus, comme prévu. Les semaines en "
                          "vigueur sont comptées d'après l'enregistrement de la simulation "
                          "(intervention_active) : un déclencheur ou un budget épuisé les rend "
                          "moins nombreuses que la période prévue."),
        "iv_events_heading": "Événements liés aux interventions",
        "iv_col_week": "semaine",
        "iv_col_date": "date",
        "iv_col_event": "événement",
        "iv_col_detail": "détail",
        "iv_no_events": "Aucun événement lié aux interventions n'a été enregistré.",
        "iv_no_events_table": ("Le fichier ne contient pas de table des événements ([output] "
                               "events = false)."),
    },
}
