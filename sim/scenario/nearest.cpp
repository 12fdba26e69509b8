#include "sim/scenario/nearest.hpp"

#include <algorithm>

namespace cdpsim {

std::string nearest_name(std::string_view key, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, key.size() / 2);
  std::string best;
  std::size_t best_d = limit + 1;
  std::vector<std::size_t> row;
  for (const auto& c : candidates) {
    // Two-row Levenshtein distance.
    row.resize(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= key.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (key[i - 1] == c[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[c.size()] < best_d) {
      best_d = row[c.size()];
      best = c;
    }
  }
  return best;
}

}  // namespace cdpsim
