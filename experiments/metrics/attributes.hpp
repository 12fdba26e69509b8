// What an output file says about its variables, from the model's own descriptions: the units and
// long_name of a weekly series (models/series.hpp) and of an outcome metric (metrics.hpp), so that
// readers (cdpsim_py, xarray) take labels from the file instead of copying them.
#pragma once

#include <vector>

#include "experiments/metrics/summary.hpp"
#include "models/series.hpp"
#include "sim/io/nc_writer.hpp"

namespace cdpsim {

// units and long_name of the series' variable.
std::vector<io::Attr> series_attributes(const SeriesDef& def);

}  // namespace cdpsim
