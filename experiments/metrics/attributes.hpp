// What an output file says about its variables, from the model's own descriptions: the units and
// long_name of a weekly series (models/series.hpp) and the rows of the metric table (metrics.hpp),
// so that readers (cdpsim_py, xarray) take labels from the file instead of copying them.
#pragma once

#include <string>
#include <vector>

#include "experiments/metrics/metrics.hpp"
#include "models/series.hpp"
#include "sim/io/nc_writer.hpp"

namespace cdpsim {

class MemorySink;  // experiments/run/memory_sink.hpp

// units and long_name of the series' variable.
std::vector<io::Attr> series_attributes(const SeriesDef& def);

// The metric table's rows for `names`, as variables over the existing "metric" axis:
// metric_label, metric_direction, metric_when, metric_compare_default, metric_verdict_more,
// metric_verdict_fewer, metric_display_scale, metric_display_unit, and metric_meaning unless
// `meaning` is false (a file that already writes it). docs/output.md lists them.
void write_metric_table(io::NcWriter& f, const std::vector<std::string>& names,
                        bool meaning = true);

// The model's fixed axes as coordinates: phase (kPhaseNames), tier (kTierNames), lever
// (kLeverInfo keys).
void add_model_axes(io::NcWriter& f);
void add_model_axes(MemorySink& f);  // the same, in memory (experiments/run/memory_sink.hpp)

}  // namespace cdpsim
