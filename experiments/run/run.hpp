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

#include "models/scenario.hpp"
#include "models/schedule.hpp"

namespace cdpsim {

struct RunRequest {
  std::uint64_t seed = 1;
  std::filesystem::path output;
  bool force = false;
};

struct RunOutcome {
  std::int32_t weeks_completed = 0;
  bool interrupted = false;
  WeekRecord last;
  std::int64_t cdps_created = 0;
  double simulate_seconds = 0.0;
  double write_seconds = 0.0;
};

using ProgressFn = std::function<void(std::int32_t done, std::int32_t total)>;

// `stop` may be null. `progress` may be empty.
RunOutcome run_to_file(const Scenario& s, const RunRequest& req, const std::atomic<bool>* stop,
                       const ProgressFn& progress);

}  // namespace cdpsim
