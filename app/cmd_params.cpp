// cdpsim params: every scenario parameter as a Markdown table, generated from the schema so that
// docs cannot drift from the loader.
#include <cstdio>

#include "app/command.hpp"
#include "experiments/scenario_io.hpp"

namespace cdpsim::app {

namespace {

int params() {
  std::fputs(parameter_table_markdown().c_str(), stdout);
  return kOk;
}

}  // namespace

// No options, so no CLI11 in this file.
const Command params_command{"params", "print every scenario parameter as a Markdown table",
                             [](CLI::App&) -> Action { return params; }};

}  // namespace cdpsim::app
