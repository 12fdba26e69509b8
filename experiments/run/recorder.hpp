// The observer of a run: keeps every WeekRecord and, when asked, the per-CdP state of each week,
// and writes them with the members' totals and the events table as one netCDF-compatible HDF5
// file (docs/output.md). Mechanisms never write files; this is the only writer of run output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "models/schedule.hpp"

namespace cdpsim {

namespace io {
class NcWriter;
}

struct RunMeta {
  std::uint64_t seed = 0;
  std::string status;  // "complete" or "interrupted"
  std::int32_t weeks_planned = 0;
};

class Recorder {
 public:
  explicit Recorder(bool per_cdp) : per_cdp_(per_cdp) {}
  void record(const WeekRecord& r, const World& w);
  [[nodiscard]] const std::vector<WeekRecord>& weeks() const { return weeks_; }
  // Writes everything recorded so far to `path` (which must not be open elsewhere).
  void write(const std::filesystem::path& path, const Scenario& s, const World& w,
             const RunMeta& meta) const;

 private:
  void write_interventions(io::NcWriter& f, const Scenario& s) const;

  bool per_cdp_;
  std::vector<WeekRecord> weeks_;
  // Per-CdP rows, one per week, each as long as the CdPs created by then.
  std::vector<std::vector<std::int32_t>> cdp_members_, cdp_active_, cdp_links_;
  std::vector<std::vector<std::int8_t>> cdp_phase_;
  std::vector<std::vector<float>> cdp_repertoire_, cdp_support_;
};

}  // namespace cdpsim
