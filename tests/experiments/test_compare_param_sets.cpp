// `cdpsim compare --param-sets FILE` (experiments/compare/param_sets.hpp, compare.hpp): reading the
// file and each way it can be wrong, the statistics over parameter sets on exact answers, the
// seeds (common within a set, independent between sets) and determinism at any thread count.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "experiments/compare/compare.hpp"
#include "experiments/compare/param_sets.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/metrics/summary.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/splitmix.hpp"

using namespace cdpsim;

namespace {

namespace fs = std::filesystem;

const std::string kReference = std::string(CDPSIM_SOURCE_DIR) + "/scenarios/passerelles.toml";

// The message of the CompareError that parsing `text` throws ("" when it does not throw).
std::string parse_error(const std::string& text) {
  try {
    (void)parse_param_sets(text, "sets.csv");
  } catch (const CompareError& e) {
    return e.what();
  }
  return "";
}

// A fresh temporary folder, removed at the end.
struct TempDir {
  fs::path dir;
  TempDir() {
    std::random_device rd;
    do {
      dir = fs::temp_directory_path() / ("cdpsim_param_sets_test_" + std::to_string(rd()));
    } while (!fs::create_directory(dir));
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace

TEST_CASE("param sets: parameter columns are read, the others ignored", "[unit][compare]") {
  const std::string text =
      "point,worst_measure,engagement.decay,support.episode_weeks,members_w9\r\n"
      "0,\"members, week 154 (\"\"F11\"\")\",0.04429,42,992.6\r\n"
      "\n"
      "2,F1 (a), 2e-2 ,52,1025.4\r\n";
  const ParamSets p = parse_param_sets(text, "sets.csv");
  CHECK(p.keys == std::vector<std::string>{"engagement.decay", "support.episode_weeks"});
  REQUIRE(p.size() == 2);
  CHECK(p.values[0] == std::vector<double>{0.04429, 42.0});
  CHECK(p.values[1] == std::vector<double>{0.02, 52.0});
  CHECK(p.lines == std::vector<std::int64_t>{2, 4});  // the blank line 3 is skipped
  CHECK(p.sets(1) == std::vector<std::string>{"engagement.decay=0.02", "support.episode_weeks=52"});
  // The calibration's own file reads, every parameter column of it.
  const ParamSets acc =
      read_param_sets(std::string(CDPSIM_SOURCE_DIR) + "/scenarios/calibration/accepted.csv");
  CHECK(acc.keys.size() == 19);
  CHECK(acc.keys.front() == "engagement.decay");
  CHECK(acc.keys.back() == "recruitment.mass_boost");
  CHECK(acc.size() >= 2);
}

TEST_CASE("param sets: each bad input is one message naming file, line, column and key",
          "[unit][compare]") {
  const std::string head = "point,engagement.decay\n";
  CHECK(parse_error("") ==
        "sets.csv: empty (expected a header line naming parameter columns such as "
        "engagement.decay, then one line per parameter set)");
  CHECK(parse_error("point,members_w9\n1,2\n").find("sets.csv:1: no column names a parameter") ==
        0);
  CHECK(parse_error(head) ==
        "sets.csv: no parameter set: the file has a header and no line after it");
  const std::string unknown = parse_error("point,engagement.decai\n1,0.03\n");
  CHECK(unknown.find("sets.csv:1:7: engagement.decai: not a parameter (did you mean "
                     "'engagement.decay'?)") == 0);
  CHECK(parse_error("support.mode\nexpert\n").find("sets.csv:1:1: support.mode: not a number") ==
        0);
  CHECK(parse_error("simulation.weeks\n10\n")
            .find("sets.csv:1:1: simulation.weeks: a setting of the run") == 0);
  CHECK(parse_error("engagement.decay,engagement.decay\n0.03,0.03\n")
            .find("sets.csv:1:18: engagement.decay: column named twice") == 0);
  CHECK(parse_error(head + "1\n") ==
        "sets.csv:2: 1 fields where the header has 2 (allowed: one field per header column)");
  CHECK(parse_error(head + "1,abc\n") ==
        "sets.csv:2:3: engagement.decay: 'abc' is not a number (allowed: a number from 0 to 1)");
  CHECK(parse_error(head + "1,0.03x\n")
            .find("sets.csv:2:3: engagement.decay: '0.03x' is not a "
                  "number") == 0);
  CHECK(parse_error(head + "1,\n").find("sets.csv:2:3: engagement.decay: no value") == 0);
  CHECK(parse_error(head + "1,inf\n").find("'inf' is not a finite number") != std::string::npos);
  CHECK(parse_error(head + "1,nan\n").find("'nan' is not a finite number") != std::string::npos);
  CHECK(parse_error(head + "1,7\n") ==
        "sets.csv:2:3: engagement.decay: value 7 is out of range (allowed: a number from 0 to 1)");
  CHECK(parse_error("support.episode_weeks\n51.5\n")
            .find("sets.csv:2:1: support.episode_weeks: '51.5' is not an integer (allowed: an "
                  "integer from") == 0);
  CHECK(parse_error(head + "\"1,0.03\n").find("sets.csv:2:1: a quoted field is never closed") == 0);
  CHECK(parse_error(head + "\"1\"x,0.03\n").find("sets.csv:2:4: text after a closing quote") == 0);
  // Files that cannot be read.
  TempDir t;
  auto read_error = [](const fs::path& p) {
    try {
      (void)read_param_sets(p);
    } catch (const CompareError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(read_error(t.dir / "missing.csv") ==
        (t.dir / "missing.csv").string() +
            ": cannot read parameter sets: No such file or directory");
  CHECK(read_error(t.dir) == t.dir.string() + ": cannot read parameter sets: not a regular file");
}

TEST_CASE("param sets: a set that makes a scenario invalid, a --set of a column, a varied key",
          "[unit][compare]") {
  TempDir t;
  const fs::path other = t.dir / "other.toml";
  std::ofstream(other) << "extends = \"" << kReference << "\"\n[support]\ncapacity_hours = 20\n";
  CompareRequest q;
  q.scenarios.push_back({"passerelles", kReference, load_scenario(kReference), nullptr});
  q.scenarios.push_back({"other", other.string(), load_scenario(other), nullptr});
  q.param_sets = parse_param_sets("engagement.decay\n0.03\n0.04\n", "sets.csv");
  std::string msg;
  try {
    apply_param_sets(q, {"engagement.decay=0.02"});
  } catch (const CompareError& e) {
    msg = e.what();
  }
  CHECK(msg.find("--set engagement.decay=0.02: engagement.decay is also a column of sets.csv") ==
        0);
  q.param_sets = parse_param_sets("support.capacity_hours\n12\n14\n", "sets.csv");
  msg.clear();
  try {
    apply_param_sets(q, {});
  } catch (const CompareError& e) {
    msg = e.what();
  }
  CHECK(msg.find("--param-sets sets.csv: scenario 'other' has support.capacity_hours = 20 where "
                 "the baseline 'passerelles' has 10") == 0);
  q.param_sets = parse_param_sets("engagement.decay\n0.03\n0.04\n", "sets.csv");
  apply_param_sets(q, {"levers.animation=0.7"});
  REQUIRE(q.set_scenarios.size() == 2);
  CHECK(q.set_scenarios[1][1].engagement.decay == 0.04);
  CHECK(q.set_scenarios[1][1].support.capacity_hours == 20);  // the scenario's own value stays
  CHECK(q.set_scenarios[0][0].levers.animation == 0.7);
  // A set breaking a cross-field rule: more initial members than potential ones.
  q.set_scenarios.clear();
  q.param_sets = parse_param_sets("population.initial_members\n20\n50000000\n", "sets.csv");
  msg.clear();
  try {
    apply_param_sets(q, {});
  } catch (const CompareError& e) {
    msg = e.what();
  }
  CHECK(msg.find("sets.csv:3: the parameter set of this line makes " + kReference + " invalid: ") ==
        0);
  CHECK(msg.find("population.initial_members") != std::string::npos);
  // One set, and sets with --from, are refused.
  q.param_sets = parse_param_sets("engagement.decay\n0.03\n", "sets.csv");
  q.set_scenarios.clear();
  q.metrics = {"members_total"};
  q.horizon = 10;
  msg.clear();
  try {
    check_request(q);
  } catch (const CompareError& e) {
    msg = e.what();
  }
  CHECK(msg.find("one parameter set gives no spread over sets") != std::string::npos);
  q.param_sets = parse_param_sets("engagement.decay\n0.03\n0.04\n", "sets.csv");
  q.from = "week-80.h5";
  q.branch_week = 5;
  msg.clear();
  try {
    check_request(q);
  } catch (const CompareError& e) {
    msg = e.what();
  }
  CHECK(msg.find("--param-sets sets.csv with --from week-80.h5") == 0);
}

TEST_CASE("param sets: statistics over the per-set means, exact answers", "[unit][compare]") {
  CompareRequest q;
  q.scenarios.resize(2);
  q.scenarios[0].name = "base";
  q.scenarios[1].name = "other";
  q.metrics = {"members_total"};
  q.replicates = 2;
  q.horizon = 10;
  q.set_scenarios.resize(3);  // K = 3: only its size matters to analyse()
  CompareData d;
  // value(k, s, r) = values[(k * S + s) * R + r]; per set: base, then other.
  // Differences: set 0 {4, 6}, set 1 {1, 3}, set 2 {8, 6}: per-set means 5, 2, 7.
  d.values = {10, 12, 14, 18, 20, 20, 21, 23, 5, 7, 13, 13};
  const std::vector<Hypothesis> hyp = {
      {"other > base on members_total", 1, 0, "members_total", true}};
  const CompareReport rep = analyse(q, d, hyp);
  REQUIRE(rep.rows.size() == 2);
  const CompareRow& base = rep.rows[0];
  CHECK(base.summary.n == 3);
  CHECK(base.summary.mean == Approx(37.0 / 3.0));  // per-set means 11, 20, 6
  CHECK(!base.spread);
  const CompareRow& other = rep.rows[1];
  CHECK(other.summary.mean == Approx(17.0));  // 16, 22, 13
  REQUIRE(other.diff);
  CHECK(other.diff->n == 3);
  CHECK(other.diff->mean_diff == Approx(14.0 / 3.0));
  const double sd = std::sqrt(114.0 / 18.0);  // sd of {5, 2, 7}
  CHECK(other.diff->sd_diff == Approx(sd));
  const double half = stats::student_t_quantile(0.975, 2) * sd / std::sqrt(3.0);
  CHECK(other.diff->ci_low == Approx(14.0 / 3.0 - half));
  CHECK(other.diff->ci_high == Approx(14.0 / 3.0 + half));
  CHECK(other.diff->df == 2);
  REQUIRE(other.spread);
  CHECK(other.spread->band_low == Approx(2.15));  // NumPy: percentile([5, 2, 7], 2.5)
  CHECK(other.spread->band_high == Approx(6.9));
  CHECK(other.spread->sd_within == Approx(std::sqrt(2.0)));  // each set's variance is 2
  CHECK(other.spread->sd_between == Approx(std::sqrt(114.0 / 18.0 - 1.0)));  // minus 2 / R
  CHECK(other.spread->share_positive == 1.0);
  REQUIRE(rep.hypotheses.size() == 1);
  const HypothesisResult& h = rep.hypotheses[0];
  // t = 3.2118 with 2 df: one-sided p = 0.5 (1 - t / sqrt(t^2 + 2)) = 0.0424.
  const double t = (14.0 / 3.0) / (sd / std::sqrt(3.0));
  CHECK(h.p_value == Approx(0.5 * (1.0 - t / std::sqrt(t * t + 2.0))));
  CHECK(h.supported);
  // Per set, 1 df: p = 1/2 - atan(t_k) / pi with t_k = 5, 2, 7: only set 2 (p = 0.045) < 0.05.
  CHECK(h.share_sets_supported == Approx(1.0 / 3.0));
  CHECK(h.share_sets_direction == 1.0);

  // A replicate without a value: set 1 keeps its pair 0 (difference 1), set 2 has none left.
  const double nan = std::nan("");
  d.values[7] = nan;                  // set 1, other, replicate 1
  d.values[10] = d.values[11] = nan;  // set 2, other, both replicates
  const CompareReport part = analyse(q, d, hyp);
  CHECK(part.rows[1].summary.n == 2);  // set 2 has no value for `other`
  CHECK(part.rows[1].summary.mean == Approx((16.0 + 21.0) / 2.0));
  CHECK(part.rows[1].diff->n == 2);
  CHECK(part.rows[1].diff->mean_diff == Approx((5.0 + 1.0) / 2.0));
  CHECK(part.rows[1].spread->sd_within == Approx(std::sqrt(2.0)));  // set 0 only (2 pairs)
  CHECK(part.hypotheses[0].share_sets_direction == 1.0);  // of the 2 sets with a difference
  CHECK(part.hypotheses[0].share_sets_supported == 0.0);
}

TEST_CASE("param sets: seeds shared within a set, distinct between sets; any thread count",
          "[determinism][compare]") {
  TempDir t;
  const fs::path small = t.dir / "small.toml";
  std::ofstream(small) << "extends = \"" << kReference
                       << "\"\nshocks = []\n[simulation]\nweeks = 12\n"
                          "[population]\npotential_members = 2000\n";
  const fs::path expert = t.dir / "expert.toml";
  std::ofstream(expert) << "extends = \"small.toml\"\n[support]\nmode = \"expert\"\n";
  CompareRequest q;
  q.scenarios.push_back({"small", small.string(), load_scenario(small), nullptr});
  q.scenarios.push_back({"expert", expert.string(), load_scenario(expert), nullptr});
  q.metrics = {"members_total", "members_active"};
  q.replicates = 2;
  q.horizon = 12;
  q.master_seed = 11;
  q.param_sets = parse_param_sets("recruitment.launch_rate,engagement.decay\n100,0.03\n250,0.02\n",
                                  "sets.csv");
  check_request(q);
  apply_param_sets(q, {});
  ProcessGroup group;
  CompareData one, two;
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
    one = run_comparison(q, group, nullptr, {});
  }
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
    two = run_comparison(q, group, nullptr, {});
  }
  REQUIRE(!one.interrupted);
  CHECK(one.values == two.values);
  REQUIRE(one.seeds.size() == 4);
  for (std::int64_t u = 0; u < 4; ++u)
    CHECK(one.seeds[static_cast<std::size_t>(u)] == replicate_seed(11, u));
  // Set 1, expert, replicate 0 is `cdpsim run expert.toml --seed SEED --set ...` on its own.
  const Scenario s = load_scenario(expert, q.param_sets.sets(1));
  const RunSummary sum = simulate_summary(s, replicate_seed(11, 2), 12, {}, nullptr);
  CHECK(one.value(q, 1, 1, 0, 0) == metric_value(sum, "members_total"));
  // Launch rates 100 and 250 a week: the sets differ.
  CHECK(one.value(q, 1, 0, 0, 0) > one.value(q, 0, 0, 0, 0));
}
