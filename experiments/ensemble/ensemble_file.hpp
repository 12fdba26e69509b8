// The ensemble file (docs/ensembles.md, "The file"): the design, the seeds and set-strings of every
// run, each run's weekly series over (run, week[, axis]) under the names of a single run's file,
// and the outcome metrics over (run, metric). One writer serves whole ensembles, slices (shards)
// and interrupted ensembles, so a merged or resumed file is the file of a single process.
//
// A file holds a set of runs (the `run` coordinate gives their global indices). Runs not finished
// are flagged run_complete = 0 and filled with -1 (integers) or NaN (reals).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/ensemble/design.hpp"
#include "experiments/ensemble/ensemble.hpp"

namespace cdpsim {

// A file that is not a usable part of the requested ensemble: a user error.
struct EnsembleFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `runs` (sorted, inside the store's range) to `path`, which is created or truncated, with
// each finished run's checksum (RunRecord::checksum, as run_checksum). Safe while other runs are
// being put into the store (it writes the runs put so far).
// output_kind is "ensemble" when the file holds every run of the plan, "ensemble_shard" otherwise;
// status is "complete" when every run it holds is finished, "interrupted" otherwise.
void write_ensemble_file(const std::filesystem::path& path, const EnsemblePlan& plan,
                         const RunStore& store, std::span<const std::int64_t> runs);

// What an ensemble file says about itself, read without its data.
struct EnsembleFileHeader {
  std::string output_kind;
  std::string ensemble_id;
  std::string status;
  std::string base_toml;
  std::string scenario_name;
  DesignRequest request;
  std::vector<std::int64_t> runs;     // the run coordinate
  std::vector<std::int8_t> complete;  // run_complete
  std::int64_t runs_total = 0;

  [[nodiscard]] std::vector<std::int64_t> complete_runs() const;
};

// Throws EnsembleFileError when `path` is missing, unreadable or not an ensemble file.
EnsembleFileHeader read_ensemble_header(const std::filesystem::path& path);

// The plan the file was written for (rebuilt from its stored request and base scenario); throws
// EnsembleFileError when it does not reproduce the file's ensemble_id (another cdpsim version).
EnsemblePlan plan_of(const std::filesystem::path& path, const EnsembleFileHeader& header);

// Which runs flagged finished (run_complete = 1) the file's data vouch for: their values,
// recomputed into run_checksum(), match the stored run_checksum. `rejected`: flagged finished but
// not matching (edited or damaged values, a flag set by hand on a missing run, no checksum).
struct RunVerdict {
  std::vector<std::int64_t> trusted, rejected;
};
RunVerdict verify_runs(const std::filesystem::path& path, const EnsemblePlan& plan,
                       const EnsembleFileHeader& header);

// Puts `runs` (each flagged finished in the file) into `store` (which must cover them), checking
// each against its stored checksum (EnsembleFileError when one does not match); returns them.
std::vector<std::int64_t> load_runs(const std::filesystem::path& path, const EnsemblePlan& plan,
                                    const EnsembleFileHeader& header,
                                    std::span<const std::int64_t> runs, RunStore& store);

// load_runs() of every run flagged finished.
std::vector<std::int64_t> load_complete_runs(const std::filesystem::path& path,
                                             const EnsemblePlan& plan,
                                             const EnsembleFileHeader& header, RunStore& store);

}  // namespace cdpsim
