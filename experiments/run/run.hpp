// Running a scenario into an output file, safely: the output path is checked before any work, the
// file is written under a temporary name in the same folder and renamed only once closed, and an
// existing file is replaced only with `force` (never by a failed run). A stop request (Ctrl-C)
// ends the run between weeks and keeps what was simulated, marked status = "interrupted".
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <vector>

#include "experiments/run/checkpoint.hpp"
#include "models/scenario.hpp"
#include "models/schedule.hpp"

namespace cdpsim {

// When a run writes checkpoints (docs/checkpoints.md): at the start of every `every`-th week and
// of each week in `at`, into `dir` as week-NNNNNN.h5, and when stopped (Ctrl-C, SIGTERM). A
// periodic checkpoint replaces the previous periodic one once it is complete; those of `at` stay.
struct CheckpointPlan {
  std::filesystem::path dir;  // empty: no checkpoints
  std::int64_t every = 0;     // 0: none periodic
  std::vector<std::int64_t> at;
  [[nodiscard]] bool any() const { return !dir.empty(); }
};

struct RunRequest {
  std::uint64_t seed = 1;
  std::filesystem::path output;
  bool force = false;
  CheckpointPlan checkpoints;
  // Continue from this checkpoint's state (a resume, or a branch made by make_branch) instead of
  // week 0; its seed is the one drawn from.
  Checkpoint* from = nullptr;  // moved from
};

struct RunOutcome {
  std::int32_t weeks_completed = 0;
  bool interrupted = false;
  WeekRecord last;
  std::int64_t cdps_created = 0;
  std::int32_t first_week = 0;                     // the week the run started or resumed at
  std::vector<std::filesystem::path> checkpoints;  // written by this run, in order
  double simulate_seconds = 0.0;
  double write_seconds = 0.0;
  // Checkpoints: copying the state (the run waits) and writing the files (on another thread).
  double snapshot_seconds = 0.0;
  double checkpoint_seconds = 0.0;
};

using ProgressFn = std::function<void(std::int32_t done, std::int32_t total)>;

// `stop` may be null. `progress` may be empty.
RunOutcome run_to_file(const Scenario& s, const RunRequest& req, const std::atomic<bool>* stop,
                       const ProgressFn& progress);

}  // namespace cdpsim
