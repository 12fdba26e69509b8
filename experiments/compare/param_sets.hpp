// `cdpsim compare --param-sets FILE`: parameter sets read from a CSV file (the accepted sets of the
// calibration, scenarios/calibration/accepted.csv; docs/calibration.md), each applied to every
// compared scenario, so that a verdict carries parameter uncertainty as well as replicate noise.
//
//   ParamSets p = read_param_sets("scenarios/calibration/accepted.csv");
//   p.keys[0] == "engagement.decay";  p.sets(k) == {"engagement.decay=0.04429", ...}
//
// The file: a header line, then one line per set. A column whose name contains a dot is a
// parameter key ("section.key", a number parameter of `cdpsim params`); every other column
// (point, max_implausibility, members_w9, ...) is ignored. Fields follow RFC 4180 (commas,
// double-quoted fields with "" for a quote); blank lines are skipped. Every problem is a
// CompareError "FILE:LINE:COLUMN: KEY: problem (allowed: ...)", COLUMN the field's first
// character, counted from 1.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cdpsim {

struct ParamSets {
  std::string path;                             // as given
  std::vector<std::string> keys;                // parameter columns, in file order
  std::vector<std::vector<double>> values;      // [set][key], checked against the key's range
  std::vector<std::vector<std::string>> texts;  // [set][key] as a --set value (exact)
  std::vector<std::int64_t> lines;              // [set] line of the file, from 1

  [[nodiscard]] std::size_t size() const { return values.size(); }
  // The "key=value" overrides of set k, as `cdpsim run --set` takes them.
  [[nodiscard]] std::vector<std::string> sets(std::size_t k) const;
};

// At most this many sets and this many bytes (a calibration's accepted sets are a few hundred).
inline constexpr std::size_t kMaxParamSets = 100'000;
inline constexpr std::uintmax_t kMaxParamSetBytes = std::uintmax_t{64} << 20;  // 64 MiB

// Reads and checks the file; throws CompareError.
ParamSets read_param_sets(const std::filesystem::path& path);
// The same from text; `source` names it in messages.
ParamSets parse_param_sets(const std::string& text, const std::string& source);

}  // namespace cdpsim
