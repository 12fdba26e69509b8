// "Did you mean" for every message that names an unknown key or value: the loader's and the
// model's own checks (interventions) share it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cdpsim {

// The candidate nearest to `key` in Levenshtein distance (first one on ties), or "" when none is
// close, i.e. every distance exceeds max(2, key.size() / 2).
std::string nearest_name(std::string_view key, const std::vector<std::string>& candidates);

}  // namespace cdpsim
