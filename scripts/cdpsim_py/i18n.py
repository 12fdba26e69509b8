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
import re

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
    their no-break spaces before : ; % and inside « »; the fields are left as they are).

    ``{n|form one|form many}`` in a template is the form that agrees with field ``n`` (a number
    or a number as written): singular for 1 in English, for 0 and 1 in French.

        t("ens_runs", n=1)    # "1 run" / "1 simulation"
    """
    template = _PLURAL.sub(lambda m: _agree(m, fields), MESSAGES[current()][key])
    if current() == "fr":
        template = _FRENCH_SPACES(template)
    return template.format(**fields)


_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}]*)\}")


def _agree(m, fields) -> str:
    n = _as_number(fields.get(m.group(1)))
    singular = n is not None and (abs(n) < 2 if current() == "fr" else n == 1)
    return m.group(2) if singular else m.group(3)


def _as_number(v) -> float | None:
    """A field's value as a number: 3, 1.5, "1,234" (English) or "1 234,5" (French)."""
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).replace(NNBSP, "").replace(NBSP, "").replace("\u2212", "-").strip()
    s = s.replace(",", ".") if current() == "fr" else s.replace(",", "")
    try:
        return float(s.split()[0].rstrip("%")) if s else None
    except ValueError:
        return None


def fields(template: str) -> set[str]:
    """The field names of a template, those its plural forms agree with included."""
    import string
    names = {g[0] for g in _PLURAL.findall(template)}
    plain = _PLURAL.sub("", template)
    return names | {f for _, f, _, _ in string.Formatter().parse(plain) if f}


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


def phase(key: str, plural: bool = False) -> str:
    """A lifecycle phase; ``plural``: as a label of CdPs counted ("potentielles" in French)."""
    return term("phase_plural" if plural else "phase", key)


def stratum(name: str) -> str:
    """A sensitivity stratum ("pandemic/maturing") in the current language."""
    return " / ".join(term("stratum", part) for part in str(name).split("/")) \
        if current() == "fr" else str(name)


def input_name(key: str) -> str:
    """A sensitivity input: the lever's name in French (its key in English, as typed), the
    dummy, or an intervention parameter's key."""
    if current() == "en":
        return key
    if key == "dummy":
        return t("dummy_lever")
    return lever(key) if key in LEVERS else key


def tick(s: str) -> str:
    """A tick label matplotlib wrote ("0.5", "−1.25", "1,000") in the current language."""
    return localize(s) if current() == "fr" else s


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
    "phase_plural": {
        "potential": ("potential", "potentielles"),
        "coalescing": ("coalescing", "en regroupement"),
        "maturing": ("maturing", "en maturation"),
        "stewardship": ("stewardship", "en intendance"),
        "transformation": ("transformation", "en transformation"),
        "dissolved": ("dissolved", "dissoutes"),
    },
    "stratum": {  # sensitivity strata (French reports; the file keeps the keys)
        "all": ("all", "toutes les CdP"),
        "potential": ("potential", "potentielles"),
        "coalescing": ("coalescing", "en regroupement"),
        "maturing": ("maturing", "en maturation"),
        "stewardship": ("stewardship", "en intendance"),
        "transformation": ("transformation", "en transformation"),
        "born_after": ("born_after", "créées plus tard"),
        "pandemic": ("pandemic", "avec la pandémie"),
        "no_pandemic": ("no_pandemic", "sans la pandémie"),
        "competition_low": ("competition_low", "faible concurrence"),
        "competition_high": ("competition_high", "forte concurrence"),
        "support_none": ("support_none", "sans accompagnement"),
        "support_expert": ("support_expert", "accompagnement de type expert"),
        "support_capacity_building": ("support_capacity_building",
                                      "accompagnement axé sur le renforcement des capacités"),
    },
    "measure": {  # sensitivity measures, as the object of "ranked by"
        "sobol": ("total Sobol index ST", "l'indice de Sobol total ST"),
        "morris": ("Morris mu* (mean |effect|)",
                   "le mu* de Morris (moyenne des effets en valeur absolue)"),
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
        "sc_weeks": ("La simulation couvre {weeks} semaines (environ {years} {years|an|ans}), du {start} au "
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

# The run, ensemble and sensitivity reports and figures: {key: (English, French)}, merged into
# MESSAGES below, so that no key can have one language only.
_PAIRS = {
    # shared
    "fig_title": ("{text}: {name}", "{text} : {name}"),
    "axis_unit": ("{label}\n({unit})", "{label}\n({unit})"),
    "interrupted_at": ("interrupted at week {done}", "interrompue à la semaine {done}"),
    "branch_at": ("branch from week {week} ({date})",
                  "embranchement à la semaine {week} ({date})"),
    "interrupted_at_of": ("interrupted at week {done} of {planned}",
                          "interrompue à la semaine {done} sur {planned}"),
    "log_skipped": ("skipped the '{name}' figure: {reason}", "figure « {name} » omise : {reason}"),
    "plot_summary": ("{n} figures ({formats}) in {folder}: {names}",
                     "{n} {n|figure|figures} ({formats}) dans {folder} : {names}"),
    "report_written": ("report: {path}", "rapport : {path}"),
    "pandemic": ("pandemic", "pandémie"),
    "pandemic_labelled": ("pandemic ({label})", "pandémie ({label})"),
    "members_word": ("Members", "Membres"),
    "cdps_word": ("CdPs", "CdP"),
    "median": ("median", "médiane"),
    "skip_one_territory": ("the scenario has a single territory",
                           "le scénario ne compte qu'un seul territoire"),
    # run report
    "run_sub": ("A single simulated run", "Une simulation"),
    "run_sub_q": ("A single simulated run: {question}", "Une simulation : {question}"),
    "run_what_happened": ("What happened", "Ce qui s'est passé"),
    "headline_heading": ("Headline numbers", "Chiffres clés"),
    "run_reproduce_heading": ("Reproducing this run", "Reproduire cette simulation"),
    "run_reproduce": (
        "The file stores the resolved scenario (attribute <code>scenario_toml</code>). Save it "
        "as <code>scenario.toml</code> and run <code>cdpsim run scenario.toml --seed {seed}</code> "
        "to get the same numbers.",
        "Le fichier conserve le scénario résolu (attribut <code>scenario_toml</code>). "
        "Enregistrez-le sous le nom <code>scenario.toml</code> et lancez <code>cdpsim run "
        "scenario.toml --seed {seed}</code> pour obtenir les mêmes chiffres."),
    "hd_last_week": ("Last simulated week", "Dernière semaine simulée"),
    "hd_registered": ("Registered members", "Membres inscrits"),
    "hd_active": ("Active members in the last week",
                  "Membres actifs au cours de la dernière semaine"),
    "hd_active_value": ("{n} ({pct})", "{n} ({pct})"),
    "hd_peak": ("Most active members in one week",
                "Nombre record de membres actifs en une semaine"),
    "hd_peak_value": ("{n} ({date})", "{n} ({date})"),
    "hd_tiers": ("Members by tier (core / active / peripheral)",
                 "Membres par niveau de participation (noyau / actifs / en périphérie)"),
    "hd_alive": ("CdPs alive at the end", "CdP en activité à la fin"),
    "hd_alive_value": ("{alive} of {created} that existed ({dissolved} dissolved)",
                       "{alive} sur {created} ayant existé ({dissolved} "
                       "{dissolved|dissoute|dissoutes})"),
    "hd_by_phase": ("CdPs alive by phase", "CdP en activité, par phase"),
    "hd_phase_count": ("{phase} {n}", "{phase} : {n}"),
    "hd_knowledge": ("Knowledge stock", "Stock de connaissances"),
    "hd_knowledge_value": ("{x} repertoire units",
                           "{x} {x|unité de répertoire|unités de répertoire}"),
    "hd_objects": ("Boundary objects created", "Objets-frontières créés"),
    "hd_support": ("Support hours given / demanded over the run",
                   "Heures d'accompagnement données / demandées sur l'ensemble de la simulation"),
    "hd_support_value": ("{given} h / {demanded} h ({pct} covered)",
                         "{given} h / {demanded} h ({pct} de la demande couverte)"),
    "hd_top1": ("Posts written by the most active 1% of members",
                "Part des publications rédigées par le 1 % de membres les plus actifs"),
    "story_members": (
        "Registered members went from {first} in the first week to {last} by {date}; {active} of "
        "them took part in a CdP in the last week.",
        "Le nombre de membres inscrits est passé de {first} la première semaine à {last} au "
        "{date} ; {active} d'entre eux {active|a pris|ont pris} part à une CdP au cours de la "
        "dernière semaine."),
    "story_pandemic": (
        "The pandemic began on {date}: the share of participations held in person went from "
        "{before} in the six months before to {during} during it.",
        "La pandémie a commencé le {date} : la part des participations en présentiel est passée "
        "de {before} au cours des six mois précédents à {during} pendant la pandémie."),
    "story_pandemic_aid": (
        "The pandemic began on {date}: the share of participations held in person went from "
        "{before} in the six months before to {during} during it, and {n} mutual-aid "
        "{n|CdP was|CdPs were} created.",
        "La pandémie a commencé le {date} : la part des participations en présentiel est passée "
        "de {before} au cours des six mois précédents à {during} pendant la pandémie, et {n} "
        "{n|CdP d'entraide a été créée|CdP d'entraide ont été créées}."),
    "story_cdps": (
        "Of the {n} CdPs that existed, {alive} {alive|was|were} alive at the end and {dissolved} "
        "had dissolved.",
        "Sur les {n} CdP qui ont existé, {alive} {alive|était encore en activité|étaient encore "
        "en activité} à la fin de la simulation et {dissolved} {dissolved|avait été dissoute|"
        "avaient été dissoutes}."),
    "story_support": (
        "The support team gave {given} hours, {pct} of the {demanded} hours CdPs asked for.",
        "L'équipe d'accompagnement a donné {given} {given|heure|heures}, soit {pct} des "
        "{demanded} heures demandées par les CdP."),
    # run figures: titles and captions
    "rf_members_title": ("Members over time", "Évolution du nombre de membres"),
    "rf_members_caption": (
        "Registered members and members active in at least one CdP each week; the shaded band is "
        "the pandemic.",
        "Membres inscrits et membres actifs dans au moins une CdP, semaine par semaine ; la bande "
        "ombrée correspond à la pandémie."),
    "rf_phase_title": ("CdPs by lifecycle phase", "CdP selon la phase du cycle de vie"),
    "rf_phase_caption": (
        "CdPs alive in each phase of their lifecycle (stacked), and the cumulative number "
        "dissolved (dashed).",
        "CdP en activité dans chaque phase de leur cycle de vie (aires empilées), et nombre "
        "cumulé de CdP dissoutes (tirets)."),
    "rf_tier_title": ("Members by tier", "Membres par niveau de participation"),
    "rf_tier_caption": (
        "Members by their highest participation tier: peripheral, active, core (left: counts, "
        "stacked; right: shares).",
        "Membres selon leur niveau de participation le plus élevé : en périphérie, actifs, noyau "
        "(à gauche : effectifs empilés ; à droite : parts)."),
    "rf_inter_title": ("In-person and online interactions",
                       "Interactions en présentiel et en ligne"),
    "rf_inter_caption": (
        "Participations (one member in one CdP in one week) held in person and online.",
        "Participations (un membre dans une CdP au cours d'une semaine) en présentiel et en "
        "ligne."),
    "rf_knowledge_title": ("Knowledge and boundary objects",
                           "Connaissances et objets-frontières"),
    "rf_knowledge_caption": (
        "The codified knowledge (repertoire) of the CdPs alive, and the boundary objects created "
        "between linked CdPs since the start.",
        "Les connaissances codifiées (répertoire) des CdP en activité, et les objets-frontières "
        "créés entre CdP liées depuis le début."),
    "rf_support_title": ("Support demanded and given", "Accompagnement demandé et donné"),
    "rf_support_caption": (
        "Support hours the CdPs asked for and the hours the support team gave, per week.",
        "Heures d'accompagnement demandées par les CdP et heures données par l'équipe "
        "d'accompagnement, par semaine."),
    "rf_territory_title": ("Learning territories", "Territoires apprenants"),
    "rf_territory_caption": (
        "Learning capacity of each territory over time (heat map), and its value in the last "
        "week against the first (bars).",
        "Capacité d'apprentissage de chaque territoire au fil du temps (carte de chaleur), et sa "
        "valeur à la dernière semaine comparée à la première (barres)."),
    "rf_contrib_title": ("Participation inequality", "Inégalité de participation"),
    "rf_contrib_caption": (
        "How contributions are spread over members, on log-log axes: a straight, falling line "
        "is the long tail of participation inequality (a few members write most).",
        "Répartition des contributions entre les membres, en axes logarithmiques : une droite "
        "descendante traduit la longue traîne de l'inégalité de participation (quelques membres "
        "rédigent l'essentiel)."),
    "skip_per_member": ("per-member output was switched off ([output] per_member = false)",
                        "les sorties par membre ont été désactivées ([output] per_member = "
                        "false)"),
    # run figures: inside
    "rf_registered": ("registered members", "membres inscrits"),
    "rf_active_week": ("active members (took part this week)",
                       "membres actifs (ayant participé dans la semaine)"),
    "rf_members_sup": ("Registered and active members", "Membres inscrits et membres actifs"),
    "rf_dissolved": ("dissolved (cumulative)", "dissoutes (cumul)"),
    "rf_phase_sup": ("Communities of practice by lifecycle phase",
                     "Communautés de pratique selon la phase du cycle de vie"),
    "rf_tier_stacked": ("Members by tier (stacked)",
                        "Membres par niveau de participation (empilés)"),
    "rf_tier_share_axis": ("Share of registered members (%)", "Part des membres inscrits (%)"),
    "rf_tier_share": ("Share of members in each tier", "Part des membres à chaque niveau"),
    "rf_tier_sup": ("Participation tiers (highest tier over each member's CdPs)",
                    "Niveaux de participation (le plus élevé de chaque membre, toutes CdP "
                    "confondues)"),
    "in_person": ("in person", "en présentiel"),
    "online": ("online", "en ligne"),
    "rf_inter_axis": ("Participations per week\n(member × CdP)",
                      "Participations par semaine\n(membre × CdP)"),
    "rf_knowledge_line": ("knowledge stock of the CdPs alive",
                          "stock de connaissances des CdP en activité"),
    "rf_knowledge_axis": ("Knowledge stock\n(repertoire units)",
                          "Stock de connaissances\n(unités de répertoire)"),
    "rf_objects_line": ("boundary objects (cumulative)", "objets-frontières (cumul)"),
    "rf_objects_axis": ("Boundary objects\n(cumulative count)",
                        "Objets-frontières\n(nombre cumulé)"),
    "rf_knowledge_sup": ("Knowledge stock and boundary objects",
                         "Stock de connaissances et objets-frontières"),
    "rf_demanded": ("hours demanded by CdPs", "heures demandées par les CdP"),
    "rf_given": ("hours given by the support team",
                 "heures données par l'équipe d'accompagnement"),
    "rf_unmet": ("unmet demand", "demande non satisfaite"),
    "rf_support_axis": ("Support (hours per week)", "Accompagnement (heures par semaine)"),
    "rf_support_sup": ("Support hours demanded and given",
                       "Heures d'accompagnement demandées et données"),
    "rf_terr_sub": ("Highest in the last week at the top",
                    "En haut, les territoires les plus avancés à la dernière semaine"),
    "rf_terr_sub_pandemic": (
        "Highest in the last week at the top; dotted lines: start and end of the {pandemic}",
        "En haut, les territoires les plus avancés à la dernière semaine ; pointillés : début "
        "et fin de la {pandemic}"),
    "rf_terr_colour": ("Learning capacity $L_T$ (0 to 1)",
                       "Capacité d'apprentissage $L_T$ (de 0 à 1)"),
    "rf_terr_last": ("last week", "dernière semaine"),
    "rf_terr_first": ("first week", "première semaine"),
    "rf_terr_bar_axis": ("Learning capacity $L_T$,\nlast week (0 to 1)",
                         "Capacité d'apprentissage $L_T$,\ndernière semaine (de 0 à 1)"),
    "rf_terr_sup": ("Territory learning capacity over the {n} territories",
                    "Capacité d'apprentissage des {n} territoires"),
    "rf_contrib_dots": ("members (each dot: a number of posts)",
                        "membres (chaque point : un nombre de publications)"),
    "rf_contrib_box": (
        "{n} members\n{never} never posted\ntop 1% wrote {top1} of posts\n"
        "top 10% wrote {top10} of posts",
        "{n} membres\n{never} n'ont jamais publié\nle 1 % le plus actif a rédigé {top1} des "
        "publications\nles 10 % les plus actifs ont rédigé {top10} des publications"),
    "rf_contrib_none": ("no member posted anything", "aucun membre n'a publié"),
    "rf_contrib_x": ("Contributions over the run, x (posts, log scale)",
                     "Contributions sur toute la simulation, x (publications, échelle "
                     "logarithmique)"),
    "rf_contrib_y": ("Share of members with at least x posts (log scale)",
                     "Part des membres ayant au moins x publications\n(échelle logarithmique)"),
    "rf_partial": ("{text} (partial counts)", "{text} (décomptes partiels)"),
    # ensemble figures
    "ef_all_runs": ("all runs", "toutes les simulations"),
    "ef_reference": ("reference", "référence"),
    "ef_interrupted": ("interrupted: {done} of {total} runs finished",
                       "interrompu : {done} {done|simulation terminée|simulations terminées} "
                       "sur {total}"),
    "ef_partial": ("partial ensemble: {done} of {total} runs finished",
                   "ensemble partiel : {done} {done|simulation terminée|simulations terminées} "
                   "sur {total}"),
    "ef_band_note": ("lines: median over the runs; bands: middle 50% and 90% of the runs",
                     "lignes : médiane des simulations ; bandes : 50 % et 90 % centraux des "
                     "simulations"),
    "ef_title": ("{text}: {name} ({n} runs)",
                 "{text} : {name} ({n} {n|simulation|simulations})"),
    "ef_point_series": ("{point}: {series}", "{point} : {series}"),
    "ef_active": ("active members", "membres actifs"),
    "ef_demanded": ("hours demanded", "heures demandées"),
    "ef_given": ("hours given", "heures données"),
    "ef_knowledge": ("knowledge stock", "stock de connaissances"),
    "ef_objects": ("boundary objects", "objets-frontières"),
    "ef_terr_sup": ("Territory learning capacity, median of {n} runs: {name}",
                    "Capacité d'apprentissage des territoires, médiane de {n} "
                    "{n|simulation|simulations} : {name}"),
    "ef_runs_90": ("90% of runs", "90 % des simulations"),
    "ef_runs_50": ("50% of runs", "50 % des simulations"),
    "ef_sweep_sup": ("Response to {key} at the last week: {name}",
                     "Réponse à {key} à la dernière semaine : {name}"),
    "ef_sweep_sup_note": ("Response to {key} at the last week: {name} ({note})",
                          "Réponse à {key} à la dernière semaine : {name} ({note})"),
    "ef_sweep_sub": ("median over the runs at each value; bands: middle 50% and 90% of the runs",
                     "médiane des simulations pour chaque valeur ; bandes : 50 % et 90 % "
                     "centraux des simulations"),
    "ef_members_caption": (
        "Registered and active members: median over replicates, with the middle 50% and 90% of "
        "runs shaded.",
        "Membres inscrits et membres actifs : médiane des répétitions ; les zones ombrées "
        "couvrent les 50 % et 90 % centraux des simulations."),
    "ef_phase_caption": ("CdPs in each phase (dissolved: cumulative), one panel per phase.",
                         "CdP dans chaque phase (dissoutes : cumul), un panneau par phase."),
    "ef_tier_caption": ("Members by their highest participation tier, one panel per tier.",
                        "Membres selon leur niveau de participation le plus élevé, un panneau "
                        "par niveau."),
    "ef_inter_caption": ("Participations held in person and online per week.",
                         "Participations en présentiel et en ligne, par semaine."),
    "ef_knowledge_caption": (
        "Knowledge stock of the CdPs alive and boundary objects created since the start.",
        "Stock de connaissances des CdP en activité et objets-frontières créés depuis le "
        "début."),
    "ef_support_caption": (
        "Support hours CdPs asked for and hours the support team gave, per week.",
        "Heures d'accompagnement demandées par les CdP et heures données par l'équipe "
        "d'accompagnement, par semaine."),
    "ef_territory_caption": ("Median learning capacity of each territory over the finished runs.",
                             "Capacité d'apprentissage médiane de chaque territoire, sur les "
                             "simulations terminées."),
    "ef_sweep_title": ("Response to {key}", "Réponse à {key}"),
    "ef_sweep_caption": (
        "Outcome metrics at the last week against {key}: median over the runs at each value, "
        "with the middle 50% and 90% shaded.",
        "Indicateurs de résultat à la dernière semaine en fonction de {key} : médiane des "
        "simulations pour chaque valeur ; les zones ombrées couvrent les 50 % et 90 % centraux "
        "des simulations."),
    # ensemble report
    "ens_h1": ("{name}: ensemble", "{name} : ensemble de simulations"),
    "ens_report_title": ("{name} (ensemble)", "{name} (ensemble de simulations)"),
    "ens_sub": ("An ensemble of simulated runs", "Un ensemble de simulations"),
    "ens_sub_q": ("An ensemble of simulated runs: {question}",
                  "Un ensemble de simulations : {question}"),
    "ens_incomplete": (
        "<strong>Incomplete ensemble.</strong> Only {done} of {total} runs finished: the figures "
        "and numbers below cover the finished runs only.",
        "<strong>Ensemble incomplet.</strong> {done|Seule|Seules} {done} "
        "{done|simulation|simulations} sur {total} {done|s'est terminée|se sont terminées} : les "
        "figures et les chiffres qui suivent ne portent que sur les simulations terminées."),
    "ens_incomplete_interrupted": (
        "<strong>Incomplete ensemble.</strong> Only {done} of {total} runs finished (the ensemble "
        "was interrupted): the figures and numbers below cover the finished runs only.",
        "<strong>Ensemble incomplet.</strong> {done|Seule|Seules} {done} "
        "{done|simulation|simulations} sur {total} {done|s'est terminée|se sont terminées} "
        "(l'ensemble a été interrompu) : les figures et les chiffres qui suivent ne portent que "
        "sur les simulations terminées."),
    "ens_base_heading": ("The base scenario", "Le scénario de base"),
    "ens_design_heading": ("The design", "Le plan d'expérience"),
    "ens_design": (
        "The ensemble has {points} {points|design point|design points} × {reps} replicates = "
        "{runs} runs, with master seed {seed}; replicate r uses the same seed at every point "
        "(common random numbers), so differences between points are not luck of the draw.",
        "L'ensemble compte {points} {points|point|points} du plan d'expérience × {reps} "
        "{reps|répétition|répétitions} = {runs} simulations, avec la graine maîtresse {seed} ; "
        "la répétition r utilise la même graine en chaque point (nombres aléatoires communs) : "
        "les écarts entre les points ne tiennent donc pas au hasard des tirages."),
    "ens_swept": ("Swept ({kind}): {list}.", "Paramètres variés ({kind}) : {list}."),
    "ens_lhs": ("a Latin hypercube of {n} samples",
                "un hypercube latin de {n} {n|échantillon|échantillons}"),
    "ens_grid": ("a full grid", "une grille complète"),
    "ens_applied": ("Applied to every run: {list}.", "Appliqué à chaque simulation : {list}."),
    "ens_headline_intro": (
        "Outcome metrics at the last week: median over the runs, and in brackets the range of "
        "the middle 90% of runs.",
        "Indicateurs de résultat à la dernière semaine : médiane des simulations et, entre "
        "parenthèses, l'étendue des 90 % centraux des simulations."),
    "ens_reproduce_heading": ("Reproducing a run", "Reproduire une simulation"),
    "ens_reproduce": (
        "Every run can be reproduced alone: <code>cdpsim run SCENARIO --seed RUN_SEED</code> "
        "with each word of its <code>run_set</code> as a <code>--set</code> (variables "
        "<code>run_seed</code> and <code>run_set</code> of the file).",
        "Chaque simulation peut être reproduite seule : <code>cdpsim run SCENARIO --seed "
        "RUN_SEED</code>, en passant chaque mot de sa variable <code>run_set</code> à une option "
        "<code>--set</code> (variables <code>run_seed</code> et <code>run_set</code> du "
        "fichier)."),
    # sensitivity report and figures
    "dummy_lever": ("dummy", "levier fictif"),
    "sens_title": ("Sensitivity analysis: {name}", "Analyse de sensibilité : {name}"),
    "sens_sub_sobol": (
        "Sobol design, {points} points x {reps} replicates, {weeks} weeks; levers ranked by "
        "{measure} with the dummy lever as the noise floor.",
        "Plan de Sobol, {points} points × {reps} {reps|répétition|répétitions}, {weeks} "
        "semaines ; leviers classés selon {measure}, le levier fictif servant de seuil de "
        "bruit."),
    "sens_sub_morris": (
        "Morris design, {points} points x {reps} replicates, {weeks} weeks; levers ranked by "
        "{measure} with the dummy lever as the noise floor.",
        "Plan de Morris, {points} points × {reps} {reps|répétition|répétitions}, {weeks} "
        "semaines ; leviers classés selon {measure}, le levier fictif servant de seuil de "
        "bruit."),
    "sens_ranking": ("Ranking", "Classement"),
    "sens_table_heading": ("{metric}, stratum {stratum} (noise floor {floor})",
                           "{metric}, strate : {stratum} (seuil de bruit : {floor})"),
    "sens_col_lever": ("lever", "levier"),
    "sens_col_rank": ("rank", "rang"),
    "sens_col_interval": ("95% interval", "intervalle à 95 %"),
    "sens_col_influential": ("influential", "influent"),
    "sens_interval": ("[{lo}, {hi}]", "[{lo} ; {hi}]"),
    "sf_no_indices": ("no indices in this stratum\n(the cohort is empty, or the metric does not "
                      "vary)",
                      "aucun indice dans cette strate\n(la cohorte est vide, ou l'indicateur ne "
                      "varie pas)"),
    "sf_first_order": ("S1 (first order)", "S1 (premier ordre)"),
    "sf_noise_floor": ("noise floor {x}", "seuil de bruit : {x}"),
    "sf_axis": ("{measure} with 95% interval", "{measure} avec intervalle à 95 %"),
    "sf_tornado_sup": (
        "Levers ranked by {measure}, stratum {stratum}\n{points} design points x {reps} "
        "replicates; dark: influential (interval above the noise floor); grey: the dummy",
        "Leviers classés selon {measure}, strate : {stratum}\n{points} points du plan × {reps} "
        "{reps|répétition|répétitions} ; foncé : levier influent (intervalle au-dessus du seuil "
        "de bruit) ; gris : le levier fictif"),
    "sf_heat_sup_sobol": (
        "total Sobol index ST by stratum (• influential: interval above the stratum's noise "
        "floor)",
        "Indice de Sobol total ST par strate (• levier influent : intervalle au-dessus du seuil "
        "de bruit de la strate)"),
    "sf_heat_sup_morris": (
        "Morris mu* (mean |effect|) by stratum (• influential: interval above the stratum's "
        "noise floor)",
        "mu* de Morris (moyenne des effets en valeur absolue) par strate (• levier influent : "
        "intervalle au-dessus du seuil de bruit de la strate)"),
    "sf_noise_axis": ("replicate noise (% of the variance)",
                      "bruit des répétitions (% de la variance)"),
    "sf_noise_title": ("Noise left in a point mean of {reps} replicates",
                       "Bruit résiduel dans la moyenne d'un point sur {reps} "
                       "{reps|répétition|répétitions}"),
    "sf_tornado_title": ("Levers ranked by influence ({stratum})",
                         "Leviers classés par influence ({stratum})"),
    "sf_tornado_caption": (
        "Each bar is a lever's influence with its 95% bootstrap interval; the dashed line is the "
        "noise floor (the dummy lever's upper bound). Dark bars clear it: influential levers.",
        "Chaque barre donne l'influence d'un levier, avec son intervalle bootstrap à 95 % ; la "
        "ligne tiretée marque le seuil de bruit (la borne supérieure du levier fictif). Les "
        "barres foncées le dépassent : ce sont les leviers influents."),
    "sf_single_stratum": ("a single stratum with indices (use --stratify)",
                          "une seule strate a des indices (option --stratify)"),
    "sf_heat_title": ("Influence by stratum", "Influence par strate"),
    "sf_heat_caption": (
        "Each cell is a lever's influence in one stratum; a dot marks an influential lever. "
        "Compare the columns to see how the ranking changes with phase or context.",
        "Chaque case donne l'influence d'un levier dans une strate ; un point signale un levier "
        "influent. La comparaison des colonnes montre comment le classement change selon la "
        "phase ou le contexte."),
    "sf_noise_fig_title": ("Replicate noise", "Bruit des répétitions"),
    "sf_noise_caption": (
        "How much of the variance between design points is left-over randomness of the "
        "replicates.",
        "Part de la variance entre les points du plan qui relève du seul hasard des "
        "répétitions."),
}

for _key, (_en, _fr) in _PAIRS.items():
    assert _key not in MESSAGES["en"], _key
    MESSAGES["en"][_key] = _en
    MESSAGES["fr"][_key] = _fr
