// The `sensitivity` subcommand of the command line: Morris screening or Sobol indices of the
// levers on a scenario's outcomes, with the dummy lever as noise floor, replicates under common
// random numbers and strata (docs/sensitivity.md). Kept apart from main.cpp like the ensemble
// commands of app/experiments.hpp.
//
//   CLI::App app{...};
//   cdpsim::app::SensitivityCommand sensitivity(app);  // adds the subcommand
//   app.parse(argc, argv);
//   if (auto code = sensitivity.run()) return *code;
#pragma once

#include <memory>
#include <optional>

namespace CLI {
class App;
}

namespace cdpsim::app {

class SensitivityCommand {
 public:
  explicit SensitivityCommand(CLI::App& app);
  ~SensitivityCommand();
  SensitivityCommand(const SensitivityCommand&) = delete;
  SensitivityCommand& operator=(const SensitivityCommand&) = delete;

  // Runs the analysis when its subcommand was selected and returns the exit code (0 ok, 1 runtime
  // failure, 2 bad input, 130 interrupted); nullopt otherwise.
  [[nodiscard]] std::optional<int> run() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cdpsim::app
