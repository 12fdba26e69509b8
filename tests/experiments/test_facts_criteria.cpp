// The facts' criterion helpers (experiments/facts/measures.hpp) with exact answers: pass, fail and
// the "inconclusive" verdict of docs/validation.md (below 20 replicates, a part that misses its
// criterion but whose 95% interval reaches the criterion's side); the verdict of a fact and of a
// report; the F13-F16 helpers (levers chosen on the means, group means, weekly ratios, the
// support cohort); the measure slots; and the variants F12-F16 run.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "experiments/facts/facts.hpp"
#include "experiments/facts/measures.hpp"
#include "experiments/scenario_io.hpp"

using namespace cdpsim;
using namespace cdpsim::factkit;

namespace {

const double inf = INFINITY;

// n replicates alternating a, b (n even: mean (a + b) / 2).
std::vector<double> alternating(double a, double b, int n) {
  std::vector<double> x;
  for (int i = 0; i < n; ++i) x.push_back(i % 2 ? b : a);
  return x;
}

std::string scenario_path(const std::string& file) {
  return std::string(CDPSIM_SOURCE_DIR) + "/scenarios/" + file;
}

}  // namespace

TEST_CASE("within: the mean decides; below 20 replicates an interval reaching it is inconclusive",
          "[unit]") {
  // Constant replicates: the interval is the value itself.
  auto p = within("x", "x", {0.2, 0.2, 0.2, 0.2, 0.2}, -inf, 0.25);
  CHECK(p.pass);
  CHECK(p.verdict() == Verdict::pass);
  CHECK(p.criterion == "<= 0.25");
  p = within("x", "x", {0.3, 0.3, 0.3, 0.3, 0.3}, -inf, 0.25);
  CHECK(p.verdict() == Verdict::fail);  // the whole interval is on the wrong side
  // {0.1, 0.5}: mean 0.3, sd 0.2828, se 0.2, t(0.975, 1) = 12.706: [-2.24, 2.84] reaches 0.25.
  p = within("x", "x", {0.1, 0.5}, -inf, 0.25);
  CHECK(p.value == Approx(0.3));
  CHECK(p.ci_low == Approx(0.3 - 12.7062047 * 0.2).epsilon(1e-6));
  CHECK(p.verdict() == Verdict::inconclusive);
  // 20 replicates alternating 0.1, 0.5: interval [0.204, 0.396] still reaches 0.25, but 20
  // replicates decide.
  p = within("x", "x", alternating(0.1, 0.5, 20), -inf, 0.25);
  CHECK(p.ci_low < 0.25);
  CHECK(p.verdict() == Verdict::fail);
  // 19 replicates: still inconclusive.
  p = within("x", "x", alternating(0.1, 0.5, 19), -inf, 0.25);
  CHECK(p.verdict() == Verdict::inconclusive);
  // A lower bound.
  p = within("x", "x", {0.4, 0.6}, 0.55, inf);
  CHECK(p.criterion == ">= 0.55");
  CHECK(p.verdict() == Verdict::inconclusive);
  // [a, b]: a mean outside whose interval overlaps [a, b] is inconclusive; one that does not,
  // failing; a mean inside passes at any replicate count.
  p = within("x", "x", {0.05, 0.05, 0.05}, 0.10, 0.30);
  CHECK(p.criterion == "in [0.1, 0.3]");
  CHECK(p.verdict() == Verdict::fail);
  p = within("x", "x", {0.0, 0.1}, 0.10, 0.30);  // mean 0.05, interval [-0.585, 0.685]
  CHECK(p.verdict() == Verdict::inconclusive);
  p = within("x", "x", {0.35, 0.45}, 0.10, 0.30);  // mean 0.4 above, interval reaches 0.3
  CHECK(p.verdict() == Verdict::inconclusive);
  p = within("x", "x", alternating(0.0, 0.4, 20), 0.10, 0.30);  // mean 0.2 inside
  CHECK(p.verdict() == Verdict::pass);
}

TEST_CASE("beyond: the whole interval on the criterion's side; straddling is inconclusive",
          "[unit]") {
  // {5, 6, 7}: mean 6, sd 1, se 0.5774, t(0.975, 2) = 4.3027: [3.516, 8.484].
  auto p = beyond("d", "d", {5, 6, 7}, 0, true);
  CHECK(p.ci_low == Approx(6 - 4.30265273 / std::sqrt(3.0)).epsilon(1e-6));
  CHECK(p.verdict() == Verdict::pass);
  CHECK(p.criterion == "interval above 0");
  // {1, 2, 3}: [-0.484, 4.484] straddles 0.
  p = beyond("d", "d", {1, 2, 3}, 0, true);
  CHECK_FALSE(p.pass);
  CHECK(p.verdict() == Verdict::inconclusive);
  // A negative mean whose interval still reaches above 0 is inconclusive too.
  p = beyond("d", "d", {-3, -1}, 0, true);
  CHECK(p.verdict() == Verdict::inconclusive);
  // Entirely at or below 0: failing.
  p = beyond("d", "d", {-1, -1, -1}, 0, true);
  CHECK(p.verdict() == Verdict::fail);
  p = beyond("d", "d", {0, 0, 0}, 0, true);
  CHECK(p.verdict() == Verdict::fail);
  // Below a reference.
  p = beyond("r", "r", {0.5, 0.5, 0.5}, 1, false);
  CHECK(p.verdict() == Verdict::pass);
  p = beyond("r", "r", {0.5, 1.5}, 1, false);
  CHECK(p.verdict() == Verdict::inconclusive);
  p = beyond("r", "r", alternating(0.5, 1.5, 20), 1, false);
  CHECK(p.verdict() == Verdict::fail);  // 20 replicates decide
  p = beyond("r", "r", {1.5, 1.5, 1.5}, 1, false);
  CHECK(p.verdict() == Verdict::fail);
}

TEST_CASE("a fact fails if any part fails, else is inconclusive if any part is", "[unit]") {
  const FactPart pass = beyond("p", "p", {5, 6, 7}, 0, true);
  const FactPart open = beyond("i", "i", {1, 2, 3}, 0, true);
  const FactPart fail = beyond("f", "f", {-1, -1, -1}, 0, true);
  FactResult f{"F0", "fact", "source", {pass, pass}, "", ""};
  CHECK(f.verdict() == Verdict::pass);
  CHECK(f.pass());
  f.parts = {pass, open};
  CHECK(f.verdict() == Verdict::inconclusive);
  CHECK_FALSE(f.pass());
  f.parts = {open, fail, pass};
  CHECK(f.verdict() == Verdict::fail);
  const FactResult a{"F1", "a", "s", {pass}, "", ""}, b{"F2", "b", "s", {open}, "", ""},
      c{"F3", "c", "s", {fail}, "", ""};
  CHECK_FALSE(any_fails({a, b}));  // `cdpsim facts` exits 0
  CHECK(any_fails({a, b, c}));     // exits 1
  CHECK(verdict_name(Verdict::inconclusive) == "inconclusive");
  CHECK(verdict_name(Verdict::fail) == "fail");
  // The report says which, and counts the inconclusive facts.
  FactsOptions o;
  o.replicates = 3;
  const std::string md = facts_markdown({a, b, c}, o);
  CHECK(md.find("| inconclusive |") != std::string::npos);
  CHECK(md.find("| **FAIL** |") != std::string::npos);
  CHECK(md.find("1 of 3 facts pass.") != std::string::npos);
  CHECK(md.find("1 inconclusive") != std::string::npos);
  const std::string js = facts_json({a, b, c}, o);
  CHECK(js.find("\"decisive\": false") != std::string::npos);
  CHECK(js.find("\"verdict\": \"inconclusive\"") != std::string::npos);
  CHECK(facts_table({a, b}, Lang::en).find("1 inconclusive") != std::string::npos);
  CHECK(facts_table({a, b}, Lang::fr).find("non concluant") != std::string::npos);
}

TEST_CASE("F13's helpers: levers chosen on the means, group means per replicate", "[unit]") {
  // Means 1.5, 3, 5.
  CHECK(argmax_mean({{1, 2}, {3, 3}, {0, 10}}) == 2);
  CHECK(argmax_mean({{2, 2}, {1, 3}}) == 0);  // ties: the first
  CHECK(argmax_mean({{-5, -5}, {-7, -1}}) == 1);
  // Replicate 0: (1 + 3) / 2 - (0 + 1 + 2) / 3 = 1; replicate 1: (2 + 4) / 2 - 1 = 2.
  const auto d = group_mean_difference({{1, 2}, {3, 4}}, {{0, 0}, {1, 1}, {2, 2}});
  REQUIRE(d.size() == 2);
  CHECK(d[0] == Approx(1.0));
  CHECK(d[1] == Approx(2.0));
}

TEST_CASE("F15's weekly ratio and F16's cohort", "[unit]") {
  // Weeks where the counterfactual has none are left out: (1/2 + 3/3) / 2.
  CHECK(mean_ratio({1, 2, 3}, {2, 0, 3}) == Approx(0.75));
  CHECK(mean_ratio({1, 2}, {0, 0}) == 0.0);
  CdpFinal c;
  CHECK_FALSE(support_ended_before(c, 329, 52));  // never supported
  c.last_support_week = 277;
  CHECK(support_ended_before(c, 329, 52));
  c.last_support_week = 278;
  CHECK_FALSE(support_ended_before(c, 329, 52));
  c.phase = static_cast<std::uint8_t>(Phase::dissolved);
  CHECK_FALSE(alive(c));
  c.phase = static_cast<std::uint8_t>(Phase::potential);
  CHECK(alive(c));
}

TEST_CASE("the measure slots: count, one run's slots, evaluation", "[unit]") {
  auto block = [](Measures& m) {
    auto a = m.per_rep("v1", [](const RunSummary& r) { return double(r.weeks.size()); });
    auto b = m.per_rep("v2", [](const RunSummary& r) { return 10.0 + r.weeks.size(); });
    return diff(b, a);
  };
  Measures count(3);
  block(count);
  REQUIRE(count.count() == 2);
  std::vector<double> values(2 * 3, 0.0);
  for (int rep = 0; rep < 3; ++rep)
    for (const char* v : {"v1", "v2"}) {
      RunSummary r;
      r.weeks.resize(static_cast<std::size_t>(rep + 1));
      Measures one(3, v, rep, r, values);
      block(one);
    }
  CHECK(values == std::vector<double>{1, 2, 3, 11, 12, 13});
  Measures eval(3, values);
  CHECK(block(eval) == std::vector<double>{10, 10, 10});
}

TEST_CASE("pandemic weeks of the reference scenario", "[unit]") {
  const Scenario s = load_scenario(scenario_path("passerelles.toml"));
  CHECK(pandemic_weeks(s) == std::pair<std::int32_t, std::int32_t>{80, 157});
  const Scenario none = load_scenario(scenario_path("passerelles-no-covid.toml"));
  CHECK(pandemic_weeks(none) == std::pair<std::int32_t, std::int32_t>{80, 157});
}

TEST_CASE("F12-F16's variants load, are distinct, and set what the criteria say", "[unit]") {
  std::set<std::string> keys;
  int levers = 0;
  for (const Variant& v : seed_variants()) {
    CHECK(keys.insert(v.key).second);
    const Scenario s = load_scenario(scenario_path(v.file), v.sets);
    if (v.key.rfind("lever_", 0) == 0) ++levers;
    if (v.key.rfind("walled_", 0) == 0) {
      REQUIRE(s.platforms.size() == 3);
      for (const auto& p : s.platforms) CHECK(p.interoperability == 0.0);
    }
    if (v.key.rfind("interop_", 0) == 0)
      for (const auto& p : s.platforms) CHECK(p.interoperability == 0.8);
    if (v.key == "programme_expert") {
      CHECK(s.simulation.weeks == 330);
      REQUIRE(s.interventions.size() == 1);
      CHECK(s.interventions[0].end ==
            load_scenario(scenario_path("programme-2018-2022.toml")).interventions[0].end);
    }
  }
  // 17 levers at two values; animation, belonging and recognition run under F6's and F7's names.
  CHECK(levers == 2 * (17 - 3));
  for (const char* k : {"anim_lo", "belong_hi", "recog_lo", "comp_hi_trust_lo"})
    CHECK(keys.count(k) == 0);
}
