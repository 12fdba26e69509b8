#include "experiments/scenario_io.hpp"

#include <atomic>

#include "models/interventions.hpp"
#include "sim/scenario/loader.hpp"

namespace cdpsim {

namespace {
std::atomic<bool> g_strict_horizon{false};

// validate()'s "SRC: KEY: problem" as "FILE:LINE:COLUMN: KEY: problem", the place of KEY (or of
// its element, array or section) in the files when they set it; models/ reads no files, so the
// locations come from the loader.
void validate_located(const Scenario& s, std::string_view src, const KeyLocations& where) {
  try {
    validate(s, src, g_strict_horizon);
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    const std::string prefix = std::string(src) + ": ";
    if (!msg.starts_with(prefix)) throw;
    const std::size_t end = msg.find(": ", prefix.size());
    if (end == std::string::npos) throw;
    std::string key = msg.substr(prefix.size(), end - prefix.size());
    for (;;) {
      if (const auto it = where.find(key); it != where.end())
        throw ScenarioError(it->second + ": " + msg.substr(prefix.size()));
      const std::size_t cut = key.find_last_of(".[");
      if (cut == std::string::npos || cut == 0) throw;
      key.resize(cut);
    }
  }
}
}  // namespace

void set_strict_horizon(bool strict) { g_strict_horizon = strict; }
bool strict_horizon() { return g_strict_horizon; }

Scenario load_scenario(const std::filesystem::path& path,
                       const std::vector<std::string>& overrides) {
  Scenario s;
  Schema schema = make_schema(s);
  KeyLocations where;
  load_scenario_file(path, overrides, schema, &where);
  fill_defaults(s);
  validate_located(s, path.string(), where);
  return s;
}

Scenario load_scenario_text(std::string_view toml, std::string_view source_name,
                            const std::vector<std::string>& overrides) {
  Scenario s;
  Schema schema = make_schema(s);
  KeyLocations where;
  load_scenario_string(toml, source_name, overrides, schema, &where);
  fill_defaults(s);
  validate_located(s, source_name, where);
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
  std::string out = param_table_markdown(schema);
  out +=
      "\nParameters an intervention may change during a run (`interventions[].key`), and the "
      "mechanism that reads each one every week:\n\n| key | type | pays for support | read "
      "by |\n|---|---|---|---|\n";
  for (const MidRunKey& k : mid_run_keys()) {
    const char* type = k.type == MidRunKey::Type::number    ? "number"
                       : k.type == MidRunKey::Type::boolean ? "true/false"
                                                            : "choice";
    out += "| `" + std::string(k.key) + "` | " + type + " | " + (k.support ? "yes" : "") + " | " +
           std::string(k.read_by) + " |\n";
  }
  out +=
      "\nVariables a trigger may watch (`interventions[].when`, `until`), last week's "
      "value:\n\n| variable | meaning |\n|---|---|\n";
  for (const TriggerVariable& v : trigger_variables())
    out += "| `" + std::string(v.name) + "` | " + std::string(v.meaning) + " |\n";
  return out;
}

}  // namespace cdpsim
