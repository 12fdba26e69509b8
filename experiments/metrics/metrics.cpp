#include "experiments/metrics/metrics.hpp"

#include <limits>
#include <stdexcept>

namespace cdpsim {

namespace {

using D = Direction;
using W = Measured;

const WeekRecord& last(const RunSummary& r) { return r.weeks.back(); }

template <class F>
double sum(const RunSummary& r, F f) {
  double s = 0;
  for (const WeekRecord& w : r.weeks) s += f(w);
  return s;
}

bool alive(const CdpFinal& c) { return c.phase != static_cast<std::uint8_t>(Phase::dissolved); }

bool any_cdp(const CdpFinal&, std::int32_t) { return true; }

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kWeeksPerYear = 52.0;

// The funders' rows (metrics.hpp, programme_end): money spent over the run, and what it bought.
double spending(const RunSummary& r) { return last(r).spent_money_total; }

// Money per unit of a denominator: NaN when the denominator is 0 (0 / x = 0, 0 / 0 = NaN).
double per(double money, double denominator) {
  return denominator > 0 ? money / denominator : kNaN;
}

// Years of CdP life (sum over weeks of cdps_alive / 52) and of active members (members_active)
// over the weeks after `after` (-1: every week).
double cdp_years(const RunSummary& r, std::int32_t after) {
  return sum(r,
             [after](const WeekRecord& w) {
               return w.week > after ? static_cast<double>(w.cdps_alive) : 0.0;
             }) /
         kWeeksPerYear;
}
double member_years(const RunSummary& r, std::int32_t after) {
  return sum(r,
             [after](const WeekRecord& w) {
               return w.week > after ? static_cast<double>(w.members_active) : 0.0;
             }) /
         kWeeksPerYear;
}

double autonomous_count(const RunSummary& r) {
  double n = 0;
  for (const CdpFinal& c : r.cdps) n += autonomous(c, last(r).week) ? 1 : 0;
  return n;
}

// CdPs autonomous after the programme: supported at some point, not dissolved and with active
// members at the horizon, when the horizon is at least kAutonomyWeeks after the programme's end
// (NaN otherwise).
double autonomous_after_count(const RunSummary& r) {
  if (last(r).week - programme_end(r) < kAutonomyWeeks) return kNaN;
  double n = 0;
  for (const CdpFinal& c : r.cdps)
    n += c.last_support_week >= 0 && alive(c) && c.active > 0 ? 1 : 0;
  return n;
}

// Per-CdP metrics first (sensitivity lists them first); the others in the order of the
// ensemble's metric axis, which files keep: append new rows at the end.
const Metric kMetrics[] = {
    {.name = "cdp_survival",
     .unit = "1",
     .label = "CdP survival",
     .label_fr = "survie des CdP",
     .meaning = "share of the cohort's CdPs not dissolved at the horizon (cohort: every CdP "
                "created, or, with --stratify phase, those in one phase at the measurement week)",
     .meaning_fr = "part des CdP de la cohorte qui ne sont pas dissoutes à l'horizon (cohorte : "
                   "toutes les CdP créées ou, avec --stratify phase, celles qui se trouvent dans "
                   "une phase donnée à la semaine de mesure)",
     .direction = D::higher_is_better,
     .more = "raises CdP survival by {x}",
     .fewer = "lowers CdP survival by {x}",
     .more_fr = "augmente la survie des CdP de {x}",
     .fewer_fr = "réduit la survie des CdP de {x}",
     .display_scale = 100,
     .display_unit = " percentage points",
     .display_unit_fr = " points de pourcentage",
     .in_cohort = any_cdp,
     .of_cdp = [](const CdpFinal& c, std::int32_t) { return alive(c) ? 1.0 : 0.0; }},
    {.name = "cdp_autonomy",
     .unit = "1",
     .label = "CdP autonomy",
     .label_fr = "autonomie des CdP",
     .meaning = "share of the cohort's CdPs ever supported that are autonomous at the horizon "
                "(support ended at least 26 weeks before the last week, not dissolved, active "
                "members)",
     .meaning_fr = "part des CdP de la cohorte ayant bénéficié d'un accompagnement qui sont "
                   "autonomes à l'horizon (accompagnement terminé depuis au moins 26 semaines, "
                   "CdP non dissoute, membres actifs)",
     .direction = D::higher_is_better,
     .more = "raises the share of supported CdPs that became autonomous by {x}",
     .fewer = "lowers the share of supported CdPs that became autonomous by {x}",
     .more_fr = "augmente de {x} la part des CdP accompagnées devenues autonomes",
     .fewer_fr = "réduit de {x} la part des CdP accompagnées devenues autonomes",
     .display_scale = 100,
     .display_unit = " percentage points",
     .display_unit_fr = " points de pourcentage",
     .in_cohort = [](const CdpFinal& c, std::int32_t) { return c.last_support_week >= 0; },
     .of_cdp = [](const CdpFinal& c, std::int32_t w) { return autonomous(c, w) ? 1.0 : 0.0; }},
    {.name = "cdp_repertoire",
     .unit = "repertoire units",
     .label = "CdP repertoire",
     .label_fr = "répertoire des CdP",
     .meaning = "mean repertoire of the cohort's CdPs alive at the horizon",
     .meaning_fr = "répertoire moyen des CdP de la cohorte toujours en activité à l'horizon",
     .direction = D::higher_is_better,
     .more = "raises the mean repertoire of surviving CdPs by {x}",
     .fewer = "lowers the mean repertoire of surviving CdPs by {x}",
     .more_fr = "enrichit de {x} le répertoire moyen des CdP toujours en activité",
     .fewer_fr = "appauvrit de {x} le répertoire moyen des CdP toujours en activité",
     .in_cohort = [](const CdpFinal& c, std::int32_t) { return alive(c); },
     .of_cdp = [](const CdpFinal& c, std::int32_t) { return c.repertoire; }},
    {.name = "cdp_matured",
     .unit = "1",
     .label = "CdPs matured",
     .label_fr = "CdP arrivées à maturité",
     .meaning = "share of the cohort's CdPs that reached the maturing phase (or beyond) by the "
                "horizon",
     .meaning_fr = "part des CdP de la cohorte qui ont atteint la phase de maturité (ou une phase "
                   "ultérieure) à l'horizon",
     .direction = D::higher_is_better,
     .when = W::over_run,
     .more = "raises the share of CdPs that matured by {x}",
     .fewer = "lowers the share of CdPs that matured by {x}",
     .more_fr = "augmente de {x} la part des CdP arrivées à maturité",
     .fewer_fr = "réduit de {x} la part des CdP arrivées à maturité",
     .display_scale = 100,
     .display_unit = " percentage points",
     .display_unit_fr = " points de pourcentage",
     .in_cohort = any_cdp,
     .of_cdp = [](const CdpFinal& c, std::int32_t) { return c.maturing_week >= 0 ? 1.0 : 0.0; }},
    {.name = "cdps_alive",
     .unit = "CdPs",
     .label = "CdPs alive",
     .label_fr = "CdP en activité",
     .meaning = "CdPs not dissolved at the last week",
     .meaning_fr = "CdP qui ne sont pas dissoutes à la dernière semaine",
     .direction = D::higher_is_better,
     .compare_default = true,
     .more = "keeps {x} more CdPs alive",
     .fewer = "keeps {x} fewer CdPs alive",
     .more_fr = "maintient {x} CdP de plus en activité",
     .fewer_fr = "maintient {x} CdP de moins en activité",
     .of_run = [](const RunSummary& r) { return static_cast<double>(last(r).cdps_alive); }},
    {.name = "cdps_autonomous",
     .unit = "CdPs",
     .label = "autonomous CdPs",
     .label_fr = "CdP autonomes",
     .meaning = "CdPs supported at some point, whose support ended at least 26 weeks before the "
                "last week, and that still have active members",
     .meaning_fr = "CdP ayant bénéficié d'un accompagnement, terminé au moins 26 semaines avant "
                   "la dernière semaine, qui comptent toujours des membres actifs",
     .direction = D::higher_is_better,
     .compare_default = true,
     .more = "has {x} more autonomous CdPs (still active 26 weeks after their support ended)",
     .fewer = "has {x} fewer autonomous CdPs (still active 26 weeks after their support ended)",
     .more_fr = "compte {x} CdP autonomes de plus (toujours actives 26 semaines après la fin de "
                "leur accompagnement)",
     .fewer_fr = "compte {x} CdP autonomes de moins (toujours actives 26 semaines après la fin de "
                 "leur accompagnement)",
     .of_run = autonomous_count},
    {.name = "members_active",
     .unit = "members",
     .label = "active members",
     .label_fr = "membres actifs",
     .meaning = "members active in the last week",
     .meaning_fr = "membres actifs au cours de la dernière semaine",
     .direction = D::higher_is_better,
     .compare_default = true,
     .more = "has {x} more active members",
     .fewer = "has {x} fewer active members",
     .more_fr = "compte {x} membres actifs de plus",
     .fewer_fr = "compte {x} membres actifs de moins",
     .of_run = [](const RunSummary& r) { return static_cast<double>(last(r).members_active); }},
    {.name = "knowledge_stock",
     .unit = "repertoire units",
     .label = "knowledge stock",
     .label_fr = "savoir partagé",
     .meaning = "sum of the repertoires of alive CdPs",
     .meaning_fr = "somme des répertoires des CdP en activité",
     .direction = D::higher_is_better,
     .compare_default = true,
     .more = "builds {x} more units of shared knowledge (repertoire)",
     .fewer = "builds {x} fewer units of shared knowledge (repertoire)",
     .more_fr = "produit {x} unités de savoir partagé (répertoire) de plus",
     .fewer_fr = "produit {x} unités de savoir partagé (répertoire) de moins",
     .of_run = [](const RunSummary& r) { return last(r).knowledge_stock; }},
    {.name = "boundary_objects",
     .unit = "objects",
     .label = "boundary objects",
     .label_fr = "objets-frontières",
     .meaning = "boundary objects created over the run",
     .meaning_fr = "objets-frontières créés au cours de la simulation",
     .direction = D::higher_is_better,
     .when = W::over_run,
     .compare_default = true,
     .more = "creates {x} more boundary objects between CdPs",
     .fewer = "creates {x} fewer boundary objects between CdPs",
     .more_fr = "crée {x} objets-frontières de plus entre les CdP",
     .fewer_fr = "crée {x} objets-frontières de moins entre les CdP",
     .of_run = [](const RunSummary& r) { return static_cast<double>(last(r).boundary_objects); }},
    {.name = "support_hours_per_surviving_cdp",
     .unit = "h/CdP",
     .label = "support hours per surviving CdP",
     .label_fr = "heures d'accompagnement par CdP en activité",
     .meaning = "support hours given over the run per CdP alive at the last week (what an hour "
                "buys)",
     .meaning_fr = "heures d'accompagnement données au cours de la simulation, par CdP encore en "
                   "activité à la dernière semaine (ce qu'une heure permet d'obtenir)",
     .when = W::over_run,
     .compare_default = true,
     .more = "spends {x} more support hours per surviving CdP",
     .fewer = "spends {x} fewer support hours per surviving CdP",
     .more_fr = "consacre {x} heures d'accompagnement de plus par CdP en activité",
     .fewer_fr = "consacre {x} heures d'accompagnement de moins par CdP en activité",
     .of_run =
         [](const RunSummary& r) {
           const double given = sum(r, [](const WeekRecord& w) { return w.support_hours_given; });
           const auto n = last(r).cdps_alive;
           return n > 0 ? given / static_cast<double>(n) : 0.0;
         }},
    {.name = "members_total",
     .unit = "members",
     .label = "registered members",
     .label_fr = "membres inscrits",
     .meaning = "registered members at the last week",
     .meaning_fr = "membres inscrits à la dernière semaine",
     .direction = D::higher_is_better,
     .more = "has {x} more registered members",
     .fewer = "has {x} fewer registered members",
     .more_fr = "compte {x} membres inscrits de plus",
     .fewer_fr = "compte {x} membres inscrits de moins",
     .of_run = [](const RunSummary& r) { return static_cast<double>(last(r).members_total); }},
    {.name = "contributions_total",
     .unit = "posts",
     .label = "contributions",
     .label_fr = "contributions",
     .meaning = "contributions over the run",
     .meaning_fr = "contributions au cours de la simulation",
     .direction = D::higher_is_better,
     .when = W::over_run,
     .more = "gets {x} more contributions (posts)",
     .fewer = "gets {x} fewer contributions (posts)",
     .more_fr = "reçoit {x} contributions (publications) de plus",
     .fewer_fr = "reçoit {x} contributions (publications) de moins",
     .of_run =
         [](const RunSummary& r) {
           return sum(r, [](const WeekRecord& w) { return static_cast<double>(w.contributions); });
         }},
    {.name = "support_hours_given",
     .unit = "h",
     .label = "support hours given",
     .label_fr = "heures d'accompagnement données",
     .meaning = "support hours given over the run",
     .meaning_fr = "heures d'accompagnement données au cours de la simulation",
     .when = W::over_run,
     .more = "gives {x} more support hours",
     .fewer = "gives {x} fewer support hours",
     .more_fr = "donne {x} heures d'accompagnement de plus",
     .fewer_fr = "donne {x} heures d'accompagnement de moins",
     .of_run =
         [](const RunSummary& r) {
           return sum(r, [](const WeekRecord& w) { return w.support_hours_given; });
         }},
    {.name = "engagement_mean",
     .unit = "1",
     .label = "mean engagement",
     .label_fr = "engagement moyen",
     .meaning = "mean engagement over memberships at the last week",
     .meaning_fr = "engagement moyen des membres dans leurs CdP à la dernière semaine",
     .direction = D::higher_is_better,
     .more = "raises mean engagement by {x}",
     .fewer = "lowers mean engagement by {x}",
     .more_fr = "augmente l'engagement moyen de {x}",
     .fewer_fr = "réduit l'engagement moyen de {x}",
     .of_run = [](const RunSummary& r) { return last(r).engagement_mean; }},
    {.name = "sharing_rate",
     .unit = "1",
     .label = "sharing rate",
     .label_fr = "taux de partage",
     .meaning = "share of contributions shared, over the run",
     .meaning_fr = "part des contributions partagées, au cours de la simulation",
     .direction = D::higher_is_better,
     .when = W::over_run,
     .more = "raises the share of contributions shared across organisations by {x}",
     .fewer = "lowers the share of contributions shared across organisations by {x}",
     .more_fr = "augmente de {x} la part des contributions partagées entre organisations",
     .fewer_fr = "réduit de {x} la part des contributions partagées entre organisations",
     .display_scale = 100,
     .display_unit = " percentage points",
     .display_unit_fr = " points de pourcentage",
     .of_run =
         [](const RunSummary& r) {
           const double c =
               sum(r, [](const WeekRecord& w) { return static_cast<double>(w.contributions); });
           const double s =
               sum(r, [](const WeekRecord& w) { return w.sharing_rate * w.contributions; });
           return c > 0 ? s / c : 0.0;
         }},
    {.name = "interactions_inperson",
     .unit = "participations",
     .label = "in-person participations",
     .label_fr = "participations en présentiel",
     .meaning = "in-person participations over the run",
     .meaning_fr = "participations en présentiel au cours de la simulation",
     .when = W::over_run,
     .more = "gets {x} more in-person participations",
     .fewer = "gets {x} fewer in-person participations",
     .more_fr = "compte {x} participations en présentiel de plus",
     .fewer_fr = "compte {x} participations en présentiel de moins",
     .of_run =
         [](const RunSummary& r) {
           return sum(
               r, [](const WeekRecord& w) { return static_cast<double>(w.interactions_inperson); });
         }},
    {.name = "interactions_online",
     .unit = "participations",
     .label = "online participations",
     .label_fr = "participations en ligne",
     .meaning = "online participations over the run",
     .meaning_fr = "participations en ligne au cours de la simulation",
     .when = W::over_run,
     .more = "gets {x} more online participations",
     .fewer = "gets {x} fewer online participations",
     .more_fr = "compte {x} participations en ligne de plus",
     .fewer_fr = "compte {x} participations en ligne de moins",
     .of_run =
         [](const RunSummary& r) {
           return sum(
               r, [](const WeekRecord& w) { return static_cast<double>(w.interactions_online); });
         }},
    {.name = "cdps_created",
     .unit = "CdPs",
     .label = "CdPs created",
     .label_fr = "CdP créées",
     .meaning = "CdPs created over the run, initial ones included",
     .meaning_fr = "CdP créées au cours de la simulation, y compris les CdP initiales",
     .when = W::over_run,
     .more = "creates {x} more CdPs",
     .fewer = "creates {x} fewer CdPs",
     .more_fr = "crée {x} CdP de plus",
     .fewer_fr = "crée {x} CdP de moins",
     .of_run = [](const RunSummary& r) { return static_cast<double>(r.cdps.size()); }},
    {.name = "spending",
     .unit = "money",
     .label = "money spent",
     .label_fr = "dépenses",
     .meaning = "money the programmes spent over the run, in the scenario's currency: support "
                "hours paid times cost_per_hour, plus cost_per_week for each week an intervention "
                "is in force (spending_money at the last week)",
     .meaning_fr = "argent dépensé par les programmes au cours de la simulation, dans la monnaie "
                   "du scénario : heures d'accompagnement payées multipliées par cost_per_hour, "
                   "plus cost_per_week pour chaque semaine où une intervention est en vigueur "
                   "(spending_money à la dernière semaine)",
     .when = W::over_run,
     .compare_funder = true,
     .more = "spends {x} more",
     .fewer = "spends {x} less",
     .more_fr = "dépense {x} de plus",
     .fewer_fr = "dépense {x} de moins",
     .of_run = spending},
    {.name = "spending_hours",
     .unit = "h",
     .label = "support hours paid",
     .label_fr = "heures d'accompagnement payées",
     .meaning = "support hours the programmes paid for over the run: every hour given while an "
                "intervention with cost_per_hour or budget_hours is in force (spending_hours at "
                "the last week)",
     .meaning_fr = "heures d'accompagnement payées par les programmes au cours de la simulation : "
                   "toute heure donnée pendant qu'une intervention dotée d'un cost_per_hour ou "
                   "d'un budget_hours est en vigueur (spending_hours à la dernière semaine)",
     .when = W::over_run,
     .more = "pays for {x} more support hours",
     .fewer = "pays for {x} fewer support hours",
     .more_fr = "paie {x} heures d'accompagnement de plus",
     .fewer_fr = "paie {x} heures d'accompagnement de moins",
     .of_run = [](const RunSummary& r) { return last(r).spent_hours_total; }},
    {.name = "cost_per_autonomous_cdp",
     .unit = "money/CdP",
     .label = "cost per autonomous CdP",
     .label_fr = "coût par CdP autonome",
     .meaning = "money spent over the run (spending) per autonomous CdP at the horizon "
                "(cdps_autonomous: support ended at least 26 weeks before, not dissolved, active "
                "members); 0 without spending, undefined (NaN) when no CdP is autonomous",
     .meaning_fr = "argent dépensé au cours de la simulation (spending) par CdP autonome à "
                   "l'horizon (cdps_autonomous : accompagnement terminé depuis au moins 26 "
                   "semaines, CdP non dissoute, membres actifs) ; nul sans dépense, non défini "
                   "(NaN) quand aucune CdP n'est autonome",
     .direction = D::lower_is_better,
     .when = W::over_run,
     .compare_funder = true,
     .more = "costs {x} more per autonomous CdP",
     .fewer = "costs {x} less per autonomous CdP",
     .more_fr = "coûte {x} de plus par CdP autonome",
     .fewer_fr = "coûte {x} de moins par CdP autonome",
     .of_run = [](const RunSummary& r) { return per(spending(r), autonomous_count(r)); }},
    {.name = "cost_per_cdp_year",
     .unit = "money/CdP-year",
     .label = "cost per CdP-year",
     .label_fr = "coût par année d'activité de CdP",
     .meaning = "money spent over the run (spending) per CdP-year lived: the sum over weeks of "
                "the CdPs alive, divided by 52; 0 without spending, NaN when no CdP was ever "
                "alive",
     .meaning_fr = "argent dépensé au cours de la simulation (spending) par année d'activité de "
                   "CdP : somme, sur les semaines, des CdP en activité, divisée par 52 ; nul sans "
                   "dépense, non défini (NaN) si aucune CdP n'a jamais été en activité",
     .direction = D::lower_is_better,
     .when = W::over_run,
     .compare_funder = true,
     .more = "costs {x} more per year of CdP life",
     .fewer = "costs {x} less per year of CdP life",
     .more_fr = "coûte {x} de plus par année d'activité de CdP",
     .fewer_fr = "coûte {x} de moins par année d'activité de CdP",
     .of_run = [](const RunSummary& r) { return per(spending(r), cdp_years(r, -1)); }},
    {.name = "cost_per_active_member_year",
     .unit = "money/member-year",
     .label = "cost per active member-year",
     .label_fr = "coût par membre actif et par an",
     .meaning = "money spent over the run (spending) per active member-year: the sum over weeks "
                "of the members active, divided by 52; 0 without spending, NaN when no member "
                "was ever active",
     .meaning_fr = "argent dépensé au cours de la simulation (spending) par année de "
                   "participation active : somme, sur les semaines, des membres actifs, divisée "
                   "par 52 ; nul sans dépense, non défini (NaN) si aucun membre n'a jamais été "
                   "actif",
     .direction = D::lower_is_better,
     .when = W::over_run,
     .compare_funder = true,
     .more = "costs {x} more per active member and year",
     .fewer = "costs {x} less per active member and year",
     .more_fr = "coûte {x} de plus par membre actif et par an",
     .fewer_fr = "coûte {x} de moins par membre actif et par an",
     .of_run = [](const RunSummary& r) { return per(spending(r), member_years(r, -1)); }},
    {.name = "cost_per_autonomous_cdp_after",
     .unit = "money/CdP",
     .label = "cost per CdP autonomous after the programme",
     .label_fr = "coût par CdP autonome après le programme",
     .meaning = "money spent over the run (spending) per CdP still standing after the programme: "
                "supported at some point, not dissolved and with active members at the horizon, "
                "counted only when the horizon is at least 26 weeks after the programme's end E "
                "(the last week with money spent or support hours paid; week -1 without "
                "spending); NaN when the horizon is closer to E or no CdP counts",
     .meaning_fr = "argent dépensé au cours de la simulation (spending) par CdP toujours debout "
                   "après le programme : CdP accompagnée à un moment donné, non dissoute et "
                   "comptant des membres actifs à l'horizon, comptée seulement si l'horizon "
                   "tombe au moins 26 semaines après la fin E du programme (dernière semaine où "
                   "de l'argent a été dépensé ou des heures d'accompagnement payées ; semaine -1 "
                   "sans dépense) ; non défini (NaN) si l'horizon est plus proche de E ou si "
                   "aucune CdP ne compte",
     .direction = D::lower_is_better,
     .when = W::over_run,
     .compare_funder = true,
     .more = "costs {x} more per CdP still autonomous after the programme",
     .fewer = "costs {x} less per CdP still autonomous after the programme",
     .more_fr = "coûte {x} de plus par CdP restée autonome après le programme",
     .fewer_fr = "coûte {x} de moins par CdP restée autonome après le programme",
     .of_run = [](const RunSummary& r) { return per(spending(r), autonomous_after_count(r)); }},
    {.name = "cost_per_cdp_year_after",
     .unit = "money/CdP-year",
     .label = "cost per CdP-year after the programme",
     .label_fr = "coût par année d'activité de CdP après le programme",
     .meaning = "money spent over the run (spending) per CdP-year lived after the programme's "
                "end E (the last week with money spent or support hours paid): the sum over the "
                "weeks after E of the CdPs alive, divided by 52; NaN when no week follows E or no "
                "CdP is alive then",
     .meaning_fr = "argent dépensé au cours de la simulation (spending) par année d'activité de "
                   "CdP après la fin E du programme (dernière semaine où de l'argent a été "
                   "dépensé ou des heures d'accompagnement payées) : somme, sur les semaines "
                   "postérieures à E, des CdP en activité, divisée par 52 ; non défini (NaN) si "
                   "aucune semaine ne suit E ou si aucune CdP n'est alors en activité",
     .direction = D::lower_is_better,
     .when = W::over_run,
     .compare_funder = true,
     .more = "costs {x} more per year of CdP life after the programme",
     .fewer = "costs {x} less per year of CdP life after the programme",
     .more_fr = "coûte {x} de plus par année d'activité de CdP après le programme",
     .fewer_fr = "coûte {x} de moins par année d'activité de CdP après le programme",
     .of_run =
         [](const RunSummary& r) { return per(spending(r), cdp_years(r, programme_end(r))); }},
    {.name = "cost_per_active_member_year_after",
     .unit = "money/member-year",
     .label = "cost per active member-year after the programme",
     .label_fr = "coût par membre actif et par an après le programme",
     .meaning = "money spent over the run (spending) per active member-year after the "
                "programme's end E (the last week with money spent or support hours paid): the "
                "sum over the weeks after E of the members active, divided by 52; NaN when no "
                "week follows E or no member is active then",
     .meaning_fr = "argent dépensé au cours de la simulation (spending) par année de "
                   "participation active après la fin E du programme (dernière semaine où de "
                   "l'argent a été dépensé ou des heures d'accompagnement payées) : somme, sur "
                   "les semaines postérieures à E, des membres actifs, divisée par 52 ; non "
                   "défini (NaN) si aucune semaine ne suit E ou si aucun membre n'est alors actif",
     .direction = D::lower_is_better,
     .when = W::over_run,
     .compare_funder = true,
     .more = "costs {x} more per active member and year after the programme",
     .fewer = "costs {x} less per active member and year after the programme",
     .more_fr = "coûte {x} de plus par membre actif et par an après le programme",
     .fewer_fr = "coûte {x} de moins par membre actif et par an après le programme",
     .of_run =
         [](const RunSummary& r) { return per(spending(r), member_years(r, programme_end(r))); }},
};

std::string allowed_names() {
  std::string s;
  for (const Metric& m : kMetrics) s += (s.empty() ? "" : ", ") + std::string(m.name);
  return s;
}

}  // namespace

bool autonomous(const CdpFinal& c, std::int32_t last_week) {
  return c.last_support_week >= 0 && c.last_support_week <= last_week - kAutonomyWeeks &&
         alive(c) && c.active > 0;
}

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::higher_is_better:
      return "higher_is_better";
    case Direction::lower_is_better:
      return "lower_is_better";
    case Direction::neutral:
      break;
  }
  return "neutral";
}

std::string_view measured_name(Measured m) {
  return m == Measured::last_week ? "at_last_week" : "over_run";
}

std::span<const Metric> metrics() { return kMetrics; }

std::vector<const Metric*> ecosystem_metrics() {
  std::vector<const Metric*> v;
  for (const Metric& m : kMetrics)
    if (!m.per_cdp()) v.push_back(&m);
  return v;
}

std::vector<std::string> compare_default_metrics() {
  std::vector<std::string> v;
  for (const Metric& m : kMetrics)
    if (m.compare_default) v.emplace_back(m.name);
  return v;
}

std::vector<std::string> compare_funder_metrics() {
  std::vector<std::string> v;
  for (const Metric& m : kMetrics)
    if (m.compare_funder) v.emplace_back(m.name);
  return v;
}

std::int32_t programme_end(const RunSummary& r) {
  std::int32_t end = -1;
  for (const WeekRecord& w : r.weeks)
    if (w.spent_money > 0 || w.spent_hours > 0) end = w.week;
  return end;
}

const Metric* find_metric(std::string_view name) {
  for (const Metric& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

const Metric& metric(std::string_view name) {
  if (const Metric* m = find_metric(name)) return *m;
  throw std::invalid_argument("unknown metric '" + std::string(name) +
                              "' (allowed: " + allowed_names() + ")");
}

double cohort_value(const Metric& m, const RunSummary& r, const std::vector<bool>& cohort) {
  const std::int32_t week = last(r).week;
  double n = 0, total = 0;
  for (std::size_t c = 0; c < r.cdps.size(); ++c) {
    if (!cohort[c] || !m.in_cohort(r.cdps[c], week)) continue;
    n += 1;
    total += m.of_cdp(r.cdps[c], week);
  }
  return n > 0 ? total / n : std::numeric_limits<double>::quiet_NaN();
}

double metric_value(const RunSummary& r, std::string_view name) {
  if (r.weeks.empty()) throw std::invalid_argument("metric of a run without weeks");
  const Metric& m = metric(name);
  if (m.of_run) return m.of_run(r);
  return cohort_value(m, r, std::vector<bool>(r.cdps.size(), true));
}

}  // namespace cdpsim
