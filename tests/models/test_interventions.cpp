// Interventions and programmes (models/interventions.hpp, docs/model.md 7.15): exact boundary
// cases with exact answers. Every expected value below is computed by hand from the rules in the
// header comment of models/interventions.hpp, never by calling the code under test.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "models/interventions.hpp"
#include "test_util.hpp"

using namespace cdpsim;

namespace {

const std::string kReference = std::string(CDPSIM_SOURCE_DIR) + "/scenarios/passerelles.toml";

// The reference scenario, shortened and scaled down (a few hundred members), with `body` (TOML:
// top-level keys first, then tables such as [[interventions]]) added. The pandemic moves to
// week `pandemic_week` so that the short run has it (it moves the series triggers watch).
Scenario scenario(const std::string& body, int weeks = 80, int pandemic_week = 40,
                  std::vector<std::string> sets = {}) {
  const Date start{2018, 9, 3};
  const Date pandemic = Date::from_days_since_epoch(start.days_since_epoch() + 7 * pandemic_week);
  std::vector<std::string> all = {
      "shocks.0.start=" + pandemic.to_string(), "simulation.weeks=" + std::to_string(weeks),
      "population.potential_members=800", "population.initial_members=300"};
  all.insert(all.end(), sets.begin(), sets.end());
  return load_scenario_text("extends = \"" + kReference + "\"\n" + body, "test.toml", all);
}

struct Run {
  std::vector<WeekRecord> weeks;
  std::vector<Event> events;
};

Run run(const Scenario& s, std::uint64_t seed = 7, int threads = 1) {
  Run out;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    Simulation sim(s, seed);
    for (std::int64_t t = 0; t < s.simulation.weeks; ++t) out.weeks.push_back(sim.step());
    out.events = sim.world().events;
  });
  return out;
}

std::vector<std::int32_t> event_weeks(const Run& r, EventKind kind) {
  std::vector<std::int32_t> out;
  for (const Event& e : r.events)
    if (e.kind == kind) out.push_back(e.week);
  return out;
}

int lever_index(std::string_view name) {
  for (int l = 0; l < kLevers; ++l)
    if (kLeverInfo[l].key == name) return l;
  FAIL("no lever " << name);
  return -1;
}

// Every field of two records equal, doubles with == (bit-identical, not approximately).
// `with_interventions`: also the intervention part (a run without interventions has an empty
// interventions_active and params, so comparing a run with one against a run without skips it).
void require_same_record(const WeekRecord& a, const WeekRecord& b, bool with_interventions) {
  INFO("week " << a.week);
#define CDPSIM_SAME(field) REQUIRE(a.field == b.field)
  CDPSIM_SAME(week);
  CDPSIM_SAME(members_total);
  CDPSIM_SAME(members_active);
  CDPSIM_SAME(cdps_alive);
  CDPSIM_SAME(engagement_mean);
  CDPSIM_SAME(interactions_inperson);
  CDPSIM_SAME(interactions_online);
  CDPSIM_SAME(contributions);
  CDPSIM_SAME(knowledge_stock);
  CDPSIM_SAME(boundary_objects);
  CDPSIM_SAME(new_boundary_objects);
  CDPSIM_SAME(support_hours_demanded);
  CDPSIM_SAME(support_hours_given);
  CDPSIM_SAME(platform_active_users);
  CDPSIM_SAME(sharing_rate);
  CDPSIM_SAME(bridging_pairs);
  CDPSIM_SAME(linked_pairs);
  CDPSIM_SAME(cross_posts);
  CDPSIM_SAME(multi_members);
  CDPSIM_SAME(newcomer_first_posts);
  CDPSIM_SAME(newcomer_replies);
  CDPSIM_SAME(newcomer_returns);
  CDPSIM_SAME(newcomer_returns_replied);
  CDPSIM_SAME(bridging_joins);
  CDPSIM_SAME(rejoins);
  CDPSIM_SAME(memberships_ended);
  CDPSIM_SAME(nonparticipation_no_time);
  CDPSIM_SAME(nonparticipation_declined);
  CDPSIM_SAME(registrations);
  CDPSIM_SAME(cdps_created);
  CDPSIM_SAME(cdps_dissolved);
  CDPSIM_SAME(animators);
  CDPSIM_SAME(pandemic);
  CDPSIM_SAME(cdps_by_phase);
  CDPSIM_SAME(members_by_tier);
  CDPSIM_SAME(memberships_by_tier);
  CDPSIM_SAME(territory_learning);
  CDPSIM_SAME(platform_users);
  CDPSIM_SAME(cdps_active);
  CDPSIM_SAME(levers);
  CDPSIM_SAME(spent_hours);
  CDPSIM_SAME(spent_money);
  CDPSIM_SAME(spent_hours_total);
  CDPSIM_SAME(spent_money_total);
  if (with_interventions) {
    CDPSIM_SAME(params);
    CDPSIM_SAME(interventions_active);
  }
#undef CDPSIM_SAME
}

void require_same_run(const Run& a, const Run& b) {
  REQUIRE(a.weeks.size() == b.weeks.size());
  for (std::size_t t = 0; t < a.weeks.size(); ++t)
    require_same_record(a.weeks[t], b.weeks[t], true);
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    REQUIRE(a.events[i].week == b.events[i].week);
    REQUIRE(a.events[i].kind == b.events[i].kind);
    REQUIRE(a.events[i].cdp == b.events[i].cdp);
    REQUIRE(a.events[i].detail == b.events[i].detail);
  }
}

// The ramp of the rules, written out: share of the way in week t of an intervention in force
// since week `since` with a ramp of R weeks.
double ramp_share(std::int64_t t, std::int64_t since, std::int64_t R) {
  if (R <= 1) return 1.0;
  return std::min(1.0, static_cast<double>(t - since + 1) / static_cast<double>(R));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Scheduled changes

TEST_CASE("time_allowance = 0 from week W: no contribution from W, bit-identical weeks before",
          "[unit][interventions]") {
  constexpr int W = 30;
  const Scenario base = scenario("", 60);
  const Scenario cut = scenario(
      "[[interventions]]\nkey = \"levers.time_allowance\"\nset = 0\nstart = " + std::to_string(W) +
          "\n",
      60);
  const Run a = run(base, 11);
  const Run b = run(cut, 11);
  REQUIRE(b.weeks.size() == 60);
  for (int t = 0; t < W; ++t) {
    require_same_record(a.weeks[t], b.weeks[t], false);
    REQUIRE(b.weeks[t].interventions_active == std::vector<std::uint8_t>{0});
  }
  // Not vacuous: the run without the cut has contributions in the weeks the cut empties.
  std::int64_t before = 0;
  for (int t = W; t < 60; ++t) before += a.weeks[t].contributions;
  CHECK(before > 0);
  for (int t = W; t < 60; ++t) {
    INFO("week " << t);
    CHECK(b.weeks[t].contributions == 0);
    CHECK(b.weeks[t].levers[lever_index("time_allowance")] == 0.0);
    CHECK(b.weeks[t].interventions_active == std::vector<std::uint8_t>{1});
  }
  CHECK(event_weeks(b, EventKind::intervention_start) == std::vector<std::int32_t>{W});
  CHECK(event_weeks(b, EventKind::intervention_end).empty());
}

TEST_CASE("A change no mechanism reads leaves the run bit-identical", "[unit][interventions]") {
  // support.peer_rate is read only with support.peer_network = true (false in the reference):
  // changing it makes the schedule recompute the lever-adjusted parameters from the scenario in
  // force, which must give back exactly those of the scenario as written.
  const Scenario base = scenario("", 40);
  const Scenario same = scenario(
      "[[interventions]]\nkey = \"support.peer_rate\"\nscale = 3\nstart = 5\nend = 20\n", 40);
  REQUIRE_FALSE(base.support.peer_network);
  const Run a = run(base, 3);
  const Run b = run(same, 3);
  for (std::size_t t = 0; t < a.weeks.size(); ++t)
    require_same_record(a.weeks[t], b.weeks[t], false);
  // ...while the value in force did change.
  CHECK(b.weeks[4].params == std::vector<double>{base.support.peer_rate});
  CHECK(b.weeks[5].params == std::vector<double>{base.support.peer_rate * 3.0});
  CHECK(b.weeks[20].params == std::vector<double>{base.support.peer_rate});
}

TEST_CASE("A ramped set is linear week by week and its end restores the value exactly",
          "[unit][interventions]") {
  constexpr std::int64_t W = 10, R = 7, E = 30;
  constexpr double X = 0.9;
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"levers.animation\"\nset = 0.9\n"
      "ramp_weeks = 7\nstart = 10\nend = 30\n",
      45);
  const double b = s.levers.animation;
  REQUIRE(b == 0.5);
  const int l = lever_index("animation");
  const Run r = run(s);
  for (std::int64_t t = 0; t < 45; ++t) {
    INFO("week " << t);
    const double got = r.weeks[t].levers[l];
    if (t < W || t >= E) {
      CHECK(got == b);
      CHECK(r.weeks[t].interventions_active[0] == 0);
    } else {
      // b + min(1, (t - W + 1) / R) (X - b), bit for bit.
      const double want = b + std::min(1.0, static_cast<double>(t - W + 1) / R) * (X - b);
      CHECK(got == want);
      CHECK(r.weeks[t].interventions_active[0] == 1);
    }
  }
  // The ramp reaches X in week W + R - 1 exactly, not before.
  CHECK(r.weeks[W + R - 2].levers[l] < X);
  CHECK(r.weeks[W + R - 1].levers[l] == X);
  CHECK(r.weeks[E - 1].levers[l] == X);
  CHECK(event_weeks(r, EventKind::intervention_start) == std::vector<std::int32_t>{W});
  CHECK(event_weeks(r, EventKind::intervention_end) == std::vector<std::int32_t>{E});
}

TEST_CASE("A ramped scale of a parameter is linear and its end restores the value exactly",
          "[unit][interventions]") {
  constexpr std::int64_t W = 5, R = 8, E = 25;
  constexpr double F = 3.0;
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"support.capacity_hours\"\nscale = 3\n"
      "ramp_weeks = 8\nstart = 5\nend = 25\n",
      35);
  const double b = s.support.capacity_hours;
  REQUIRE(b == 10.0);
  const Run r = run(s);
  for (std::int64_t t = 0; t < 35; ++t) {
    INFO("week " << t);
    REQUIRE(r.weeks[t].params.size() == 1);
    const double got = r.weeks[t].params[0];
    if (t < W || t >= E) {
      CHECK(got == b);
    } else {
      // b (1 + min(1, (t - W + 1) / R) (F - 1)), bit for bit.
      const double want = b * (1.0 + std::min(1.0, static_cast<double>(t - W + 1) / R) * (F - 1));
      CHECK(got == want);
    }
  }
  CHECK(r.weeks[W + R - 1].params[0] == b * F);
}

TEST_CASE("Overlapping scales multiply; a set and scales on one key follow the formula",
          "[unit][interventions]") {
  // set 0.2 on weeks [10, 30) ramped over 4 weeks; scale 1.5 on [20, 40) ramped over 5; scale
  // 0.5 on [25, 35) at once. Value: (b + r_s (0.2 - b)) (1 + r_1 0.5) (1 + r_2 (-0.5)).
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"levers.belonging\"\nset = 0.2\nramp_weeks = 4\nstart = 10\n"
      "end = 30\n"
      "[[interventions]]\nkey = \"levers.belonging\"\nscale = 1.5\nramp_weeks = 5\nstart = 20\n"
      "end = 40\n"
      "[[interventions]]\nkey = \"levers.belonging\"\nscale = 0.5\nstart = 25\nend = 35\n",
      45);
  const double b = s.levers.belonging;
  const int l = lever_index("belonging");
  const Run r = run(s);
  for (std::int64_t t = 0; t < 45; ++t) {
    INFO("week " << t);
    double v = b;
    if (t >= 10 && t < 30) v = b + ramp_share(t, 10, 4) * (0.2 - b);
    if (t >= 20 && t < 40) v *= 1.0 + ramp_share(t, 20, 5) * (1.5 - 1.0);
    if (t >= 25 && t < 35) v *= 1.0 + ramp_share(t, 25, 0) * (0.5 - 1.0);
    CHECK(r.weeks[t].levers[l] == std::clamp(v, 0.0, 1.0));
  }
  CHECK(r.weeks[44].levers[l] == b);
}

TEST_CASE("Scale 1 on every mid-run number key leaves every value as written",
          "[unit][interventions]") {
  // Catches a key whose range is missing (the clamp would then force it to 0) or whose field
  // pointer reaches another field.
  std::string body;
  for (const MidRunKey& k : mid_run_keys())
    if (k.type == MidRunKey::Type::number)
      body += "[[interventions]]\nkey = \"" + std::string(k.key) + "\"\nscale = 1\n";
  const Scenario s = scenario(body, 3);
  InterventionState st(s);
  Scenario now = s;
  std::vector<Event> events;
  CHECK_FALSE(st.begin_week(0, nullptr, now, events));
  for (const MidRunKey& k : mid_run_keys()) {
    Scenario copy = s;
    INFO(k.key);
    CHECK(key_number(k, now) == key_number(k, copy));
  }
}

TEST_CASE("A choice and a boolean can be set for a span and come back", "[unit][interventions]") {
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nstart = 4\nend = 9\n"
      "[[interventions]]\nkey = \"support.peer_network\"\nset = true\nstart = 6\nend = 12\n",
      15);
  REQUIRE(s.support.mode == "capacity_building");
  const Run r = run(s);
  // params in the order the keys first appear; choices as their index in the field's choices.
  Scenario copy = s;
  const double base_mode = key_number(*find_mid_run_key("support.mode"), copy);
  copy.support.mode = "expert";
  const double expert = key_number(*find_mid_run_key("support.mode"), copy);
  REQUIRE(base_mode != expert);
  for (std::int64_t t = 0; t < 15; ++t) {
    INFO("week " << t);
    REQUIRE(r.weeks[t].params.size() == 2);
    CHECK(r.weeks[t].params[0] == (t >= 4 && t < 9 ? expert : base_mode));
    CHECK(r.weeks[t].params[1] == (t >= 6 && t < 12 ? 1.0 : 0.0));
  }
}

// ---------------------------------------------------------------------------------------------
// Programmes and budgets

namespace {

// A support.mode programme on top of scarce support: the reference support team of 10 h/week
// (capacity_hours 10, support_capacity 0.5) against the demand of ~300 members' CdPs.
constexpr std::int64_t kProgStart = 4, kProgEnd = 60;

// Weeks of a run the programme (intervention 0) is in force.
std::vector<std::int64_t> weeks_on(const Run& r, std::size_t i = 0) {
  std::vector<std::int64_t> out;
  for (const WeekRecord& w : r.weeks)
    if (w.interventions_active.at(i)) out.push_back(w.week);
  return out;
}

}  // namespace

TEST_CASE("A budget of hours is spent exactly, then support stops until the end",
          "[unit][interventions][budget]") {
  constexpr double B = 123.4;
  const Scenario s = scenario(
      "[[interventions]]\nname = \"programme\"\nkey = \"support.mode\"\n"
      "set = \"expert\"\nstart = 4\nend = 60\nbudget_hours = 123.4\n",
      70);
  const Run r = run(s);
  // Not vacuous: demand exceeds the team's capacity, so the cap (not demand) decides.
  for (std::int64_t t = kProgStart; t < kProgStart + 5; ++t)
    CHECK(r.weeks[t].support_hours_demanded > r.weeks[t].support_hours_given);
  const auto exhausted = event_weeks(r, EventKind::budget_exhausted);
  REQUIRE(exhausted.size() == 1);  // logged once
  const std::int64_t X = exhausted[0];
  REQUIRE(X > kProgStart);
  REQUIRE(X < kProgEnd);
  double sum = 0.0;
  for (std::int64_t t = kProgStart; t <= X; ++t) sum += r.weeks[t].support_hours_given;
  // support_given is a float per CdP: each CdP's share of the last week is rounded to 24 bits
  // (~1e-6 h each for shares of a few hours), far inside 1e-3 h.
  CHECK(std::abs(sum - B) <= 1e-3);
  CHECK(std::abs(r.weeks.back().spent_hours_total - B) <= 1e-3);
  // The recorded total is the sum of what was given (both are sums of the same doubles).
  CHECK(r.weeks.back().spent_hours_total == Approx(sum).epsilon(1e-12));
  for (std::int64_t t = X + 1; t < kProgEnd; ++t) {
    INFO("week " << t);
    CHECK(r.weeks[t].support_hours_given == 0.0);
    CHECK(r.weeks[t].interventions_active[0] == 0);
    CHECK(r.weeks[t].spent_hours_total == r.weeks[X].spent_hours_total);
  }
  // In force from its start to the week it ran out, inclusive.
  std::vector<std::int64_t> want;
  for (std::int64_t t = kProgStart; t <= X; ++t) want.push_back(t);
  CHECK(weeks_on(r) == want);
  // After its end the scenario's own support team is back (its cap lifted).
  double after = 0.0;
  for (std::int64_t t = kProgEnd; t < 70; ++t) after += r.weeks[t].support_hours_given;
  CHECK(after > 0.0);
}

TEST_CASE("The budget of hours stops support exactly for small budgets too",
          "[unit][interventions][budget]") {
  // Budgets that end mid-week with fractional hours: the week the budget runs out must be the
  // week whose support reaches it, and no later week may give any hour (not even 1e-7 h).
  // Regression: the float rounding of support_given once left the total ~1e-7 h short of the
  // budget, and the programme stayed in force one more week giving ~1e-8 h to each asking CdP.
  for (const double B : {7.3, 19.9, 33.3333, 50.05, 71.7}) {
    for (const char* policy : {"neediest", "proportional", "first_come"}) {
      const Scenario s = scenario(
          "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nstart = 4\nend = 50\n"
          "budget_hours = " +
              std::to_string(B) + "\n",
          55, 40, {std::string("support.policy=") + policy});
      const double budget = s.interventions[0].budget_hours.number;
      const Run r = run(s, 5);
      INFO("budget " << budget << ", policy " << policy);
      const auto exhausted = event_weeks(r, EventKind::budget_exhausted);
      REQUIRE(exhausted.size() == 1);
      const std::int64_t X = exhausted[0];
      CHECK(std::abs(r.weeks.back().spent_hours_total - budget) <= 1e-3);
      // The week before it ran out, support was still short of the budget by more than float
      // noise: the exhaustion is not a week late.
      CHECK(r.weeks[X - 1].spent_hours_total < budget - 1e-3);
      for (std::int64_t t = X + 1; t < 50; ++t) {
        INFO("week " << t);
        CHECK(r.weeks[t].support_hours_given == 0.0);
      }
    }
  }
}

TEST_CASE("A money budget stops support exactly, in the week it is reached",
          "[unit][interventions][budget]") {
  // As for hours: the week the money runs out is the week whose spending reaches it; no later
  // week is in force, pays a fixed cost or gives an hour (regression: the money was once left
  // ~1e-6 short and the programme ran one more week).
  for (const double budget : {101.3, 333.3, 1001.1, 1500.5, 2222.2})
    for (const double per_week : {0.0, 60.0})
      for (const char* policy : {"proportional", "neediest"}) {
        const Scenario s = scenario(
            "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nstart = 4\nend = 50\n"
            "cost_per_hour = 35\ncost_per_week = " +
                std::to_string(per_week) + "\nbudget = " + std::to_string(budget) + "\n",
            55, 40, {std::string("support.policy=") + policy});
        const Run r = run(s, 5);
        INFO("budget " << budget << ", cost_per_week " << per_week << ", policy " << policy);
        const auto exhausted = event_weeks(r, EventKind::budget_exhausted);
        REQUIRE(exhausted.size() == 1);
        const std::int64_t X = exhausted[0];
        // 1e-6 relative: float rounding of the hours (~1e-7 relative) times the hourly cost.
        CHECK(std::abs(r.weeks.back().spent_money_total - budget) <= 1e-6 * budget);
        CHECK(r.weeks[X - 1].spent_money_total < budget * (1 - 1e-6));
        // The last week buys hours with what its fixed cost leaves, if anything (cap(t) =
        // (budget - spent - cost_per_week) / cost_per_hour).
        const double left = budget - r.weeks[X - 1].spent_money_total;
        INFO("left before the last week " << left);
        if (left > per_week + 1.0) CHECK(r.weeks[X].support_hours_given > 1e-3);
        CHECK(std::abs(r.weeks[X].spent_money - left) <= 1e-6 * budget);
        for (std::int64_t t = X + 1; t < 50; ++t) {
          INFO("week " << t);
          CHECK(r.weeks[t].support_hours_given == 0.0);
          CHECK(r.weeks[t].interventions_active[0] == 0);
        }
      }
}

TEST_CASE("A money budget with hourly and weekly costs is spent exactly, then stops",
          "[unit][interventions][budget]") {
  constexpr double budget = 4321.0, per_hour = 35.0, per_week = 60.0;
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"levers.support_capacity\"\nset = 0.8\nstart = 4\n"
      "end = 60\nbudget = 4321\ncost_per_hour = 35\ncost_per_week = 60\n",
      70);
  const Run r = run(s);
  const auto exhausted = event_weeks(r, EventKind::budget_exhausted);
  REQUIRE(exhausted.size() == 1);
  const std::int64_t X = exhausted[0];
  REQUIRE(X < kProgEnd);
  // Recount from the series: every week in force pays its fixed cost (the last week what is
  // left of it) and its hours.
  double money = 0.0, hours = 0.0;
  for (std::int64_t t = kProgStart; t <= X; ++t) {
    REQUIRE(r.weeks[t].interventions_active[0] == 1);
    hours += r.weeks[t].support_hours_given;
    money += std::min(per_week, budget - money) + per_hour * r.weeks[t].support_hours_given;
  }
  // 1e-6 relative: the float rounding of the last week's hours (~1e-6 h) times 35/h, over 4321.
  CHECK(std::abs(money - budget) <= 1e-6 * budget);
  CHECK(std::abs(r.weeks.back().spent_money_total - budget) <= 1e-6 * budget);
  CHECK(r.weeks.back().spent_hours_total == Approx(hours).epsilon(1e-12));
  for (std::int64_t t = X + 1; t < kProgEnd; ++t) {
    INFO("week " << t);
    CHECK(r.weeks[t].interventions_active[0] == 0);
    CHECK(r.weeks[t].support_hours_given == 0.0);
    CHECK(r.weeks[t].spent_money == 0.0);
    CHECK(r.weeks[t].spent_money_total == r.weeks[X].spent_money_total);
    CHECK(r.weeks[t].levers[lever_index("support_capacity")] == s.levers.support_capacity);
  }
}

TEST_CASE("A money budget of weekly costs only ends the intervention when spent",
          "[unit][interventions][budget]") {
  // 1000 at 300 a week: 300, 300, 300, then the last 100 in week start + 3; the lever is back
  // from the week after.
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"levers.animation\"\nset = 0.9\n"
      "start = 10\nbudget = 1000\ncost_per_week = 300\n",
      25);
  const Run r = run(s);
  CHECK(event_weeks(r, EventKind::budget_exhausted) == std::vector<std::int32_t>{13});
  CHECK(weeks_on(r) == std::vector<std::int64_t>{10, 11, 12, 13});
  const double want[] = {300, 300, 300, 100};
  for (int k = 0; k < 4; ++k) CHECK(r.weeks[10 + k].spent_money == want[k]);
  CHECK(r.weeks.back().spent_money_total == 1000.0);
  CHECK(r.weeks.back().spent_hours_total == 0.0);  // not a programme: pays for no hour
  CHECK(r.weeks[14].levers[lever_index("animation")] == s.levers.animation);
}

TEST_CASE("A programme's spending recounts from its hours and weekly cost",
          "[unit][interventions][budget]") {
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"support.capacity_hours\"\nset = 25\nstart = 3\n"
      "end = 20\ncost_per_hour = 40\ncost_per_week = 125\n",
      30);
  const Run r = run(s);
  double money = 0.0, hours = 0.0;
  for (const WeekRecord& w : r.weeks) {
    INFO("week " << w.week);
    const bool on = w.week >= 3 && w.week < 20;
    CHECK(w.interventions_active[0] == (on ? 1 : 0));
    if (!on) {
      CHECK(w.spent_money == 0.0);
      continue;
    }
    hours += w.support_hours_given;
    money += 125.0 + 40.0 * w.support_hours_given;
    // Same additions in the same order as the model: exact.
    CHECK(w.spent_hours == w.support_hours_given);
    CHECK(w.spent_money_total == money);
  }
  CHECK(hours > 0.0);
  CHECK(r.weeks.back().spent_hours_total == hours);
}

// ---------------------------------------------------------------------------------------------
// Triggers

namespace {

// The rules of a trigger replayed on the recorded series: checks at start + k check_every
// within [start, end), on last week's record; on when `when` holds and t >= blackout_until; off
// when t - on_week >= min_duration and `until` holds, then blackout; off at the end.
struct Replay {
  std::vector<std::uint8_t> active;
  std::vector<std::int32_t> ons, offs;
};

template <class When, class Until>
Replay replay(const Run& r, std::int64_t start, std::int64_t end, std::int64_t check_every,
              std::int64_t min_duration, std::int64_t blackout, When when, Until until) {
  Replay out;
  bool on = false;
  std::int64_t since = 0, blackout_until = 0;
  for (std::int64_t t = 0; t < static_cast<std::int64_t>(r.weeks.size()); ++t) {
    if (t >= start && t < end) {
      if (t > 0 && (t - start) % check_every == 0) {
        const WeekRecord& last = r.weeks[t - 1];
        if (!on && t >= blackout_until && when(last)) {
          on = true;
          since = t;
          out.ons.push_back(static_cast<std::int32_t>(t));
        } else if (on && t - since >= min_duration && until(last)) {
          on = false;
          blackout_until = t + blackout;
          out.offs.push_back(static_cast<std::int32_t>(t));
        }
      }
    } else if (on) {
      on = false;
      out.offs.push_back(static_cast<std::int32_t>(t));
    }
    out.active.push_back(on ? 1 : 0);
  }
  return out;
}

std::vector<std::uint8_t> active_series(const Run& r, std::size_t i = 0) {
  std::vector<std::uint8_t> out;
  for (const WeekRecord& w : r.weeks) out.push_back(w.interventions_active.at(i));
  return out;
}

// A self-oscillating trigger: when contributions are high, cut the time allowance to 0, which
// empties the next week's contributions, which switches it off, and so on. Crossings are
// certain, so the test cannot pass vacuously.
std::string oscillator(std::int64_t check_every, std::int64_t min_duration, std::int64_t blackout,
                       std::int64_t start = 3, std::int64_t end = 90) {
  return "[[interventions]]\nname = \"cut\"\nkey = \"levers.time_allowance\"\nset = 0\n"
         "when = \"contributions > 40\"\nuntil = \"contributions < 5\"\nstart = " +
         std::to_string(start) + "\nend = " + std::to_string(end) +
         "\ncheck_every = " + std::to_string(check_every) +
         "\nmin_duration = " + std::to_string(min_duration) +
         "\nblackout = " + std::to_string(blackout) + "\n";
}

void check_trigger(const Run& r, const Replay& want) {
  CHECK(active_series(r) == want.active);
  CHECK(event_weeks(r, EventKind::trigger_on) == want.ons);
  CHECK(event_weeks(r, EventKind::trigger_off) == want.offs);
  // A triggered intervention logs trigger_* events, not intervention_start/end.
  CHECK(event_weeks(r, EventKind::intervention_start).empty());
  CHECK(event_weeks(r, EventKind::intervention_end).empty());
}

}  // namespace

TEST_CASE("A trigger switches on and off exactly when its thresholds are crossed",
          "[unit][interventions][trigger]") {
  const Scenario s = scenario(oscillator(1, 0, 0), 100);
  const Run r = run(s);
  const auto high = [](const WeekRecord& w) { return w.contributions > 40; };
  const auto low = [](const WeekRecord& w) { return w.contributions < 5; };
  const Replay want = replay(r, 3, 90, 1, 0, 0, high, low);
  check_trigger(r, want);
  CHECK(want.ons.size() >= 2);
  CHECK(want.offs.size() >= 2);
  // The series really crosses both thresholds.
  bool any_high = false, any_low = false;
  for (const WeekRecord& w : r.weeks) {
    any_high = any_high || high(w);
    any_low = any_low || (w.week > 3 && low(w));
  }
  CHECK(any_high);
  CHECK(any_low);
  // In force, the lever is the set value; off, the scenario's.
  const int l = lever_index("time_allowance");
  for (const WeekRecord& w : r.weeks)
    CHECK(w.levers[l] == (w.interventions_active[0] ? 0.0 : s.levers.time_allowance));
}

TEST_CASE("A trigger with check_every, min_duration and blackout switches no more often",
          "[unit][interventions][trigger]") {
  constexpr std::int64_t start = 3, end = 90, every = 3, min_on = 4, blackout = 5;
  const Scenario s = scenario(oscillator(every, min_on, blackout, start, end), 100);
  const Run r = run(s);
  const auto high = [](const WeekRecord& w) { return w.contributions > 40; };
  const auto low = [](const WeekRecord& w) { return w.contributions < 5; };
  const Replay want = replay(r, start, end, every, min_on, blackout, high, low);
  check_trigger(r, want);
  REQUIRE(want.ons.size() >= 2);
  REQUIRE(want.offs.size() >= 1);
  const auto ons = event_weeks(r, EventKind::trigger_on);
  const auto offs = event_weeks(r, EventKind::trigger_off);
  // Switches only at checks, alternate on/off, stay on at least min_duration and off at least
  // the blackout.
  for (auto t : ons) CHECK((t - start) % every == 0);
  for (auto t : offs) CHECK(((t - start) % every == 0 || t == end));
  for (std::size_t k = 0; k < offs.size(); ++k) {
    REQUIRE(k < ons.size());
    CHECK(offs[k] > ons[k]);
    CHECK(offs[k] - ons[k] >= min_on);
    if (k + 1 < ons.size()) CHECK(ons[k + 1] - offs[k] >= blackout);
  }
  // And it does switch less often than the unconstrained trigger.
  const Run free = run(scenario(oscillator(1, 0, 0, start, end), 100));
  CHECK(ons.size() < event_weeks(free, EventKind::trigger_on).size());
}

TEST_CASE("A trigger on an exogenous series follows it: the pandemic",
          "[unit][interventions][trigger]") {
  // pandemic is 1 in the pandemic's weeks [40, 40 + 78) and 0 otherwise; checks every 2 weeks
  // from week 1 on last week's record: on at the first odd week after 40, i.e. 41; the horizon
  // (70 weeks) ends before the pandemic, so the `end` (60) switches it off.
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"levers.digital_tools\"\nset = 0.9\nwhen = \"pandemic > 0.5\"\n"
      "until = \"pandemic < 0.5\"\nstart = 1\nend = 60\ncheck_every = 2\n",
      70, 40);
  const Run r = run(s);
  REQUIRE(r.weeks[39].pandemic == 0.0);
  REQUIRE(r.weeks[40].pandemic == 1.0);
  CHECK(event_weeks(r, EventKind::trigger_on) == std::vector<std::int32_t>{41});
  CHECK(event_weeks(r, EventKind::trigger_off) == std::vector<std::int32_t>{60});
  for (const WeekRecord& w : r.weeks) {
    INFO("week " << w.week);
    CHECK(w.interventions_active[0] == (w.week >= 41 && w.week < 60 ? 1 : 0));
  }
}

TEST_CASE("A trigger without until switches off when `when` no longer holds",
          "[unit][interventions][trigger]") {
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"levers.time_allowance\"\nset = 0\n"
      "when = \"contributions > 40\"\nstart = 3\nend = 90\n",
      100);
  const Run r = run(s);
  const auto high = [](const WeekRecord& w) { return w.contributions > 40; };
  const auto not_high = [](const WeekRecord& w) { return !(w.contributions > 40); };
  const Replay want = replay(r, 3, 90, 1, 0, 0, high, not_high);
  CHECK(want.ons.size() >= 2);
  CHECK(active_series(r) == want.active);
  CHECK(event_weeks(r, EventKind::trigger_on) == want.ons);
  CHECK(event_weeks(r, EventKind::trigger_off) == want.offs);
}

TEST_CASE("A triggered ramp starts from the week the trigger switched on",
          "[unit][interventions][trigger]") {
  const Scenario s = scenario(
      "[[interventions]]\nkey = \"levers.animation\"\nset = 1\nramp_weeks = 6\n"
      "when = \"pandemic > 0.5\"\nstart = 1\n",
      60, 30);
  const Run r = run(s);
  REQUIRE(event_weeks(r, EventKind::trigger_on) == std::vector<std::int32_t>{31});
  const int l = lever_index("animation");
  const double b = s.levers.animation;
  for (const WeekRecord& w : r.weeks) {
    INFO("week " << w.week);
    const double want = w.week < 31 ? b : b + ramp_share(w.week, 31, 6) * (1.0 - b);
    CHECK(w.levers[l] == want);
  }
}

// ---------------------------------------------------------------------------------------------
// Determinism

TEST_CASE("Trigger, ramp and budget give identical records at 1 and 2 threads",
          "[determinism][interventions]") {
  // Enough members for several 2048-member blocks, so that two threads really split the sweep.
  const std::string body =
      oscillator(2, 3, 2, 3, 40) +
      "[[interventions]]\nkey = \"levers.belonging\"\nscale = 1.4\nramp_weeks = 9\nstart = 2\n"
      "end = 30\n"
      "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nstart = 5\nend = 35\n"
      "budget_hours = 80\ncost_per_hour = 20\ncost_per_week = 10\n";
  const Scenario s = scenario(
      body, 40, 20, {"population.potential_members=9000", "population.initial_members=7000"});
  const Run one = run(s, 21, 1);
  const Run two = run(s, 21, 2);
  REQUIRE(one.weeks[0].members_total > 2 * 2048);
  require_same_run(one, two);
  // Not vacuous: each intervention did something.
  CHECK_FALSE(event_weeks(one, EventKind::trigger_on).empty());
  CHECK(event_weeks(one, EventKind::budget_exhausted).size() == 1);
  CHECK(one.weeks.back().spent_money_total > 0.0);
}

// ---------------------------------------------------------------------------------------------
// Refused plans

namespace {

// The message of the ScenarioError that loading `body` throws ("" when it loads).
std::string refusal(const std::string& body) {
  try {
    (void)scenario(body, 30);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Refused interventions name the key path and what is allowed",
          "[unit][interventions][errors]") {
  struct Case {
    const char* what;
    std::string body;
    std::vector<std::string> fragments;
  };
  const std::string lever = "[[interventions]]\nkey = \"levers.animation\"\n";
  const std::vector<Case> cases = {
      {"unknown trigger variable",
       lever + "set = 0.9\nwhen = \"members_actve < 3\"\n",
       {"interventions[0].when", "unknown variable 'members_actve'", "did you mean",
        "members_active", "allowed: ", "cdps_active_share"}},
      {"ramp longer than its span",
       lever + "set = 0.9\nstart = 5\nend = 10\nramp_weeks = 6\n",
       {"interventions[0].ramp_weeks", "6 weeks", "span of 5 weeks", "allowed: "}},
      {"end before start",
       lever + "set = 0.9\nstart = 10\nend = 4\n",
       {"interventions[0].end", "week 4", "allowed: an end after the start"}},
      {"end equal to start",
       lever + "set = 0.9\nstart = 10\nend = 10\n",
       {"interventions[0].end", "allowed: an end after the start"}},
      {"a parameter read only at creation",
       "[[interventions]]\nkey = \"population.potential_members\"\nset = 900\n",
       {"interventions[0].key", "population.potential_members", "not safe to change",
        "allowed: ", "levers.time_allowance", "support.mode"}},
      {"not a parameter",
       "[[interventions]]\nkey = \"levers.suport_capacity\"\nset = 0.9\n",
       {"interventions[0].key", "not a parameter", "did you mean 'levers.support_capacity'",
        "allowed: "}},
      {"negative budget of hours",
       "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nbudget_hours = -5\n",
       {"interventions[0].budget_hours", "-5", "out of range", "allowed: "}},
      {"negative money budget",
       "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nbudget = -1\n"
       "cost_per_hour = 3\n",
       {"interventions[0].budget", "-1", "out of range", "allowed: "}},
      {"two overlapping sets on one key",
       lever + "set = 0.9\nstart = 0\nend = 20\n" + lever + "set = 0.1\nstart = 19\n",
       {"interventions[1].start", "interventions[0]", "levers.animation",
        "allowed: one set per key at a time"}},
      {"two overlapping paying programmes",
       "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nend = 20\n"
       "budget_hours = 50\n"
       "[[interventions]]\nkey = \"levers.support_capacity\"\nscale = 2\nstart = 10\n"
       "cost_per_hour = 30\n",
       {"interventions[1].start", "pays for support", "allowed: one paying programme at a time"}},
      {"set and scale both given",
       lever + "set = 0.9\nscale = 1.2\n",
       {"interventions[0].scale", "set and scale are both given", "allowed: exactly one"}},
      {"neither set nor scale",
       lever + "start = 3\n",
       {"interventions[0].set", "neither set nor scale", "allowed: exactly one"}},
      {"a string set for a number key",
       lever + "set = \"high\"\n",
       {"interventions[0].set", "expected a number for levers.animation",
        "allowed: a number in [0, 1]"}},
      {"set out of the key's range",
       lever + "set = 1.5\n",
       {"interventions[0].set", "1.5", "out of range", "allowed: [0, 1]"}},
      {"scale of a boolean",
       "[[interventions]]\nkey = \"support.peer_network\"\nscale = 2\n",
       {"interventions[0].scale", "support.peer_network", "cannot be scaled", "allowed: "}},
      {"scale out of the key's range",
       lever + "scale = 3\n",
       {"interventions[0].scale", "out of range", "allowed: a result in [0, 1]"}},
      {"unknown choice",
       "[[interventions]]\nkey = \"support.mode\"\nset = \"helpdesk\"\n",
       {"interventions[0].set", "'helpdesk'", "allowed: ", "'expert'"}},
      {"a boolean set to a number",
       "[[interventions]]\nkey = \"support.peer_network\"\nset = 1\n",
       {"interventions[0].set", "expected true or false", "allowed: "}},
      {"a ramp on a choice",
       "[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nramp_weeks = 4\n",
       {"interventions[0].ramp_weeks", "cannot ramp", "allowed: 0"}},
      {"until without when",
       lever + "set = 0.9\nuntil = \"members_active > 3\"\n",
       {"interventions[0].until", "without `when`", "allowed: "}},
      {"until on the same side as when",
       lever + "set = 0.9\nwhen = \"members_active < 30\"\nuntil = \"members_active < 10\"\n",
       {"interventions[0].until", "can hold together", "allowed: "}},
      {"a threshold that is not a number",
       lever + "set = 0.9\nwhen = \"members_active < lots\"\n",
       {"interventions[0].when", "'lots'", "not a finite number", "allowed: "}},
      {"blackout without a trigger",
       lever + "set = 0.9\nblackout = 3\n",
       {"interventions[0].blackout", "trigger only", "allowed: "}},
      {"budget of hours on a key that is not support",
       lever + "set = 0.9\nbudget_hours = 10\n",
       {"interventions[0].budget_hours", "only an intervention on the support team", "allowed: "}},
      {"budget with nothing spent against it",
       lever + "set = 0.9\nbudget = 100\n",
       {"interventions[0].budget", "nothing is spent against it", "allowed: "}},
      {"start not a whole week",
       lever + "set = 0.9\nstart = 2.5\n",
       {"interventions[0].start", "2.5", "not a whole week", "allowed: "}},
      {"start before the start date",
       lever + "set = 0.9\nstart = 2017-01-02\n",
       {"interventions[0].start", "before the start date", "allowed: "}},
  };
  for (const Case& c : cases) {
    INFO(c.what << "\n" << c.body);
    const std::string msg = refusal(c.body);
    REQUIRE_FALSE(msg.empty());
    INFO(msg);
    // FILE:LINE:COLUMN of the offending key (the loader places the model's key path).
    CHECK(msg.starts_with("test.toml:"));
    CHECK(msg.find('\n') == std::string::npos);
    for (const std::string& f : c.fragments) {
      INFO("fragment " << f);
      CHECK(msg.find(f) != std::string::npos);
    }
  }
}

TEST_CASE("Plans that are allowed: sets in turn, scales overlapping, programmes in turn",
          "[unit][interventions][errors]") {
  const std::string lever = "[[interventions]]\nkey = \"levers.animation\"\n";
  // [0, 20) then [20, ...): touching spans do not overlap.
  CHECK(refusal(lever + "set = 0.9\nend = 20\n" + lever + "set = 0.1\nstart = 20\n").empty());
  CHECK(refusal(lever + "scale = 1.5\n" + lever + "scale = 0.5\n" + lever + "set = 0.3\n").empty());
  CHECK(refusal("[[interventions]]\nkey = \"support.mode\"\nset = \"expert\"\nend = 20\n"
                "budget_hours = 50\n"
                "[[interventions]]\nkey = \"levers.support_capacity\"\nscale = 2\nstart = 20\n"
                "cost_per_hour = 30\n")
            .empty());
  // A ramp as long as the span is allowed.
  CHECK(refusal(lever + "set = 0.9\nstart = 5\nend = 10\nramp_weeks = 5\n").empty());
}

TEST_CASE("plan_interventions resolves dates and names", "[unit][interventions]") {
  // 2018-09-03 + 7 x 10 days = 2018-11-12: week 10; 2018-11-14 (a Wednesday) still week 10.
  const Scenario s = scenario(
      "[[interventions]]\nname = \"boost\"\nkey = \"levers.animation\"\nset = 0.9\n"
      "start = 2018-11-12\nend = 2018-11-28\n"
      "[[interventions]]\nkey = \"support.capacity_hours\"\nscale = 2\nstart = 2018-11-14\n");
  const InterventionPlan plan = plan_interventions(s, "x");
  REQUIRE(plan.items.size() == 2);
  CHECK(plan.items[0].name == "boost");
  CHECK(plan.items[0].start == 10);
  CHECK(plan.items[0].end == 12);
  CHECK(plan.items[0].lever == lever_index("animation"));
  CHECK(plan.items[0].param == -1);
  CHECK(plan.items[1].name == "interventions[1]");
  CHECK(plan.items[1].start == 10);
  CHECK(plan.items[1].end == kNever);
  CHECK(plan.items[1].param == 0);
  REQUIRE(plan.params.size() == 1);
  CHECK(mid_run_keys()[static_cast<std::size_t>(plan.params[0])].key == "support.capacity_hours");
}
