#include "experiments/scenario_io.hpp"

#include "sim/scenario/loader.hpp"

namespace cdpsim {

Scenario load_scenario(const std::filesystem::path& path,
                       const std::vector<std::string>& overrides) {
  Scenario s;
  Schema schema = make_schema(s);
  load_scenario_file(path, overrides, schema);
  fill_defaults(s);
  validate(s, path.string());
  return s;
}

Scenario load_scenario_text(std::string_view toml, std::string_view source_name,
                            const std::vector<std::string>& overrides) {
  Scenario s;
  Schema schema = make_schema(s);
  load_scenario_string(toml, source_name, overrides, schema);
  fill_defaults(s);
  validate(s, source_name);
  return s;
}

std::string resolved_toml(const Scenario& s) {
  Scenario copy = s;
  Schema schema = make_schema(copy);
  return to_toml(schema);
}

std::string parameter_table_markdown() {
  Scenario s;
  Schema schema = make_schema(s);
  return param_table_markdown(schema);
}

}  // namespace cdpsim
