// Scenarios in and out of text: a TOML file (with `extends` and --set overrides) or TOML text
// becomes a validated Scenario; a Scenario becomes its resolved TOML; the parameter table of the
// docs. The model (models/scenario.hpp) defines the schema; sim/scenario/ does the parsing.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario.hpp"
#include "sim/scenario/param.hpp"

namespace cdpsim {

// Reads and validates a scenario file with optional "section.key=value" overrides. Throws
// ScenarioError (sim/scenario/param.hpp) with "file:line:column: key: problem (allowed: ...)".
Scenario load_scenario(const std::filesystem::path& path,
                       const std::vector<std::string>& overrides = {});
// Same from TOML text (used to re-load the resolved scenario stored in an output file).
Scenario load_scenario_text(std::string_view toml, std::string_view source_name,
                            const std::vector<std::string>& overrides = {});

// --strict: from now on, in this process, load_scenario*() also refuse a shock starting after the
// horizon (validate()'s strict_horizon), so every scenario a command loads (designs, variants)
// follows it. Off by default: such a shock is valid and never happens.
void set_strict_horizon(bool strict);
bool strict_horizon();

// The resolved scenario (every default filled in) as TOML; load_scenario_text() of it gives back
// the same Scenario.
std::string resolved_toml(const Scenario& s);

// Markdown table of every parameter (for docs/model.md).
std::string parameter_table_markdown();

}  // namespace cdpsim
