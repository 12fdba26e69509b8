// What `cdpsim sensitivity` writes (docs/sensitivity.md, "Output"): a netCDF-compatible HDF5 file
// (output_kind = "sensitivity": the design, the seeds, every run's metric values, and the indices
// with their intervals, the noise floor and the replicate noise per stratum and metric), a CSV of
// the index table, and the terminal table ranked by influence. An interrupted analysis writes the
// file without indices (status = "interrupted"); `--resume` reads its finished runs back.
#pragma once

#include <cstdio>
#include <filesystem>

#include "experiments/sensitivity/sensitivity.hpp"
#include "experiments/text/catalogue.hpp"

namespace cdpsim {

// Writes the file; `report` is null when runs are missing (status "interrupted").
void write_sensitivity_file(const std::filesystem::path& path, const SensitivityPlan& plan,
                            const SensitivityData& data, const SensitivityReport* report);

// What a sensitivity file says about itself.
struct SensitivityFileHeader {
  std::string output_kind;
  std::string status;
  std::string sensitivity_id;
  std::int64_t runs_total = 0;
  std::int64_t runs_complete = 0;
};
// Throws SensitivityError when `path` is unreadable or not a sensitivity file.
SensitivityFileHeader read_sensitivity_header(const std::filesystem::path& path);

// The finished runs of the file at `path`, which must belong to `plan` (same id); throws
// SensitivityError otherwise. A run flagged finished is kept only when its values match its
// stored checksum (sensitivity_run_checksum); the others are listed in `rejected`.
SensitivityData read_sensitivity_runs(const std::filesystem::path& path,
                                      const SensitivityPlan& plan);

// One row per stratum, metric and lever (the dummy included).
void write_sensitivity_csv(const std::filesystem::path& path, const SensitivityPlan& plan,
                           const SensitivityReport& report);

// The terminal report: per stratum and metric, the levers ranked by influence with their
// intervals and the noise-floor line; then, with several strata, the ranks side by side. In
// `lang`; the keys of levers, metrics and strata are printed as typed on the command line.
void print_sensitivity(std::FILE* out, const SensitivityPlan& plan, const SensitivityData& data,
                       const SensitivityReport& report, Lang lang = Lang::en);

}  // namespace cdpsim
