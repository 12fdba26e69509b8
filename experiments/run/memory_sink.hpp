// The content of a run's output file, in memory: what Recorder::write_to() would write into an
// io::NcWriter (the same calls: dimensions, coordinates, variables, attributes), kept as arrays.
// The Python module's sim.series() builds its xarray.Dataset from it without the HDF5 round trip,
// and since the recorder makes the same calls for both, the Dataset and the file cannot drift
// (tests/python_api compares them).
//
//   MemorySink m;
//   recorder.write_to(m, scenario, world, meta);
//   for (const MemorySink::Variable& v : m.variables) ...   // in written order
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "sim/io/nc_writer.hpp"

namespace cdpsim {

class MemorySink {
 public:
  using Values =
      std::variant<std::vector<std::int8_t>, std::vector<std::uint8_t>, std::vector<std::int16_t>,
                   std::vector<std::int32_t>, std::vector<std::int64_t>, std::vector<std::uint32_t>,
                   std::vector<float>, std::vector<double>, std::vector<std::string>>;
  struct Variable {
    std::string name;
    std::vector<std::string> dims;
    Values values;  // row-major
    std::vector<io::Attr> attrs;
  };
  struct Dimension {
    std::string name;
    std::size_t size = 0;
  };

  std::vector<Dimension> dimensions;  // in written order; coordinates are also variables
  std::vector<Variable> variables;    // in written order
  std::vector<io::Attr> attributes;   // root attributes

  // NcWriter's interface (sim/io/nc_writer.hpp), as Recorder::write_to() uses it.
  void add_dimension(const std::string& name, std::size_t size) {
    dimensions.push_back({name, size});
  }
  void add_coordinate(const std::string& name, std::span<const std::int32_t> values,
                      std::vector<io::Attr> attrs = {}) {
    coordinate(name, std::vector<std::int32_t>(values.begin(), values.end()), std::move(attrs));
  }
  void add_coordinate(const std::string& name, std::span<const double> values,
                      std::vector<io::Attr> attrs = {}) {
    coordinate(name, std::vector<double>(values.begin(), values.end()), std::move(attrs));
  }
  void add_coordinate(const std::string& name, const std::vector<std::string>& labels,
                      std::vector<io::Attr> attrs = {}) {
    coordinate(name, labels, std::move(attrs));
  }
  template <class T>
  void write(const std::string& name, const std::vector<std::string>& dims, std::span<const T> data,
             std::vector<io::Attr> attrs = {}) {
    variables.push_back({name, dims, std::vector<T>(data.begin(), data.end()), std::move(attrs)});
  }
  template <class T>
  void write(const std::string& name, const std::vector<std::string>& dims,
             const std::vector<T>& data, std::vector<io::Attr> attrs = {}) {
    write<T>(name, dims, std::span<const T>(data), std::move(attrs));
  }
  void write_strings(const std::string& name, const std::string& dim,
                     const std::vector<std::string>& values, std::vector<io::Attr> attrs = {}) {
    variables.push_back({name, {dim}, values, std::move(attrs)});
  }
  void set_attribute(const io::Attr& a) {
    for (io::Attr& old : attributes)
      if (old.name == a.name) {
        old = a;
        return;
      }
    attributes.push_back(a);
  }
  void close() {}

 private:
  template <class V>
  void coordinate(const std::string& name, V values, std::vector<io::Attr> attrs) {
    dimensions.push_back({name, values.size()});
    variables.push_back({name, {name}, std::move(values), std::move(attrs)});
  }
};

}  // namespace cdpsim
