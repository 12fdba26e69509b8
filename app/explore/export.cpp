#include "app/explore/export.hpp"

#include <atomic>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "experiments/run/run.hpp"
#include "experiments/scenario_io.hpp"

namespace cdpsim::app::explore {

std::string scenario_toml(const Scenario& s) {
  std::ostringstream o;
  o << "# Exported by `cdpsim explore`: the settings of an explored run, with the levers moved\n"
       "# while it ran as [[interventions]] named \"explore: ...\" (from the week they were "
       "moved).\n"
       "# `cdpsim run` of this file reproduces the explored run's series exactly (same seed).\n";
  o << resolved_toml(s);
  return o.str();
}

std::string run_h5(const Scenario& s, const std::filesystem::path& dir) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / ("export-" + std::to_string(++counter) + ".h5");
  RunRequest req;
  req.seed = static_cast<std::uint64_t>(s.simulation.seed);
  req.output = path;
  req.force = true;
  (void)run_to_file(s, req, nullptr, {});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the exported file back");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return bytes;
}

}  // namespace cdpsim::app::explore
