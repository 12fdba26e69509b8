// Model-independent scenario loading: TOML files (with `extends`) and `--set` overrides are
// validated against a Schema and written into its fields; the same Schema also produces the
// resolved-scenario dump and the parameter table of the docs.
//
// Example:
//   Scenario s;                       // defaults
//   Schema schema = make_schema(s);
//   load_scenario_file("scenarios/x.toml", {"levers.animation=0.3", "shocks.0.size=2"}, schema);
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/nearest.hpp"  // nearest_name, used by the loader's messages
#include "sim/scenario/param.hpp"

namespace cdpsim {

// ScenarioError (sim/scenario/param.hpp) is what every function here throws on bad input.

// Reads `path` (following `extends`, relative to the including file's directory), applies
// `overrides` ("section.key=value" or "array.N.key=value", N 0-based and already existing) and
// writes the values into the schema's fields. Fields the files do not mention keep the values
// already in the structs. An array of tables that a file mentions is resized to the number of
// elements given (`shocks = []` empties it). Everything is validated before anything is written.
//
// The reader is bounded: only regular files (a FIFO, device or folder is refused), at most 1 MiB,
// keys and values nested at most 32 deep, extends chains of at most 32 files, all checked before
// the TOML parser sees the text. Dates are limited to 1900-01-01 to 2200-12-31.
//
// `locations`, when given, receives FILE:LINE:COLUMN of every key the files set ("section",
// "section.key", "array[]", "array[N]", "array[N].key"), so cross-field checks made later can
// name where a value is.
using KeyLocations = std::map<std::string, std::string>;
void load_scenario_file(const std::filesystem::path& path,
                        const std::vector<std::string>& overrides, Schema& schema,
                        KeyLocations* locations = nullptr);

// Same, from TOML text; `source_name` is used in messages and as the base for `extends`.
void load_scenario_string(std::string_view toml_text, std::string_view source_name,
                          const std::vector<std::string>& overrides, Schema& schema,
                          KeyLocations* locations = nullptr);

// Every field's current value as TOML: sections, then arrays of tables, in declaration order,
// each field preceded by a "# doc [unit, range]" comment. Empty arrays are written as
// `name = []` before the first table, so loading the text reproduces the same values exactly.
std::string to_toml(const Schema& schema);

// Markdown table of every field: | section | key | default | unit | allowed | meaning | source |.
// Arrays of tables are documented from their prototype element, keys shown as `shocks[].start`.
std::string param_table_markdown(const Schema& schema);

}  // namespace cdpsim
