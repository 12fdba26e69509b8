// One `cdpsim ensemble` invocation from the experiments layer's side: which runs to simulate (a
// --runs slice, minus those an interrupted file already holds when resuming), how they are split
// across the ranks of a ProcessGroup (round-robin: run i of the list goes to rank i mod K, which
// balances design points of unequal cost), and how the output is assembled (rank 0 merges the other
// ranks' shards and the resumed file's runs, then writes one file; see docs/ensembles.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "experiments/durable.hpp"
#include "experiments/ensemble/design.hpp"
#include "experiments/ensemble/ensemble_file.hpp"
#include "sim/io/output_path.hpp"
#include "sim/parallel/run_pool.hpp"

namespace cdpsim {

struct EnsembleJobRequest {
  std::filesystem::path output;
  bool force = false;   // replace an existing output
  bool resume = false;  // finish the interrupted ensemble in `output`
  std::int64_t begin = 0;
  std::int64_t end = -1;  // runs [begin, end); -1: to the last run
};

// A file whose finished runs a resume keeps: the output, or a rank file a killed MPI job left.
struct ResumeSource {
  std::filesystem::path path;
  EnsembleFileHeader header;
  std::vector<std::int64_t> trusted;  // runs whose stored values match their checksum
};

struct PreparedEnsembleJob {
  EnsembleJobRequest request;
  std::int64_t begin = 0, end = 0;
  std::vector<std::int64_t> pending;          // runs to simulate, all ranks together
  std::optional<EnsembleFileHeader> resumed;  // the file being resumed
  std::vector<ResumeSource> sources;          // where the trusted runs are (resume)
  std::int64_t trusted = 0;                   // runs kept from them
  std::vector<std::int64_t> redone;           // flagged finished, not vouched for: run again
  bool restarted = false;  // --resume found only the temporary file of a first save cut short
  SavePolicy saving;       // when progress is saved (docs/ensembles.md, "Durable progress")
};

// Everything checkable before any run: the slice, the output path, the file to resume (same
// ensemble, same runs), whose finished runs are verified against their checksums (a run that
// fails is redone; so are runs only a leftover rank file holds, when it verifies). Throws
// DesignError, io::OutputError or EnsembleFileError (user errors).
PreparedEnsembleJob prepare_ensemble_job(const EnsemblePlan& plan, const EnsembleJobRequest& req);

// Parses "A:B" for --runs (throws DesignError).
std::pair<std::int64_t, std::int64_t> parse_run_range(const std::string& text);

struct EnsembleJobResult {
  std::int64_t simulated = 0;   // by this rank
  int saves = 0;                // progress saves of this rank (the first one included)
  double save_seconds = 0;      // spent in them
  double simulate_seconds = 0;  // this rank's simulations alone, summed over its runs
  std::int64_t mine = 0;        // runs assigned to this rank
  std::int64_t complete = 0;    // finished runs in the output (root only)
  std::int64_t in_output = 0;   // runs the output holds
  bool interrupted = false;     // the output misses runs (root), or this rank stopped early
  bool ok = true;               // false when some rank failed (the output was not written)
};

// Simulates this rank's share of job.pending and, on the root, writes the output. `on_done(n, of)`
// reports this rank's progress. Progress is saved as job.saving says: the root saves the output
// (its own runs and the resumed ones) before the first run and then periodically, the other ranks
// their rank files; the root merges them at the end. Throws std::runtime_error on an I/O failure
// of this rank (the first save included: nothing is run then).
EnsembleJobResult run_ensemble_job(const EnsemblePlan& plan, const PreparedEnsembleJob& job,
                                   ProcessGroup& group, const std::atomic<bool>* stop,
                                   const RunProgress& on_done);

// Where rank `rank` of `size` keeps its shard of `output` until rank 0 has merged it.
std::filesystem::path rank_shard_path(const std::filesystem::path& output, int rank, int size);

}  // namespace cdpsim
