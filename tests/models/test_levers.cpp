#include <catch2/catch.hpp>
#include <cstring>

#include "models/effective.hpp"
#include "test_util.hpp"

using namespace cdpsim;

namespace {

std::vector<double> effective_values(const Effective& e) {
  std::vector<double> v(sizeof(Effective) / sizeof(double));
  std::memcpy(v.data(), &e, sizeof(Effective));
  return v;
}

}  // namespace

TEST_CASE("Every lever mapping is the identity at 0.5", "[unit][levers]") {
  Scenario s;
  const Effective e = apply_levers(s);
  CHECK(e.time_factor == 1.0);
  CHECK(e.support_hours == s.support.capacity_hours);
  CHECK(e.reply_factor == 1.0);
  CHECK(e.renew_rate == s.phases.renew_rate);
  CHECK(e.relevance_drift == s.phases.relevance_drift);
  CHECK(e.size_penalty == s.participation.size_penalty_weight);
  CHECK(e.animator_hours == 0.5 * (s.animation.hours_min + s.animation.hours_max));
  CHECK(e.core_help_hours == s.animation.core_help_hours);
  CHECK(e.engagement_gain == s.engagement.gain);
  CHECK(e.engagement_decay == s.engagement.decay);
  CHECK(e.trust_gain == s.sharing.trust_gain);
  CHECK(e.value_base == 1.0);
  CHECK(e.tools_factor == 1.0);
  CHECK(e.cross_post_rate == s.repertoire.cross_post_rate);
  CHECK(e.boundary_rate == s.repertoire.boundary_rate);
}

TEST_CASE("Every lever moves at least one effective parameter", "[unit][levers]") {
  for (int i = 0; i < kLevers; ++i) {
    Scenario lo, hi;
    *lo.levers.by_index()[i] = 0.1;
    *hi.levers.by_index()[i] = 0.9;
    INFO("lever " << kLeverInfo[i].key);
    CHECK(effective_values(apply_levers(lo)) != effective_values(apply_levers(hi)));
  }
}

TEST_CASE("Every lever moves the simulated dynamics (no decorative lever)", "[levers][slowish]") {
  // Each lever at 0.1 and at 0.9, same seed: some recorded output must differ.
  for (int i = 0; i < kLevers; ++i) {
    const std::string key = std::string("levers.") + std::string(kLeverInfo[i].key);
    const auto lo = test::run_weeks(test::small_scenario(120, {key + "=0.1"}, 2000, 300), 3, 2);
    const auto hi = test::run_weeks(test::small_scenario(120, {key + "=0.9"}, 2000, 300), 3, 2);
    double d = 0;
    for (std::size_t t = 0; t < lo.size(); ++t) {
      d += std::abs(static_cast<double>(lo[t].contributions - hi[t].contributions));
      d += std::abs(static_cast<double>(lo[t].members_active - hi[t].members_active));
      d += std::abs(lo[t].knowledge_stock - hi[t].knowledge_stock);
      d += std::abs(lo[t].support_hours_given - hi[t].support_hours_given);
      d += std::abs(static_cast<double>(lo[t].cdps_alive - hi[t].cdps_alive));
      d += std::abs(static_cast<double>(lo[t].boundary_objects - hi[t].boundary_objects));
    }
    INFO("lever " << key);
    CHECK(d > 0);
  }
}
