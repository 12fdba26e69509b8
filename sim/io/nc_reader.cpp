#include "sim/io/nc_reader.hpp"

#include <H5Cpp.h>

#include <stdexcept>
#include <type_traits>

namespace cdpsim::io {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& what, const std::string& why) {
  throw std::runtime_error(path.string() + ": " + what + ": " + why);
}

// Runs `f` with HDF5's own error printing off, turning its exceptions into std::runtime_error.
template <class F>
decltype(auto) guarded(const fs::path& path, const std::string& what, F&& f) {
  H5::Exception::dontPrint();
  try {
    return std::forward<F>(f)();
  } catch (const H5::Exception& e) {
    fail(path, what, e.getFuncName() + ": " + e.getDetailMsg());
  }
}

template <class T>
const H5::PredType& memory_type() {
  if constexpr (std::is_same_v<T, double>) return H5::PredType::NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, float>) return H5::PredType::NATIVE_FLOAT;
  if constexpr (std::is_same_v<T, std::uint8_t>) return H5::PredType::NATIVE_UINT8;
  if constexpr (std::is_same_v<T, std::uint32_t>) return H5::PredType::NATIVE_UINT32;
  if constexpr (std::is_same_v<T, std::int8_t>) return H5::PredType::NATIVE_INT8;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5::PredType::NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5::PredType::NATIVE_INT64;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

struct NcReader::Impl {
  fs::path path;
  H5::H5File file;

  H5::DataSet dataset(const std::string& name) const {
    if (!file.nameExists(name) || file.childObjType(name) != H5O_TYPE_DATASET)
      fail(path, "variable " + quoted(name), "not found");
    return file.openDataSet(name);
  }

  H5::Attribute attribute(const std::string& name) const {
    if (!file.attrExists(name)) fail(path, "root attribute " + quoted(name), "not found");
    return file.openAttribute(name);
  }
};

NcReader::NcReader(const fs::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->file =
      guarded(path, "cannot open file", [&] { return H5::H5File(path.string(), H5F_ACC_RDONLY); });
}

NcReader::~NcReader() = default;

const fs::path& NcReader::path() const { return impl_->path; }

bool NcReader::has_variable(const std::string& name) const {
  return guarded(impl_->path, "variable " + quoted(name), [&] {
    return impl_->file.nameExists(name) && impl_->file.childObjType(name) == H5O_TYPE_DATASET;
  });
}

std::vector<std::size_t> NcReader::shape(const std::string& name) const {
  return guarded(impl_->path, "variable " + quoted(name), [&] {
    const H5::DataSpace space = impl_->dataset(name).getSpace();
    const int rank = space.getSimpleExtentNdims();
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) space.getSimpleExtentDims(dims.data());
    return std::vector<std::size_t>(dims.begin(), dims.end());
  });
}

template <class T>
std::vector<T> NcReader::read(const std::string& name) const {
  const std::string what = "variable " + quoted(name);
  return guarded(impl_->path, what, [&] {
    const H5::DataSet ds = impl_->dataset(name);
    const H5T_class_t cls = ds.getDataType().getClass();
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail(impl_->path, what, "not numeric");
    std::vector<T> out(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
    if (!out.empty()) ds.read(out.data(), memory_type<T>());
    return out;
  });
}

template <class T>
std::vector<T> NcReader::read_exact(const std::string& name) const {
  const std::string what = "variable " + quoted(name);
  return guarded(impl_->path, what, [&] {
    const H5::DataSet ds = impl_->dataset(name);
    const H5::DataType stored = ds.getDataType();
    const bool is_float = std::is_floating_point_v<T>;
    const H5T_class_t cls = stored.getClass();
    bool same = stored.getSize() == sizeof(T) && cls == (is_float ? H5T_FLOAT : H5T_INTEGER);
    if (same && !is_float)
      same = H5::IntType(ds).getSign() == (std::is_signed_v<T> ? H5T_SGN_2 : H5T_SGN_NONE);
    if (!same) fail(impl_->path, what, "stored with another type than this version writes");
    std::vector<T> out(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
    if (!out.empty()) ds.read(out.data(), memory_type<T>());
    return out;
  });
}

#define CDPSIM_READ_EXACT(T) \
  template std::vector<T> NcReader::read_exact<T>(const std::string&) const;
CDPSIM_READ_EXACT(float)
CDPSIM_READ_EXACT(double)
CDPSIM_READ_EXACT(std::int8_t)
CDPSIM_READ_EXACT(std::uint8_t)
CDPSIM_READ_EXACT(std::int32_t)
CDPSIM_READ_EXACT(std::uint32_t)
CDPSIM_READ_EXACT(std::int64_t)
#undef CDPSIM_READ_EXACT

template std::vector<double> NcReader::read<double>(const std::string&) const;
template std::vector<std::int8_t> NcReader::read<std::int8_t>(const std::string&) const;
template std::vector<std::int32_t> NcReader::read<std::int32_t>(const std::string&) const;
template std::vector<std::int64_t> NcReader::read<std::int64_t>(const std::string&) const;

std::vector<std::string> NcReader::read_strings(const std::string& name) const {
  const std::string what = "variable " + quoted(name);
  return guarded(impl_->path, what, [&] {
    const H5::DataSet ds = impl_->dataset(name);
    const H5::DataType type = ds.getDataType();
    if (type.getClass() != H5T_STRING || !H5::StrType(ds).isVariableStr())
      fail(impl_->path, what, "not a variable-length string array");
    const H5::DataSpace space = ds.getSpace();
    const auto n = static_cast<std::size_t>(space.getSimpleExtentNpoints());
    std::vector<std::string> out;
    if (n == 0) return out;
    H5::StrType mem(H5::PredType::C_S1, H5T_VARIABLE);
    mem.setCset(H5T_CSET_UTF8);
    std::vector<char*> ptrs(n, nullptr);
    ds.read(ptrs.data(), mem);
    out.reserve(n);
    for (char* p : ptrs) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(mem.getId(), space.getId(), H5P_DEFAULT, ptrs.data());
    return out;
  });
}

bool NcReader::has_attribute(const std::string& name) const {
  return guarded(impl_->path, "root attribute " + quoted(name),
                 [&] { return impl_->file.attrExists(name); });
}

std::string NcReader::string_attribute(const std::string& name) const {
  const std::string what = "root attribute " + quoted(name);
  return guarded(impl_->path, what, [&] {
    const H5::Attribute a = impl_->attribute(name);
    if (a.getDataType().getClass() != H5T_STRING) fail(impl_->path, what, "not a string");
    if (a.getSpace().getSimpleExtentNpoints() != 1) fail(impl_->path, what, "not a single value");
    std::string s;
    a.read(a.getStrType(), s);
    return std::string(s.c_str());  // fixed-length strings may carry trailing NULs
  });
}

std::int64_t NcReader::int_attribute(const std::string& name) const {
  const std::string what = "root attribute " + quoted(name);
  return guarded(impl_->path, what, [&] {
    const H5::Attribute a = impl_->attribute(name);
    if (a.getDataType().getClass() != H5T_INTEGER) fail(impl_->path, what, "not an integer");
    if (a.getSpace().getSimpleExtentNpoints() != 1) fail(impl_->path, what, "not a single value");
    std::int64_t v = 0;
    a.read(H5::PredType::NATIVE_INT64, &v);
    return v;
  });
}

}  // namespace cdpsim::io
