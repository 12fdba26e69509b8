// The stylized facts of docs/validation.md, measured by simulation (`cdpsim facts`). Each fact runs
// its scenarios over replicates with common random numbers and compares the measured values, with
// 95% confidence intervals, to criteria fixed in docs/validation.md before measurement.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/text/catalogue.hpp"
#include "sim/parallel/run_pool.hpp"

namespace cdpsim {

// A part's or a fact's verdict. `inconclusive` only below kDecisiveReplicates replicates, when the
// criterion is not met but the 95% interval still reaches its side (docs/validation.md).
enum class Verdict { pass, inconclusive, fail };

// From this many replicates on, the criterion alone decides (no inconclusive verdict).
inline constexpr int kDecisiveReplicates = 20;

struct FactPart {
  std::string name;    // what is measured, e.g. "(a) share who ever posted"
  double value = 0.0;  // mean over replicates
  double ci_low = 0.0;
  double ci_high = 0.0;
  std::string criterion;  // e.g. "<= 0.25"
  bool pass = false;
  std::string name_fr;        // the same in French, for `cdpsim facts --lang fr`
  std::string criterion_fr;   // "≤ 0,25"
  bool inconclusive = false;  // not passing, but too few replicates to call it failing
  [[nodiscard]] Verdict verdict() const {
    return pass ? Verdict::pass : inconclusive ? Verdict::inconclusive : Verdict::fail;
  }
};

struct FactResult {
  std::string id;  // "F1"
  std::string fact;
  std::string source;
  std::vector<FactPart> parts;
  std::string fact_fr;  // in French (the Markdown and JSON reports stay English)
  std::string source_fr;
  [[nodiscard]] bool pass() const;  // every part passes
  // fail if any part fails, else inconclusive if any part is, else pass.
  [[nodiscard]] Verdict verdict() const;
};

// True when some fact fails (`cdpsim facts` exits 1); inconclusive facts do not fail.
[[nodiscard]] bool any_fails(const std::vector<FactResult>& facts);
std::string_view verdict_name(Verdict v);  // "pass", "inconclusive", "fail"

struct FactsOptions {
  std::filesystem::path scenario_dir;  // where passerelles.toml and its variants are
  int replicates = 20;
  std::uint64_t seed = 20180903;
  std::vector<std::string> overrides;  // applied to every scenario (before each variant's own)
};

struct FactsOutcome {
  std::vector<FactResult> facts;  // on rank 0, when every run finished
  std::int64_t runs_done = 0;     // on rank 0
  std::int64_t runs_total = 0;
  [[nodiscard]] bool interrupted() const { return runs_done < runs_total; }
};

// Runs every scenario variant the facts need through the run pool (threads and MPI ranks; seeds
// by the one rule of sim/splitmix.hpp) and evaluates F1-F16 on rank 0. Once `stop` is set no new
// run starts and the outcome is interrupted, without facts.
FactsOutcome measure_facts(const FactsOptions& o, ProcessGroup& group,
                           const std::atomic<bool>* stop = nullptr,
                           const RunProgress& progress = {});

std::string facts_markdown(const std::vector<FactResult>& facts, const FactsOptions& o);
std::string facts_json(const std::vector<FactResult>& facts, const FactsOptions& o);
// For the terminal, in `lang`.
std::string facts_table(const std::vector<FactResult>& facts, Lang lang = Lang::en);

}  // namespace cdpsim
