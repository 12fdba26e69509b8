// cdpsim plot and cdpsim report, in one file because they differ only in the command they forward:
// both run the Python package scripts/cdpsim_py with Debian's Python and every argument (exec: its
// exit code is the command's; `cdpsim plot --help` shows the script's options). The package is
// looked up in $CDPSIM_PYTHON_DIR, else in the source tree's scripts/ folder.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "app/command.hpp"

namespace cdpsim::app {

namespace {

int run_python(const std::string& command, const std::vector<std::string>& args) {
  std::filesystem::path dir = std::filesystem::path(CDPSIM_SOURCE_DIR) / "scripts";
  if (const char* env = std::getenv("CDPSIM_PYTHON_DIR"); env && *env) dir = env;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / "cdpsim_py" / "__main__.py", ec))
    return Reporter{}.bad_input("cannot find the Python package cdpsim_py in " + dir.string() +
                                " (set CDPSIM_PYTHON_DIR to the folder that holds cdpsim_py)");
  const char* python = "/usr/bin/python3";
  if (::access(python, X_OK) != 0) {
    std::cerr << "cdpsim " << command << ": " << python
              << " not found: install Debian's python3 (bash scripts/setup.sh)\n";
    return kRuntime;
  }
  std::string path = dir.string();
  if (const char* old = std::getenv("PYTHONPATH"); old && *old) path += ":" + std::string(old);
  ::setenv("PYTHONPATH", path.c_str(), 1);
  ::setenv("MPLBACKEND", "Agg", 1);
  std::vector<std::string> words = {python, "-s", "-m", "cdpsim_py", command};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  ::execv(python, argv.data());
  std::cerr << "cdpsim " << command << ": cannot run " << python << ": " << std::strerror(errno)
            << "\n";
  return kRuntime;
}

// Every argument after the subcommand's name goes to the script, --help included.
Action forward(CLI::App& sub, const char* command) {
  sub.prefix_command();
  sub.set_help_flag();
  return [&sub, command] { return run_python(command, sub.remaining()); };
}

}  // namespace

const Command plot_command{
    "plot",
    "write the figures of a run, ensemble or comparison file (PNG, SVG): FILE [-o DIR] "
    "[--lang fr|en]",
    [](CLI::App& sub) { return forward(sub, "plot"); }};
const Command report_command{
    "report",
    "write a self-contained HTML report of an output file: FILE [-o REPORT.html] "
    "[--lang fr|en]",
    [](CLI::App& sub) { return forward(sub, "report"); }};

}  // namespace cdpsim::app
