#include "models/interventions.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "models/series.hpp"
#include "sim/scenario/nearest.hpp"

namespace cdpsim {

namespace {

using T = MidRunKey::Type;

template <auto Section, auto Member>
FieldPtr member(Scenario& s) {
  return FieldPtr{&((s.*Section).*Member)};
}

template <int L>
FieldPtr lever(Scenario& s) {
  return FieldPtr{s.levers.by_index()[L]};
}

constexpr std::string_view kLeverRead = "levers (models/levers.cpp), every week";

// clang-format off
const MidRunKey kKeys[] = {
    {"levers.organisational_culture", T::number, lever<0>, false, "org_time.cpp: organisations' culture, shifted by the change"},
    {"levers.time_allowance", T::number, lever<1>, false, kLeverRead},
    {"levers.support_capacity", T::number, lever<2>, true, kLeverRead},
    {"levers.recognition", T::number, lever<3>, false, "org_time.cpp (organisations' value of CdP work, shifted) and newcomer replies"},
    {"levers.ecosystem_trust", T::number, lever<4>, false, kLeverRead},
    {"levers.theme_clarity", T::number, lever<5>, false, "member_week.cpp, churn_recruitment.cpp, phases.cpp: CdPs' theme clarity, shifted"},
    {"levers.evolving_design", T::number, lever<6>, false, kLeverRead},
    {"levers.autonomy", T::number, lever<7>, false, "phases.cpp, repertoire.cpp: CdPs' autonomy, shifted"},
    {"levers.composition_fit", T::number, lever<8>, false, kLeverRead},
    {"levers.animation", T::number, lever<9>, false, kLeverRead},
    {"levers.core_leadership", T::number, lever<10>, false, kLeverRead},
    {"levers.activity_rhythm", T::number, lever<11>, false, kLeverRead},
    {"levers.belonging", T::number, lever<12>, false, kLeverRead},
    {"levers.trust_climate", T::number, lever<13>, false, "member_week.cpp: members' trust, shifted; trust gain"},
    {"levers.perceived_value", T::number, lever<14>, false, kLeverRead},
    {"levers.digital_tools", T::number, lever<15>, false, "platform.cpp: platform quality, every week"},
    {"levers.cdp_intersections", T::number, lever<16>, false, kLeverRead},
    {"support.mode", T::choice, member<&Scenario::support, &SupportParams::mode>, true, "support.cpp, every week"},
    {"support.policy", T::choice, member<&Scenario::support, &SupportParams::policy>, false, "support.cpp, every week"},
    {"support.capacity_hours", T::number, member<&Scenario::support, &SupportParams::capacity_hours>, true, "levers.cpp (support hours), every week"},
    {"support.needs_analysis_hours", T::number, member<&Scenario::support, &SupportParams::needs_analysis_hours>, false, "support.cpp, every week"},
    {"support.expert_efficiency", T::number, member<&Scenario::support, &SupportParams::expert_efficiency>, false, "support.cpp, every week"},
    {"support.immediate_share", T::number, member<&Scenario::support, &SupportParams::immediate_share>, false, "support.cpp, every week"},
    {"support.skill_gain", T::number, member<&Scenario::support, &SupportParams::skill_gain>, false, "support.cpp, every week"},
    {"support.autonomy_gain", T::number, member<&Scenario::support, &SupportParams::autonomy_gain>, false, "support.cpp, every week"},
    {"support.peer_network", T::boolean, member<&Scenario::support, &SupportParams::peer_network>, false, "support.cpp, every week"},
    {"support.peer_rate", T::number, member<&Scenario::support, &SupportParams::peer_rate>, false, "support.cpp, every week"},
    {"animation.need_base", T::number, member<&Scenario::animation, &AnimationParams::need_base>, false, "animation.cpp, every week"},
    {"animation.need_per_active", T::number, member<&Scenario::animation, &AnimationParams::need_per_active>, false, "animation.cpp, every week"},
    {"animation.animator_budget", T::number, member<&Scenario::animation, &AnimationParams::animator_budget>, false, "animation.cpp, every week"},
    {"animation.burnout_rate", T::number, member<&Scenario::animation, &AnimationParams::burnout_rate>, false, "animation.cpp, every week"},
    {"animation.recovery_rate", T::number, member<&Scenario::animation, &AnimationParams::recovery_rate>, false, "animation.cpp, every week"},
    {"animation.practice_gain", T::number, member<&Scenario::animation, &AnimationParams::practice_gain>, false, "animation.cpp, every week"},
    {"animation.core_help_hours", T::number, member<&Scenario::animation, &AnimationParams::core_help_hours>, false, kLeverRead},
    {"participation.hours_per_activity", T::number, member<&Scenario::participation, &ParticipationParams::hours_per_activity>, false, "member_week.cpp, every week"},
    {"participation.travel_hours", T::number, member<&Scenario::participation, &ParticipationParams::travel_hours>, false, "member_week.cpp, every week"},
    {"participation.value_weight", T::number, member<&Scenario::participation, &ParticipationParams::value_weight>, false, "participation.hpp, every week"},
    {"participation.engagement_weight", T::number, member<&Scenario::participation, &ParticipationParams::engagement_weight>, false, "member_week.cpp, every week"},
    {"participation.social_weight", T::number, member<&Scenario::participation, &ParticipationParams::social_weight>, false, "participation.hpp, every week"},
    {"participation.animation_weight", T::number, member<&Scenario::participation, &ParticipationParams::animation_weight>, false, "participation.hpp, every week"},
    {"participation.online_weight", T::number, member<&Scenario::participation, &ParticipationParams::online_weight>, false, "member_week.cpp, every week"},
    {"participation.cost_weight", T::number, member<&Scenario::participation, &ParticipationParams::cost_weight>, false, "participation.hpp, every week"},
    {"participation.tension_weight", T::number, member<&Scenario::participation, &ParticipationParams::tension_weight>, false, "participation.hpp, every week"},
    {"participation.rate_peripheral", T::number, member<&Scenario::participation, &ParticipationParams::rate_peripheral>, false, "participation.hpp, every week"},
    {"participation.rate_active", T::number, member<&Scenario::participation, &ParticipationParams::rate_active>, false, "participation.hpp, every week"},
    {"participation.rate_core", T::number, member<&Scenario::participation, &ParticipationParams::rate_core>, false, "participation.hpp, every week"},
    {"engagement.gain", T::number, member<&Scenario::engagement, &EngagementParams::gain>, false, kLeverRead},
    {"engagement.decay", T::number, member<&Scenario::engagement, &EngagementParams::decay>, false, kLeverRead},
    {"churn.reply_base", T::number, member<&Scenario::churn, &ChurnParams::reply_base>, false, "churn_recruitment.hpp, every week"},
    {"churn.drop_rate", T::number, member<&Scenario::churn, &ChurnParams::drop_rate>, false, "member_week.cpp, every week"},
    {"churn.join_more_rate", T::number, member<&Scenario::churn, &ChurnParams::join_more_rate>, false, "member_week.cpp, every week"},
    {"churn.rejoin_rate", T::number, member<&Scenario::churn, &ChurnParams::rejoin_rate>, false, "member_week.cpp, every week"},
    {"churn.exit_rate", T::number, member<&Scenario::churn, &ChurnParams::exit_rate>, false, "member_week.cpp, every week"},
    {"recruitment.base_rate", T::number, member<&Scenario::recruitment, &RecruitmentParams::base_rate>, false, "churn_recruitment.cpp, every week"},
    {"recruitment.mass_boost", T::number, member<&Scenario::recruitment, &RecruitmentParams::mass_boost>, false, "churn_recruitment.cpp, every week"},
    {"recruitment.openness_boost", T::number, member<&Scenario::recruitment, &RecruitmentParams::openness_boost>, false, "churn_recruitment.cpp, every week"},
    {"recruitment.cdp_base_rate", T::number, member<&Scenario::recruitment, &RecruitmentParams::cdp_base_rate>, false, "cdp_creation.cpp, every week"},
    {"recruitment.cdp_rate_per_1000", T::number, member<&Scenario::recruitment, &RecruitmentParams::cdp_rate_per_1000>, false, "cdp_creation.cpp, every week"},
    {"sharing.funding_competition_weight", T::number, member<&Scenario::sharing, &SharingParams::funding_competition_weight>, false, "org_time.cpp, every week"},
    {"sharing.trust_gain", T::number, member<&Scenario::sharing, &SharingParams::trust_gain>, false, kLeverRead},
    {"sharing.trust_decay", T::number, member<&Scenario::sharing, &SharingParams::trust_decay>, false, "member_week.cpp, every week"},
    {"sharing.openness_trust_cost", T::number, member<&Scenario::sharing, &SharingParams::openness_trust_cost>, false, "member_week.cpp, every week"},
    {"organisations.culture_weight", T::number, member<&Scenario::organisations, &OrgTimeParams::culture_weight>, false, "org_time.cpp, every week"},
    {"organisations.project_squeeze", T::number, member<&Scenario::organisations, &OrgTimeParams::project_squeeze>, false, "org_time.cpp, every week"},
    {"organisations.learning_feedback", T::number, member<&Scenario::organisations, &OrgTimeParams::learning_feedback>, false, "org_time.cpp, every week"},
    {"platform.mass_half", T::number, member<&Scenario::platform, &PlatformParams::mass_half>, false, "platform.cpp, every week"},
    {"repertoire.learning_rate", T::number, member<&Scenario::repertoire, &RepertoireParams::learning_rate>, false, "repertoire.cpp, every week"},
    {"repertoire.forgetting", T::number, member<&Scenario::repertoire, &RepertoireParams::forgetting>, false, "repertoire.cpp, every week"},
    {"repertoire.cross_post_rate", T::number, member<&Scenario::repertoire, &RepertoireParams::cross_post_rate>, false, kLeverRead},
    {"repertoire.boundary_rate", T::number, member<&Scenario::repertoire, &RepertoireParams::boundary_rate>, false, kLeverRead},
    {"phases.renew_rate", T::number, member<&Scenario::phases, &PhaseParams::renew_rate>, false, kLeverRead},
    {"phases.relevance_drift", T::number, member<&Scenario::phases, &PhaseParams::relevance_drift>, false, kLeverRead},
    {"phases.dissolve_rate", T::number, member<&Scenario::phases, &PhaseParams::dissolve_rate>, false, "phases.cpp, every week"},
    {"territory.learning_gain", T::number, member<&Scenario::territory, &TerritoryParams::learning_gain>, false, "territory.cpp, every week"},
    {"territory.learning_decay", T::number, member<&Scenario::territory, &TerritoryParams::learning_decay>, false, "territory.cpp, every week"},
    {"territory.spillover", T::number, member<&Scenario::territory, &TerritoryParams::spillover>, false, "territory.cpp, every week"},
};
// clang-format on

double ratio(double a, double b, double if_none) { return b > 0 ? a / b : if_none; }

std::vector<TriggerVariable> make_trigger_variables() {
  std::vector<TriggerVariable> out;
  for (const SeriesDef& d : weekly_series())
    if (d.axis == SeriesAxis::none) out.push_back({d.name, d.long_name, &d, nullptr});
  const std::vector<TriggerVariable> ratios = {
      {"members_active_share", "members_active / members_total (0 with no member)", nullptr,
       [](const WeekRecord& r) {
         return ratio(static_cast<double>(r.members_active), static_cast<double>(r.members_total),
                      0.0);
       }},
      {"cdps_active_share", "cdps_active / cdps_alive: alive CdPs at quorum (0 with no CdP)",
       nullptr,
       [](const WeekRecord& r) {
         return ratio(static_cast<double>(r.cdps_active), static_cast<double>(r.cdps_alive), 0.0);
       }},
      {"support_coverage", "support_hours_given / support_hours_demanded (1 with no demand)",
       nullptr,
       [](const WeekRecord& r) {
         return ratio(r.support_hours_given, r.support_hours_demanded, 1.0);
       }},
      {"contributions_per_member", "contributions / members_total (0 with no member)", nullptr,
       [](const WeekRecord& r) {
         return ratio(static_cast<double>(r.contributions), static_cast<double>(r.members_total),
                      0.0);
       }},
      {"knowledge_per_cdp", "knowledge_stock / cdps_alive (0 with no CdP)", nullptr,
       [](const WeekRecord& r) {
         return ratio(r.knowledge_stock, static_cast<double>(r.cdps_alive), 0.0);
       }},
  };
  out.insert(out.end(), ratios.begin(), ratios.end());
  return out;
}

[[noreturn]] void fail(std::string_view src, std::size_t i, std::string_view field,
                       const std::string& what) {
  throw ScenarioError(std::string(src) + ": interventions[" + std::to_string(i) + "]" +
                      (field.empty() ? "" : "." + std::string(field)) + ": " + what);
}

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

const Field* field_meta(const Schema& schema, std::string_view key) {
  const FieldSlot* slot = find_slot(schema, key);
  return slot ? &slot->meta : nullptr;
}

// The week a start/end value names: a week number, or a date relative to the start date.
std::int64_t week_of_value(const Scenario& s, const Scalar& v, std::string_view src, std::size_t i,
                           std::string_view field) {
  if (v.kind == Scalar::Kind::date) return s.week_of(v.date);
  if (v.kind == Scalar::Kind::number) {
    if (v.number != std::floor(v.number))
      fail(src, i, field,
           number_text(v.number) + " is not a whole week (allowed: a week number or a date)");
    return static_cast<std::int64_t>(v.number);
  }
  fail(src, i, field, "expected a date or a week number (allowed: a date like 2020-03-16 or 0)");
}

std::string key_list() {
  std::string out;
  for (const MidRunKey& k : kKeys) out += (out.empty() ? "" : ", ") + std::string(k.key);
  return out;
}

}  // namespace

std::span<const MidRunKey> mid_run_keys() { return kKeys; }

const MidRunKey* find_mid_run_key(std::string_view key) {
  for (const MidRunKey& k : kKeys)
    if (k.key == key) return &k;
  return nullptr;
}

std::span<const TriggerVariable> trigger_variables() {
  static const std::vector<TriggerVariable> vars = make_trigger_variables();
  return vars;
}

double TriggerVariable::value(const WeekRecord& r) const {
  if (ratio != nullptr) return ratio(r);
  if (series->integer) {
    std::int64_t v = 0;
    series->extract_int(r, &v);
    return static_cast<double>(v);
  }
  double v = 0.0;
  series->extract_real(r, &v);
  return v;
}

bool Condition::holds(const WeekRecord& r) const {
  const double v = trigger_variables()[static_cast<std::size_t>(variable)].value(r);
  switch (op) {
    case Op::lt:
      return v < threshold;
    case Op::le:
      return v <= threshold;
    case Op::gt:
      return v > threshold;
    default:
      return v >= threshold;
  }
}

Condition parse_condition(std::string_view text) {
  const auto trim = [](std::string_view x) {
    while (!x.empty() && (x.front() == ' ' || x.front() == '\t')) x.remove_prefix(1);
    while (!x.empty() && (x.back() == ' ' || x.back() == '\t')) x.remove_suffix(1);
    return x;
  };
  const std::size_t at = text.find_first_of("<>");
  if (at == std::string_view::npos)
    throw std::invalid_argument("'" + std::string(text) +
                                "' is not a condition (allowed: \"VARIABLE < X\", >, <= or >=)");
  Condition c;
  std::size_t len = 1;
  const bool eq = at + 1 < text.size() && text[at + 1] == '=';
  if (text[at] == '<') {
    c.op = eq ? Condition::Op::le : Condition::Op::lt;
  } else {
    c.op = eq ? Condition::Op::ge : Condition::Op::gt;
  }
  if (eq) len = 2;
  const std::string_view name = trim(text.substr(0, at));
  const std::string_view num = trim(text.substr(at + len));
  const auto vars = trigger_variables();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    names.emplace_back(vars[i].name);
    if (vars[i].name == name) c.variable = static_cast<int>(i);
  }
  if (c.variable < 0) {
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    const std::string near = nearest_name(name, names);
    throw std::invalid_argument("unknown variable '" + std::string(name) + "'" +
                                (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                                " (allowed: " + all + ")");
  }
  const char* b = num.data();
  const char* e = num.data() + num.size();
  const auto r = std::from_chars(b, e, c.threshold);
  if (num.empty() || r.ec != std::errc{} || r.ptr != e || !std::isfinite(c.threshold))
    throw std::invalid_argument("threshold '" + std::string(num) +
                                "' is not a finite number (allowed: \"" + std::string(name) +
                                " < 0.5\")");
  return c;
}

bool PlannedIntervention::pays_support() const {
  return mid_run_keys()[static_cast<std::size_t>(key)].support &&
         (cost_per_hour > 0 || std::isfinite(budget_hours));
}

double key_number(const MidRunKey& k, Scenario& s, std::span<const std::string_view> choices) {
  const FieldPtr f = k.field(s);
  if (const auto* d = std::get_if<double*>(&f)) return **d;
  if (const auto* b = std::get_if<bool*>(&f)) return **b ? 1.0 : 0.0;
  const std::string& v = *std::get<std::string*>(f);
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == v) return static_cast<double>(i);
  return -1.0;
}

double key_number(const MidRunKey& k, Scenario& s) {
  const Schema schema = make_schema(s);
  const Field* meta = field_meta(schema, k.key);
  return key_number(k, s,
                    meta ? std::span<const std::string_view>(meta->choices)
                         : std::span<const std::string_view>());
}

InterventionPlan plan_interventions(const Scenario& s, std::string_view src) {
  InterventionPlan plan;
  Scenario copy = s;
  const Schema schema = make_schema(copy);
  std::vector<std::string> all_keys;
  for (const MidRunKey& k : kKeys) all_keys.emplace_back(k.key);
  for (std::size_t i = 0; i < s.interventions.size(); ++i) {
    const InterventionSpec& in = s.interventions[i];
    PlannedIntervention p;
    p.name = in.name.empty() ? "interventions[" + std::to_string(i) + "]" : in.name;
    // What it changes.
    const MidRunKey* key = find_mid_run_key(in.key);
    if (key == nullptr) {
      if (in.key.empty()) fail(src, i, "key", "missing (allowed: " + key_list() + ")");
      const bool exists = field_meta(schema, in.key) != nullptr;
      const std::string near = nearest_name(in.key, all_keys);
      fail(src, i, "key",
           "'" + in.key + "' " +
               (exists ? "is not safe to change during a run (it is read only when agents are "
                         "created)"
                       : "is not a parameter" +
                             (near.empty() ? std::string() : " (did you mean '" + near + "'?)")) +
               " (allowed: " + key_list() + ")");
    }
    p.key = static_cast<int>(key - kKeys);
    if (in.key.starts_with("levers.")) p.lever = p.key;
    const Field* meta = field_meta(schema, in.key);
    // How.
    if (in.set.given() == in.scale.given())
      fail(src, i, in.set.given() ? "scale" : "set",
           std::string(in.set.given() ? "set and scale are both given"
                                      : "neither set nor scale is given") +
               " (allowed: exactly one: set = absolute value, scale = multiplier)");
    p.is_set = in.set.given();
    if (p.is_set) {
      p.value = in.set;
      const auto k = in.set.kind;
      if (key->type == T::number) {
        if (k != Scalar::Kind::number)
          fail(src, i, "set",
               "expected a number for " + in.key + " (allowed: a number in [" +
                   number_text(meta->min) + ", " + number_text(meta->max) + "])");
        if (!(in.set.number >= meta->min && in.set.number <= meta->max))
          fail(src, i, "set",
               number_text(in.set.number) + " is out of range for " + in.key + " (allowed: [" +
                   number_text(meta->min) + ", " + number_text(meta->max) + "])");
      } else if (key->type == T::boolean) {
        if (k != Scalar::Kind::boolean)
          fail(src, i, "set", "expected true or false for " + in.key + " (allowed: true or false)");
      } else {
        std::string allowed;
        bool ok = false;
        for (auto c : meta->choices) {
          allowed += (allowed.empty() ? "'" : ", '") + std::string(c) + "'";
          ok = ok || (k == Scalar::Kind::text && in.set.text == c);
        }
        if (!ok)
          fail(src, i, "set",
               (k == Scalar::Kind::text ? "unknown value '" + in.set.text + "'"
                                        : std::string("expected a name")) +
                   " for " + in.key + " (allowed: " + allowed + ")");
      }
    } else {
      if (key->type != T::number)
        fail(src, i, "scale",
             in.key + " is not a number and cannot be scaled (allowed: set = a value)");
      if (in.scale.kind != Scalar::Kind::number)
        fail(src, i, "scale", "expected a number (allowed: a multiplier in [0, 1e6])");
      p.value = in.scale;
      FieldPtr f = key->field(copy);
      const double scaled = *std::get<double*>(f) * in.scale.number;
      if (!(scaled >= meta->min && scaled <= meta->max))
        fail(src, i, "scale",
             number_text(in.scale.number) + " x " + in.key + " " +
                 number_text(*std::get<double*>(f)) + " = " + number_text(scaled) +
                 " is out of range (allowed: a result in [" + number_text(meta->min) + ", " +
                 number_text(meta->max) + "])");
    }
    // When.
    p.start = in.start.given() ? week_of_value(s, in.start, src, i, "start") : 0;
    if (p.start < 0)
      fail(src, i, "start",
           "is before the start date " + s.simulation.start_date.to_string() + " (allowed: from " +
               s.simulation.start_date.to_string() + " or week 0)");
    if (in.end.given()) {
      p.end = week_of_value(s, in.end, src, i, "end");
      if (p.end <= p.start)
        fail(src, i, "end",
             "week " + std::to_string(p.end) + " is not after the start, week " +
                 std::to_string(p.start) + " (allowed: an end after the start)");
    }
    p.ramp = in.ramp_weeks;
    if (p.ramp > 0 && key->type != T::number)
      fail(src, i, "ramp_weeks", in.key + " is not a number and cannot ramp (allowed: 0)");
    if (p.end != kNever && p.ramp > p.end - p.start)
      fail(src, i, "ramp_weeks",
           std::to_string(p.ramp) + " weeks is longer than the span of " +
               std::to_string(p.end - p.start) + " weeks (allowed: at most end - start)");
    // Trigger.
    if (!in.when.empty()) {
      try {
        p.when = parse_condition(in.when);
      } catch (const std::invalid_argument& e) {
        fail(src, i, "when", e.what());
      }
    }
    if (!in.until.empty()) {
      if (!p.when)
        fail(src, i, "until", "given without `when` (allowed: a trigger's off-threshold)");
      try {
        p.until = parse_condition(in.until);
      } catch (const std::invalid_argument& e) {
        fail(src, i, "until", e.what());
      }
      // Hysteresis that could hold both at once would switch on and off in one check.
      if (p.until->variable == p.when->variable) {
        const bool when_below = p.when->op == Condition::Op::lt || p.when->op == Condition::Op::le;
        const bool until_above =
            p.until->op == Condition::Op::gt || p.until->op == Condition::Op::ge;
        if (when_below != until_above || (when_below && p.until->threshold < p.when->threshold) ||
            (!when_below && p.until->threshold > p.when->threshold))
          fail(src, i, "until",
               "'" + in.until + "' can hold together with when = '" + in.when +
                   "' (allowed: the other side of the on-threshold, e.g. when = \"x < 0.4\", "
                   "until = \"x > 0.5\")");
      }
    }
    if (!p.when && (in.check_every != 1 || in.min_duration != 0 || in.blackout != 0))
      fail(src, i,
           in.check_every != 1 ? "check_every"
           : in.min_duration   ? "min_duration"
                               : "blackout",
           "applies to a trigger only (allowed: give `when` too, or leave it out)");
    p.check_every = in.check_every;
    p.min_duration = in.min_duration;
    p.blackout = in.blackout;
    // Money.
    p.cost_per_hour = in.cost_per_hour;
    p.cost_per_week = in.cost_per_week;
    if (in.budget_hours.given()) p.budget_hours = in.budget_hours.number;
    if (in.budget.given()) p.budget = in.budget.number;
    if (!key->support && (in.budget_hours.given() || in.cost_per_hour > 0))
      fail(src, i, in.budget_hours.given() ? "budget_hours" : "cost_per_hour",
           "only an intervention on the support team pays for support hours (allowed: key = "
           "levers.support_capacity, support.capacity_hours or support.mode)");
    if (in.budget.given() && in.cost_per_hour <= 0 && in.cost_per_week <= 0)
      fail(src, i, "budget",
           "nothing is spent against it (allowed: with cost_per_hour or cost_per_week > 0)");
    if (p.lever < 0) {
      auto it = std::find(plan.params.begin(), plan.params.end(), p.key);
      if (it == plan.params.end()) {
        plan.params.push_back(p.key);
        it = plan.params.end() - 1;
      }
      p.param = static_cast<int>(it - plan.params.begin());
    }
    plan.items.push_back(std::move(p));
  }
  // Combinations the rules cannot order: two sets on one key, or two programmes paying for
  // support, that can be in force in the same week.
  for (std::size_t a = 0; a < plan.items.size(); ++a)
    for (std::size_t b = a + 1; b < plan.items.size(); ++b) {
      const PlannedIntervention& x = plan.items[a];
      const PlannedIntervention& y = plan.items[b];
      const bool overlap = x.start < y.end && y.start < x.end;
      if (!overlap) continue;
      if (x.key == y.key && x.is_set && y.is_set)
        fail(src, b, "start",
             "sets " + s.interventions[b].key + " while interventions[" + std::to_string(a) +
                 "] ('" + x.name +
                 "') may set it too (allowed: one set per key at a time; use "
                 "scale, or spans that do not overlap)");
      if (x.pays_support() && y.pays_support())
        fail(src, b, "start",
             "pays for support while interventions[" + std::to_string(a) + "] ('" + x.name +
                 "') may pay for it too (allowed: one paying programme at a time)");
    }
  return plan;
}

// ---------------------------------------------------------------------------------------------

namespace {

// Smallest support the budget accounting distinguishes (h); documented in docs/model.md, 7.15.
constexpr double kHourResolution = 1e-4;

// Share of the way from the old to the new value in week t: min(1, weeks in force / ramp).
double ramp_fraction(const PlannedIntervention& p, std::int64_t since, std::int64_t t) {
  if (p.ramp <= 1) return 1.0;
  return std::min(1.0, static_cast<double>(t - since + 1) / static_cast<double>(p.ramp));
}

}  // namespace

InterventionState::InterventionState(const Scenario& base)
    : base_(base),
      plan_(plan_interventions(base, base.simulation.name)),
      live_(plan_.items.size()),
      lo_(std::size(kKeys), 0.0),
      hi_(std::size(kKeys), 0.0),
      choices_(std::size(kKeys)) {
  const Schema schema = make_schema(base_);
  for (std::size_t k = 0; k < std::size(kKeys); ++k)
    if (const Field* f = field_meta(schema, kKeys[k].key)) {
      lo_[k] = f->min;
      hi_[k] = f->max;
      choices_[k] = f->choices;
    }
}

bool InterventionState::begin_week(std::int32_t t, const WeekRecord* last, Scenario& now,
                                   std::vector<Event>& events) {
  if (plan_.items.empty()) return false;
  const auto log = [&](EventKind kind, std::size_t i, const std::string& more) {
    events.push_back({t, kind, -1, plan_.items[i].name + (more.empty() ? "" : ": " + more)});
  };
  support_cap_ = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < plan_.items.size(); ++i) {
    const PlannedIntervention& p = plan_.items[i];
    const InterventionSpec& spec = base_.interventions[i];
    Live& L = live_[i];
    const bool was_on = L.on;
    bool on = false;
    if (t >= p.start && t < p.end && !L.exhausted) {
      if (!p.triggered()) {
        on = true;
      } else {
        if (last != nullptr && (t - p.start) % p.check_every == 0) {
          if (!L.trigger_on) {
            if (t >= L.blackout_until && p.when->holds(*last)) {
              L.trigger_on = true;
              log(EventKind::trigger_on, i, spec.when);
            }
          } else if (t - L.since >= p.min_duration &&
                     (p.until ? p.until->holds(*last) : !p.when->holds(*last))) {
            L.trigger_on = false;
            L.blackout_until = t + p.blackout;
            log(EventKind::trigger_off, i,
                spec.until.empty() ? "no longer " + spec.when : spec.until);
          }
        }
        on = L.trigger_on;
      }
    } else if (L.trigger_on) {
      L.trigger_on = false;
      log(EventKind::trigger_off, i, "end of its span");
    }
    if (on && !was_on) {
      L.since = t;
      if (!p.triggered()) log(EventKind::intervention_start, i, spec.key);
    }
    if (!on && was_on && !p.triggered() && !L.exhausted)
      log(EventKind::intervention_end, i, spec.key);
    L.on = on;
    // A programme paying for support caps it at what is left; once spent, no support until its
    // end.
    if (p.pays_support() && t >= p.start && t < p.end) {
      if (L.exhausted) {
        support_cap_ = 0.0;
      } else if (on) {
        double cap = p.budget_hours - L.hours;
        if (p.cost_per_hour > 0) {
          const double money_left = p.budget - L.money - p.cost_per_week;
          cap = std::min(cap, std::max(0.0, money_left) / p.cost_per_hour);
        }
        support_cap_ = std::min(support_cap_, std::max(0.0, cap));
      }
    }
  }
  // The week's value of every changed key, from the base scenario (so an end restores it
  // exactly): the set in force, ramped, then every scale in force, ramped.
  bool changed = false;
  for (std::size_t i = 0; i < plan_.items.size(); ++i) {
    const int key = plan_.items[i].key;
    bool first = true;
    for (std::size_t j = 0; j < i; ++j) first = first && plan_.items[j].key != key;
    if (!first) continue;
    const MidRunKey& k = kKeys[key];
    const FieldPtr target = k.field(now);
    const FieldPtr source = k.field(base_);
    const auto in_force = [&](std::size_t j) { return plan_.items[j].key == key && live_[j].on; };
    if (k.type == T::number) {
      const double b0 = *std::get<double*>(source);
      double v = b0;
      for (std::size_t j = i; j < plan_.items.size(); ++j)
        if (in_force(j) && plan_.items[j].is_set)
          v = b0 +
              ramp_fraction(plan_.items[j], live_[j].since, t) * (plan_.items[j].value.number - b0);
      for (std::size_t j = i; j < plan_.items.size(); ++j)
        if (in_force(j) && !plan_.items[j].is_set)
          v *= 1.0 + ramp_fraction(plan_.items[j], live_[j].since, t) *
                         (plan_.items[j].value.number - 1.0);
      v = std::clamp(v, lo_[key], hi_[key]);
      double& out = *std::get<double*>(target);
      changed = changed || out != v;
      out = v;
    } else if (k.type == T::boolean) {
      bool v = *std::get<bool*>(source);
      for (std::size_t j = i; j < plan_.items.size(); ++j)
        if (in_force(j)) v = plan_.items[j].value.boolean;
      bool& out = *std::get<bool*>(target);
      changed = changed || out != v;
      out = v;
    } else {
      std::string v = *std::get<std::string*>(source);
      for (std::size_t j = i; j < plan_.items.size(); ++j)
        if (in_force(j)) v = plan_.items[j].value.text;
      std::string& out = *std::get<std::string*>(target);
      changed = changed || out != v;
      out = v;
    }
  }
  return changed;
}

void InterventionState::pay(std::int32_t t, double support_hours_given,
                            std::vector<Event>& events) {
  week_hours_ = 0.0;
  week_money_ = 0.0;
  for (std::size_t i = 0; i < plan_.items.size(); ++i) {
    const PlannedIntervention& p = plan_.items[i];
    Live& L = live_[i];
    if (!L.on) continue;
    double hours = p.pays_support() ? support_hours_given : 0.0;
    double money = std::min(p.cost_per_week, std::max(0.0, p.budget - L.money));
    money += hours * p.cost_per_hour;
    L.hours += hours;
    L.money += money;
    week_hours_ += hours;
    week_money_ += money;
    // Spent when what is left is below what the support step can resolve: support given is
    // summed from 32-bit floats per CdP, so a week that spends "all" may leave ~1e-7 h.
    const bool hours_out = p.budget_hours - L.hours < kHourResolution;
    const bool money_out =
        std::isfinite(p.budget) &&
        p.budget - L.money < std::max(1e-9 * p.budget, kHourResolution * p.cost_per_hour);
    if (hours_out || money_out) {
      L.exhausted = true;  // in force this week still; begin_week ends it
      L.trigger_on = false;
      events.push_back({t, EventKind::budget_exhausted, -1,
                        p.name + ": " + (hours_out ? "budget of hours spent" : "budget spent")});
    }
  }
  total_hours_ += week_hours_;
  total_money_ += week_money_;
}

void InterventionState::fill(WeekRecord& r, Scenario& now) const {
  auto lv = now.levers.by_index();
  for (int l = 0; l < kLevers; ++l) r.levers[l] = *lv[l];
  r.params.clear();
  for (int k : plan_.params) r.params.push_back(key_number(kKeys[k], now, choices_[k]));
  r.interventions_active.resize(plan_.items.size());
  for (std::size_t i = 0; i < plan_.items.size(); ++i) r.interventions_active[i] = live_[i].on;
  r.spent_hours = week_hours_;
  r.spent_money = week_money_;
  r.spent_hours_total = total_hours_;
  r.spent_money_total = total_money_;
}

void InterventionState::restore(Progress p) {
  if (p.live.size() != plan_.items.size())
    throw std::invalid_argument("interventions: the saved progress has " +
                                std::to_string(p.live.size()) + " interventions, the plan " +
                                std::to_string(plan_.items.size()));
  live_ = std::move(p.live);
  total_hours_ = p.hours;
  total_money_ = p.money;
}

}  // namespace cdpsim
