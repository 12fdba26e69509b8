// The one metric table: every outcome metric users compare across runs (ensembles, `compare`,
// `facts`, sensitivity analysis), one row each, with what readers need to show it (label, verdict
// phrases, display scale) and the function computing it. Output files carry the rows as
// variables over their metric axis (metric_attributes.hpp), so cdpsim_py copies none of it.
// Adding a metric is adding a row to kMetrics in metrics.cpp.
//
//   RunSummary r = simulate_summary(scenario, seed);
//   double alive = metric_value(r, "cdps_alive");
//   for (const Metric& m : ecosystem_metrics()) ...   // the metric axis of ensembles
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/metrics/summary.hpp"

namespace cdpsim {

// Weeks after the end of support a CdP must still be active to count as autonomous.
inline constexpr std::int32_t kAutonomyWeeks = 26;

// Supported at some point, support ended at least kAutonomyWeeks before `last_week`, not
// dissolved and with active members: the autonomy rule of cdps_autonomous and cdp_autonomy.
bool autonomous(const CdpFinal& c, std::int32_t last_week);

enum class Direction : std::uint8_t { higher_is_better, lower_is_better, neutral };
enum class Measured : std::uint8_t { last_week, over_run };
std::string_view direction_name(Direction d);  // "higher_is_better", ...
std::string_view measured_name(Measured m);    // "at_last_week", "over_run"

struct Metric {
  std::string_view name{};
  std::string_view unit{};      // UDUNITS-like, "1" for a ratio
  std::string_view label{};     // short, for axes and tables: "CdPs alive"
  std::string_view label_fr{};  // the same in French (every text field has its _fr twin)
  std::string_view meaning{};   // one sentence
  std::string_view meaning_fr{};
  Direction direction = Direction::neutral;
  Measured when = Measured::last_week;
  bool compare_default = false;  // reported by `cdpsim compare` without --metric
  // A funder metric: reported by `cdpsim compare` without --metric too when a compared scenario
  // pays for interventions (cost_per_hour or cost_per_week > 0).
  bool compare_funder = false;
  // How a verdict reads a positive / negative difference; {x} is its size in display units.
  std::string_view more{}, fewer{};
  std::string_view more_fr{}, fewer_fr{};  // whole French phrases, not word for word
  double display_scale = 1.0;              // shown value = value * display_scale
  std::string_view display_unit{};         // appended to a shown difference: " percentage points"
  std::string_view display_unit_fr{};
  // An ecosystem metric: computed from the whole run.
  double (*of_run)(const RunSummary&) = nullptr;
  // A per-CdP metric (of_run null): the mean of of_cdp over the CdPs of a cohort for which
  // in_cohort holds (NaN when there is none); over every CdP outside sensitivity analysis.
  bool (*in_cohort)(const CdpFinal&, std::int32_t last_week) = nullptr;
  double (*of_cdp)(const CdpFinal&, std::int32_t last_week) = nullptr;

  [[nodiscard]] bool per_cdp() const { return of_run == nullptr; }
};

// Every row, per-CdP metrics first; the order of listings and of the ensemble's metric axis.
std::span<const Metric> metrics();
// The rows with a value per run (not per CdP): the metric axis of ensembles and of `compare`.
std::vector<const Metric*> ecosystem_metrics();
// Names of the rows with compare_default, in table order.
std::vector<std::string> compare_default_metrics();
// Names of the rows with compare_funder, in table order.
std::vector<std::string> compare_funder_metrics();

// The funders' side of a run (the spending and cost_per_* rows), from its weeks only:
//  - programme_end: the last week with money spent or support hours paid (spent_money > 0 or
//    spent_hours > 0), -1 when nothing was spent (so every week is "after" it);
//  - cost ratios are money / denominator: NaN when the denominator is 0, so no spending over a
//    positive denominator costs 0 and 0/0 is NaN.
std::int32_t programme_end(const RunSummary& r);
// nullptr when unknown.
const Metric* find_metric(std::string_view name);
// Throws std::invalid_argument naming the allowed metrics when `name` is unknown.
const Metric& metric(std::string_view name);

// The metric of a whole run (per-CdP metrics over every CdP). Throws std::invalid_argument
// naming the allowed metrics when `name` is unknown.
double metric_value(const RunSummary& r, std::string_view name);
// A per-CdP metric over the CdPs with cohort[c] true: NaN when in_cohort holds for none.
double cohort_value(const Metric& m, const RunSummary& r, const std::vector<bool>& cohort);

}  // namespace cdpsim
