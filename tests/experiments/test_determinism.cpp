#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace cdpsim;

namespace {

void require_same(const std::vector<WeekRecord>& a, const std::vector<WeekRecord>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t t = 0; t < a.size(); ++t) {
    INFO("week " << t);
    REQUIRE(a[t].members_total == b[t].members_total);
    REQUIRE(a[t].members_active == b[t].members_active);
    REQUIRE(a[t].contributions == b[t].contributions);
    REQUIRE(a[t].engagement_mean == b[t].engagement_mean);  // bit-identical, not approximately
    REQUIRE(a[t].knowledge_stock == b[t].knowledge_stock);
    REQUIRE(a[t].boundary_objects == b[t].boundary_objects);
    REQUIRE(a[t].support_hours_given == b[t].support_hours_given);
    REQUIRE(a[t].interactions_inperson == b[t].interactions_inperson);
    REQUIRE(a[t].cdps_by_phase == b[t].cdps_by_phase);
    REQUIRE(a[t].members_by_tier == b[t].members_by_tier);
    REQUIRE(a[t].territory_learning == b[t].territory_learning);
  }
}

}  // namespace

TEST_CASE("Same scenario and seed give identical trajectories at 1 and 2 threads",
          "[determinism]") {
  // Enough members for many 2048-member blocks, so two threads really split the work.
  const Scenario s = test::small_scenario(30, {}, 40000, 30000);
  const auto one = test::run_weeks(s, 11, 1);
  const auto two = test::run_weeks(s, 11, 2);
  require_same(one, two);
  const auto again = test::run_weeks(s, 11, 2);
  require_same(two, again);
}

TEST_CASE("Another seed gives another trajectory", "[determinism]") {
  const Scenario s = test::small_scenario(20);
  const auto a = test::run_weeks(s, 1, 2);
  const auto b = test::run_weeks(s, 2, 2);
  double diff = 0;
  for (std::size_t t = 0; t < a.size(); ++t)
    diff += std::abs(static_cast<double>(a[t].contributions - b[t].contributions));
  CHECK(diff > 0);
}
