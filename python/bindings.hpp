// What the two files of the Python module share: the scenario value handed between them, and the
// bindings of the many-run experiments (experiments.cpp).
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace cdpsim::python {

// A validated scenario, with the file and overrides it came from when loaded from a file (the
// ensembles and sensitivity analyses re-load it from there, as the command line does).
struct PyScenario {
  std::shared_ptr<const Scenario> value;
  std::string path;               // "" when built from text or taken from a simulation
  std::vector<std::string> sets;  // the --set overrides applied
  // How messages name it.
  [[nodiscard]] std::string source() const { return path.empty() ? "scenario" : path; }
};

void bind_experiments(pybind11::module_& m);

}  // namespace cdpsim::python
