// cdpsim info: the root attributes and the variables of an output file, read back from the file.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "app/command.hpp"
#include "sim/io/nc_writer.hpp"

namespace cdpsim::app {

namespace {

int info(const std::string& path) {
  const Reporter say;
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(st))
    return say.bad_input(path + ": is a folder (allowed: a cdpsim HDF5 output file)");
  if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st))
    return say.bad_input(path + ": not a regular file (allowed: a cdpsim HDF5 output file)");
  if (!std::filesystem::is_regular_file(st)) return say.bad_input(path + ": no such file");
  try {
    for (const auto& [k, v] : io::root_attributes(path)) {
      if (k == "scenario_toml") continue;
      std::printf("%-16s %s\n", k.c_str(), v.c_str());
    }
    std::printf("\n%-26s %-20s %-14s %-8s %s\n", "variable", "dimensions", "shape", "dtype",
                "units");
    for (const auto& v : io::list_variables(path)) {
      std::string dims, shape;
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        dims += (i ? "," : "") + v.dims[i];
        shape += (i ? "x" : "") + std::to_string(v.shape[i]);
      }
      std::printf("%-26s %-20s %-14s %-8s %s\n", v.name.c_str(), dims.c_str(), shape.c_str(),
                  v.dtype.c_str(), v.units.c_str());
    }
  } catch (const std::exception& e) {
    return say.bad_input(path + ": not a readable cdpsim output file (" + e.what() + ")");
  }
  return kOk;
}

Action add(CLI::App& sub) {
  auto path = std::make_shared<std::string>();
  sub.add_option("file", *path, "cdpsim HDF5 output")->required();
  return [path] { return info(*path); };
}

}  // namespace

const Command info_command{"info", "describe an output file", add};

}  // namespace cdpsim::app
