// cdpsim resolve: the scenario as the model sees it, every default filled in, as TOML that loads
// back to the same scenario.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/command.hpp"
#include "experiments/scenario_io.hpp"

namespace cdpsim::app {

namespace {

struct ResolveArgs {
  std::string scenario;
  std::vector<std::string> sets;
};

int resolve(const ResolveArgs& a) {
  std::string toml;
  if (auto code =
          check_input(Reporter{}, [&] { toml = resolved_toml(load_scenario(a.scenario, a.sets)); }))
    return *code;
  std::fputs(toml.c_str(), stdout);
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<ResolveArgs>();
  sub.add_option("scenario", a->scenario, "scenario TOML file")->required();
  sub.add_option("--set", a->sets, "override a value (repeatable)");
  return [a] { return resolve(*a); };
}

}  // namespace

const Command resolve_command{"resolve", "print a scenario with every default filled in (TOML)",
                              add};

}  // namespace cdpsim::app
