// cdpsim levers: the table of the 17 levers (models/levers.hpp), for users choosing what to vary.
#include <cstdio>
#include <string>

#include "app/command.hpp"
#include "models/levers.hpp"

namespace cdpsim::app {

namespace {

int levers() {
  Levers defaults;
  auto values = defaults.by_index();
  std::printf("%-24s %-12s %-7s %s\n", "lever", "group", "default", "meaning (what it moves)");
  for (int i = 0; i < kLevers; ++i) {
    const auto& l = kLeverInfo[i];
    std::printf("%-24s %-12s %-7.2f %s\n%-24s %-12s %-7s   moves: %s\n", std::string(l.key).c_str(),
                std::string(l.group).c_str(), *values[i], std::string(l.english).c_str(), "", "",
                "", std::string(l.moves).c_str());
  }
  return kOk;
}

}  // namespace

// No options, so no CLI11 in this file.
const Command levers_command{"levers", "list the 17 levers, their meaning and default",
                             [](CLI::App&) -> Action { return levers; }};

}  // namespace cdpsim::app
