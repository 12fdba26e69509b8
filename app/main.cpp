// cdpsim command line: the list of subcommands (one file each, app/cmd_NAME.cpp) and the dispatch.
// Exit codes (README): 0 success, 2 bad input or usage, 1 runtime failure, 130 interrupted.
#include <CLI/CLI.hpp>
#include <array>
#include <cdpsim/version.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "app/command.hpp"
#include "sim/memory.hpp"

namespace {

using namespace cdpsim::app;

// In the order of `cdpsim --help`. A new subcommand: a file app/cmd_NAME.cpp defining NAME_command,
// its declaration in app/command.hpp, and a line here.
const std::array kCommands = {
    &run_command,         &validate_command, &info_command,     &levers_command,  &params_command,
    &facts_command,       &resolve_command,  &ensemble_command, &compare_command, &merge_command,
    &sensitivity_command, &plot_command,     &report_command,   &explore_command,
};

// What `cdpsim` without a subcommand, or with an unknown one, prints: the list above.
int fallback_help(const std::string& problem) {
  std::fprintf(stderr, "cdpsim: error: %s; the subcommands are:\n", problem.c_str());
  for (const Command* c : kCommands)
    std::fprintf(stderr, "  %-12.*s %.*s\n", static_cast<int>(c->name.size()), c->name.data(),
                 static_cast<int>(c->summary.size()), c->summary.data());
  std::fprintf(stderr, "cdpsim SUBCOMMAND --help shows its options\n");
  return kBadInput;
}

}  // namespace

namespace {

// A command's exit. Every output file is closed, checked and renamed by the command itself, so
// nothing is left for exit-time clean-up but freeing memory; HDF5's, after a damaged file that
// failed half-way, loops and prints "HDF5: infinite loop closing library" after cdpsim's own one
// message. So flush and leave without it.
[[noreturn]] void finish(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  cdpsim::tune_allocator();  // sim/memory.hpp
  CLI::App app{
      "cdpsim: agent-based simulator of ecosystems of communities of practice (CdP) in "
      "social innovation"};
  app.set_version_flag("--version", std::string("cdpsim ") + cdpsim::version);
  app.require_subcommand(0, 1);
  // CLI11's parse errors (--threads 0, --weeks x, -o "") in the one format of every error.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "cdpsim: error: " + std::string(e.what()) + "\nRun with --help for more information.\n";
  });
  std::vector<std::pair<const CLI::App*, Action>> actions;
  for (const Command* c : kCommands) {
    CLI::App* sub = app.add_subcommand(std::string(c->name), std::string(c->summary));
    actions.emplace_back(sub, c->add(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    // A first word that is no subcommand's name (an unknown option keeps CLI11's message).
    const auto extras = app.remaining();
    if (app.get_subcommands().empty() && !extras.empty() && !extras[0].starts_with('-'))
      return fallback_help("unknown subcommand '" + extras[0] + "'");
    return app.exit(e) == 0 ? kOk : kBadInput;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kBadInput;
  }
  try {
    for (const auto& [sub, action] : actions)
      if (*sub) finish(action());
  } catch (const std::bad_alloc&) {  // anywhere: a message and exit 1, never an abort
    std::fputs(
        "cdpsim: error: out of memory (the plan needs more memory than this machine has; "
        "reduce --replicates, the population or the design)\n",
        stderr);
    return kRuntime;
  }
  return fallback_help("no subcommand given");
}
