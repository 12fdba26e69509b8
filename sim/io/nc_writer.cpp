#include "sim/io/nc_writer.hpp"

#include <H5Cpp.h>
#include <H5DSpublic.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <stdexcept>
#include <type_traits>

#include "sim/io/atomic_file.hpp"

namespace cdpsim::io {
namespace fs = std::filesystem;

namespace {

// netCDF-C's marker for a dimension scale that holds no coordinate values.
constexpr const char* kNotAVariable = "This is a netCDF dimension but not a netCDF variable.";
constexpr hsize_t kChunkElements = 65536;
constexpr unsigned kDeflateLevel = 4;

// Innermost message of the last failing HDF5 call. HDF5's own printing is replaced by this
// capture (nothing is printed) because the C++ exceptions only say which call failed, and the
// error stack is cleared by the destructors that run before a catch block.
thread_local std::string g_hdf5_error;

herr_t capture_hdf5_error(hid_t estack, void*) {
  std::string innermost;
  H5Ewalk2(
      estack, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
        if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &innermost);
  g_hdf5_error = innermost;
  return 0;
}

void quiet_hdf5() {
  H5::Exception::dontPrint();
  H5Eset_auto2(H5E_DEFAULT, capture_hdf5_error, nullptr);
  g_hdf5_error.clear();
}

[[noreturn]] void fail(const fs::path& path, const std::string& what, const std::string& why) {
  throw std::runtime_error(path.string() + ": " + what + ": " + why);
}

std::string hdf5_detail(const H5::Exception& e) {
  std::string msg =
      e.getFuncName().empty() ? e.getDetailMsg() : e.getFuncName() + ": " + e.getDetailMsg();
  if (!g_hdf5_error.empty()) msg += " (" + g_hdf5_error + ")";
  return msg;
}

// Runs `f`, turning HDF5 exceptions into std::runtime_error naming the file and the subject.
template <class F>
decltype(auto) guarded(const fs::path& path, const std::string& what, F&& f) {
  quiet_hdf5();
  try {
    return std::forward<F>(f)();
  } catch (const H5::Exception& e) {
    fail(path, what, hdf5_detail(e));
  }
}

void check(herr_t rc, const char* function) {
  if (rc < 0) throw H5::Exception(function, "failed");
}

H5::StrType utf8_string_type() {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  return t;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::size_t product(const std::vector<hsize_t>& shape) {
  std::size_t n = 1;
  for (hsize_t d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

// About kChunkElements per chunk, shrinking the leading axes first so rows stay contiguous.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape) {
  std::vector<hsize_t> chunk = shape;
  for (std::size_t i = 0; i < chunk.size() && product(chunk) > kChunkElements; ++i) {
    std::vector<hsize_t> rest(chunk.begin() + static_cast<std::ptrdiff_t>(i) + 1, chunk.end());
    const hsize_t trailing = product(rest);
    chunk[i] = std::max<hsize_t>(1, std::min<hsize_t>(shape[i], kChunkElements / trailing));
  }
  return chunk;
}

void check_name(const fs::path& path, const std::string& kind, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    fail(path, kind + " " + quoted(name), "invalid name (empty, '.', '..' or containing '/')");
  }
}

bool reserved_attribute(const std::string& name) {
  // Owned by the dimension-scale machinery and netCDF; overwriting them breaks the labels.
  return name == "CLASS" || name == "NAME" || name == "DIMENSION_LIST" ||
         name == "REFERENCE_LIST" || name == "_Netcdf4Dimid" || name == "_Netcdf4Coordinates";
}

// Writes (or replaces) a scalar attribute. Same-kind values are rewritten in place so the
// attribute keeps its position in creation order.
void put_attribute(H5::H5Object& obj, const Attr& a) {
  const H5::DataSpace scalar(H5S_SCALAR);
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        H5::DataType type;
        if constexpr (std::is_same_v<V, std::string>) {
          type = utf8_string_type();
        } else if constexpr (std::is_same_v<V, double>) {
          type = H5::PredType::NATIVE_DOUBLE;
        } else {
          type = H5::PredType::NATIVE_INT64;
        }
        if (obj.attrExists(a.name)) {
          H5::Attribute old = obj.openAttribute(a.name);
          const H5::DataSpace space = old.getSpace();
          const bool same = old.getDataType() == type && space.getSimpleExtentType() == H5S_SCALAR;
          if (same) {
            if constexpr (std::is_same_v<V, std::string>) {
              old.write(type, v);
            } else {
              old.write(type, &v);
            }
            return;
          }
          old.close();
          obj.removeAttr(a.name);
        }
        H5::Attribute attr = obj.createAttribute(a.name, type, scalar);
        if constexpr (std::is_same_v<V, std::string>) {
          attr.write(type, v);
        } else {
          attr.write(type, &v);
        }
      },
      a.value);
}

template <class T>
const H5::PredType& native_type() {
  if constexpr (std::is_same_v<T, float>) return H5::PredType::NATIVE_FLOAT;
  if constexpr (std::is_same_v<T, double>) return H5::PredType::NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, std::int8_t>) return H5::PredType::NATIVE_INT8;
  if constexpr (std::is_same_v<T, std::uint8_t>) return H5::PredType::NATIVE_UINT8;
  if constexpr (std::is_same_v<T, std::int16_t>) return H5::PredType::NATIVE_INT16;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5::PredType::NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5::PredType::NATIVE_INT64;
  if constexpr (std::is_same_v<T, std::uint32_t>) return H5::PredType::NATIVE_UINT32;
}

}  // namespace

struct NcWriter::Impl {
  fs::path path;
  H5::H5File file;
  bool open = false;
  int fd = -1;       // `path`, created at construction; the image is written at close()
  int uncaught = 0;  // std::uncaught_exceptions() at construction

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }
  std::map<std::string, std::size_t> dims;  // name -> size
  std::int32_t next_dimid = 0;
  NcWriter::Storage storage = NcWriter::Storage::compressed;
  bool direct = false;  // HDF5 writes the file itself, into blocks reserved beforehand

  void require_open(const std::string& what) const {
    if (!open) fail(path, what, "the file is closed");
  }

  void require_new(const std::string& kind, const std::string& name) const {
    check_name(path, kind, name);
    if (file.nameExists(name)) fail(path, kind + " " + quoted(name), "name already exists");
  }

  // Creates a dataset, chunked and compressed when requested and non-empty. An empty shape is a
  // scalar. Zero-element datasets stay contiguous: HDF5 rejects chunks larger than a fixed
  // dimension of size 0.
  H5::DataSet create(const std::string& name, const H5::DataType& type,
                     const std::vector<hsize_t>& shape, bool compress) {
    const H5::DataSpace space = shape.empty()
                                    ? H5::DataSpace(H5S_SCALAR)
                                    : H5::DataSpace(static_cast<int>(shape.size()), shape.data());
    H5::DSetCreatPropList dcpl;
    check(H5Pset_attr_creation_order(dcpl.getId(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "H5Pset_attr_creation_order");
    if (compress && !shape.empty() && product(shape) > 0) {
      const std::vector<hsize_t> chunk = chunk_shape(shape);
      dcpl.setChunk(static_cast<int>(chunk.size()), chunk.data());
      if (storage == NcWriter::Storage::checksummed) {
        dcpl.setFletcher32();
      } else {
        dcpl.setShuffle();
        dcpl.setDeflate(kDeflateLevel);
      }
    }
    return file.createDataSet(name, type, space, dcpl);
  }

  void make_scale(H5::DataSet& ds, const std::string& scale_name) {
    check(H5DSset_scale(ds.getId(), scale_name.c_str()), "H5DSset_scale");
    // netCDF-C numbers dimensions with this attribute; h5netcdf uses it when present.
    const std::int32_t id = next_dimid++;
    H5::Attribute attr =
        ds.createAttribute("_Netcdf4Dimid", H5::PredType::NATIVE_INT32, H5::DataSpace(H5S_SCALAR));
    attr.write(H5::PredType::NATIVE_INT32, &id);
  }

  void put_attributes(H5::H5Object& obj, const std::string& what, const std::vector<Attr>& attrs) {
    for (const Attr& a : attrs) {
      if (a.name.empty()) fail(path, what, "attribute with an empty name");
      if (reserved_attribute(a.name)) {
        fail(path, what, "attribute " + quoted(a.name) + " is reserved for dimension scales");
      }
      put_attribute(obj, a);
    }
  }

  // Shape of a variable over `dim_names`, all of which must exist.
  std::vector<hsize_t> shape_of(const std::string& what,
                                const std::vector<std::string>& dim_names) const {
    std::vector<hsize_t> shape;
    for (const std::string& d : dim_names) {
      const auto it = dims.find(d);
      if (it == dims.end()) fail(path, what, "unknown dimension " + quoted(d));
      shape.push_back(it->second);
    }
    return shape;
  }

  void check_size(const std::string& what, const std::vector<std::string>& dim_names,
                  const std::vector<hsize_t>& shape, std::size_t n) const {
    if (product(shape) == n) return;
    std::string expected;
    for (std::size_t i = 0; i < shape.size(); ++i) {
      expected += (i ? ", " : "") + dim_names[i] + "=" + std::to_string(shape[i]);
    }
    fail(path, what,
         "got " + std::to_string(n) + " values but dimensions (" + expected + ") need " +
             std::to_string(product(shape)));
  }

  void attach_scales(H5::DataSet& ds, const std::vector<std::string>& dim_names) {
    for (std::size_t i = 0; i < dim_names.size(); ++i) {
      const H5::DataSet scale = file.openDataSet(dim_names[i]);
      check(H5DSattach_scale(ds.getId(), scale.getId(), static_cast<unsigned>(i)),
            "H5DSattach_scale");
    }
  }

  void write_string_data(H5::DataSet& ds, const H5::DataType& type,
                         const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const std::string& s : values) ptrs.push_back(s.c_str());
    ds.write(ptrs.data(), type);
  }

  template <class T>
  void add_numeric_coordinate(const std::string& name, std::span<const T> values,
                              const std::vector<Attr>& attrs) {
    const std::string what = "coordinate " + quoted(name);
    guarded(path, what, [&] {
      require_open(what);
      require_new("coordinate", name);
      const std::vector<hsize_t> shape{values.size()};
      H5::DataSet ds = create(name, native_type<T>(), shape, true);
      if (!values.empty()) ds.write(values.data(), native_type<T>());
      make_scale(ds, name);
      put_attributes(ds, what, attrs);
      dims[name] = values.size();
    });
  }
};

// The file is built in memory (HDF5's core driver without a backing store) and written by
// close() with every write checked: HDF5 itself never meets a full disk, whose failures it does
// not survive (a failing H5Dclose/H5Fclose leaves the library in a state that crashes later).
NcWriter::NcWriter(const fs::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->uncaught = std::uncaught_exceptions();
  impl_->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (impl_->fd < 0) fail(path, "cannot create file", std::strerror(errno));
  guarded(path, "cannot create file", [&] {
    H5::FileCreatPropList fcpl;
    const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    check(H5Pset_link_creation_order(fcpl.getId(), order), "H5Pset_link_creation_order");
    check(H5Pset_attr_creation_order(fcpl.getId(), order), "H5Pset_attr_creation_order");
    H5::FileAccPropList fapl;
    check(H5Pset_fapl_core(fapl.getId(), std::size_t{1} << 20, false), "H5Pset_fapl_core");
    impl_->file = H5::H5File(path.string(), H5F_ACC_TRUNC, fcpl, fapl);
    impl_->open = true;
  });
}

// Direct: HDF5's default driver writes the file in place, which saves the in-memory image and
// its copies (a checkpoint is hundreds of megabytes). A full disk is kept away from HDF5 by
// reserving `reserve` bytes first (fallocate with KEEP_SIZE: the blocks are the file's, its size
// unchanged); the reservation failing is the error, before HDF5 writes anything.
NcWriter::NcWriter(const fs::path& path, Storage storage, std::uint64_t reserve)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->uncaught = std::uncaught_exceptions();
  impl_->storage = storage;
  impl_->direct = true;
  // HDF5 writes its superblock at creation: check the room before it does.
  const std::string need = "cannot reserve " + std::to_string(reserve) + " bytes";
  struct statvfs fs_info {};
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (::statvfs(folder.c_str(), &fs_info) == 0 &&
      static_cast<std::uint64_t>(fs_info.f_bavail) * fs_info.f_frsize < reserve)
    fail(path, need, std::strerror(ENOSPC));
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      limit.rlim_cur < reserve)
    fail(path, need, std::strerror(EFBIG));
  guarded(path, "cannot create file", [&] {
    H5::FileCreatPropList fcpl;
    const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    check(H5Pset_link_creation_order(fcpl.getId(), order), "H5Pset_link_creation_order");
    check(H5Pset_attr_creation_order(fcpl.getId(), order), "H5Pset_attr_creation_order");
    impl_->file = H5::H5File(path.string(), H5F_ACC_TRUNC, fcpl);
  });
  impl_->open = true;
  impl_->fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (impl_->fd < 0) fail(path, "cannot create file", std::strerror(errno));
  if (reserve > 0 &&
      ::fallocate(impl_->fd, FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(reserve)) != 0 &&
      errno != EOPNOTSUPP) {
    const int err = errno;
    impl_->open = false;
    quiet_hdf5();
    try {
      impl_->file.close();
    } catch (...) {  // nothing was written yet
    }
    H5Eclear2(H5E_DEFAULT);
    fail(path, "cannot reserve " + std::to_string(reserve) + " bytes", std::strerror(err));
  }
}

// Closes (writing the file) in the normal path. During stack unwinding (the writing code threw)
// the half-built file is dropped instead: nothing more is written, nothing throws, and HDF5's
// error stack is neither printed nor left behind.
NcWriter::~NcWriter() {
  if (!impl_) return;
  if (std::uncaught_exceptions() > impl_->uncaught) {
    impl_->open = false;
    quiet_hdf5();
    try {
      impl_->file.close();
    } catch (...) {  // an in-memory file; nothing to report during unwinding
    }
    H5Eclear2(H5E_DEFAULT);
    return;
  }
  try {
    close();
  } catch (...) {  // a destructor must not throw
  }
  H5Eclear2(H5E_DEFAULT);
}

NcWriter::NcWriter(NcWriter&&) noexcept = default;
NcWriter& NcWriter::operator=(NcWriter&& other) noexcept {
  if (this != &other) {
    try {
      close();
    } catch (...) {  // the old file is dropped either way
    }
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void NcWriter::add_dimension(const std::string& name, std::size_t size) {
  Impl& m = impl();
  const std::string what = "dimension " + quoted(name);
  guarded(m.path, what, [&] {
    m.require_open(what);
    m.require_new("dimension", name);
    // Like netCDF-C: a float scale with no data written, so no storage is allocated.
    H5::DataSet ds = m.create(name, H5::PredType::NATIVE_FLOAT, {size}, false);
    char scale_name[96];
    std::snprintf(scale_name, sizeof scale_name, "%s%10lld", kNotAVariable,
                  static_cast<long long>(size));
    m.make_scale(ds, scale_name);
    m.dims[name] = size;
  });
}

void NcWriter::add_coordinate(const std::string& name, std::span<const std::int32_t> values,
                              std::vector<Attr> attrs) {
  impl().add_numeric_coordinate(name, values, attrs);
}

void NcWriter::add_coordinate(const std::string& name, std::span<const double> values,
                              std::vector<Attr> attrs) {
  impl().add_numeric_coordinate(name, values, attrs);
}

void NcWriter::add_coordinate(const std::string& name, const std::vector<std::string>& labels,
                              std::vector<Attr> attrs) {
  Impl& m = impl();
  const std::string what = "coordinate " + quoted(name);
  guarded(m.path, what, [&] {
    m.require_open(what);
    m.require_new("coordinate", name);
    const H5::StrType type = utf8_string_type();
    H5::DataSet ds = m.create(name, type, {labels.size()}, false);
    m.write_string_data(ds, type, labels);
    m.make_scale(ds, name);
    m.put_attributes(ds, what, attrs);
    m.dims[name] = labels.size();
  });
}

template <class T>
void NcWriter::write(const std::string& name, const std::vector<std::string>& dims,
                     std::span<const T> data, std::vector<Attr> attrs) {
  Impl& m = impl();
  const std::string what = "variable " + quoted(name);
  guarded(m.path, what, [&] {
    m.require_open(what);
    m.require_new("variable", name);
    const std::vector<hsize_t> shape = m.shape_of(what, dims);
    m.check_size(what, dims, shape, data.size());
    H5::DataSet ds = m.create(name, native_type<T>(), shape, true);
    if (!data.empty()) ds.write(data.data(), native_type<T>());
    m.put_attributes(ds, what, attrs);
    m.attach_scales(ds, dims);
  });
}

template void NcWriter::write<float>(const std::string&, const std::vector<std::string>&,
                                     std::span<const float>, std::vector<Attr>);
template void NcWriter::write<double>(const std::string&, const std::vector<std::string>&,
                                      std::span<const double>, std::vector<Attr>);
template void NcWriter::write<std::int8_t>(const std::string&, const std::vector<std::string>&,
                                           std::span<const std::int8_t>, std::vector<Attr>);
template void NcWriter::write<std::uint8_t>(const std::string&, const std::vector<std::string>&,
                                            std::span<const std::uint8_t>, std::vector<Attr>);
template void NcWriter::write<std::int16_t>(const std::string&, const std::vector<std::string>&,
                                            std::span<const std::int16_t>, std::vector<Attr>);
template void NcWriter::write<std::int32_t>(const std::string&, const std::vector<std::string>&,
                                            std::span<const std::int32_t>, std::vector<Attr>);
template void NcWriter::write<std::int64_t>(const std::string&, const std::vector<std::string>&,
                                            std::span<const std::int64_t>, std::vector<Attr>);
template void NcWriter::write<std::uint32_t>(const std::string&, const std::vector<std::string>&,
                                             std::span<const std::uint32_t>, std::vector<Attr>);

void NcWriter::write_strings(const std::string& name, const std::string& dim,
                             const std::vector<std::string>& values, std::vector<Attr> attrs) {
  Impl& m = impl();
  const std::string what = "variable " + quoted(name);
  guarded(m.path, what, [&] {
    m.require_open(what);
    m.require_new("variable", name);
    const std::vector<std::string> dims{dim};
    const std::vector<hsize_t> shape = m.shape_of(what, dims);
    m.check_size(what, dims, shape, values.size());
    const H5::StrType type = utf8_string_type();
    H5::DataSet ds = m.create(name, type, shape, false);
    m.write_string_data(ds, type, values);
    m.put_attributes(ds, what, attrs);
    m.attach_scales(ds, dims);
  });
}

void NcWriter::set_attribute(const Attr& a) {
  Impl& m = impl();
  const std::string what = "root attribute " + quoted(a.name);
  guarded(m.path, what, [&] {
    m.require_open(what);
    m.put_attributes(m.file, what, {a});
  });
}

void NcWriter::set_attributes(const std::string& variable, const std::vector<Attr>& attrs) {
  Impl& m = impl();
  const std::string what = "attributes of " + quoted(variable);
  guarded(m.path, what, [&] {
    m.require_open(what);
    if (variable.empty() || !m.file.nameExists(variable) ||
        m.file.childObjType(variable) != H5O_TYPE_DATASET) {
      fail(m.path, what, "no such variable");
    }
    H5::DataSet ds = m.file.openDataSet(variable);
    m.put_attributes(ds, what, attrs);
  });
}

namespace {

// The whole file as HDF5 holds it in memory. Not zero-filled first: a checkpoint's image is
// hundreds of megabytes, and HDF5 overwrites every byte.
struct Image {
  std::unique_ptr<char[]> bytes;
  std::size_t size = 0;
  [[nodiscard]] const char* data() const { return bytes.get(); }
};

Image file_image(const fs::path& path, H5::H5File& file) {
  Image image;
  guarded(path, "flush", [&] {
    file.flush(H5F_SCOPE_GLOBAL);
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    if (size < 0) throw H5::Exception("H5Fget_file_image", "failed");
    image.size = static_cast<std::size_t>(size);
    image.bytes.reset(new char[image.size]);
    if (H5Fget_file_image(file.getId(), image.bytes.get(), image.size) < 0)
      throw H5::Exception("H5Fget_file_image", "failed");
  });
  return image;
}

// Replaces the content of `fd` by `image`, every write checked.
void rewrite(int fd, const Image& image, const fs::path& path) {
  if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0)
    fail(path, "write", std::strerror(errno));
  std::size_t done = 0;
  while (done < image.size) {
    const ssize_t n = ::write(fd, image.data() + done, image.size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(path.string() + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void NcWriter::set_storage(Storage storage) { impl().storage = storage; }

// Writes the file as it is now (readable while the writer stays open).
void NcWriter::flush() {
  Impl& m = impl();
  guarded(m.path, "flush", [&] { m.require_open("flush"); });
  if (m.direct) {
    guarded(m.path, "flush", [&] { m.file.flush(H5F_SCOPE_GLOBAL); });
    return;
  }
  rewrite(m.fd, file_image(m.path, m.file), m.path);
}

void NcWriter::close() {
  if (!impl_ || !impl_->open) return;
  Impl& m = *impl_;
  m.open = false;
  if (m.direct) {
    guarded(m.path, "close", [&] { m.file.close(); });
    // Give back the reserved blocks beyond the end, then sync (write_atomically renames).
    const int fd = m.fd;
    m.fd = -1;
    const off_t end = ::lseek(fd, 0, SEEK_END);
    const bool ok = end >= 0 && ::ftruncate(fd, end) == 0 && ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!ok) fail(m.path, "write", std::strerror(err));
    return;
  }
  const Image image = file_image(m.path, m.file);
  guarded(m.path, "close", [&] { m.file.close(); });
  const int fd = m.fd;
  m.fd = -1;
  if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
    const int err = errno;
    ::close(fd);
    fail(m.path, "write", std::strerror(err));
  }
  write_and_close_fd(fd, std::string_view(image.data(), image.size), m.path.string());
}

bool NcWriter::is_open() const { return impl_ && impl_->open; }

std::size_t NcWriter::dimension_size(const std::string& name) const {
  const Impl& m = impl();
  const auto it = m.dims.find(name);
  if (it == m.dims.end()) fail(m.path, "dimension " + quoted(name), "unknown dimension");
  return it->second;
}

const fs::path& NcWriter::path() const { return impl().path; }

NcWriter::Impl& NcWriter::impl() const {
  if (!impl_) throw std::runtime_error("NcWriter: use of a moved-from writer");
  return *impl_;
}

// ---------------------------------------------------------------------------------------------
// Readers

namespace {

H5::H5File open_readonly(const fs::path& path) {
  return guarded(path, "cannot open file",
                 [&] { return H5::H5File(path.string(), H5F_ACC_RDONLY); });
}

// Names in creation order when the file tracks it, else in name order.
using NameIterator = std::function<herr_t(H5_index_t, std::vector<std::string>&)>;
std::vector<std::string> names_in_order(const NameIterator& iterate) {
  std::vector<std::string> names;
  if (iterate(H5_INDEX_CRT_ORDER, names) >= 0) return names;
  names.clear();
  check(iterate(H5_INDEX_NAME, names), "iterate");
  return names;
}

std::vector<std::string> link_names(const H5::H5File& file) {
  return names_in_order([&](H5_index_t index, std::vector<std::string>& out) {
    hsize_t idx = 0;
    return H5Literate(
        file.getId(), index, H5_ITER_INC, &idx,
        [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
          static_cast<std::vector<std::string>*>(data)->emplace_back(name);
          return 0;
        },
        &out);
  });
}

std::vector<std::string> attribute_names(const H5::H5Object& obj) {
  return names_in_order([&](H5_index_t index, std::vector<std::string>& out) {
    hsize_t idx = 0;
    return H5Aiterate2(
        obj.getId(), index, H5_ITER_INC, &idx,
        [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
          static_cast<std::vector<std::string>*>(data)->emplace_back(name);
          return 0;
        },
        &out);
  });
}

std::string format_number(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// All values of an attribute as strings.
std::vector<std::string> attribute_values(const H5::Attribute& attr) {
  const H5::DataType type = attr.getDataType();
  const auto n = static_cast<std::size_t>(attr.getSpace().getSimpleExtentNpoints());
  std::vector<std::string> out;
  switch (type.getClass()) {
    case H5T_STRING: {
      if (n == 1) {
        std::string s;
        attr.read(attr.getStrType(), s);
        out.push_back(s.c_str());  // fixed-length strings may carry trailing NULs
        break;
      }
      const H5::StrType mem = utf8_string_type();
      std::vector<char*> ptrs(n, nullptr);
      attr.read(mem, ptrs.data());
      for (char* p : ptrs) out.emplace_back(p ? p : "");
      const H5::DataSpace space = attr.getSpace();
      H5Dvlen_reclaim(mem.getId(), space.getId(), H5P_DEFAULT, ptrs.data());
      break;
    }
    case H5T_INTEGER: {
      if (H5::IntType(attr.getIntType()).getSign() == H5T_SGN_NONE) {
        std::vector<std::uint64_t> v(n);
        attr.read(H5::PredType::NATIVE_UINT64, v.data());
        for (auto x : v) out.push_back(std::to_string(x));
      } else {
        std::vector<std::int64_t> v(n);
        attr.read(H5::PredType::NATIVE_INT64, v.data());
        for (auto x : v) out.push_back(std::to_string(x));
      }
      break;
    }
    case H5T_FLOAT: {
      std::vector<double> v(n);
      attr.read(H5::PredType::NATIVE_DOUBLE, v.data());
      for (double x : v) out.push_back(format_number(x));
      break;
    }
    default:
      out.emplace_back("<unsupported HDF5 type>");
  }
  return out;
}

std::string join_values(const std::vector<std::string>& values) {
  if (values.size() == 1) return values.front();
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + values[i];
  return s + "]";
}

std::string dtype_name(const H5::DataType& type) {
  const std::size_t bits = type.getSize() * 8;
  switch (type.getClass()) {
    case H5T_FLOAT:
      return "float" + std::to_string(bits);
    case H5T_INTEGER: {
      const bool is_unsigned = H5Tget_sign(type.getId()) == H5T_SGN_NONE;
      return (is_unsigned ? "uint" : "int") + std::to_string(bits);
    }
    case H5T_STRING:
      return "str";
    default:
      return "other";
  }
}

std::string optional_string_attribute(const H5::DataSet& ds, const std::string& name) {
  if (!ds.attrExists(name)) return {};
  const H5::Attribute attr = ds.openAttribute(name);
  if (attr.getDataType().getClass() != H5T_STRING) return {};
  return join_values(attribute_values(attr));
}

bool dimension_without_variable(const H5::DataSet& ds) {
  if (!ds.attrExists("NAME")) return false;
  const H5::Attribute attr = ds.openAttribute("NAME");
  if (attr.getDataType().getClass() != H5T_STRING) return false;
  return join_values(attribute_values(attr)).rfind(kNotAVariable, 0) == 0;
}

// Link name of the last scale attached to `axis` (netCDF-C and h5netcdf take the last one).
std::string scale_name(const H5::DataSet& ds, unsigned axis) {
  if (H5DSget_num_scales(ds.getId(), axis) <= 0) return {};
  std::string name;
  int idx = 0;
  check(H5DSiterate_scales(
            ds.getId(), axis, &idx,
            [](hid_t, unsigned, hid_t scale, void* data) -> herr_t {
              char buf[1024];
              const ssize_t len = H5Iget_name(scale, buf, sizeof buf);
              if (len < 0) return -1;
              const std::string full(buf, static_cast<std::size_t>(len));
              *static_cast<std::string*>(data) = full.substr(full.rfind('/') + 1);
              return 0;
            },
            &name),
        "H5DSiterate_scales");
  return name;
}

H5::Attribute open_root_attribute(const fs::path& path, const H5::H5File& file,
                                  const std::string& name) {
  if (!file.attrExists(name)) fail(path, "root attribute " + quoted(name), "not found");
  return file.openAttribute(name);
}

}  // namespace

std::string read_root_string_attribute(const fs::path& path, const std::string& name) {
  const H5::H5File file = open_readonly(path);
  const std::string what = "root attribute " + quoted(name);
  return guarded(path, what, [&] {
    const H5::Attribute attr = open_root_attribute(path, file, name);
    if (attr.getDataType().getClass() != H5T_STRING) fail(path, what, "not a string");
    const std::vector<std::string> values = attribute_values(attr);
    if (values.size() != 1) fail(path, what, "not a single string");
    return values.front();
  });
}

std::int64_t read_root_int_attribute(const fs::path& path, const std::string& name) {
  const H5::H5File file = open_readonly(path);
  const std::string what = "root attribute " + quoted(name);
  return guarded(path, what, [&] {
    const H5::Attribute attr = open_root_attribute(path, file, name);
    if (attr.getDataType().getClass() != H5T_INTEGER) fail(path, what, "not an integer");
    if (attr.getSpace().getSimpleExtentNpoints() != 1) fail(path, what, "not a single value");
    std::int64_t v = 0;
    attr.read(H5::PredType::NATIVE_INT64, &v);
    return v;
  });
}

std::vector<VariableInfo> list_variables(const fs::path& path) {
  const H5::H5File file = open_readonly(path);
  return guarded(path, "cannot list variables", [&] {
    std::vector<VariableInfo> out;
    for (const std::string& name : link_names(file)) {
      if (file.childObjType(name) != H5O_TYPE_DATASET) continue;
      const H5::DataSet ds = file.openDataSet(name);
      if (dimension_without_variable(ds)) continue;
      VariableInfo info;
      info.name = name;
      const H5::DataSpace space = ds.getSpace();
      const int rank = space.getSimpleExtentNdims();
      std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
      if (rank > 0) space.getSimpleExtentDims(shape.data());
      info.shape.assign(shape.begin(), shape.end());
      const bool is_coordinate = rank == 1 && H5DSis_scale(ds.getId()) > 0;
      for (int axis = 0; axis < rank; ++axis) {
        info.dims.push_back(is_coordinate ? name : scale_name(ds, static_cast<unsigned>(axis)));
      }
      info.dtype = dtype_name(ds.getDataType());
      info.units = optional_string_attribute(ds, "units");
      info.long_name = optional_string_attribute(ds, "long_name");
      out.push_back(std::move(info));
    }
    return out;
  });
}

std::vector<std::pair<std::string, std::string>> root_attributes(const fs::path& path) {
  const H5::H5File file = open_readonly(path);
  return guarded(path, "cannot read root attributes", [&] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& name : attribute_names(file)) {
      const H5::Attribute attr = file.openAttribute(name);
      out.emplace_back(name, join_values(attribute_values(attr)));
    }
    return out;
  });
}

}  // namespace cdpsim::io
