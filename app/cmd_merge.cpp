// cdpsim merge: the shard files of one ensemble (ensemble --runs A:B) assembled into one file, as
// if the ensemble had run at once.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "app/command.hpp"
#include "experiments/ensemble/shards.hpp"
#include "sim/io/output_path.hpp"

namespace cdpsim::app {

namespace {

struct MergeArgs {
  std::vector<std::string> shards;
  std::string output;
  bool force = false;
  bool quiet = false;
};

int merge(const MergeArgs& a) {
  const std::vector<std::filesystem::path> inputs(a.shards.begin(), a.shards.end());
  MergeOutcome m;
  // The shards are read as they are merged: an error in one is still the user's.
  try {
    if (auto code = check_input(Reporter{}, [&] {
          io::check_output_path(a.output, a.force);
          m = merge_ensemble_files(inputs, a.output, a.force);
        }))
      return *code;
  } catch (const std::exception& e) {
    return runtime_failure("merge", e);
  }
  if (!a.quiet)
    std::printf("cdpsim merge: %lld runs of ensemble %s from %zu file(s) into %s\n",
                static_cast<long long>(m.runs), m.ensemble_id.c_str(), inputs.size(),
                a.output.c_str());
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<MergeArgs>();
  sub.add_option("shards", a->shards, "shard files of one ensemble")->required();
  refuse_empty_value(sub.add_option("-o,--output", a->output, "output HDF5 file")->required());
  sub.add_flag("--force", a->force, "replace an existing output file");
  sub.add_flag("-q,--quiet", a->quiet, "no summary");
  return [a] { return merge(*a); };
}

}  // namespace

const Command merge_command{"merge", "assemble ensemble shards (--runs slices) into one file", add};

}  // namespace cdpsim::app
