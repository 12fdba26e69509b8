#include <catch2/catch.hpp>

#include "models/shocks.hpp"

using namespace cdpsim;

TEST_CASE("Shock effects switch on at the start week and off after the duration",
          "[unit][shocks]") {
  Scenario s;  // starts 2018-09-03
  ShockSpec p;
  p.kind = "pandemic";
  p.start = Date{2018, 9, 17};  // week 2
  p.duration_weeks = 3;
  p.intensity = 1.0;
  s.shocks.push_back(p);
  CHECK(shock_effects(s, 1).pandemic == 0.0);
  CHECK(shock_effects(s, 1).inperson_multiplier == 1.0);
  const ShockEffects e = shock_effects(s, 2);
  CHECK(e.pandemic == 1.0);
  CHECK(e.pandemic_week == 0);
  CHECK(e.inperson_multiplier == Approx(s.pandemic.inperson_factor));
  CHECK(e.online_multiplier == Approx(1.0 + s.pandemic.online_boost));
  CHECK(e.bridging_multiplier == Approx(1.0 - s.pandemic.bridging_cut));
  CHECK(e.mutual_aid_rate == s.pandemic.mutual_aid_cdps_per_week);
  CHECK(shock_effects(s, 4).pandemic_week == 2);
  CHECK(shock_effects(s, 5).pandemic == 0.0);
  CHECK(shock_effects(s, 5).frontline_workload == 0.0);
}

TEST_CASE("Funding cuts and platform migrations scale support and platforms", "[unit][shocks]") {
  Scenario s;
  ShockSpec f;
  f.kind = "funding_cut";
  f.start = Date{2018, 9, 3};
  f.duration_weeks = 10;
  f.intensity = 0.4;
  ShockSpec m = f;
  m.kind = "platform_migration";
  m.intensity = 0.25;
  s.shocks = {f, m};
  const ShockEffects e = shock_effects(s, 0);
  CHECK(e.support_multiplier == Approx(0.6));
  CHECK(e.project_allow_multiplier == Approx(0.8));
  CHECK(e.platform_multiplier == Approx(0.75));
  CHECK(e.pandemic == 0.0);
  CHECK(e.inperson_multiplier == 1.0);
}
