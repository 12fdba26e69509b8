// Writer of netCDF-4 compatible HDF5 files: every dataset carries dimension scales on all of its
// axes, so `xarray.open_dataset(path, engine="h5netcdf")` (and netCDF-C) see labelled arrays.
//
//   NcWriter w("out.h5");
//   w.add_coordinate("week", std::span<const std::int32_t>(weeks), {{"units", "weeks"}});
//   w.add_coordinate("cdp", cdp_names);
//   w.write<double>("engagement", {"week", "cdp"}, std::span<const double>(values),
//                   {{"units", "1"}, {"long_name", "mean engagement"}});
//   w.set_attribute({"status", "complete"});
//   w.close();
//
// HDF5 stays out of this header; every failure surfaces as std::runtime_error naming the file and
// the variable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cdpsim::io {

// A scalar attribute. Strings are stored as variable-length UTF-8, numbers as float64 / int64
// (`{"units", "weeks"}`, `{"seed", std::int64_t{42}}`, `{"scale", 0.5}`).
struct Attr {
  std::string name;
  std::variant<std::string, double, std::int64_t> value;
};

class NcWriter {
 public:
  // How the variables written from now on are stored: deflate-compressed (the default), or
  // uncompressed with a Fletcher-32 checksum per chunk, which HDF5 verifies on every read
  // (checkpoints: deflate would cost more than the weeks they save, and damage must be seen).
  enum class Storage { compressed, checksummed };

  // Creates `path` (truncating); link and attribute creation order are tracked so variables and
  // attributes keep their written order.
  explicit NcWriter(const std::filesystem::path& path);
  // A file HDF5 writes in place (no in-memory image: for files of hundreds of megabytes), after
  // reserving `reserve` bytes of disk for it; not enough space fails here, before any write. The
  // file must not need more than `reserve` (HDF5 does not survive a full disk).
  NcWriter(const std::filesystem::path& path, Storage storage, std::uint64_t reserve);
  ~NcWriter();  // closes if still open; never throws
  NcWriter(const NcWriter&) = delete;
  NcWriter& operator=(const NcWriter&) = delete;
  NcWriter(NcWriter&&) noexcept;
  NcWriter& operator=(NcWriter&&) noexcept;

  // A dimension without coordinate values (netCDF "dimension but not a variable").
  void add_dimension(const std::string& name, std::size_t size);
  // A dimension with coordinate values; the dataset is named after the dimension.
  void add_coordinate(const std::string& name, std::span<const std::int32_t> values,
                      std::vector<Attr> attrs = {});
  void add_coordinate(const std::string& name, std::span<const double> values,
                      std::vector<Attr> attrs = {});
  void add_coordinate(const std::string& name, const std::vector<std::string>& labels,
                      std::vector<Attr> attrs = {});

  // A variable over existing dimensions (row-major data, size = product of the dimension sizes;
  // no dimensions = a scalar of one value). Chunked (about 64k elements per chunk, split along the
  // leading axes) and deflate-compressed when it has at least one element. Explicitly
  // instantiated for float, double, int8, uint8, int16, int32, int64 and uint32.
  template <class T>
  void write(const std::string& name, const std::vector<std::string>& dims, std::span<const T> data,
             std::vector<Attr> attrs = {});
  // A 1-D variable of variable-length UTF-8 strings.
  void write_strings(const std::string& name, const std::string& dim,
                     const std::vector<std::string>& values, std::vector<Attr> attrs = {});

  // Root attribute; writing an existing name replaces its value.
  void set_attribute(const Attr& a);
  // Attributes of an existing variable or coordinate; existing names are replaced.
  void set_attributes(const std::string& variable, const std::vector<Attr>& attrs);

  void set_storage(Storage storage);
  void flush();
  void close();  // idempotent; any later write throws
  [[nodiscard]] bool is_open() const;
  [[nodiscard]] std::size_t dimension_size(const std::string& name) const;
  [[nodiscard]] const std::filesystem::path& path() const;

 private:
  struct Impl;
  Impl& impl() const;  // throws on a moved-from writer
  std::unique_ptr<Impl> impl_;
};

// Root attributes of an existing file (for `cdpsim info` and tests). Throw std::runtime_error when
// the attribute is missing or of another kind; the int reader accepts any integer type.
std::string read_root_string_attribute(const std::filesystem::path& path, const std::string& name);
std::int64_t read_root_int_attribute(const std::filesystem::path& path, const std::string& name);

// One netCDF variable (dimension-only scales are not variables and are left out). An axis
// without a dimension scale has an empty name. dtype uses numpy names ("float64", "int32",
// "str", ...); units and long_name are empty when absent.
struct VariableInfo {
  std::string name;
  std::vector<std::string> dims;
  std::vector<std::size_t> shape;
  std::string dtype;
  std::string units;
  std::string long_name;
};
// Root-group variables in creation order (name order for files that do not track it).
std::vector<VariableInfo> list_variables(const std::filesystem::path& path);

// All root attributes as strings in creation order: numbers in shortest round-trip form, arrays
// as "[a, b]".
std::vector<std::pair<std::string, std::string>> root_attributes(const std::filesystem::path& path);

}  // namespace cdpsim::io
