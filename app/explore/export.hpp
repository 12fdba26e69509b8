// What the explorer exports (docs/explorer.md, "Export"): the scenario that reproduces a run
// (its TOML, with the interventions made while exploring), and the run's HDF5 file as `cdpsim run`
// writes it, through the one writer path (experiments/run/run.hpp: run_to_file and its Recorder).
// The series' CSV is Session::series_csv(); figures are saved as PNG by the page itself.
#pragma once

#include <filesystem>
#include <string>

#include "models/scenario.hpp"

namespace cdpsim::app::explore {

// The resolved TOML of `s` (experiments/scenario_io.hpp) under a comment saying where it came
// from; `cdpsim run` of it gives the explored series exactly.
std::string scenario_toml(const Scenario& s);

// Runs `s` with its own seed into a file under `dir` with run_to_file (the `cdpsim run` path) and
// returns the file's bytes; the file is removed.
std::string run_h5(const Scenario& s, const std::filesystem::path& dir);

}  // namespace cdpsim::app::explore
