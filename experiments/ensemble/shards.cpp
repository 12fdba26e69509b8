#include "experiments/ensemble/shards.hpp"

#include <algorithm>
#include <map>

#include "sim/io/atomic_file.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

std::string describe_runs(std::span<const std::int64_t> runs, std::size_t max_ranges) {
  std::string out;
  std::size_t ranges = 0;
  for (std::size_t i = 0; i < runs.size();) {
    std::size_t j = i;
    while (j + 1 < runs.size() && runs[j + 1] == runs[j] + 1) ++j;
    if (ranges == max_ranges) return out + ", ...";
    if (!out.empty()) out += ", ";
    out += std::to_string(runs[i]);
    if (j > i) {
      out += '-';
      out += std::to_string(runs[j]);
    }
    ++ranges;
    i = j + 1;
  }
  return out;
}

std::vector<EnsembleFileHeader> check_same_ensemble(std::span<const fs::path> inputs) {
  std::vector<EnsembleFileHeader> headers;
  for (const fs::path& p : inputs) headers.push_back(read_ensemble_header(p));
  for (std::size_t i = 1; i < headers.size(); ++i)
    if (headers[i].ensemble_id != headers[0].ensemble_id)
      throw EnsembleFileError(
          inputs[i].string() + " belongs to another ensemble than " + inputs[0].string() +
          " (ensemble_id " + headers[i].ensemble_id + ", not " + headers[0].ensemble_id +
          "): shards must come from the same scenario, --set, --sweep, --design, --replicates "
          "and --seed");
  std::map<std::int64_t, std::size_t> owner;
  for (std::size_t i = 0; i < headers.size(); ++i)
    for (std::int64_t run : headers[i].complete_runs()) {
      const auto [it, fresh] = owner.emplace(run, i);
      if (!fresh)
        throw EnsembleFileError("run " + std::to_string(run) + " is in both " +
                                inputs[it->second].string() + " and " + inputs[i].string() +
                                " (shards must not overlap; each run must come from one file)");
    }
  return headers;
}

std::vector<std::int64_t> gather_runs(const EnsemblePlan& plan, std::span<const fs::path> inputs,
                                      std::span<const EnsembleFileHeader> headers,
                                      RunStore& store) {
  std::vector<std::int64_t> loaded;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (headers[i].ensemble_id != plan.ensemble_id)
      throw EnsembleFileError(inputs[i].string() + " belongs to another ensemble (ensemble_id " +
                              headers[i].ensemble_id + ", not " + plan.ensemble_id + ")");
    for (std::int64_t run : headers[i].complete_runs())
      if (store.has(run))
        throw EnsembleFileError("run " + std::to_string(run) + " of " + inputs[i].string() +
                                " was already finished elsewhere (overlapping shards)");
    const auto runs = load_complete_runs(inputs[i], plan, headers[i], store);
    loaded.insert(loaded.end(), runs.begin(), runs.end());
  }
  std::sort(loaded.begin(), loaded.end());
  return loaded;
}

MergeOutcome merge_ensemble_files(std::span<const fs::path> inputs, const fs::path& output,
                                  bool replace) {
  if (inputs.empty()) throw EnsembleFileError("no shard to merge");
  const std::vector<EnsembleFileHeader> headers = check_same_ensemble(inputs);
  // Coverage is known from the headers: fail before reading any data.
  const std::int64_t total = headers[0].runs_total;
  std::vector<char> covered(static_cast<std::size_t>(total), 0);
  for (const EnsembleFileHeader& h : headers)
    for (std::int64_t run : h.complete_runs())
      if (run >= 0 && run < total) covered[static_cast<std::size_t>(run)] = 1;
  std::vector<std::int64_t> missing;
  for (std::int64_t r = 0; r < total; ++r)
    if (!covered[static_cast<std::size_t>(r)]) missing.push_back(r);
  if (!missing.empty())
    throw EnsembleFileError(std::to_string(missing.size()) + " of " + std::to_string(total) +
                            " runs are missing from the shards: runs " + describe_runs(missing) +
                            " (a shard is missing or was interrupted; run them with --runs A:B, "
                            "or finish an interrupted shard with --resume)");
  const EnsemblePlan plan = plan_of(inputs[0], headers[0]);
  RunStore store(0, plan.runs());
  const std::vector<std::int64_t> runs = gather_runs(plan, inputs, headers, store);
  io::write_atomically(
      output, [&](const fs::path& tmp) { write_ensemble_file(tmp, plan, store, runs); }, replace);
  return {plan.runs(), plan.ensemble_id};
}

}  // namespace cdpsim
