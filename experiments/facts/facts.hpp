// The stylized facts of docs/validation.md, measured by simulation (`cdpsim facts`). Each fact runs
// its scenarios over replicates with common random numbers and compares the measured values, with
// 95% confidence intervals, to criteria fixed in docs/validation.md before measurement.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cdpsim {

struct FactPart {
  std::string name;    // what is measured, e.g. "(a) share who ever posted"
  double value = 0.0;  // mean over replicates
  double ci_low = 0.0;
  double ci_high = 0.0;
  std::string criterion;  // e.g. "<= 0.25"
  bool pass = false;
};

struct FactResult {
  std::string id;  // "F1"
  std::string fact;
  std::string source;
  std::vector<FactPart> parts;
  [[nodiscard]] bool pass() const;
};

struct FactsOptions {
  std::filesystem::path scenario_dir;  // where passerelles.toml and its variants are
  int replicates = 20;
  std::uint64_t seed = 20180903;
  std::vector<std::string> overrides;  // applied to every scenario (before each variant's own)
};

using FactsProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Runs every scenario variant the facts need (in parallel) and evaluates F1-F11.
std::vector<FactResult> measure_facts(const FactsOptions& o, const FactsProgress& progress = {});

// The seed of replicate r under master seed m (SplitMix64 of m and r): the same for every scenario.
std::uint64_t replicate_seed(std::uint64_t master, std::uint64_t replicate);

std::string facts_markdown(const std::vector<FactResult>& facts, const FactsOptions& o);
std::string facts_json(const std::vector<FactResult>& facts, const FactsOptions& o);
std::string facts_table(const std::vector<FactResult>& facts);  // for the terminal

}  // namespace cdpsim
