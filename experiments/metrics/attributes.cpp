#include "experiments/metrics/attributes.hpp"

#include <string>

namespace cdpsim {

std::vector<io::Attr> series_attributes(const SeriesDef& def) {
  return {{"units", std::string(def.units)}, {"long_name", std::string(def.long_name)}};
}

}  // namespace cdpsim
