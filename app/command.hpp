// The interface of a subcommand and what subcommands share, written once: one file per subcommand
// (app/cmd_NAME.cpp) defines a Command; main.cpp lists them. Exit codes and the Ctrl-C stop are in
// app/stop.hpp. Only forward-declares CLI11: the helpers' callers include it themselves.
//
//   const Command levers_command{"levers", "list the 17 levers, ...", [](CLI::App&) -> Action {
//     return [] { print_levers(); return kOk; };
//   }};
#pragma once

#include <tbb/global_control.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/stop.hpp"
#include "experiments/durable.hpp"
#include "experiments/text/catalogue.hpp"
#include "models/scenario.hpp"
#include "sim/parallel/run_pool.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cdpsim::app {

// What a subcommand does once argv is parsed into the variables its options are bound to; returns
// the exit code.
using Action = std::function<int()>;

// One subcommand. `summary` is its line in `cdpsim --help` and in the fallback help; `add` binds
// its options on the CLI11 subcommand main.cpp created with that name and summary, and returns
// the action (which owns the bound variables).
struct Command {
  std::string_view name;
  std::string_view summary;
  Action (*add)(CLI::App& sub);
};

// The subcommands, one file each (cmd_plot.cpp holds plot and report).
extern const Command run_command, validate_command, info_command, levers_command, params_command,
    facts_command, resolve_command, ensemble_command, compare_command, merge_command,
    sensitivity_command, plot_command, report_command, explore_command;

// --threads N (1 to 1024) and --seed N (0 to 9e18), with each subcommand's help text.
void add_threads_option(CLI::App& sub, int& threads, const std::string& help);
void add_seed_option(CLI::App& sub, std::int64_t& seed, const std::string& help);

// -o: an empty value is refused while parsing (exit 2), so -o "" never silently means the
// default name. Returns `o`.
CLI::Option* refuse_empty_value(CLI::Option* o);

// Caps TBB's worker threads at `threads` while the result lives; 0 leaves every core.
[[nodiscard]] std::unique_ptr<tbb::global_control> limit_threads(int threads);

// Messages about bad input go out once: from rank 0 under MPI (every rank finds the same error).
struct Reporter {
  bool root = true;
  // "cdpsim: error: MSG" on stderr; returns kBadInput.
  int bad_input(const std::string& msg) const;
};

// --lang fr|en on the commands that write for people; "" (not given) is default_lang(), from
// LC_ALL / LC_MESSAGES / LANG.
void add_lang_option(CLI::App& sub, std::string& lang);
[[nodiscard]] Lang lang_of(const std::string& option);

// --strict: refuse a scenario whose shock starts after the horizon (set_strict_horizon(), set
// while parsing, before any scenario is read) instead of warning that it never happens.
void add_strict_flag(CLI::App& sub);
// "cdpsim: warning: shocks[0] 'COVID-19' (pandemic) starts on 2020-03-16, after ..." on stderr
// (from the root only), one line per shock of `s` that a run of `weeks` weeks never reaches.
void warn_shocks_beyond(const Reporter& say, const Scenario& s, std::int64_t weeks);

// Runs the part of a command that reads its input and checks where it will write. An input error
// there (scenario, design, comparison, sensitivity, output path, ensemble file, bad value) is the
// user's: reported by `say`, nothing written, kBadInput returned. nullopt when `read` succeeded;
// other exceptions propagate.
[[nodiscard]] std::optional<int> check_input(const Reporter& say,
                                             const std::function<void()>& read);

// "cdpsim: COMMAND failed: WHY" on stderr; returns kRuntime.
int runtime_failure(std::string_view command, const std::exception& e);

// Refuses `mpirun -n K` of an MPI command on a binary without MPI: K copies would each run
// everything and race for the same output file. Returns kBadInput then, else nullopt.
[[nodiscard]] std::optional<int> refuse_mpirun_without_mpi(std::string_view command);

// When ensemble and sensitivity save their progress (docs/ensembles.md, "Durable progress"):
// every 2 s at most by default; CDPSIM_SAVE_SECONDS=S sets the minimum period (a positive number)
// or turns the saves off ("off": for measuring their cost only), CDPSIM_TEST_SAVE_PAUSE_MS=N
// makes each save hold its temporary file N ms (a test hook). Throws std::invalid_argument on a
// malformed value.
[[nodiscard]] SavePolicy save_policy();

// The many-run work of ensemble, compare, sensitivity and facts: catches Ctrl-C, draws rank 0's
// progress bar ("cdpsim COMMAND (rank 0 of K)") and honours the test hook
// CDPSIM_TEST_STOP_AFTER_RUNS=N (docs/ensembles.md: the Ctrl-C path once this process has finished
// N runs, so interruption and --resume are tested without timing races). An exception in `work` is
// a runtime failure (runtime_failure(COMMAND)). nullopt when the work returned, interrupted or not.
[[nodiscard]] std::optional<int> run_many(std::string_view command, const ProcessGroup& group,
                                          bool quiet,
                                          const std::function<void(const RunProgress&)>& work);

}  // namespace cdpsim::app
