// cdpsim run: one scenario, one seed, one HDF5 file; a summary of the last week on stdout.
#include <CLI/CLI.hpp>
#include <cdpsim/version.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "app/command.hpp"
#include "experiments/memory_plan.hpp"
#include "experiments/run/branch.hpp"
#include "experiments/run/checkpoint.hpp"
#include "experiments/run/run.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/io/nc_writer.hpp"
#include "sim/io/output_path.hpp"
#include "sim/progress.hpp"

namespace cdpsim::app {

namespace {

struct RunArgs {
  std::string scenario;
  std::string output;
  std::int64_t seed = -1;
  std::int64_t weeks = -1;
  int threads = 0;
  std::vector<std::string> sets;
  bool force = false;
  bool quiet = false;
  std::string lang;
  // Checkpoints and branches (docs/checkpoints.md).
  std::int64_t checkpoint_every = 0;
  std::vector<std::string> checkpoint_at;
  std::string checkpoint_dir;
  bool resume = false;
  std::string from;
  std::string seed_policy = "continue";
};

// "2020-03-16" or a week number -> a week of `s`; throws std::invalid_argument.
std::int64_t week_of_text(const Scenario& s, const std::string& text) {
  const std::string what = "--checkpoint-at " + text + ": ";
  int y = 0, m = 0, d = 0;
  char tail = 0;
  std::int64_t w = -1;
  if (std::sscanf(text.c_str(), "%d-%d-%d%c", &y, &m, &d, &tail) == 3) {
    const Date date{y, m, d};
    if (!date.valid()) throw std::invalid_argument(what + "not a calendar date");
    w = s.week_of(date);
  } else {
    std::size_t used = 0;
    try {
      w = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.empty())
      throw std::invalid_argument(what + "not a date or a week (allowed: YYYY-MM-DD or a number)");
  }
  if (w < 1 || w > s.simulation.weeks)
    throw std::invalid_argument(
        what + "week " + std::to_string(w) + " is outside the run (allowed: weeks 1 to " +
        std::to_string(s.simulation.weeks) + ", from " + s.simulation.start_date.to_string() + ")");
  return w;
}

// The newest checkpoint in `dir` (by week in its name), or "" when there is none.
std::filesystem::path newest_checkpoint(const std::filesystem::path& dir) {
  std::filesystem::path best;
  std::int64_t best_week = -1;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::int64_t w = checkpoint_file_week(e.path());
    if (w > best_week) {
      best_week = w;
      best = e.path();
    }
  }
  return best;
}

// The first line where two resolved scenarios differ, for the message refusing a resume.
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const std::size_t ea = std::min(a.find('\n', i), a.size());
    const std::size_t eb = std::min(b.find('\n', j), b.size());
    const std::string la = a.substr(i, ea - i), lb = b.substr(j, eb - j);
    if (la != lb) return "'" + la + "' there, '" + lb + "' here";
    i = ea + 1;
    j = eb + 1;
  }
  return "";
}

// --seed and --weeks become overrides, so they are validated like any value and recorded in the
// stored scenario.
std::vector<std::string> overrides_of(const RunArgs& a) {
  std::vector<std::string> o = a.sets;
  if (a.seed >= 0) o.push_back("simulation.seed=" + std::to_string(a.seed));
  if (a.weeks >= 0) o.push_back("simulation.weeks=" + std::to_string(a.weeks));
  return o;
}

// The template of `key` in `lang` filled with `args` (every argument a %s).
template <class... A>
void say_text(Lang lang, Text key, const A&... args) {
  std::printf(std::string(text(lang, key)).c_str(), std::string(args).c_str()...);
}

void print_summary(const Scenario& s, const RunOutcome& r, const std::string& out, Lang lang) {
  const auto& w = r.last;
  const auto n = [lang](double v, int decimals) {  // English as before: "1234.5"
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return localize_number(buf, lang);
  };
  const auto i = [lang](long long v) { return localize_number(std::to_string(v), lang); };
  say_text(lang, Text::run_header, std::string(cdpsim::version), s.simulation.name,
           std::to_string(s.simulation.seed), i(r.weeks_completed), i(s.simulation.weeks),
           r.interrupted ? std::string(text(lang, Text::run_interrupted)) : std::string());
  say_text(lang, Text::run_members, i(w.members_total), i(w.members_active));
  say_text(lang, Text::run_tiers, i(w.members_by_tier[2]), i(w.members_by_tier[1]),
           i(w.members_by_tier[0]));
  say_text(lang, Text::run_cdps, i(w.cdps_alive), i(r.cdps_created));
  for (int k = 0; k < kPhases - 1; ++k)
    std::printf(" %s %s%s", std::string(phase_name(k, lang)).c_str(), i(w.cdps_by_phase[k]).c_str(),
                k < kPhases - 2 ? "," : "");
  std::printf("\n");
  say_text(lang, Text::run_knowledge, n(w.knowledge_stock, 1), i(w.boundary_objects));
  say_text(lang, Text::run_support, n(w.support_hours_given, 1), n(w.support_hours_demanded, 1));
  say_text(lang, Text::run_time, n(r.simulate_seconds, 2), n(r.write_seconds, 2));
  if (!r.checkpoints.empty())
    say_text(lang, Text::run_checkpoints, i(static_cast<long long>(r.checkpoints.size())),
             n(r.snapshot_seconds, 3), n(r.checkpoint_seconds, 3));
  say_text(lang, Text::run_output, out);
}

int run(const RunArgs& a) {
  namespace fs = std::filesystem;
  const Reporter say;
  Scenario s;
  std::string out = a.output;
  std::optional<Checkpoint> from;  // where the run continues: a resume or a branch
  bool replace = a.force;
  CheckpointPlan cp;
  if (auto code = check_input(say, [&] {
        if (a.scenario.empty() && a.from.empty())
          throw std::invalid_argument(
              "run: a scenario file is required (or --from CHECKPOINT, to branch from a "
              "checkpoint)");
        if (a.from.empty() && a.seed_policy != "continue")
          throw std::invalid_argument("--seed-policy applies to a branch (allowed: with --from)");
        const SeedPolicy policy = parse_seed_policy(a.seed_policy);
        std::string toml;  // the scenario the run's checkpoints must have
        if (!a.from.empty()) {
          Checkpoint c = read_checkpoint(a.from);
          const std::string source = a.scenario.empty() ? a.from + " (its scenario)" : a.scenario;
          Scenario requested = a.scenario.empty()
                                   ? load_scenario_text(c.scenario_toml, source, overrides_of(a))
                                   : load_scenario(a.scenario, overrides_of(a));
          const std::uint64_t seed = static_cast<std::uint64_t>(requested.simulation.seed);
          Branch b = make_branch(c, requested, source, policy, reseeded(seed, c.week()));
          s = std::move(b.scenario);
          from = std::move(b.start);
        } else {
          s = load_scenario(a.scenario, overrides_of(a));
        }
        toml = resolved_toml(s);
        check_memory("cdpsim run", world_bytes_estimate(s));
        if (out.empty())
          out = fs::path(a.scenario.empty() ? a.from : a.scenario).stem().string() +
                (a.from.empty() ? "" : "-branch") + ".h5";
        cp.dir = a.checkpoint_dir.empty() ? fs::path(out).parent_path() /
                                                (fs::path(out).stem().string() + ".checkpoints")
                                          : fs::path(a.checkpoint_dir);
        cp.every = a.checkpoint_every;
        for (const std::string& at : a.checkpoint_at) cp.at.push_back(week_of_text(s, at));
        if (!a.resume && cp.every == 0 && cp.at.empty()) cp.dir.clear();
        if (a.resume) {
          // A checkpoint a kill caught half-written (".week-NNNNNN.h5.tmp-PID") is never used.
          std::error_code ec;
          for (const auto& e : fs::directory_iterator(cp.dir, ec))
            if (e.path().filename().string().rfind(".week-", 0) == 0) fs::remove(e.path(), ec);
          // The output a stopped run left (status = interrupted) is this run's to replace.
          if (!replace && fs::exists(out, ec) && fs::is_regular_file(out, ec)) {
            std::string status;
            try {
              status = io::read_root_string_attribute(out, "status");
            } catch (const std::exception&) {
            }
            if (status == "complete")
              throw io::OutputError(
                  out + ": the run is already complete (allowed: --force to run it again)");
            replace = status == "interrupted";
          }
          const fs::path newest = newest_checkpoint(cp.dir);
          if (!newest.empty()) {
            Checkpoint c = read_checkpoint(newest);
            if (c.scenario_toml != toml)
              throw CheckpointError(newest.string() +
                                    ": belongs to another run (its scenario differs: " +
                                    first_difference(c.scenario_toml, toml) +
                                    "); resume with the same scenario, --set and --weeks");
            from = std::move(c);
          }
          if (newest.empty())
            std::cerr << "cdpsim: note: no checkpoint in " << cp.dir.string()
                      << " yet: starting at week " << (from ? from->week() : 0) << "\n";
          else
            std::cerr << "cdpsim: note: resuming from " << newest.string() << " (week "
                      << from->week() << ")\n";
        }
        io::check_output_path(out, replace);
      }))
    return *code;
  warn_shocks_beyond(say, s, s.simulation.weeks);
  const auto gc = limit_threads(a.threads);
  catch_stop_signals();
  ProgressBar bar("cdpsim run", "weeks", !a.quiet);
  RunRequest req;
  req.seed = static_cast<std::uint64_t>(s.simulation.seed);
  req.output = out;
  req.force = replace;
  req.checkpoints = cp;
  req.from = from ? &*from : nullptr;
  RunOutcome r;
  try {
    r = run_to_file(s, req, &stop_requested(),
                    [&](std::int32_t d, std::int32_t t) { bar.update(d, t); });
  } catch (const io::OutputError& e) {  // the file appeared since check_output_path
    bar.finish();
    return say.bad_input(e.what());
  } catch (const std::exception& e) {
    bar.finish();
    return runtime_failure("run", e);
  }
  bar.finish();
  if (!a.quiet || r.interrupted) print_summary(s, r, out, lang_of(a.lang));
  if (r.interrupted) {
    std::cerr << "cdpsim: interrupted after week " << r.weeks_completed
              << "; the file keeps what was simulated (status = interrupted)";
    if (!r.checkpoints.empty())
      std::cerr << "; checkpoint " << r.checkpoints.back().string()
                << ": the same command with --resume continues from there";
    std::cerr << "\n";
    return kInterrupted;
  }
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<RunArgs>();
  sub.add_option("scenario", a->scenario,
                 "scenario TOML file (with --from: the branch's scenario; default: the "
                 "checkpoint's)");
  refuse_empty_value(
      sub.add_option("-o,--output", a->output, "output HDF5 file (default: SCENARIO-NAME.h5)"));
  add_seed_option(sub, a->seed, "random seed (default: simulation.seed)");
  add_threads_option(sub, a->threads, "worker threads (default: all cores)");
  sub.add_option("--weeks", a->weeks, "number of weeks (overrides simulation.weeks)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{5200}));
  sub.add_option("--set", a->sets, "override a value: section.key=value (repeatable)");
  sub.add_flag("--force", a->force, "replace an existing output file");
  sub.add_option("--checkpoint-every", a->checkpoint_every,
                 "write a checkpoint every N weeks (the newest periodic one is kept)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{5200}));
  sub.add_option("--checkpoint-at", a->checkpoint_at,
                 "write a checkpoint at this date or week, kept (repeatable)");
  sub.add_option("--checkpoint-dir", a->checkpoint_dir,
                 "folder of the checkpoints (default: OUTPUT-STEM.checkpoints next to the output)");
  sub.add_flag("--resume", a->resume,
               "continue from the newest checkpoint of this run (or start, if there is none)");
  sub.add_option("--from", a->from,
                 "branch from this checkpoint: the history up to its week is shared");
  sub.add_option("--seed-policy", a->seed_policy,
                 "random numbers after a branch: continue (those of the original run) or reseed")
      ->check(CLI::IsMember({"continue", "reseed"}));
  add_strict_flag(sub);
  add_lang_option(sub, a->lang);
  sub.add_flag("-q,--quiet", a->quiet, "no progress bar and no summary");
  return [a] { return run(*a); };
}

}  // namespace

const Command run_command{"run", "simulate a scenario and write an HDF5 file", add};

}  // namespace cdpsim::app
