// The simulator side of `cdpsim sensitivity` (docs/sensitivity.md): the plan's design and seeds,
// the per-CdP metrics of each phase cohort recomputed here from the run itself, and the noise
// floor on a lever-free question.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "experiments/ensemble/design.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/scenario_io.hpp"
#include "experiments/sensitivity/sensitivity.hpp"

using namespace cdpsim;

namespace {

const std::string kScenario = std::string(CDPSIM_SOURCE_DIR) + "/scenarios/passerelles.toml";
const std::vector<std::string> kShort = {"simulation.weeks=40", "shocks.0.start=2018-10-15",
                                         "population.potential_members=2000"};

SensitivityRequest small_request() {
  SensitivityRequest q;
  q.method = SensitivityMethod::sobol;
  q.base_sets = kShort;
  q.levers = {"animation,time_allowance"};
  q.samples = 4;
  q.replicates = 2;
  q.master_seed = 5;
  return q;
}

}  // namespace

TEST_CASE("Sensitivity plan: inputs, design, seeds shared through the dummy",
          "[unit][sensitivity]") {
  const SensitivityPlan plan = make_sensitivity_plan(kScenario, small_request());
  REQUIRE(plan.levers == std::vector<std::string>{"animation", "time_allowance", "dummy"});
  CHECK(plan.lever_index.back() == -1);
  CHECK(plan.points() == 4 * 5);
  CHECK(plan.runs() == 4 * 5 * 2);
  CHECK(plan.metrics == default_sensitivity_metrics());
  CHECK(plan.cohorts == std::vector<std::string>{"all"});
  CHECK(plan.stratum_name(0) == "all");
  const auto& d = plan.sobol;
  for (std::size_t j = 0; j < d.base; ++j)
    for (std::int64_t r = 0; r < 2; ++r) {
      auto seed = [&](std::size_t row) {
        return plan.seed_of(static_cast<std::int64_t>(row) * 2 + r);
      };
      CHECK(seed(d.row_ab(j, 0)) == seed(d.row_a(j)));
      CHECK(seed(d.row_ab(j, 1)) == seed(d.row_a(j)));
      CHECK(seed(d.row_ab(j, 2)) == seed(d.row_b(j)));  // the dummy carries B's randomness
      CHECK(seed(d.row_a(j)) != seed(d.row_b(j)));
    }
  // run_sets reproduces the point.
  const auto sets = plan.run_sets(7 * 2 + 1);
  CHECK(sets.size() == kShort.size() + 2);
  CHECK(sets[kShort.size()].starts_with("levers.animation="));
  // Same request, same plan; another seed, another design.
  CHECK(make_sensitivity_plan(kScenario, small_request()).id == plan.id);
  SensitivityRequest other = small_request();
  other.master_seed = 6;
  CHECK(make_sensitivity_plan(kScenario, other).id != plan.id);
  CHECK(make_sensitivity_plan(kScenario, other).sobol.points != d.points);
}

TEST_CASE("Sensitivity plan: bad requests are user errors", "[unit][sensitivity]") {
  auto fails = [](auto edit) {
    SensitivityRequest q = small_request();
    edit(q);
    CHECK_THROWS_AS(make_sensitivity_plan(kScenario, q), SensitivityError);
  };
  fails([](SensitivityRequest& q) { q.levers = {"nope"}; });
  fails([](SensitivityRequest& q) { q.metrics = {"nope"}; });
  fails([](SensitivityRequest& q) { q.stratify = {"nope"}; });
  fails([](SensitivityRequest& q) { q.samples = 1; });
  fails([](SensitivityRequest& q) { q.stratify = {"support_mode", "pandemic"}; });
  fails([](SensitivityRequest& q) {
    q.stratify = {"phase"};
    q.metrics = {"members_active"};
  });
  fails([](SensitivityRequest& q) {
    q.method = SensitivityMethod::morris;
    q.levels = 5;
  });
}

TEST_CASE("Per-CdP metrics of the phase cohorts match a recount of the run",
          "[unit][sensitivity]") {
  SensitivityRequest q = small_request();
  q.stratify = {"phase"};
  q.phase_week = 20;
  q.metrics = {"cdp_survival", "cdp_autonomy", "cdp_repertoire", "cdp_matured"};
  const SensitivityPlan plan = make_sensitivity_plan(kScenario, q);
  REQUIRE(plan.cohorts.size() == 7);
  const std::int64_t run = 3;  // point 1, replicate 1
  const std::vector<double> got = simulate_sensitivity_run(plan, run);

  // The same run by hand: the plan's scenario with the point's levers, the phases at week 20.
  Scenario s = plan.variants[0].scenario;
  const auto x = plan.point(plan.point_of(run));
  s.levers.animation = x[0];
  s.levers.time_allowance = x[1];
  std::vector<std::uint8_t> at20;
  const RunSummary r = simulate_summary(s, plan.seed_of(run), plan.horizon, [&](const World& w) {
    if (w.week == 20) at20.assign(w.cdps.phase.begin(), w.cdps.phase.begin() + w.cdps.created);
  });
  const int last = r.weeks.back().week;
  int checked = 0;
  for (std::size_t co = 0; co < plan.cohorts.size(); ++co) {
    double n = 0, alive = 0, supported = 0, autonomous = 0, rep = 0, matured = 0;
    for (std::size_t c = 0; c < r.cdps.size(); ++c) {
      const std::string& name = plan.cohorts[co];
      bool in = name == "all";
      if (name == "born_after") in = c >= at20.size();
      for (int p = 0; p < 5; ++p)
        if (name == kPhaseNames[static_cast<std::size_t>(p)]) in = c < at20.size() && at20[c] == p;
      if (!in) continue;
      const CdpFinal& f = r.cdps[c];
      const bool ok = f.phase != static_cast<std::uint8_t>(Phase::dissolved);
      n += 1;
      alive += ok;
      rep += ok ? f.repertoire : 0.0;
      matured += f.maturing_week >= 0;
      if (f.last_support_week >= 0) {
        supported += 1;
        autonomous += ok && f.active > 0 && f.last_support_week <= last - kAutonomyWeeks;
      }
    }
    const double* v = &got[co * 4];
    INFO("cohort " << plan.cohorts[co] << " with " << n << " CdPs");
    if (n == 0) {
      CHECK(std::isnan(v[0]));
      continue;
    }
    CHECK(v[0] == alive / n);
    CHECK(v[3] == matured / n);
    if (supported > 0) CHECK(v[1] == autonomous / supported);
    if (alive > 0) CHECK(v[2] == Approx(rep / alive).epsilon(1e-12));
    ++checked;
  }
  CHECK(checked >= 3);  // all, potential and born_after at least
  // "all" equals the ecosystem count where they overlap.
  CHECK(got[0] * static_cast<double>(r.cdps.size()) ==
        Approx(metric_value(r, "cdps_alive")).epsilon(1e-12));
}

TEST_CASE("Without any lever, the dummy's index is the replicate noise",
          "[statistical][sensitivity]") {
  // Vary one lever that cannot act: the support team's capacity when the scenario has no support
  // team (support.mode = none). Every bit of variance between points is then randomness, carried
  // by the dummy: ST of the lever is exactly 0, the dummy's ST is close to 1 (all the variance),
  // and so is the noise share.
  SensitivityRequest q = small_request();
  q.base_sets.push_back("support.mode=none");
  q.levers = {"support_capacity"};
  q.samples = 16;
  q.replicates = 2;
  q.metrics = {"cdp_survival"};
  q.bootstrap = 100;
  const SensitivityPlan plan = make_sensitivity_plan(kScenario, q);
  ProcessGroup group;
  const SensitivityData data = run_sensitivity(plan, nullptr, group, nullptr, {});
  REQUIRE(!data.interrupted);
  const SensitivityReport rep = analyse_sensitivity(plan, data);
  const SensitivityCell& c = rep.cell(plan, 0, 0);
  INFO("dummy ST " << c.sobol.total[1].value << ", noise share " << c.noise_share);
  CHECK(c.sobol.total[0].value == 0.0);
  CHECK(c.sobol.total[1].value == Approx(1.0).margin(0.35));
  CHECK(c.noise_share == Approx(1.0).margin(0.6));
  CHECK(c.influential[0] == 0);
  CHECK(c.rank[1] == 1);
}

namespace {

namespace fs = std::filesystem;

// A scenario file with a support programme (at most 100 hours, weeks 5 to 50) and a 1.2x
// animation boost (weeks 10 to 40), in a fresh temporary folder removed at the end.
struct ProgrammeFile {
  fs::path dir, path;
  ProgrammeFile() {
    std::random_device rd;
    do {
      dir = fs::temp_directory_path() / ("cdpsim_sensitivity_test_" + std::to_string(rd()));
    } while (!fs::create_directory(dir));
    path = dir / "programme.toml";
    std::ofstream(path) << "extends = \"" << kScenario
                        << "\"\nshocks = []\n[simulation]\nweeks = 40\n"
                           "[population]\npotential_members = 400\n"
                           "[[interventions]]\nname = \"support programme\"\n"
                           "key = \"support.capacity_hours\"\nset = 40\nstart = 5\nend = 35\n"
                           "budget_hours = 100\ncost_per_hour = 50\n"
                           "[[interventions]]\nname = \"animation boost\"\n"
                           "key = \"levers.animation\"\nscale = 1.2\nstart = 10\nend = 30\n";
  }
  ~ProgrammeFile() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

SensitivityRequest programme_request() {
  SensitivityRequest q;
  q.method = SensitivityMethod::sobol;
  q.levers = {"time_allowance"};
  q.inputs = {"interventions.0.budget_hours=20,500", "interventions.0.end=20,35"};
  q.samples = 4;
  q.replicates = 1;
  q.metrics = {"support_hours_given", "cdps_alive"};
  q.master_seed = 9;
  return q;
}

}  // namespace

TEST_CASE("Sensitivity plan: intervention parameters as inputs", "[unit][sensitivity]") {
  const ProgrammeFile file;
  const SensitivityPlan plan = make_sensitivity_plan(file.path, programme_request());
  REQUIRE(plan.levers == std::vector<std::string>{"time_allowance", "interventions.0.budget_hours",
                                                  "interventions.0.end", "dummy"});
  CHECK(plan.lever_index[1] == kKeyInput);
  CHECK(plan.lever_index[3] == -1);
  CHECK(plan.input_keys == std::vector<std::string>{"levers.time_allowance",
                                                    "interventions.0.budget_hours",
                                                    "interventions.0.end", ""});
  CHECK(plan.input_low == std::vector<double>{0, 20, 20, 0});
  CHECK(plan.input_high == std::vector<double>{1, 500, 35, 1});
  CHECK(plan.input_whole == std::vector<std::int8_t>{0, 0, 1, 0});
  CHECK(plan.points() == 4 * (4 + 2));
  // Design coordinates in [0, 1] map onto the ranges; weeks are whole.
  CHECK(plan.input_value(1, 0.0) == 20);
  CHECK(plan.input_value(1, 0.5) == 260);
  CHECK(plan.input_value(2, 0.5) == 28);  // 27.5 rounded
  CHECK(plan.input_value(0, 0.25) == 0.25);
  for (std::int64_t p = 0; p < plan.points(); ++p) {
    const auto x = plan.point(p);
    const double e = plan.input_value(2, x[2]);
    CHECK(e == std::round(e));
    CHECK((e >= 20 && e <= 35));
  }
  // The inputs' ranges are part of the analysis's identity.
  SensitivityRequest wider = programme_request();
  wider.inputs[0] = "interventions.0.budget_hours=20,600";
  CHECK(make_sensitivity_plan(file.path, wider).id != plan.id);

  // A run is what `cdpsim run --set run_sets(run)` gives: the --set strings carry the values.
  const std::int64_t run = 7;
  const std::vector<std::string> sets = plan.run_sets(run);
  REQUIRE(sets.size() == 3);
  CHECK(sets[1].starts_with("interventions.0.budget_hours="));
  CHECK(sets[2] == "interventions.0.end=" + std::to_string(static_cast<int>(plan.input_value(
                                                2, plan.point(plan.point_of(run))[2]))));
  const Scenario s = load_scenario(file.path, sets);
  CHECK(s.interventions[0].budget_hours ==
        Scalar::of(plan.input_value(1, plan.point(plan.point_of(run))[1])));
  const RunSummary by_hand = simulate_summary(s, plan.seed_of(run), plan.horizon);
  const std::vector<double> got = simulate_sensitivity_run(plan, run);
  CHECK(got[0] == metric_value(by_hand, "support_hours_given"));
  CHECK(got[1] == metric_value(by_hand, "cdps_alive"));
}

TEST_CASE("Sensitivity plan: bad intervention inputs are user errors", "[unit][sensitivity]") {
  const ProgrammeFile file;
  auto refusal = [&](std::vector<std::string> inputs, std::vector<std::string> levers = {"none"},
                     std::int64_t samples = 4) {
    SensitivityRequest q = programme_request();
    q.inputs = std::move(inputs);
    q.levers = std::move(levers);
    q.samples = samples;
    try {
      (void)make_sensitivity_plan(file.path, q);
    } catch (const SensitivityError& e) {
      return std::string("SensitivityError: ") + e.what();
    } catch (const ScenarioError& e) {
      return std::string("ScenarioError: ") + e.what();
    }
    return std::string();
  };
  using Catch::Contains;
  // Keys that do not exist, or are not numbers of an intervention.
  CHECK_THAT(refusal({"interventions.2.budget_hours=1,5"}), Contains("SensitivityError") &&
                                                                Contains("no intervention 2") &&
                                                                Contains("an index in [0, 1]"));
  CHECK_THAT(refusal({"interventions.0.budgt=1,5"}), Contains("did you mean 'budget'?"));
  CHECK_THAT(refusal({"levers.animation=0,1"}), Contains("not an intervention key"));
  CHECK_THAT(refusal({"interventions.0.when=1,2"}), Contains("is not a number"));
  {
    SensitivityRequest q = small_request();  // the reference scenario has no interventions
    q.inputs = {"interventions.0.scale=1,2"};
    CHECK_THROWS_WITH(make_sensitivity_plan(kScenario, q), Contains("no [[interventions]]"));
  }
  // Ranges: two numbers, MIN < MAX, inside the field's range (for set: its key's), whole weeks.
  CHECK_THAT(refusal({"interventions.0.budget_hours=500"}), Contains("expected two numbers"));
  CHECK_THAT(refusal({"interventions.0.budget_hours=500,20"}), Contains("MIN must be below MAX"));
  CHECK_THAT(refusal({"interventions.0.budget_hours=-1,20"}), Contains("out of range"));
  CHECK_THAT(refusal({"interventions.0.set=10,2e6"}),
             Contains("SensitivityError") && Contains("interventions[0].set") &&
                 Contains("out of range for support.capacity_hours"));
  CHECK_THAT(refusal({"interventions.0.end=20.5,30"}), Contains("whole"));
  CHECK_THAT(refusal({"interventions.0.budget_hours=1,5", "interventions.0.budget_hours=1,9"}),
             Contains("given twice"));
  CHECK_THAT(refusal({}), Contains("nothing to vary"));
  CHECK_THAT(refusal({}, {"none,animation"}), Contains("cannot be combined"));
  // Values the intervention rules refuse at some design point: the point is named, with the
  // model's message. A ramp longer than the span (30 weeks):
  CHECK_THAT(refusal({"interventions.0.ramp_weeks=0,60"}),
             Contains("ScenarioError") && Contains("design point") &&
                 Contains("interventions.0.ramp_weeks=") &&
                 Contains("interventions[0].ramp_weeks") && Contains("longer than the span"));
  // A lever that an intervention scales cannot be pushed out of its range by the design either:
  // 1.2 x animation > 1 for animation > 0.83.
  CHECK_THAT(refusal({}, {"animation"}, 32), Contains("ScenarioError") &&
                                                 Contains("levers.animation=") &&
                                                 Contains("interventions[1].scale"));
  // Every combination that is valid passes (start and end together, each inside the span).
  CHECK(refusal({"interventions.0.start=0,10", "interventions.0.end=20,35"}).empty());
}
