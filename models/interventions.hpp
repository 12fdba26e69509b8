// Interventions and programmes (docs/model.md, "Interventions and programmes"): what a funder
// or a programme changes during a run. Each [[interventions]] element sets or scales one
// parameter from a start week to an optional end, possibly ramped, possibly triggered by last
// week's series with hysteresis, and possibly paying for support out of a budget.
//
// Rules, in one place:
//   - Only the keys of mid_run_keys() may change mid-run (every lever, and parameters the
//     mechanisms read afresh each week); anything else is refused with the list.
//   - Value of a key in week t: the scenario's value b; an active `set` s gives
//     b + r (s - b); each active `scale` f then multiplies by 1 + r (f - 1); r is the ramp
//     fraction min(1, (weeks in force) / ramp_weeks), 1 without a ramp. At most one `set` may be
//     in force on a key at once (two would be ambiguous): overlapping spans are refused. Scales
//     commute, so any number may overlap. The result is clamped to the key's range.
//   - A trigger is checked at start + k check_every; it compares last week's value of a
//     variable (trigger_variables()) with its threshold. On: `when` holds (and no blackout).
//     Off: `until` holds (or `when` no longer holds), after at least min_duration weeks.
//   - A programme pays for support: an intervention with cost_per_hour > 0 or budget_hours on a
//     support key pays for every support hour given while it is in force; at most one may be in
//     force at once. Support stops exactly when its budget is spent (the week's capacity is
//     capped at what is left), and stays stopped until its end. cost_per_week is paid for every
//     week in force by any intervention; a money budget ends the intervention when spent.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario.hpp"
#include "models/week_record.hpp"
#include "models/world.hpp"

namespace cdpsim {

// One parameter that may change during a run, and why that is safe: the mechanism that reads it
// reads it every week (from the scenario in force), never only at week 0.
struct MidRunKey {
  enum class Type : std::uint8_t { number, boolean, choice };
  std::string_view key;  // "levers.support_capacity", "support.mode"
  Type type;
  FieldPtr (*field)(Scenario&);
  bool support;  // a key of the support team: a programme with cost_per_hour may pay for it
  std::string_view read_by;  // the mechanism that reads it weekly
};
std::span<const MidRunKey> mid_run_keys();
const MidRunKey* find_mid_run_key(std::string_view key);

// What a trigger may watch: every one-axis weekly series by its output name, and per-capita
// ratios. Values are of last week's record.
struct SeriesDef;
struct TriggerVariable {
  std::string_view name;
  std::string_view meaning;
  const SeriesDef* series = nullptr;             // a one-axis weekly series, or
  double (*ratio)(const WeekRecord&) = nullptr;  // a per-capita ratio
  [[nodiscard]] double value(const WeekRecord& r) const;
};
std::span<const TriggerVariable> trigger_variables();

struct Condition {
  enum class Op : std::uint8_t { lt, le, gt, ge };
  int variable = -1;  // index into trigger_variables()
  Op op = Op::lt;
  double threshold = 0.0;
  [[nodiscard]] bool holds(const WeekRecord& r) const;
};
// Parses "cdps_active_share < 0.5"; throws std::invalid_argument with what is allowed.
Condition parse_condition(std::string_view text);

inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// An intervention checked and resolved to weeks.
struct PlannedIntervention {
  std::string name;    // its name, or "interventions[i]"
  int key = -1;        // index into mid_run_keys()
  int param = -1;      // index into InterventionPlan::params for a non-lever key, else -1
  int lever = -1;      // lever index for levers.*, else -1
  bool is_set = true;  // set (absolute) or scale (relative)
  Scalar value;        // the set value, or the scale factor as a number
  std::int64_t start = 0;
  std::int64_t end = kNever;  // first week no longer in force
  std::int64_t ramp = 0;
  std::optional<Condition> when, until;
  std::int64_t check_every = 1, min_duration = 0, blackout = 0;
  double budget_hours = std::numeric_limits<double>::infinity();
  double budget = std::numeric_limits<double>::infinity();
  double cost_per_hour = 0.0, cost_per_week = 0.0;
  [[nodiscard]] bool pays_support() const;
  [[nodiscard]] bool triggered() const { return when.has_value(); }
};

struct InterventionPlan {
  std::vector<PlannedIntervention> items;
  std::vector<int> params;  // mid_run_keys() indices of the non-lever keys some item changes
};

// Checks s.interventions and resolves them. Throws ScenarioError "SRC: interventions[i].KEY: ..."
// (validate() calls it; the loader turns SRC into FILE:LINE:COLUMN).
InterventionPlan plan_interventions(const Scenario& s, std::string_view src);

// Value of a mid-run key in a scenario as a number (booleans 0/1, choices as their index among
// `choices`, the field's, -1 when not among them).
double key_number(const MidRunKey& k, Scenario& s, std::span<const std::string_view> choices);
// The same, looking the choices up in the schema (InterventionState keeps them instead).
double key_number(const MidRunKey& k, Scenario& s);

// The interventions of one run as they unfold, week by week.
class InterventionState {
 public:
  explicit InterventionState(const Scenario& base);

  // Start of week t: checks triggers on `last` (nullptr in week 0: triggers stay off), ends what
  // ended, writes the week's value of every changed key into `now` (from the base scenario), and
  // logs events. Returns true when a value differs from last week's.
  bool begin_week(std::int32_t t, const WeekRecord* last, Scenario& now,
                  std::vector<Event>& events);
  // Support hours the programmes allow this week (infinity when no programme limits them).
  [[nodiscard]] double support_cap() const { return support_cap_; }
  // After support is allocated: pays this week's hours and fixed costs, ends what ran out.
  void pay(std::int32_t t, double support_hours_given, std::vector<Event>& events);
  // This week's part of the WeekRecord: levers, changed parameters, in force, spending.
  void fill(WeekRecord& r, Scenario& now) const;

  [[nodiscard]] const InterventionPlan& plan() const { return plan_; }
  [[nodiscard]] bool empty() const { return plan_.items.empty(); }

  // What carries from one week to the next, per intervention and in total: what a checkpoint
  // stores (the rest is recomputed at the start of each week).
  struct Live {
    bool on = false;          // in force this week
    bool exhausted = false;   // its budget is spent: never again
    bool trigger_on = false;  // a trigger's state (in force when also within start..end)
    std::int64_t since = 0;   // week it came into force (ramp origin, min_duration)
    std::int64_t blackout_until = 0;
    double hours = 0.0, money = 0.0;  // spent so far
  };
  struct Progress {
    std::vector<Live> live;  // one per plan().items
    double hours = 0.0, money = 0.0;
  };
  [[nodiscard]] Progress progress() const { return {live_, total_hours_, total_money_}; }
  // Continues from `p` (of a plan with as many items); throws std::invalid_argument otherwise.
  void restore(Progress p);

 private:
  Scenario base_;  // a copy: mid_run_keys() reach fields through non-const pointers
  InterventionPlan plan_;
  std::vector<Live> live_;
  std::vector<double> lo_, hi_;                         // range of each mid-run key
  std::vector<std::vector<std::string_view>> choices_;  // and its choices, for choice keys
  double support_cap_ = std::numeric_limits<double>::infinity();
  double week_hours_ = 0.0, week_money_ = 0.0, total_hours_ = 0.0, total_money_ = 0.0;
};

}  // namespace cdpsim
