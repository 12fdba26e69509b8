// Assembling an ensemble from files that each hold part of its runs: `cdpsim merge` (job-array
// slices), the per-rank shards of an MPI job, and the finished runs of an interrupted file that
// `--resume` completes. The inputs must belong to the same ensemble (same ensemble_id) and hold
// each finished run once; the result is written by the same writer as a single-process ensemble.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "experiments/ensemble/ensemble_file.hpp"

namespace cdpsim {

// Sorted run indices as ranges: {0,1,2,5,7,8} -> "0-2, 5, 7-8" (at most `max_ranges`, then "...").
std::string describe_runs(std::span<const std::int64_t> sorted_runs, std::size_t max_ranges = 8);

// The headers of `inputs`, after checking that they share one ensemble_id and that no run is
// finished in two of them. Throws EnsembleFileError naming the offending files and runs.
std::vector<EnsembleFileHeader> check_same_ensemble(std::span<const std::filesystem::path> inputs);

// Loads the finished runs of every input into `store` (the inputs checked as above, and against
// `plan`'s ensemble_id). Returns the runs loaded, sorted.
std::vector<std::int64_t> gather_runs(const EnsemblePlan& plan,
                                      std::span<const std::filesystem::path> inputs,
                                      std::span<const EnsembleFileHeader> headers, RunStore& store);

// `cdpsim merge`: checks that `inputs` cover every run of their ensemble exactly once (missing
// runs are named), then writes the whole ensemble to `output`. Throws EnsembleFileError.
struct MergeOutcome {
  std::int64_t runs = 0;
  std::string ensemble_id;
};
MergeOutcome merge_ensemble_files(std::span<const std::filesystem::path> inputs,
                                  const std::filesystem::path& output, bool replace = true);

}  // namespace cdpsim
