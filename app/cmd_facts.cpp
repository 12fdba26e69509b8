// cdpsim facts: the stylized facts of docs/validation.md measured on the scenario library, over
// threads and MPI ranks like an ensemble; exit 0 only if no fact fails (each passes, or, below 20
// replicates, is inconclusive), so CI can gate on it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/command.hpp"
#include "experiments/facts/facts.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"
#include "sim/io/text.hpp"
#include "sim/parallel/process_group.hpp"

namespace cdpsim::app {

namespace {

namespace fs = std::filesystem;

struct FactsArgs {
  int replicates = 20;
  bool quick = false;
  std::string output;
  std::int64_t seed = 20180903;
  int threads = 0;
  std::string scenario_dir;
  bool force = false;
  bool quiet = false;
  std::vector<std::string> sets;
  std::string lang;
};

// The scenario library: --scenarios, else ./scenarios, else the source tree's.
fs::path scenario_dir_of(const std::string& given) {
  if (!given.empty()) return given;
  if (fs::exists("scenarios/passerelles.toml")) return "scenarios";
  return fs::path(CDPSIM_SOURCE_DIR) / "scenarios";
}

int facts(const FactsArgs& a) {
  if (auto refused = refuse_mpirun_without_mpi("facts")) return *refused;
  const Lang lang = lang_of(a.lang);
  ProcessGroup group;
  const Reporter say{group.is_root()};
  FactsOptions o;
  o.scenario_dir = scenario_dir_of(a.scenario_dir);
  o.replicates = a.quick ? 5 : a.replicates;
  o.seed = static_cast<std::uint64_t>(a.seed);
  o.overrides = a.sets;
  fs::path md, json;
  if (!a.output.empty()) {
    fs::path stem(a.output);
    if (stem.extension() == ".md" || stem.extension() == ".json") stem.replace_extension();
    md = stem.string() + ".md";
    json = stem.string() + ".json";
    if (auto code = check_input(say, [&] {
          io::check_output_path(md, a.force);
          io::check_output_path(json, a.force);
        }))
      return *code;
  }
  const auto gc = limit_threads(a.threads);
  FactsOutcome out;
  // The scenario library is read as the facts run: an error in it is still the user's.
  std::optional<int> bad_library;
  if (auto code = run_many("facts", group, a.quiet, [&](const RunProgress& progress) {
        bad_library =
            check_input(say, [&] { out = measure_facts(o, group, &stop_requested(), progress); });
      }))
    return *code;
  if (bad_library) return *bad_library;
  if (!group.is_root()) return stop_requested().load() ? kInterrupted : kOk;
  if (out.interrupted()) {
    std::cerr << "cdpsim: interrupted after " << out.runs_done << " of " << out.runs_total
              << " runs; the facts need every run, so nothing was written\n";
    return kInterrupted;
  }
  std::fputs(facts_table(out.facts, lang).c_str(), stdout);
  if (!md.empty()) {
    try {
      const std::string mdt = facts_markdown(out.facts, o), jst = facts_json(out.facts, o);
      io::write_all_atomically({{md, [&](const fs::path& t) { io::write_file_bytes(t, mdt); }},
                                {json, [&](const fs::path& t) { io::write_file_bytes(t, jst); }}},
                               a.force);
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: cannot write the facts report: " << e.what() << "\n";
      return kRuntime;
    }
    if (!a.quiet) std::printf("report: %s, %s\n", md.c_str(), json.c_str());
  }
  // Inconclusive facts (fewer than kDecisiveReplicates replicates) do not fail the run.
  return any_fails(out.facts) ? kRuntime : kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<FactsArgs>();
  sub.add_option("--replicates", a->replicates, "replicates per scenario (default 20)")
      ->check(CLI::Range(2, 100000));
  sub.add_flag("--quick", a->quick,
               "5 replicates (for CI): below 20 replicates a part whose interval still reaches "
               "its criterion is inconclusive, not failing");
  refuse_empty_value(sub.add_option("-o,--output", a->output, "write REPORT.md and REPORT.json"));
  add_seed_option(sub, a->seed, "master seed");
  add_threads_option(sub, a->threads, "worker threads");
  sub.add_option("--scenarios", a->scenario_dir,
                 "folder of the scenario library (default: ./scenarios)");
  sub.add_flag("--force", a->force, "replace existing report files");
  sub.add_option("--set", a->sets,
                 "override a value in every scenario (e.g. to test a calibration)");
  sub.add_flag("-q,--quiet", a->quiet, "no progress bar");
  add_lang_option(sub, a->lang);
  return [a] { return facts(*a); };
}

}  // namespace

const Command facts_command{
    "facts", "check the stylized facts of docs/validation.md (exit 0 unless one fails)", add};

}  // namespace cdpsim::app
