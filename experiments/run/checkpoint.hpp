// Checkpoints (docs/checkpoints.md; format in docs/output.md, "Checkpoints"): one HDF5 file with
// everything a run needs to continue from the start of a week, so that resuming gives the same
// file, bit for bit, as never stopping. Randomness is counter-based (sim/rng.hpp), so the state is
// the World, the interventions' progress and the weeks recorded so far; no generator state exists.
//
//   write_checkpoint("run.checkpoints/week-000080.h5", scenario, seed, sim, recorder);
//   Checkpoint c = read_checkpoint(path);            // CheckpointError when unusable
//   Simulation sim(scenario, c.seed, std::move(c.state));
//
// Arrays are stored uncompressed with a Fletcher-32 checksum per chunk, which HDF5 verifies on
// every read; text (names, event details, the scenario) is covered by one FNV-1a checksum.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/run/recorder.hpp"
#include "models/schedule.hpp"

namespace cdpsim {

inline constexpr std::int64_t kCheckpointFormat = 1;

// A checkpoint that cannot be used: unreadable, damaged, of another format or cdpsim version, or
// of another scenario. what() is one line naming the file. Front ends exit 2 (bad input).
struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where a branch came from, written into its checkpoints and output (week -1: not a branch).
struct BranchOrigin {
  std::string checkpoint;  // path of the checkpoint as given
  std::int64_t week = -1;
  std::string seed_policy;  // "continue" or "reseed"
  [[nodiscard]] bool any() const { return week >= 0; }
};

struct Checkpoint {
  std::filesystem::path path;
  std::string scenario_toml;  // the resolved scenario of the run
  std::uint64_t seed = 0;     // whose random numbers the run draws (a reseeded branch's own)
  std::int64_t weeks_planned = 0;
  std::string date;               // of its week, "YYYY-MM-DD"
  SimulationState state;          // state.world.week: the week simulated next
  std::vector<WeekRecord> weeks;  // recorded so far (weeks 0 .. week - 1)
  CdpRows rows;                   // per-CdP rows, when the scenario records them
  BranchOrigin origin;
  [[nodiscard]] std::int32_t week() const { return state.world.week; }
};

// Writes the state of `sim` (about to simulate sim.week()) and what `rec` recorded to `path`
// atomically (sim/io/atomic_file.hpp), replacing an older file there. `seed` is the seed `sim`
// draws from.
void write_checkpoint(const std::filesystem::path& path, const Scenario& s, std::uint64_t seed,
                      const Simulation& sim, const Recorder& rec, const BranchOrigin& origin = {});

// The same in two steps: a copy of the state (fast: the run can go on while it is written, as
// experiments/run/run.cpp does), then the file.
Checkpoint snapshot(const Scenario& s, std::uint64_t seed, const Simulation& sim,
                    const Recorder& rec, const BranchOrigin& origin = {});
void write_checkpoint(const std::filesystem::path& path, const Checkpoint& c);

// Reads and checks a checkpoint: format, cdpsim version, checksums, sizes and ids against the
// stored scenario. Throws CheckpointError.
Checkpoint read_checkpoint(const std::filesystem::path& path);

// Week number of a checkpoint file name as write_checkpoint's callers name them
// ("week-000080.h5" -> 80), or -1.
std::int64_t checkpoint_file_week(const std::filesystem::path& p);
std::string checkpoint_file_name(std::int64_t week);

}  // namespace cdpsim
