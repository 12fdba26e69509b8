// Boundary cases with exact answers, run through the full weekly schedule.
#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace cdpsim;

TEST_CASE("Zero time allowance gives zero participation", "[unit][boundary]") {
  const auto r = test::run_weeks(test::small_scenario(30, {"levers.time_allowance=0"}), 9);
  for (const auto& w : r) {
    REQUIRE(w.members_active == 0);
    REQUIRE(w.contributions == 0);
    REQUIRE(w.interactions_inperson + w.interactions_online == 0);
  }
}

TEST_CASE("Zero support capacity gives zero support hours", "[unit][boundary]") {
  for (const char* set :
       {"levers.support_capacity=0", "support.mode=none", "support.capacity_hours=0"}) {
    INFO(set);
    const auto r = test::run_weeks(test::small_scenario(30, {set}), 9);
    double demanded = 0;
    for (const auto& w : r) {
      REQUIRE(w.support_hours_given == 0.0);
      demanded += w.support_hours_demanded;
    }
    CHECK(demanded > 0);  // the CdPs still asked
  }
}

TEST_CASE("Without a shock, in-person activity is untouched; a shock only changes what follows",
          "[unit][boundary][shocks]") {
  // The baseline has a pandemic in March 2020; move it to week 12 of a 30-week run, and compare
  // with no shock at all (an empty shocks array through a scenario text).
  const Scenario with = test::small_scenario(30, {"shocks.0.start=2018-11-26"});
  Scenario without = with;
  without.shocks.clear();
  REQUIRE(with.week_of(with.shocks[0].start) == 12);
  const auto a = test::run_weeks(with, 4);
  const auto b = test::run_weeks(without, 4);
  for (int t = 0; t < 12; ++t) {
    INFO("week " << t);
    REQUIRE(a[t].interactions_inperson == b[t].interactions_inperson);
    REQUIRE(a[t].contributions == b[t].contributions);
  }
  double in_a = 0, in_b = 0;
  for (int t = 12; t < 30; ++t) {
    in_a += a[t].interactions_inperson;
    in_b += b[t].interactions_inperson;
  }
  CHECK(in_a < 0.2 * in_b);  // in-person activity to near zero
  for (const auto& w : b) CHECK(w.pandemic == 0.0);
}
