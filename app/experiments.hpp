// The experiment subcommands of the command line: `ensemble` (replicates and sweeps, across
// threads, MPI ranks or job-array slices), `compare` (scenarios under common random numbers, for
// funders) and `merge` (assembling slices). Kept apart from main.cpp so that each front-end file
// stays small; see docs/ensembles.md.
//
//   CLI::App app{...};
//   cdpsim::app::ExperimentCommands experiments(app);  // adds the three subcommands
//   app.parse(argc, argv);
//   if (auto code = experiments.run()) return *code;
#pragma once

#include <memory>
#include <optional>

namespace CLI {
class App;
}

namespace cdpsim::app {

class ExperimentCommands {
 public:
  explicit ExperimentCommands(CLI::App& app);
  ~ExperimentCommands();
  ExperimentCommands(const ExperimentCommands&) = delete;
  ExperimentCommands& operator=(const ExperimentCommands&) = delete;

  // Runs the selected experiment subcommand and returns its exit code (0 ok, 1 runtime failure,
  // 2 bad input, 130 interrupted); nullopt when another subcommand was selected.
  [[nodiscard]] std::optional<int> run() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cdpsim::app
