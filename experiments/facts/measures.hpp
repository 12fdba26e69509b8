// What the fact blocks share (facts.cpp, seed_facts.cpp): scenario variants, the per-run measure
// slots, the criterion helpers. Internal to experiments/facts/.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "experiments/facts/facts.hpp"
#include "experiments/metrics/summary.hpp"
#include "experiments/text/catalogue.hpp"
#include "models/scenario.hpp"
#include "models/types.hpp"
#include "sim/stats.hpp"

namespace cdpsim::factkit {

// One scenario variant: a file of the library plus overrides.
struct Variant {
  std::string key;
  std::string file;
  std::vector<std::string> sets;
};

// The facts' per-run measures, declared where each fact uses them. A fact block runs in three
// modes: `count` numbers the measures, `run` computes the measures of one run's variant into
// that run's slots (inside the run pool, so no RunSummary outlives its run and ranks gather plain
// numbers), `evaluate` hands each measure's values over replicates to the criteria.
class Measures {
 public:
  enum class Mode { count, run, evaluate };
  // Counting: no values.
  explicit Measures(int replicates) : mode_(Mode::count), R_(replicates) {}
  // One run of `variant`, replicate `rep`, writing slot k at values[k * R + rep].
  Measures(int replicates, std::string_view variant, int rep, const RunSummary& run,
           std::vector<double>& values)
      : mode_(Mode::run),
        R_(replicates),
        variant_(variant),
        rep_(rep),
        run_(&run),
        values_(&values) {}
  // Evaluation of gathered values.
  Measures(int replicates, std::vector<double>& values)
      : mode_(Mode::evaluate), R_(replicates), values_(&values) {}

  // f(run) for each replicate of `variant`, in replicate order.
  template <class F>
  std::vector<double> per_rep(std::string_view variant, F f) {
    const std::size_t k = next_++;
    std::vector<double> out(static_cast<std::size_t>(R_), 0.0);
    if (mode_ == Mode::run && variant == variant_)
      (*values_)[k * static_cast<std::size_t>(R_) + static_cast<std::size_t>(rep_)] = f(*run_);
    if (mode_ == Mode::evaluate)
      std::copy_n(values_->begin() + static_cast<std::ptrdiff_t>(k * static_cast<std::size_t>(R_)),
                  R_, out.begin());
    return out;
  }
  [[nodiscard]] std::size_t count() const { return next_; }

 private:
  Mode mode_;
  int R_;
  std::string_view variant_;
  int rep_ = 0;
  const RunSummary* run_ = nullptr;
  std::vector<double>* values_ = nullptr;
  std::size_t next_ = 0;
};

template <class F>
inline double sum_weeks(const RunSummary& r, F f, std::int32_t from = 0,
                        std::int32_t to = 1 << 30) {
  double s = 0;
  for (const WeekRecord& w : r.weeks)
    if (w.week >= from && w.week <= to) s += f(w);
  return s;
}

inline std::string fmt(double x) {
  char b[64];
  if (std::fabs(x) >= 100)
    std::snprintf(b, sizeof b, "%.0f", x);
  else
    std::snprintf(b, sizeof b, "%.3g", x);
  return b;
}

inline std::string fmt_fr(double x) { return localize_number(fmt(x), Lang::fr); }

// docs/validation.md, "Inconclusive": below kDecisiveReplicates replicates, a part that misses its
// criterion but whose 95% interval still `reaches` the criterion's side is inconclusive, not
// failing. From kDecisiveReplicates on the criterion alone decides.
inline void mark_inconclusive(FactPart& p, std::size_t replicates, bool reaches) {
  p.inconclusive = !p.pass && reaches && replicates < static_cast<std::size_t>(kDecisiveReplicates);
}

// A part whose criterion is on the mean: lo <= mean <= hi.
inline FactPart within(std::string name, std::string name_fr, const std::vector<double>& x,
                       double lo, double hi) {
  const auto s = stats::summarize(x);
  FactPart p{std::move(name), s.mean, s.ci_low, s.ci_high, "", false, std::move(name_fr), ""};
  if (std::isinf(lo)) {
    p.criterion = "<= " + fmt(hi);
    p.criterion_fr = "≤ " + fmt_fr(hi);
  } else if (std::isinf(hi)) {
    p.criterion = ">= " + fmt(lo);
    p.criterion_fr = "≥ " + fmt_fr(lo);
  } else {
    p.criterion = "in [" + fmt(lo) + ", " + fmt(hi) + "]";
    p.criterion_fr = "dans [" + fmt_fr(lo) + "\u202f; " + fmt_fr(hi) + "]";
  }
  p.pass = s.mean >= lo && s.mean <= hi;
  mark_inconclusive(p, x.size(), s.ci_low <= hi && s.ci_high >= lo);
  return p;
}

// A part whose criterion is on the 95% interval of the mean: entirely above (or below) `ref`.
inline FactPart beyond(std::string name, std::string name_fr, const std::vector<double>& x,
                       double ref, bool above) {
  const auto s = stats::summarize(x);
  FactPart p{std::move(name), s.mean, s.ci_low, s.ci_high, "", false, std::move(name_fr), ""};
  p.criterion = std::string(above ? "interval above " : "interval below ") + fmt(ref);
  p.criterion_fr =
      std::string(above ? "intervalle au-dessus de " : "intervalle au-dessous de ") + fmt_fr(ref);
  p.pass = above ? s.ci_low > ref : s.ci_high < ref;
  mark_inconclusive(p, x.size(), above ? s.ci_high > ref : s.ci_low < ref);
  return p;
}

inline std::vector<double> diff(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

// Mean over weeks of the members active in the week.
inline double weekly_active_members(const RunSummary& r) {
  return sum_weeks(r, [](auto& w) { return w.members_active; }) / r.weeks.size();
}

inline double successful_cdps(const RunSummary& r) {
  double n = 0;
  for (const CdpFinal& c : r.cdps)
    if (c.phase == static_cast<std::uint8_t>(Phase::maturing) ||
        c.phase == static_cast<std::uint8_t>(Phase::stewardship))
      n += 1;
  return n;
}

// The pandemic's weeks [first, last] in `s` (its first shock of kind "pandemic"), or weeks 80-157
// when it has none.
inline std::pair<std::int32_t, std::int32_t> pandemic_weeks(const Scenario& s) {
  for (const ShockSpec& sh : s.shocks)
    if (sh.kind == "pandemic") {
      const auto from = static_cast<std::int32_t>(s.week_of(sh.start));
      return {from, static_cast<std::int32_t>(from + sh.duration_weeks - 1)};
    }
  return {80, 157};
}

// Index of the series (one value per replicate each) with the largest mean; the first on ties.
inline std::size_t argmax_mean(const std::vector<std::vector<double>>& series) {
  std::size_t best = 0;
  double best_mean = -INFINITY;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& x = series[i];
    const double m = x.empty() ? -INFINITY : std::accumulate(x.begin(), x.end(), 0.0) / x.size();
    if (m > best_mean) {
      best = i;
      best_mean = m;
    }
  }
  return best;
}

// Per replicate: the mean over the series of `a` minus the mean over the series of `b`.
inline std::vector<double> group_mean_difference(const std::vector<std::vector<double>>& a,
                                                 const std::vector<std::vector<double>>& b) {
  const std::size_t R = a.empty() ? 0 : a[0].size();
  std::vector<double> d(R, 0.0);
  for (std::size_t r = 0; r < R; ++r) {
    double sa = 0, sb = 0;
    for (const auto& x : a) sa += x[r];
    for (const auto& x : b) sb += x[r];
    d[r] = sa / a.size() - sb / b.size();
  }
  return d;
}

// Mean over weeks of num[w] / den[w], over the weeks where den[w] > 0 (0 when there is none).
inline double mean_ratio(const std::vector<double>& num, const std::vector<double>& den) {
  double s = 0, n = 0;
  for (std::size_t w = 0; w < num.size() && w < den.size(); ++w)
    if (den[w] > 0) {
      s += num[w] / den[w];
      n += 1;
    }
  return n > 0 ? s / n : 0.0;
}

inline bool alive(const CdpFinal& c) {
  return c.phase != static_cast<std::uint8_t>(Phase::dissolved);
}

// F16's cohort: CdPs that received support, the last time at least `weeks_after` weeks before
// `last_week`.
inline bool support_ended_before(const CdpFinal& c, std::int32_t last_week,
                                 std::int32_t weeks_after) {
  return c.last_support_week >= 0 && c.last_support_week <= last_week - weeks_after;
}

// F12-F16 (seed_facts.cpp, docs/validation.md): the variants they add to facts.cpp's, and their
// evaluation, appended to `out`. `base` is passerelles.toml as loaded (pandemic weeks, horizon).
const std::vector<Variant>& seed_variants();
void evaluate_seed_facts(Measures& m, const Scenario& base, int R, std::vector<FactResult>& out);

}  // namespace cdpsim::factkit
