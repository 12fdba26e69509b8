// The weekly series of a run, described once: name, unit, meaning, type and second axis. The
// recorder writes them over (week[, axis]) for one run; an ensemble writes the same names over
// (run, week[, axis]). Listing them here keeps both files' names, units and order in step.
//
//   for (const SeriesDef& d : weekly_series())
//     d.extract(week_record, out);  // axis_width(d.axis, sizes) values, as int64 or double
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/week_record.hpp"

namespace cdpsim {

// The second axis of a series, after week.
enum class SeriesAxis { none, phase, tier, territory, platform, lever };

// Sizes of the variable axes (phases and tiers are fixed by the model).
struct AxisSizes {
  std::size_t territories = 1;
  std::size_t platforms = 1;
};

struct SeriesDef {
  std::string_view name;
  std::string_view units;
  std::string_view long_name;
  SeriesAxis axis = SeriesAxis::none;
  bool integer = true;  // int64 when true, float64 otherwise
  // Fills out[0 .. width) for one week; exactly one of the two is set, by `integer`.
  void (*extract_int)(const WeekRecord&, std::int64_t* out) = nullptr;
  void (*extract_real)(const WeekRecord&, double* out) = nullptr;
};

// Every weekly series in file order: one-axis series first, then those with a second axis.
const std::vector<SeriesDef>& weekly_series();

// Values per week of a series with this axis (1 for none).
std::size_t axis_width(SeriesAxis axis, const AxisSizes& sizes);
// Dimension name of the axis ("" for none).
std::string_view axis_dimension(SeriesAxis axis);

// Values of `def` over `weeks`, row-major (week, axis): weeks.size() * width values into `out`.
// Call the overload matching def.integer.
void extract_series(const SeriesDef& def, std::span<const WeekRecord> weeks, std::size_t width,
                    std::int64_t* out);
void extract_series(const SeriesDef& def, std::span<const WeekRecord> weeks, std::size_t width,
                    double* out);

}  // namespace cdpsim
