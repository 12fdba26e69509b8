// cdpsim validate: load a scenario with its overrides and report what it holds, without running.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/command.hpp"
#include "experiments/scenario_io.hpp"

namespace cdpsim::app {

namespace {

struct ValidateArgs {
  std::string scenario;
  std::vector<std::string> sets;
};

int validate(const ValidateArgs& a) {
  Scenario s;
  if (auto code = check_input(Reporter{}, [&] { s = load_scenario(a.scenario, a.sets); }))
    return *code;
  warn_shocks_beyond(Reporter{}, s, s.simulation.weeks);
  std::printf(
      "%s: valid scenario '%s' (%lld weeks from %s, %zu shock(s), %zu territor%s, %zu "
      "platform(s))\n",
      a.scenario.c_str(), s.simulation.name.c_str(), static_cast<long long>(s.simulation.weeks),
      s.simulation.start_date.to_string().c_str(), s.shocks.size(), s.territories.size(),
      s.territories.size() == 1 ? "y" : "ies", s.platforms.size());
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<ValidateArgs>();
  sub.add_option("scenario", a->scenario, "scenario TOML file")->required();
  sub.add_option("--set", a->sets, "override a value: section.key=value (repeatable)");
  add_strict_flag(sub);
  return [a] { return validate(*a); };
}

}  // namespace

const Command validate_command{"validate", "check a scenario file without running it", add};

}  // namespace cdpsim::app
