#include "experiments/facts/facts.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

#include "experiments/facts/measures.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/scenario_io.hpp"
#include "experiments/text/catalogue.hpp"
#include "models/scenario.hpp"
#include "sim/io/text.hpp"
#include "sim/splitmix.hpp"
#include "sim/stats.hpp"

namespace cdpsim {

bool FactResult::pass() const {
  return std::all_of(parts.begin(), parts.end(), [](const FactPart& p) { return p.pass; });
}

Verdict FactResult::verdict() const {
  Verdict v = Verdict::pass;
  for (const FactPart& p : parts) {
    if (p.verdict() == Verdict::fail) return Verdict::fail;
    if (p.verdict() == Verdict::inconclusive) v = Verdict::inconclusive;
  }
  return v;
}

bool any_fails(const std::vector<FactResult>& facts) {
  return std::any_of(facts.begin(), facts.end(),
                     [](const FactResult& f) { return f.verdict() == Verdict::fail; });
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "pass";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::fail:
      break;
  }
  return "fail";
}

namespace {

using namespace factkit;

// F1-F11's variants, then F12-F16's (seed_facts.cpp).
const std::vector<Variant>& variants() {
  static const std::vector<Variant> v = [] {
    std::vector<Variant> all = {
        {"base", "passerelles.toml", {}},
        {"no_covid", "passerelles-no-covid.toml", {}},
        {"anim_lo", "passerelles.toml", {"levers.animation=0.2"}},
        {"anim_hi", "passerelles.toml", {"levers.animation=0.8"}},
        {"belong_lo", "passerelles.toml", {"levers.belonging=0.2"}},
        {"belong_hi", "passerelles.toml", {"levers.belonging=0.8"}},
        {"recog_lo", "passerelles.toml", {"levers.recognition=0.2"}},
        {"recog_hi", "passerelles.toml", {"levers.recognition=0.8"}},
        {"comp_hi", "competition-high.toml", {}},
        {"comp_lo", "competition-low.toml", {}},
        {"comp_hi_trust_lo", "competition-high.toml", {"levers.ecosystem_trust=0.2"}},
        {"comp_hi_trust_hi", "competition-high.toml", {"levers.ecosystem_trust=0.8"}},
        {"support_none", "support-none.toml", {}},
        {"support_expert", "support-expert.toml", {}},
        {"support_cb", "support-capacity-building.toml", {}},
    };
    const auto& seed = seed_variants();
    all.insert(all.end(), seed.begin(), seed.end());
    return all;
  }();
  return v;
}

// F1-F11: each fact's measures and criteria (docs/validation.md).
std::vector<FactResult> evaluate_facts(Measures& m, const Scenario& base_scenario, int R) {
  const double inf = INFINITY;
  std::vector<FactResult> out;

  {  // F1
    FactResult f{
        "F1",
        "Participation inequality: most members lurk, a few write most",
        "van Mierlo 2014",
        {},
        "Inégalité de participation : la plupart des membres observent, quelques-uns écrivent "
        "l'essentiel",
        "van Mierlo 2014"};
    auto posted = m.per_rep("base", [](const RunSummary& r) {
      const auto& c = r.member_contributions;
      return static_cast<double>(std::count_if(c.begin(), c.end(), [](auto x) { return x > 0; })) /
             std::max<std::size_t>(1, c.size());
    });
    auto top1 = m.per_rep("base", [](const RunSummary& r) {
      std::vector<std::uint32_t> c = r.member_contributions;
      std::sort(c.begin(), c.end(), std::greater<>());
      const std::size_t k = std::max<std::size_t>(1, (c.size() + 99) / 100);
      const double all = std::accumulate(c.begin(), c.end(), 0.0);
      return all > 0 ? std::accumulate(c.begin(), c.begin() + k, 0.0) / all : 0.0;
    });
    f.parts.push_back(within("(a) share of members who ever posted",
                             "(a) part des membres ayant publié au moins une fois", posted, -inf,
                             0.25));
    f.parts.push_back(within("(b) share of posts by the top 1%",
                             "(b) part des publications du 1 % le plus actif", top1, 0.50, inf));
    out.push_back(f);
  }
  {  // F2
    FactResult f{"F2",
                 "Tiers within CdPs: core about 10-15%, active about 15-20%",
                 "Wenger, McDermott & Snyder 2002",
                 {},
                 "Niveaux au sein des CdP : noyau d'environ 10 à 15 %, actifs d'environ 15 à 20 %",
                 "Wenger, McDermott et Snyder 2002"};
    auto share = [&](int tier) {
      return m.per_rep("base", [tier](const RunSummary& r) {
        const auto& t = r.weeks.back().memberships_by_tier;
        const double n = static_cast<double>(t[0] + t[1] + t[2]);
        return n > 0 ? t[tier] / n : 0.0;
      });
    };
    f.parts.push_back(within("(a) core share of memberships",
                             "(a) part des adhésions au niveau du noyau", share(2), 0.08, 0.17));
    f.parts.push_back(within("(b) active share of memberships",
                             "(b) part des adhésions au niveau actif", share(1), 0.13, 0.22));
    out.push_back(f);
  }
  {  // F3
    FactResult f{"F3",
                 "Newcomer churn is high; a reply raises return",
                 "Arguello et al. 2006; Joyce & Kraut 2006",
                 {},
                 "Les nouveaux venus partent souvent ; une réponse favorise leur retour",
                 "Arguello et al. 2006 ; Joyce et Kraut 2006"};
    auto ret = m.per_rep("base", [](const RunSummary& r) {
      const double fp = sum_weeks(r, [](auto& w) { return w.newcomer_first_posts; });
      return fp > 0 ? sum_weeks(r, [](auto& w) { return w.newcomer_returns; }) / fp : 0.0;
    });
    auto effect = m.per_rep("base", [](const RunSummary& r) {
      const double fp = sum_weeks(r, [](auto& w) { return w.newcomer_first_posts; });
      const double rep = sum_weeks(r, [](auto& w) { return w.newcomer_replies; });
      const double ret = sum_weeks(r, [](auto& w) { return w.newcomer_returns; });
      const double rr = sum_weeks(r, [](auto& w) { return w.newcomer_returns_replied; });
      return (rep > 0 ? rr / rep : 0.0) - (fp > rep ? (ret - rr) / (fp - rep) : 0.0);
    });
    f.parts.push_back(within("(a) newcomers returning after a first post",
                             "(a) nouveaux venus revenus après une 1re publication", ret, 0.28,
                             0.56));
    f.parts.push_back(within("(b) return after reply minus without",
                             "(b) retour après une réponse, moins retour sans réponse", effect,
                             0.05, inf));
    out.push_back(f);
  }
  {  // F4
    FactResult f{"F4",
                 "Heavy-tailed activity and community sizes",
                 "Butler 2001; van Mierlo 2014",
                 {},
                 "Activité et taille des communautés à distribution à queue lourde",
                 "Butler 2001 ; van Mierlo 2014"};
    auto sizes = m.per_rep("base", [](const RunSummary& r) {
      std::vector<double> s;
      for (const CdpFinal& c : r.cdps)
        if (c.phase != static_cast<std::uint8_t>(Phase::dissolved) && c.members > 0)
          s.push_back(c.members);
      if (s.empty()) return 0.0;
      std::sort(s.begin(), s.end());
      const double med =
          s.size() % 2 ? s[s.size() / 2] : 0.5 * (s[s.size() / 2 - 1] + s[s.size() / 2]);
      return s.back() / med;
    });
    auto cv = m.per_rep("base", [](const RunSummary& r) {
      double n = 0, s = 0, s2 = 0;
      for (auto x : r.member_contributions)
        if (x > 0) {
          n += 1;
          s += x;
          s2 += static_cast<double>(x) * x;
        }
      if (n < 2) return 0.0;
      const double m = s / n;
      return std::sqrt(std::max(0.0, s2 / n - m * m)) / m;
    });
    f.parts.push_back(within("(a) largest over median CdP size",
                             "(a) taille de la plus grande CdP / taille médiane", sizes, 10, inf));
    f.parts.push_back(within("(b) CV of contributions among posters",
                             "(b) CV des contributions des membres qui publient", cv, 2, inf));
    out.push_back(f);
  }
  {  // F5
    FactResult f{"F5",
                 "Lifecycles are slow; Passerelles CdPs stayed in start-up",
                 "MODEL-BRIEF fact 5; thesis",
                 {},
                 "Les cycles de vie sont lents ; les CdP de Passerelles sont restées en démarrage",
                 "MODEL-BRIEF, fait 5 ; mémoire"};
    auto fast = m.per_rep("base", [](const RunSummary& r) {
      const std::int32_t horizon = r.weeks.back().week;
      double n = 0, k = 0;
      for (const CdpFinal& c : r.cdps) {
        const std::int32_t born = std::max(0, c.birth_week);
        if (c.birth_week > 104 || born + 52 > horizon) continue;
        n += 1;
        if (c.maturing_week >= 0 && c.maturing_week - born <= 52) k += 1;
      }
      return n > 0 ? k / n : 0.0;
    });
    auto startup = m.per_rep("base", [](const RunSummary& r) {
      const auto& p = r.weeks.back().cdps_by_phase;
      const double alive = static_cast<double>(r.weeks.back().cdps_alive);
      return alive > 0 ? (p[0] + p[1]) / alive : 0.0;
    });
    f.parts.push_back(within("(a) CdPs maturing within 52 weeks",
                             "(a) CdP arrivées à maturation en 52 semaines au plus", fast, -inf,
                             0.50));
    f.parts.push_back(within("(b) alive CdPs still in potential/coalescing",
                             "(b) CdP actives encore potentielles ou en regroupement", startup,
                             0.25, inf));
    out.push_back(f);
  }
  {  // F6
    FactResult f{"F6",
                 "Animation and belonging predict success",
                 "Tremblay 2005; thesis 4.9",
                 {},
                 "L'animation et le sentiment d'appartenance prédisent le succès",
                 "Tremblay 2005 ; mémoire, 4.9"};
    auto succ = [&](const char* key) { return m.per_rep(key, successful_cdps); };
    f.parts.push_back(beyond("(a) successful CdPs, animation 0.8 - 0.2",
                             "(a) CdP qui réussissent, animation 0,8 − 0,2",
                             diff(succ("anim_hi"), succ("anim_lo")), 0, true));
    f.parts.push_back(beyond("(b) successful CdPs, belonging 0.8 - 0.2",
                             "(b) CdP qui réussissent, appartenance 0,8 − 0,2",
                             diff(succ("belong_hi"), succ("belong_lo")), 0, true));
    out.push_back(f);
  }
  {  // F7
    FactResult f{"F7",
                 "Lack of time is the dominant barrier, traced to organisations",
                 "thesis; seed",
                 {},
                 "Le manque de temps, premier obstacle, tient aux organisations",
                 "mémoire ; hypothèse de départ"};
    auto share = m.per_rep("base", [](const RunSummary& r) {
      const double nt = sum_weeks(r, [](auto& w) { return w.nonparticipation_no_time; });
      const double de = sum_weeks(r, [](auto& w) { return w.nonparticipation_declined; });
      return nt + de > 0 ? nt / (nt + de) : 0.0;
    });
    auto active = [&](const char* key) { return m.per_rep(key, weekly_active_members); };
    f.parts.push_back(within("(a) share of non-participation for lack of time",
                             "(a) part de la non-participation faute de temps", share, 0.50, inf));
    f.parts.push_back(beyond("(b) weekly active members, recognition 0.8 - 0.2",
                             "(b) membres actifs par semaine, reconnaissance 0,8 − 0,2",
                             diff(active("recog_hi"), active("recog_lo")), 0, true));
    out.push_back(f);
  }
  {  // F8
    FactResult f{
        "F8",
        "Competition reduces sharing between organisations; trust restores part",
        "Tsai 2002; seed",
        {},
        "La concurrence réduit le partage entre organisations ; la confiance en rétablit une "
        "partie",
        "Tsai 2002 ; hypothèse de départ"};
    auto rate = [&](const char* key) {
      return m.per_rep(key, [](const RunSummary& r) { return metric_value(r, "sharing_rate"); });
    };
    f.parts.push_back(beyond("(a) sharing rate, high - low competition",
                             "(a) taux de partage, concurrence forte − faible",
                             diff(rate("comp_hi"), rate("comp_lo")), 0, false));
    f.parts.push_back(beyond("(b) sharing rate at high competition, trust 0.8 - 0.2",
                             "(b) partage en forte concurrence, confiance 0,8 − 0,2",
                             diff(rate("comp_hi_trust_hi"), rate("comp_hi_trust_lo")), 0, true));
    out.push_back(f);
  }
  {  // F9
    FactResult f{
        "F9",
        "COVID-19: in-person collapses, online rises, fewer bridges, new CdPs",
        "MODEL-BRIEF fact 9; seed",
        {},
        "COVID-19 : le présentiel s'effondre, le virtuel progresse, moins de liens-passerelles, de "
        "nouvelles CdP",
        "MODEL-BRIEF, fait 9 ; hypothèse de départ"};
    // Named variables, not a structured binding: the lambdas below capture them (Clang 14).
    const std::pair<std::int32_t, std::int32_t> shock = pandemic_weeks(base_scenario);
    const std::int32_t from = shock.first, to = shock.second;
    // Ratio of a measure with the pandemic to the same replicate without it.
    auto ratio = [&](auto f_num) {
      const auto a = m.per_rep("base", f_num), b = m.per_rep("no_covid", f_num);
      std::vector<double> x;
      for (int r = 0; r < R; ++r) x.push_back(b[r] > 0 ? a[r] / b[r] : 0.0);
      return x;
    };
    auto inperson = ratio([from, to](const RunSummary& r) {
      return sum_weeks(
          r, [](auto& w) { return w.interactions_inperson; }, from, to);
    });
    auto online = ratio([from, to](const RunSummary& r) {
      return sum_weeks(
          r, [](auto& w) { return w.interactions_online; }, from, to);
    });
    auto bridges = ratio([from, to](const RunSummary& r) {
      const double a = sum_weeks(
          r, [](auto& w) { return w.members_active; }, from, to);
      return a > 0 ? sum_weeks(
                         r, [](auto& w) { return w.bridging_joins; }, from, to) /
                         a
                   : 0.0;
    });
    auto early = [from](const RunSummary& r) {
      return sum_weeks(
          r, [](auto& w) { return w.cdps_created; }, from, from + 11);
    };
    const std::vector<double> created =
        diff(m.per_rep("base", early), m.per_rep("no_covid", early));
    f.parts.push_back(within("(a) in-person participations, ratio to no pandemic",
                             "(a) participations en présentiel, rapport sans pandémie", inperson,
                             -inf, 0.20));
    f.parts.push_back(beyond("(b) online participations, ratio",
                             "(b) participations en ligne, rapport", online, 1, true));
    f.parts.push_back(beyond("(c) new bridging ties per active member, ratio",
                             "(c) nouveaux liens-passerelles par membre actif, rapport", bridges, 1,
                             false));
    f.parts.push_back(beyond("(d) CdPs created in the first 12 weeks, difference",
                             "(d) CdP créées les 12 premières semaines, écart", created, 0, true));
    out.push_back(f);
  }
  {  // F10
    FactResult f{"F10",
                 "Support: limited aggregate effect; capacity building leaves autonomy",
                 "seed; MODEL-BRIEF fact 10",
                 {},
                 "Accompagnement : effet global limité ; le renforcement des capacités laisse de "
                 "l'autonomie",
                 "hypothèse de départ ; MODEL-BRIEF, fait 10"};
    auto sd = m.per_rep("base", [](const RunSummary& r) {
      double s = 0, n = 0;
      for (const WeekRecord& w : r.weeks)
        if (w.support_hours_demanded > 0) {
          s += w.support_hours_given / w.support_hours_demanded;
          n += 1;
        }
      return n > 0 ? s / n : 0.0;
    });
    auto active = [&](const char* key) { return m.per_rep(key, weekly_active_members); };
    const auto a_cb = active("support_cb"), a_none = active("support_none");
    std::vector<double> rel;
    for (int r = 0; r < R; ++r) rel.push_back(a_none[r] > 0 ? a_cb[r] / a_none[r] - 1.0 : 0.0);
    auto metric = [&](const char* key, const char* name) {
      return m.per_rep(key, [name](const RunSummary& r) { return metric_value(r, name); });
    };
    const auto h_cb = metric("support_cb", "support_hours_given");
    const auto h_ex = metric("support_expert", "support_hours_given");
    std::vector<double> hours;
    for (int r = 0; r < R; ++r) hours.push_back(h_ex[r] > 0 ? h_cb[r] / h_ex[r] : 0.0);
    f.parts.push_back(within("(a) support supply/demand", "(a) offre / demande d'accompagnement",
                             sd, 0.10, 0.30));
    f.parts.push_back(within("(b) active members, capacity building vs none (relative)",
                             "(b) membres actifs, renforcement des capacités / aucun (relatif)",
                             rel, -0.10, 0.10));
    f.parts.push_back(beyond(
        "(c) autonomous CdPs, capacity building - expert",
        "(c) CdP autonomes, renforcement des capacités − expert",
        diff(metric("support_cb", "cdps_autonomous"), metric("support_expert", "cdps_autonomous")),
        0, true));
    f.parts.push_back(within("(d) support hours, capacity building / expert",
                             "(d) heures d'accompagnement, renforcement / expert", hours, 0.99,
                             1.01));
    out.push_back(f);
  }
  {  // F11
    FactResult f{
        "F11",
        "Passerelles growth: ~1,000 members in Nov 2018, >5,000 by Aug 2021",
        "thesis (Passerelles figures)",
        {},
        "Croissance de Passerelles : environ 1 000 membres en novembre 2018, plus de 5 000 en août "
        "2021",
        "mémoire (chiffres de Passerelles)"};
    auto at = [&](std::size_t week) {
      return m.per_rep("base", [week](const RunSummary& r) {
        return week < r.weeks.size() ? static_cast<double>(r.weeks[week].members_total) : 0.0;
      });
    };
    f.parts.push_back(within("(a) members at week 9 (2018-11-05)",
                             "(a) membres à la semaine 9 (5 novembre 2018)", at(9), 750, 1250));
    f.parts.push_back(within("(b) members at week 154 (2021-08-16)",
                             "(b) membres à la semaine 154 (16 août 2021)", at(154), 3750, 6250));
    out.push_back(f);
  }
  evaluate_seed_facts(m, base_scenario, R, out);
  return out;
}

}  // namespace

FactsOutcome measure_facts(const FactsOptions& o, ProcessGroup& group,
                           const std::atomic<bool>* stop, const RunProgress& progress) {
  const auto& vs = variants();
  std::vector<Scenario> scen;
  for (const Variant& v : vs) {
    std::vector<std::string> sets = o.overrides;
    sets.insert(sets.end(), v.sets.begin(), v.sets.end());
    scen.push_back(load_scenario(o.scenario_dir / v.file, sets));
  }
  const int R = o.replicates;
  Measures counting(R);
  evaluate_facts(counting, scen[0], R);
  std::vector<double> values(counting.count() * static_cast<std::size_t>(R), 0.0);
  const auto n = static_cast<std::int64_t>(vs.size()) * R;
  const std::vector<std::int64_t> all = run_indices(n);
  const RunPool pool(group, stop, progress);
  const PoolOutcome ran = pool.run(all, [&](std::int64_t j) {
    const auto v = static_cast<std::size_t>(j / R);
    const int r = static_cast<int>(j % R);
    const RunSummary run = simulate_summary(scen[v], replicate_seed(o.seed, r));
    Measures one(R, vs[v].key, r, run, values);  // writes only this run's slots
    evaluate_facts(one, scen[0], R);
  });
  const std::vector<std::uint8_t> finished = pool.gather(values, ran, n);
  FactsOutcome out;
  out.runs_total = n;
  if (!group.is_root()) return out;
  for (std::uint8_t f : finished) out.runs_done += f;
  if (out.runs_done < n) return out;  // interrupted: no verdict on partial replicates
  Measures gathered(R, values);
  out.facts = evaluate_facts(gathered, scen[0], R);
  return out;
}

namespace {

std::string part_text(const FactPart& p, Lang lang = Lang::en) {
  if (lang == Lang::fr)
    return fmt_fr(p.value) + " [" + fmt_fr(p.ci_low) + "\u202f; " + fmt_fr(p.ci_high) + "]";
  return fmt(p.value) + " [" + fmt(p.ci_low) + ", " + fmt(p.ci_high) + "]";
}

std::string markdown_verdict(Verdict v) {
  return v == Verdict::fail ? "**FAIL**" : std::string(verdict_name(v));
}

// Facts passing, facts inconclusive.
std::pair<int, int> counts(const std::vector<FactResult>& facts) {
  int passed = 0, inconclusive = 0;
  for (const FactResult& f : facts) {
    passed += f.verdict() == Verdict::pass;
    inconclusive += f.verdict() == Verdict::inconclusive;
  }
  return {passed, inconclusive};
}

std::string num(double x) {
  if (!std::isfinite(x)) return "null";
  char b[64];
  std::snprintf(b, sizeof b, "%.17g", x);
  return b;
}

}  // namespace

std::string facts_markdown(const std::vector<FactResult>& facts, const FactsOptions& o) {
  std::string s = "# cdpsim facts\n\nReplicates: " + std::to_string(o.replicates) +
                  ", master seed " + std::to_string(o.seed) +
                  ". Criteria: docs/validation.md. Values: mean [95% CI] over replicates.\n\n"
                  "| id | fact | source | measure | criterion | measured | result |\n"
                  "|---|---|---|---|---|---|---|\n";
  for (const FactResult& f : facts)
    for (const FactPart& p : f.parts)
      s += "| " + f.id + " | " + f.fact + " | " + f.source + " | " + p.name + " | " + p.criterion +
           " | " + part_text(p) + " | " + markdown_verdict(p.verdict()) + " |\n";
  const auto [passed, inconclusive] = counts(facts);
  s += "\n" + std::to_string(passed) + " of " + std::to_string(facts.size()) + " facts pass.\n";
  if (inconclusive > 0)
    s += std::to_string(inconclusive) + " inconclusive (fewer than " +
         std::to_string(kDecisiveReplicates) + " replicates: too few to decide).\n";
  return s;
}

std::string facts_json(const std::vector<FactResult>& facts, const FactsOptions& o) {
  std::string s = "{\n  \"replicates\": " + std::to_string(o.replicates) +
                  ",\n  \"seed\": " + std::to_string(o.seed) +
                  ",\n  \"decisive\": " + (o.replicates >= kDecisiveReplicates ? "true" : "false") +
                  ",\n  \"facts\": [\n";
  for (std::size_t i = 0; i < facts.size(); ++i) {
    const FactResult& f = facts[i];
    s += "    {\"id\": " + io::json_string(f.id) + ", \"fact\": " + io::json_string(f.fact) +
         ", \"source\": " + io::json_string(f.source) +
         ", \"pass\": " + (f.pass() ? "true" : "false") +
         ", \"verdict\": " + io::json_string(verdict_name(f.verdict())) + ", \"parts\": [\n";
    for (std::size_t j = 0; j < f.parts.size(); ++j) {
      const FactPart& p = f.parts[j];
      s += "      {\"measure\": " + io::json_string(p.name) +
           ", \"criterion\": " + io::json_string(p.criterion) + ", \"value\": " + num(p.value) +
           ", \"ci_low\": " + num(p.ci_low) + ", \"ci_high\": " + num(p.ci_high) +
           ", \"pass\": " + (p.pass ? "true" : "false") +
           ", \"verdict\": " + io::json_string(verdict_name(p.verdict())) + "}" +
           (j + 1 < f.parts.size() ? "," : "") + "\n";
    }
    s += std::string("    ]}") + (i + 1 < facts.size() ? "," : "") + "\n";
  }
  s += "  ]\n}\n";
  return s;
}

namespace {

std::string table_verdict(Verdict v, Lang lang) {
  if (v == Verdict::inconclusive) return lang == Lang::fr ? "non concluant" : "inconclusive";
  return std::string(text(lang, v == Verdict::pass ? Text::facts_pass : Text::facts_fail));
}

}  // namespace

std::string facts_table(const std::vector<FactResult>& facts, Lang lang) {
  const auto T = [lang](Text k) { return std::string(text(lang, k)); };
  const bool fr = lang == Lang::fr;
  // Padded by display width: French words carry accents.
  std::string s = pad(T(Text::facts_id), 4, true) + " " + pad(T(Text::facts_measure), 56, true) +
                  " " + pad(T(Text::facts_criterion), 22, true) + " " +
                  pad(T(Text::facts_measured), 28, true) + " " + T(Text::facts_result) + "\n";
  for (const FactResult& f : facts) {
    s += f.id + "  " + (fr && !f.fact_fr.empty() ? f.fact_fr : f.fact) + " (" +
         (fr && !f.source_fr.empty() ? f.source_fr : f.source) + ")\n";
    for (const FactPart& p : f.parts) {
      s += "     " + pad(fr && !p.name_fr.empty() ? p.name_fr : p.name, 55, true) + " " +
           pad(fr && !p.criterion_fr.empty() ? p.criterion_fr : p.criterion, 22, true) + " " +
           pad(part_text(p, lang), 28, true) + " " + table_verdict(p.verdict(), lang) + "\n";
    }
  }
  const auto [passed, inconclusive] = counts(facts);
  char line[256];
  std::snprintf(
      line, sizeof line,
      T(singular(passed, lang) ? Text::facts_summary_one : Text::facts_summary_many).c_str(),
      std::to_string(passed).c_str(), std::to_string(facts.size()).c_str());
  s += line;
  if (inconclusive > 0)
    s += std::to_string(inconclusive) +
         (fr ? " non concluant" + std::string(inconclusive > 1 ? "s" : "") + " (moins de " +
                   std::to_string(kDecisiveReplicates) + " répétitions : trop peu pour trancher)\n"
             : " inconclusive (fewer than " + std::to_string(kDecisiveReplicates) +
                   " replicates: too few to decide)\n");
  return s;
}

}  // namespace cdpsim
