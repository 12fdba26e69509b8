// The explorer's web server (docs/explorer.md): cpp-httplib serving the page and its libraries
// from the installed web folder, the JSON endpoints, the SSE stream of frames and the commands
// (JSON POSTs), every request through the Guard of security.hpp first.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include "models/scenario.hpp"

namespace cdpsim::app::explore {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8787;  // 0: any free port
  bool open_browser = true;
  std::filesystem::path web_dir;      // index.html, explore.js, ...
  std::filesystem::path chart_js;     // Chart.js (Debian's libjs-chart.js)
  std::filesystem::path presets_dir;  // scenarios/
  Scenario scenario;                  // the first one shown
  std::string preset;                 // its name
};

// Where the web files and scenarios are, relative to the running binary: the build tree
// (build/app/cdpsim next to build/app/explore-web/) or an install prefix (PREFIX/bin/cdpsim and
// PREFIX/share/cdpsim/explore/). CDPSIM_EXPLORE_WEB overrides the web folder. Empty when none.
std::filesystem::path find_web_dir();
std::filesystem::path find_chart_js(const std::filesystem::path& web_dir);
std::filesystem::path find_presets_dir();

// Serves until `stop` becomes true (set by Ctrl-C); returns the exit code. Prints the address (with
// its token).
int serve(ServerOptions opts, std::atomic<bool>& stop);

}  // namespace cdpsim::app::explore
