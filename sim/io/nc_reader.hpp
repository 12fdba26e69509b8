// Reading back the variables of a netCDF-compatible HDF5 file written by NcWriter: what merging
// ensemble shards and resuming an interrupted ensemble need (whole numeric arrays, 1-D string
// arrays and scalar root attributes). HDF5 stays out of this header.
//
//   NcReader r("shard.h5");
//   std::vector<std::int64_t> runs = r.read<std::int64_t>("run");   // converted from int32
//   std::string id = r.string_attribute("ensemble_id");
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cdpsim::io {

class NcReader {
 public:
  // Opens `path` read-only; throws std::runtime_error naming the file when it cannot.
  explicit NcReader(const std::filesystem::path& path);
  ~NcReader();
  NcReader(const NcReader&) = delete;
  NcReader& operator=(const NcReader&) = delete;

  [[nodiscard]] bool has_variable(const std::string& name) const;
  [[nodiscard]] std::vector<std::size_t> shape(const std::string& name) const;
  // The whole variable, row-major, converted by HDF5 to T (double, int8, int32 or int64).
  template <class T>
  [[nodiscard]] std::vector<T> read(const std::string& name) const;
  // The whole variable as stored, which must be exactly T (float, double, int8, uint8, int32,
  // uint32 or int64): for state that must come back bit for bit (checkpoints).
  template <class T>
  [[nodiscard]] std::vector<T> read_exact(const std::string& name) const;
  // A 1-D variable of strings.
  [[nodiscard]] std::vector<std::string> read_strings(const std::string& name) const;

  [[nodiscard]] bool has_attribute(const std::string& name) const;
  // Scalar root attributes; throw std::runtime_error when missing or of another kind.
  [[nodiscard]] std::string string_attribute(const std::string& name) const;
  [[nodiscard]] std::int64_t int_attribute(const std::string& name) const;

  [[nodiscard]] const std::filesystem::path& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cdpsim::io
