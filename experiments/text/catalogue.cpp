#include "experiments/text/catalogue.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "models/levers.hpp"
#include "models/types.hpp"

namespace cdpsim {

namespace {

struct Entry {
  std::string_view en, fr;
};

// One row per Text key, in its order.
constexpr std::array<Entry, static_cast<std::size_t>(Text::count_)> kTexts = {{
    {"cdpsim compare: %zu scenarios x %lld replicates, common random numbers (master seed %llu), "
     "horizon %lld weeks",
     "cdpsim compare : %zu scénarios × %lld répétitions, mêmes nombres aléatoires dans chaque "
     "scénario (graine maîtresse %llu), horizon de %lld semaines"},
    {"baseline: %s; intervals are 95%% t intervals; diff, d_z (Cohen's d for paired data) and p "
     "(two-sided paired t-test) are against the baseline",
     "scénario de référence : %s ; intervalles de confiance de Student à 95 %% ; l'écart, d_z "
     "(d de Cohen pour données appariées) et p (test t apparié bilatéral) sont calculés par "
     "rapport à la référence"},
    {"scenario", "scénario"},
    {"mean", "moyenne"},
    {"95% CI", "IC à 95 %"},
    {"diff", "écart"},
    {"95% CI of diff", "IC à 95 % de l'écart"},
    {"(baseline)", "(référence)"},
    {"n/a", "s.o."},
    {"\nhypothesis \"%s\": %s\n  %s - %s = %s %s on %s; one-sided paired t-test p = %s "
     "(supported when p < %s and the difference has the stated sign)\n",
     "\nhypothèse « %s » : %s\n  %s − %s = %s %s pour %s ; test t apparié unilatéral : p = %s "
     "(l'hypothèse est appuyée si p < %s et si l'écart va dans le sens annoncé)\n"},
    {"SUPPORTED", "APPUYÉE"},
    {"NOT SUPPORTED", "NON APPUYÉE"},
    {"cdpsim %s: scenario '%s', seed %s, %s of %s weeks%s\n",
     "cdpsim %s : scénario « %s », graine %s, %s semaines sur %s%s\n"},
    {" (INTERRUPTED)", " (INTERROMPUE)"},
    {"  members        %s registered, %s active in the last week\n",
     "  membres        %s inscrits, %s actifs au cours de la dernière semaine\n"},
    {"  tiers          core %s, active %s, peripheral %s\n",
     "  participation  noyau %s, actifs %s, en périphérie %s\n"},
    {"  CdPs           %s alive of %s created:", "  CdP            %s en activité sur %s créées :"},
    {"  knowledge      %s repertoire units, %s boundary objects\n",
     "  savoir         %s unités de répertoire, %s objets-frontières\n"},
    {"  support        %s h given of %s h demanded in the last week\n",
     "  accompagnement %s h données sur %s h demandées au cours de la dernière semaine\n"},
    {"  time           %s s simulating, %s s writing\n",
     "  durée          %s s de simulation, %s s d'écriture\n"},
    {"  output         %s\n", "  fichier        %s\n"},
    {"n", "n"},
    {"n diff", "n écart"},
    {"  n: replicates with a value, of %lld (a run has none where the metric is undefined: a "
     "denominator of 0, or no weeks after the programme); means and intervals use only those, "
     "differences only the replicates where the baseline has a value too (n diff)",
     "  n : répétitions qui ont une valeur, sur %lld (une simulation n'en a pas là où la mesure "
     "n'est pas définie : dénominateur nul, ou aucune semaine après le programme) ; moyennes et "
     "intervalles n'utilisent que celles-ci, et les écarts seulement les répétitions où la "
     "référence a aussi une valeur (n écart)"},
    {"  on the %zu of %lld replicates where both have a value\n",
     "  sur les %zu répétitions, parmi %lld, où les deux scénarios ont une valeur\n"},
    // cdpsim facts
    {"id", "id"},
    {"measure", "mesure"},
    {"criterion", "critère"},
    {"measured [95% CI]", "valeur mesurée [IC à 95 %]"},
    {"result", "résultat"},
    {"pass", "vérifié"},
    {"FAIL", "ÉCHEC"},
    {"%s of %s facts pass\n", "%s fait stylisé vérifié sur %s\n"},
    {"%s of %s facts pass\n", "%s faits stylisés vérifiés sur %s\n"},
    // cdpsim sensitivity
    {"cdpsim sensitivity: %s of scenario '%s', %s + the dummy\n",
     "cdpsim sensitivity : %s du scénario « %s », %s + le levier fictif\n"},
    {"Sobol indices (ST total, S1 first order)", "indices de Sobol (ST total, S1 premier ordre)"},
    {"Morris screening (mu*, mu, sigma)", "criblage de Morris (mu*, mu, sigma)"},
    {"%s levers", "%s levier"},
    {"%s levers", "%s leviers"},
    {"%s intervention input", "%s paramètre d'intervention"},
    {"%s intervention inputs", "%s paramètres d'intervention"},
    {"  input      %s over [%s, %s]%s\n", "  paramètre   %s sur [%s ; %s]%s\n"},
    {", whole numbers", ", nombres entiers"},
    {"  design     Saltelli: N = %lld base samples x (%zu inputs + 2) = %lld points\n",
     "  plan        Saltelli : N = %lld échantillons de base × (%zu entrées + 2) = %lld points\n"},
    {"  design     Morris: r = %lld trajectories x (%zu inputs + 1) = %lld points, %d levels, "
     "Delta = %s, spread chosen from %zu candidates\n",
     "  plan        Morris : r = %lld trajectoires × (%zu entrées + 1) = %lld points, %d niveaux, "
     "Delta = %s, trajectoires les plus dispersées parmi %zu candidates\n"},
    {"  runs       %lld points x %lld replicates x %zu variant(s) = %lld runs of %lld weeks (%lld "
     "simulated now)\n",
     "  simulations %lld points × %lld répétitions × %zu variante(s) = %lld simulations de %lld "
     "semaines (dont %lld effectuées maintenant)\n"},
    {"  seeds      master %llu; common random numbers among points that share the dummy's "
     "value\n",
     "  graines     graine maîtresse %llu ; mêmes nombres aléatoires pour les points qui "
     "partagent la valeur du levier fictif\n"},
    {"  intervals  95%% bootstrap percentile (%d resamples of %s)\n",
     "  intervalles percentiles bootstrap à 95 %% (%d rééchantillonnages des %s)\n"},
    {"base samples", "échantillons de base"},
    {"trajectories", "trajectoires"},
    {"  cohorts    CdPs by their phase at week %lld (born_after: created later)\n",
     "  cohortes    CdP selon leur phase à la semaine %lld (born_after : créées plus tard)\n"},
    {"  *          influential: the lever's %s interval lies above the noise floor (the dummy's "
     "upper bound)\n",
     "  *           influent : l'intervalle de %s du levier se situe au-dessus du seuil de bruit "
     "(la borne supérieure du levier fictif)\n"},
    {"\n== %s (%s): %s\n", "\n== %s (%s) : %s\n"},
    {"\n%s, stratum %s\n", "\n%s, strate %s\n"},
    {"  mean %s, variance of the point means %s; replicate noise %s of it; %lld of %lld %s "
     "used\n",
     "  moyenne %s, variance des moyennes par point %s ; bruit des répétitions : %s de cette "
     "variance ; calcul sur %lld des %lld %s\n"},
    {"  (no indices: the metric is defined for this cohort in %lld %s, fewer than the %lld "
     "needed)\n",
     "  (aucun indice : l'indicateur n'est défini pour cette cohorte que dans %lld %s, moins que "
     "les %lld nécessaires)\n"},
    {"  (no indices: the metric does not vary across the design)\n",
     "  (aucun indice : l'indicateur ne varie pas d'un point du plan à l'autre)\n"},
    {"rank", "rang"},
    {"lever", "levier"},
    {"95% interval", "IC à 95 %"},
    {"        ---- noise floor %s (upper bound of the dummy's %s) ----\n",
     "        ---- seuil de bruit %s (borne supérieure du %s du levier fictif) ----\n"},
    {"sum", "somme"},
    {"\n%s: rank of each lever by %s per stratum (* influential)\n",
     "\n%s : rang de chaque levier selon %s, par strate (* influent)\n"},
    {"  no indices in %s\n", "  aucun indice pour : %s\n"},
    {"\nruns: %lld simulated now in %s s (%s runs/s, %d process%s); output: %s, %s\n",
     "\nsimulations : %lld effectuées maintenant en %s s (%s simulations/s, %d processus%s) ; "
     "sorties : %s, %s\n"},
    {"progress: saved %d time%s while running (%s s, %s of the time)\n",
     "progression : enregistrée %d fois%s en cours de calcul (%s s, %s du temps)\n"},
    {"\noutput: %s, %s, %s\n", "\nsorties : %s, %s, %s\n"},
    {"  checkpoints    %s written: %s s copying the state, %s s writing alongside the run\n",
     "  reprise        %s points écrits : %s s pour copier l'état, %s s d'écriture pendant la "
     "simulation\n"},
}};

// Plural: the summary counts CdPs by phase ("potentielles 20").
constexpr std::array<std::string_view, kPhases> kPhasesFr = {"potentielles",      "en regroupement",
                                                             "en maturation",     "en intendance",
                                                             "en transformation", "dissoutes"};

struct Unit {
  std::string_view en, fr;
};
constexpr Unit kUnits[] = {{"CdPs", "CdP"},
                           {"members", "membres"},
                           {"repertoire units", "unités de répertoire"},
                           {"objects", "objets"},
                           {"posts", "publications"},
                           {"participations", "participations"},
                           {"h/CdP", "h/CdP"},
                           {"money", "unités monétaires"},
                           {"money/CdP", "unités monétaires par CdP"},
                           {"money/CdP-year", "unités monétaires par année d'activité de CdP"},
                           {"money/member-year", "unités monétaires par membre actif et par an"},
                           {"h", "h"},
                           {"1", "1"}};

std::string_view pick(std::string_view en, std::string_view fr, Lang l) {
  return l == Lang::fr && !fr.empty() ? fr : en;
}

}  // namespace

Lang parse_lang(std::string_view code) {
  if (code == "fr") return Lang::fr;
  if (code == "en") return Lang::en;
  throw std::invalid_argument("--lang " + std::string(code) +
                              ": unknown language (allowed: fr, en)");
}

std::string_view lang_code(Lang l) { return l == Lang::fr ? "fr" : "en"; }

Lang default_lang() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::string_view(v).substr(0, 2) == "fr" ? Lang::fr : Lang::en;
  }
  return Lang::en;
}

std::string_view text(Lang lang, Text key) {
  const Entry& e = kTexts.at(static_cast<std::size_t>(key));
  return lang == Lang::fr ? e.fr : e.en;
}

std::string_view metric_label(const Metric& m, Lang l) { return pick(m.label, m.label_fr, l); }
std::string_view metric_meaning(const Metric& m, Lang l) {
  return pick(m.meaning, m.meaning_fr, l);
}
std::string_view metric_more(const Metric& m, Lang l) { return pick(m.more, m.more_fr, l); }
std::string_view metric_fewer(const Metric& m, Lang l) { return pick(m.fewer, m.fewer_fr, l); }

std::string unit_word(std::string_view unit, Lang l) {
  if (l == Lang::en) return std::string(unit);
  for (const Unit& u : kUnits)
    if (u.en == unit) return std::string(u.fr);
  return std::string(unit);
}

std::string_view phase_name(int phase, Lang l) {
  const auto k = static_cast<std::size_t>(phase);
  return l == Lang::fr ? kPhasesFr.at(k) : kPhaseNames.at(k);
}

std::string localize_number(std::string_view ascii, Lang l) {
  if (l == Lang::en) return std::string(ascii);
  std::string out;
  std::size_t i = 0;
  if (i < ascii.size() && (ascii[i] == '-' || ascii[i] == '+')) out += ascii[i++];
  std::size_t j = i;
  while (j < ascii.size() && ascii[j] >= '0' && ascii[j] <= '9') ++j;
  const std::string_view digits = ascii.substr(i, j - i);
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k && (digits.size() - k) % 3 == 0) out += "\u202f";
    out += digits[k];
  }
  for (; j < ascii.size(); ++j) out += ascii[j] == '.' ? ',' : ascii[j];
  return out;
}

std::string format_number(double v, int decimals, Lang l, bool sign) {
  if (std::isnan(v)) return std::string(text(l, Text::not_available));
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v);
  std::string s = buf;
  if (l == Lang::en) {  // thousands separators in English too
    const std::size_t b = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    std::size_t e = s.find('.');
    if (e == std::string::npos) e = s.size();
    for (std::size_t k = e; k > b + 3; k -= 3) s.insert(k - 3, ",");
    return s;
  }
  return localize_number(s, l);
}

bool singular(double n, Lang l) { return l == Lang::fr ? std::fabs(n) < 2 : n == 1; }

std::string pad(std::string_view s, int width, bool left) {
  int cols = 0;
  for (const unsigned char c : s) cols += (c & 0xC0) != 0x80;
  const std::string fill(static_cast<std::size_t>(std::max(0, width - cols)), ' ');
  return left ? std::string(s) + fill : fill + std::string(s);
}

namespace {

// kLeverInfo's `moves`, in French, in kLeverInfo's order.
constexpr std::array<std::string_view, kLevers> kLeverMovesFr = {
    "culture de collaboration moyenne des organisations (le temps qu'elles accordent au travail "
    "en CdP)",
    "part du temps des membres que leur organisation accorde (0 : aucun temps)",
    "heures par semaine de l'équipe d'accompagnement (0 : aucun accompagnement)",
    "valeur que les organisations accordent au travail en CdP ; chance qu'un premier message "
    "reçoive une réponse",
    "confiance entre organisations, qui compense la concurrence dans le partage des savoirs",
    "clarté moyenne du thème des CdP (valeur perçue, maturation)",
    "vitesse à laquelle la pertinence du thème s'use ; chance qu'une CdP en déclin se renouvelle "
    "au lieu de se dissoudre",
    "autonomie moyenne des CdP (maturation, survie sans accompagnement)",
    "pénalité sur le bénéfice quand une CdP est loin de sa taille idéale",
    "heures d'animation par semaine (2 à 8 h)",
    "chance qu'un membre du noyau prenne le relais d'un animateur épuisé ; part du noyau dans "
    "l'animation",
    "engagement gagné à chaque participation",
    "vitesse à laquelle l'engagement s'érode",
    "confiance initiale des membres et vitesse à laquelle les échanges la font grandir",
    "bénéfice de base de la participation",
    "qualité de la plateforme pour la participation en ligne",
    "fréquence des publications croisées et création d'objets-frontières entre CdP liées",
};

}  // namespace

std::string_view lever_moves(int lever, Lang lang) {
  if (lever < 0 || lever >= kLevers) return {};
  const auto i = static_cast<std::size_t>(lever);
  return lang == Lang::fr ? kLeverMovesFr[i] : kLeverInfo[i].moves;
}

}  // namespace cdpsim
