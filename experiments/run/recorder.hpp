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
  // A branch (experiments/run/branch.hpp): the checkpoint it started from, its week, the seed
  // policy and the seed drawn from after it.
  std::string branch_of;
  std::int64_t branch_week = -1;
  std::string seed_policy;
  std::uint64_t draw_seed = 0;
};

// Per-CdP rows, one per week, each as long as the CdPs created by then.
struct CdpRows {
  std::vector<std::vector<std::int32_t>> members, active, links;
  std::vector<std::vector<std::int8_t>> phase;
  std::vector<std::vector<float>> repertoire, support;
};

class Recorder {
 public:
  explicit Recorder(bool per_cdp) : per_cdp_(per_cdp) {}
  // Continues a recording (a checkpoint's weeks and rows).
  Recorder(bool per_cdp, std::vector<WeekRecord> weeks, CdpRows rows)
      : per_cdp_(per_cdp), weeks_(std::move(weeks)), rows_(std::move(rows)) {}
  void record(const WeekRecord& r, const World& w);
  [[nodiscard]] const std::vector<WeekRecord>& weeks() const { return weeks_; }
  [[nodiscard]] const CdpRows& cdp_rows() const { return rows_; }
  // Writes everything recorded so far to `path` (which must not be open elsewhere).
  void write(const std::filesystem::path& path, const Scenario& s, const World& w,
             const RunMeta& meta) const;
  // What write() writes, into `sink`: an io::NcWriter (write() itself) or a MemorySink
  // (experiments/run/memory_sink.hpp: the file's content in memory, for the Python module's
  // series()). The only two instantiations.
  template <class Sink>
  void write_to(Sink& sink, const Scenario& s, const World& w, const RunMeta& meta) const;

 private:
  template <class Sink>
  void write_interventions(Sink& f, const Scenario& s) const;

  bool per_cdp_;
  std::vector<WeekRecord> weeks_;
  CdpRows rows_;
};

}  // namespace cdpsim
