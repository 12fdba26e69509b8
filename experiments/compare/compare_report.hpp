// The outputs of `cdpsim compare`: a table a funder can read in the terminal, and the same
// numbers as CSV (one row per scenario and metric), JSON (with the hypotheses and the settings)
// and netCDF-compatible HDF5 (with every run's metric values). Layouts: docs/ensembles.md.
#pragma once

#include <cstdio>
#include <filesystem>

#include "experiments/compare/compare.hpp"
#include "experiments/text/catalogue.hpp"

namespace cdpsim {

// The table and the hypotheses' verdicts, in `lang` (numbers too: "1 234,5" in French).
void print_comparison(std::FILE* out, const CompareRequest& req, const CompareReport& rep,
                      Lang lang = Lang::en);
// Each writes `path` directly (callers write to a temporary name and rename).
void write_comparison_csv(const std::filesystem::path& path, const CompareRequest& req,
                          const CompareReport& rep);
void write_comparison_json(const std::filesystem::path& path, const CompareRequest& req,
                           const CompareData& data, const CompareReport& rep);
void write_comparison_h5(const std::filesystem::path& path, const CompareRequest& req,
                         const CompareData& data, const CompareReport& rep);

}  // namespace cdpsim
