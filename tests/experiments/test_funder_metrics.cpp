// The funders' rows of the metric table (experiments/metrics/metrics.cpp: spending,
// spending_hours, cost_per_*): exact answers on hand-built runs, the NaN cases, the window after
// the programme's end; and how `compare` handles replicates where a metric has no value.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "experiments/compare/compare.hpp"
#include "experiments/metrics/metrics.hpp"

using namespace cdpsim;

namespace {

constexpr auto kDissolved = static_cast<std::uint8_t>(Phase::dissolved);

// 104 weeks (0..103), 2 CdPs alive and 13 members active every week: 4 CdP-years and 26 active
// member-years. A programme spends 20 money and pays 0.25 h in each of weeks 0..last_paid
// (nothing when last_paid < 0).
RunSummary hand_run(std::int32_t last_paid) {
  RunSummary r;
  double money = 0, hours = 0;
  for (std::int32_t t = 0; t < 104; ++t) {
    WeekRecord w;
    w.week = t;
    w.cdps_alive = 2;
    w.members_active = 13;
    if (t <= last_paid) {
      w.spent_money = 20;
      w.spent_hours = 0.25;
    }
    money += w.spent_money;
    hours += w.spent_hours;
    w.spent_money_total = money;
    w.spent_hours_total = hours;
    r.weeks.push_back(w);
  }
  auto cdp = [&](std::int32_t last_support, std::uint8_t phase, std::int32_t active) {
    CdpFinal c;
    c.last_support_week = last_support;
    c.phase = phase;
    c.members = 5;
    c.active = active;
    r.cdps.push_back(c);
  };
  cdp(10, 2, 3);           // supported long ago, alive, active: autonomous, and after too
  cdp(90, 1, 2);           // supported 13 weeks before the horizon: autonomous after only
  cdp(20, kDissolved, 0);  // dissolved
  cdp(-1, 3, 4);           // never supported
  cdp(5, 0, 0);            // supported, alive, but nobody active
  return r;
}

double value(const RunSummary& r, const char* name) { return metric_value(r, name); }

}  // namespace

TEST_CASE("Funder metrics: spending, hours and costs per outcome, exactly", "[unit][metrics]") {
  const RunSummary r = hand_run(51);  // 52 weeks x 20 = 1040 money, 52 x 0.25 = 13 h
  CHECK(programme_end(r) == 51);
  CHECK(value(r, "spending") == 1040.0);
  CHECK(value(r, "spending_hours") == 13.0);
  CHECK(value(r, "cdps_autonomous") == 1.0);
  CHECK(value(r, "cost_per_autonomous_cdp") == 1040.0);    // 1040 / 1
  CHECK(value(r, "cost_per_cdp_year") == 260.0);           // 1040 / (104 x 2 / 52)
  CHECK(value(r, "cost_per_active_member_year") == 40.0);  // 1040 / (104 x 13 / 52)
  // After the programme: weeks 52..103 (52 weeks), horizon 103 >= 51 + 26.
  CHECK(value(r, "cost_per_autonomous_cdp_after") == 520.0);     // 1040 / 2 CdPs
  CHECK(value(r, "cost_per_cdp_year_after") == 520.0);           // 1040 / (52 x 2 / 52)
  CHECK(value(r, "cost_per_active_member_year_after") == 80.0);  // 1040 / (52 x 13 / 52)
}

TEST_CASE("Funder metrics: the window after the programme and the autonomy delay",
          "[unit][metrics]") {
  SECTION("the horizon exactly kAutonomyWeeks after the end counts") {
    const RunSummary r = hand_run(103 - kAutonomyWeeks);  // E = 77
    CHECK(programme_end(r) == 77);
    CHECK(value(r, "spending") == 78 * 20.0);
    CHECK(value(r, "cost_per_autonomous_cdp_after") == 78 * 20.0 / 2);
    CHECK(value(r, "cost_per_cdp_year_after") == 78 * 20.0 / (26 * 2 / 52.0));
  }
  SECTION("one week closer: no CdP can be called autonomous after it (NaN)") {
    const RunSummary r = hand_run(104 - kAutonomyWeeks);  // E = 78
    CHECK(std::isnan(value(r, "cost_per_autonomous_cdp_after")));
    CHECK(value(r, "cost_per_cdp_year_after") == 79 * 20.0 / (25 * 2 / 52.0));
    CHECK(value(r, "cost_per_active_member_year_after") == 79 * 20.0 / (25 * 13 / 52.0));
    CHECK(value(r, "cost_per_cdp_year") == 79 * 20.0 / 4);  // the whole run is unaffected
  }
  SECTION("a programme until the horizon leaves no week after it (NaN)") {
    const RunSummary r = hand_run(103);
    CHECK(programme_end(r) == 103);
    CHECK(std::isnan(value(r, "cost_per_autonomous_cdp_after")));
    CHECK(std::isnan(value(r, "cost_per_cdp_year_after")));
    CHECK(std::isnan(value(r, "cost_per_active_member_year_after")));
    CHECK(value(r, "cost_per_active_member_year") == 104 * 20.0 / 26);
  }
  SECTION("the end is the last week with money or hours, not a gap in between") {
    RunSummary r = hand_run(9);
    r.weeks[60].spent_hours = 1.0;  // an hour paid without money (budget_hours, no cost)
    CHECK(programme_end(r) == 60);
    CHECK(value(r, "cost_per_cdp_year_after") == 200.0 / (43 * 2 / 52.0));
    r.weeks[70].spent_money = 5.0;  // a fixed cost alone
    CHECK(programme_end(r) == 70);
  }
}

TEST_CASE("Funder metrics: no spending costs 0, a denominator of 0 is NaN", "[unit][metrics]") {
  SECTION("no spending: 0 per outcome, the whole run counts as after") {
    const RunSummary r = hand_run(-1);
    CHECK(programme_end(r) == -1);
    CHECK(value(r, "spending") == 0.0);
    CHECK(value(r, "spending_hours") == 0.0);
    for (const char* m : {"cost_per_autonomous_cdp", "cost_per_cdp_year",
                          "cost_per_active_member_year", "cost_per_autonomous_cdp_after",
                          "cost_per_cdp_year_after", "cost_per_active_member_year_after"}) {
      INFO(m);
      CHECK(value(r, m) == 0.0);
    }
  }
  SECTION("no spending and nothing to count: 0 / 0 is NaN") {
    RunSummary r = hand_run(-1);
    r.cdps.clear();
    for (WeekRecord& w : r.weeks) w.cdps_alive = w.members_active = 0;
    for (const char* m : {"cost_per_autonomous_cdp", "cost_per_cdp_year",
                          "cost_per_active_member_year", "cost_per_autonomous_cdp_after",
                          "cost_per_cdp_year_after", "cost_per_active_member_year_after"}) {
      INFO(m);
      CHECK(std::isnan(value(r, m)));
    }
  }
  SECTION("spending without any autonomous CdP") {
    RunSummary r = hand_run(51);
    for (CdpFinal& c : r.cdps) c.active = 0;
    CHECK(std::isnan(value(r, "cost_per_autonomous_cdp")));
    CHECK(std::isnan(value(r, "cost_per_autonomous_cdp_after")));
    CHECK(value(r, "cost_per_cdp_year") == 260.0);
  }
}

TEST_CASE("Funder metrics: table rows", "[unit][metrics]") {
  const std::vector<std::string> funder = {"spending",
                                           "cost_per_autonomous_cdp",
                                           "cost_per_cdp_year",
                                           "cost_per_active_member_year",
                                           "cost_per_autonomous_cdp_after",
                                           "cost_per_cdp_year_after",
                                           "cost_per_active_member_year_after"};
  CHECK(compare_funder_metrics() == funder);
  for (const std::string& name : funder) {
    INFO(name);
    const Metric& m = metric(name);
    CHECK(!m.per_cdp());
    CHECK(!m.compare_default);
    CHECK(m.direction == (name == "spending" ? Direction::neutral : Direction::lower_is_better));
  }
  CHECK(metric("spending_hours").direction == Direction::neutral);
  CHECK(!metric("spending_hours").compare_funder);
  // Appended after the older rows: the ensemble's metric axis keeps its order.
  const auto eco = ecosystem_metrics();
  CHECK(eco.back()->name == "cost_per_active_member_year_after");
  CHECK(eco[eco.size() - 9]->name == "cdps_created");
}

TEST_CASE("compare: replicates without a value are left out and counted", "[unit][compare]") {
  CompareRequest q;
  q.scenarios.resize(2);
  q.scenarios[0].name = "base";
  q.scenarios[1].name = "other";
  q.metrics = {"cost_per_autonomous_cdp", "spending"};
  q.replicates = 4;
  q.horizon = 10;
  const double nan = std::nan("");
  CompareData d;
  // value(s, r, m) = values[(s * R + r) * M + m]: per replicate, cost then spending.
  // clang-format off
  d.values = {10, 100,   nan, 100,   30, 100,    nan, 100,    // base
              12, 150,   20, 150,    nan, 150,   nan, 150};   // other
  // clang-format on
  const std::vector<Hypothesis> hyp = {
      {"other > base on cost_per_autonomous_cdp", 1, 0, "cost_per_autonomous_cdp", true},
      {"other > base on spending", 1, 0, "spending", true}};
  const CompareReport rep = analyse(q, d, hyp);
  REQUIRE(rep.rows.size() == 4);
  const CompareRow& base = rep.rows[0];
  CHECK(base.summary.n == 2);
  CHECK(base.summary.mean == 20.0);
  CHECK(!base.diff);
  const CompareRow& other = rep.rows[1];
  CHECK(other.summary.n == 2);
  CHECK(other.summary.mean == 16.0);
  REQUIRE(other.diff);
  CHECK(other.diff->n == 1);  // only replicate 0 has both: a difference, but no interval
  CHECK(other.diff->mean_diff == 2.0);
  CHECK(std::isnan(other.diff->ci_low));
  CHECK(std::isnan(other.diff->p_two_sided));
  CHECK(rep.rows[3].summary.n == 4);
  CHECK(rep.rows[3].diff->n == 4);
  CHECK(rep.rows[3].diff->mean_diff == 50.0);
  REQUIRE(rep.hypotheses.size() == 2);
  CHECK(rep.hypotheses[0].test.n == 1);
  CHECK(!rep.hypotheses[0].supported);
  CHECK(rep.hypotheses[1].supported);  // a constant +50: certain under common random numbers
  // No value at all: n = 0 and a NaN mean, not a crash.
  for (std::size_t r = 0; r < 4; ++r) d.values[(1 * 4 + r) * 2] = nan;
  const CompareReport none = analyse(q, d, {});
  CHECK(none.rows[1].summary.n == 0);
  CHECK(std::isnan(none.rows[1].summary.mean));
  CHECK(none.rows[1].diff->n == 0);
  CHECK(std::isnan(none.rows[1].diff->mean_diff));
}

TEST_CASE("compare: a scenario pays for its interventions when one has a cost", "[unit][compare]") {
  Scenario s;
  CHECK(!pays_for_interventions(s));
  InterventionSpec i;
  i.key = "levers.animation";
  s.interventions.push_back(i);
  CHECK(!pays_for_interventions(s));
  s.interventions.back().cost_per_week = 1;
  CHECK(pays_for_interventions(s));
  s.interventions.back().cost_per_week = 0;
  s.interventions.back().cost_per_hour = 85;
  CHECK(pays_for_interventions(s));
}
