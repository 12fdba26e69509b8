// cdpsim explore: the interactive explorer in the browser (docs/explorer.md). Parses argv and
// hands over to app/explore/server.cpp; the session, views and exports are in app/explore/.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/command.hpp"
#include "app/explore/security.hpp"
#include "app/explore/server.hpp"
#include "app/explore/session.hpp"
#include "experiments/scenario_io.hpp"

namespace cdpsim::app {

namespace {

struct ExploreArgs {
  std::string scenario;
  std::string host = "127.0.0.1";
  int port = 8787;
  bool allow_remote = false;
  bool no_browser = false;
  std::int64_t seed = -1;
  std::vector<std::string> sets;
};

int run_explore(const ExploreArgs& a) {
  const Reporter say;
  if (!explore::is_loopback(a.host) && !a.allow_remote)
    return say.bad_input("--host " + a.host +
                         " is not a loopback address: anyone who can reach it could drive the "
                         "explorer; add --allow-remote to mean it");
  explore::ServerOptions o;
  o.host = a.host;
  o.port = a.port;
  o.open_browser = !a.no_browser;
  o.web_dir = explore::find_web_dir();
  if (o.web_dir.empty())
    return say.bad_input(
        "the explorer's web files are not installed next to cdpsim (looked for explore-web/ "
        "beside the binary and ../share/cdpsim/explore/; CDPSIM_EXPLORE_WEB sets the folder)");
  o.chart_js = explore::find_chart_js(o.web_dir);
  if (o.chart_js.empty())
    return say.bad_input("Chart.js is missing: install libjs-chart.js (Debian)");
  o.presets_dir = explore::find_presets_dir();
  std::filesystem::path path = a.scenario;
  if (path.empty()) path = o.presets_dir / "passerelles.toml";
  std::vector<std::string> sets = a.sets;
  if (a.seed >= 0) sets.push_back("simulation.seed=" + std::to_string(a.seed));
  if (auto code = check_input(say, [&] { o.scenario = load_scenario(path, sets); })) return *code;
  try {
    explore::check_limits(o.scenario, explore::Limits{});
  } catch (const explore::Refused& e) {
    return say.bad_input(e.what());
  }
  o.preset = path.stem().string();
  if (!explore::is_loopback(a.host))
    std::fprintf(stderr,
                 "cdpsim: warning: listening on %s, not only on this machine: anyone who can "
                 "reach it and learns the address with its token can drive the explorer\n",
                 a.host.c_str());
  catch_stop_signals();
  return explore::serve(std::move(o), stop_requested());
}

}  // namespace

const Command explore_command{
    "explore", "explore a scenario interactively in the browser (a local web server)",
    [](CLI::App& sub) -> Action {
      auto a = std::make_shared<ExploreArgs>();
      sub.add_option("scenario", a->scenario,
                     "scenario file to start from (default: scenarios/passerelles.toml)");
      sub.add_option("--port", a->port, "port to listen on (0: any free port)")
          ->check(CLI::Range(0, 65535));
      sub.add_option("--host", a->host,
                     "address to listen on (default 127.0.0.1; another needs --allow-remote)");
      sub.add_flag("--allow-remote", a->allow_remote,
                   "allow a --host that is not a loopback address (prints a warning)");
      sub.add_flag("--no-browser", a->no_browser, "print the address without opening a browser");
      add_seed_option(sub, a->seed, "seed of the run (default: the scenario's)");
      sub.add_option("--set", a->sets, "override a value: section.key=value (repeatable)");
      return [a] { return run_explore(*a); };
    }};

}  // namespace cdpsim::app
