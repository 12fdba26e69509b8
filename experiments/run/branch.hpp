// Branching a run at a checkpoint (docs/checkpoints.md, "Branches"): the history up to the
// checkpoint's week is shared; from there the branch runs under another scenario. What a branch
// may change is what an intervention may change mid-run (models/interventions.hpp, mid_run_keys):
//   - a mid-run key whose value differs from the checkpoint's scenario becomes an intervention
//     "branch: KEY" that sets it from the branch week on;
//   - the checkpoint's interventions stay as they are (they are history); the branch's other
//     interventions are new and must start at the branch week or later;
//   - the horizon (simulation.weeks, at least the branch week), the name, the question and what
//     the output contains (output.*, except per_cdp_series) may differ;
//   - anything else (sizes, shocks, territories, platforms, other parameters) is refused, named.
// The branch's scenario is the checkpoint's plus those interventions, so running it from week 0
// with the `continue` seed policy gives the branch exactly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "experiments/run/checkpoint.hpp"

namespace cdpsim {

// `continue`: the random numbers of the run the checkpoint belongs to (branches differ only by
// their policies: common random numbers). `reseed`: other random numbers from the branch week on.
enum class SeedPolicy { continue_run, reseed };
SeedPolicy parse_seed_policy(std::string_view text);  // throws std::invalid_argument
std::string_view seed_policy_name(SeedPolicy p);

struct Branch {
  Scenario scenario;  // the checkpoint's, with the branch's changes as interventions
  Checkpoint start;   // the checkpoint's content fitted to `scenario` (its state and history)
};

// The branch of `from` under `requested`. Throws ScenarioError "SOURCE: KEY: ..." naming what
// may not change (allowed: ...). `source` names the requested scenario in messages.
Branch make_branch(const Checkpoint& from, const Scenario& requested, std::string_view source,
                   SeedPolicy policy, std::uint64_t reseed);

// The seed a branch of `run_seed` draws from after `week` under `reseed` (the `run` command):
// a fixed mix of the two, so that a reseeded branch is reproducible.
std::uint64_t reseeded(std::uint64_t run_seed, std::int64_t week);

}  // namespace cdpsim
