#include "sim/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "sim/io/output_path.hpp"

namespace cdpsim::io {

namespace fs = std::filesystem;

namespace {

std::string reason(int err) { return err ? std::strerror(err) : "unknown I/O error"; }

// `msg` with every occurrence of `from` replaced by `to`.
std::string replace_all(std::string msg, const std::string& from, const std::string& to) {
  if (from.empty()) return msg;
  for (std::size_t at = msg.find(from); at != std::string::npos;
       at = msg.find(from, at + to.size()))
    msg.replace(at, from.size(), to);
  return msg;
}

void sync_folder(const fs::path& file) {
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);  // best effort: some filesystems refuse fsync of a folder
  ::close(fd);
}

// Renames tmp to target; without `replace`, never over an existing file.
void publish(const fs::path& tmp, const fs::path& target, bool replace) {
  if (replace) {
    if (::rename(tmp.c_str(), target.c_str()) != 0)
      throw std::runtime_error(target.string() + ": cannot rename the finished file into place (" +
                               reason(errno) + ")");
    sync_folder(target);
    return;
  }
  int rc = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE);
  if (rc != 0 && (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP)) {
    rc = ::link(tmp.c_str(), target.c_str());  // fails with EEXIST like RENAME_NOREPLACE
    if (rc == 0) ::unlink(tmp.c_str());
  }
  if (rc != 0) {
    const int err = errno;
    if (err == EEXIST)
      throw OutputError(target.string() +
                        ": appeared while cdpsim was running and was not replaced (use --force "
                        "to replace it, or choose another -o)");
    throw std::runtime_error(target.string() + ": cannot rename the finished file into place (" +
                             reason(err) + ")");
  }
  sync_folder(target);
}

// Runs f(); an exception's message names `target` instead of `tmp`.
template <class F>
void naming_target(const fs::path& tmp, const fs::path& target, F&& f) {
  try {
    f();
  } catch (const OutputError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw std::runtime_error(replace_all(e.what(), tmp.string(), target.string()));
  }
}

void fsync_file(const fs::path& path, const fs::path& target) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(target.string() + ": " + reason(errno));
  const bool ok = ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok && err != EINVAL) throw std::runtime_error(target.string() + ": " + reason(err));
}

}  // namespace

fs::path temporary_path(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string name = target.filename().string();
  name.insert(name.begin(), '.');
  name += ".tmp-" + std::to_string(::getpid());
  return dir / name;
}

void write_atomically(const fs::path& target, const std::function<void(const fs::path&)>& write,
                      bool replace) {
  write_all_atomically({{target, write}}, replace);
}

void write_all_atomically(const std::vector<PendingFile>& files, bool replace) {
  std::vector<fs::path> tmps;
  std::size_t published = 0;
  try {
    for (const PendingFile& f : files) {
      const fs::path tmp = temporary_path(f.target);
      tmps.push_back(tmp);
      naming_target(tmp, f.target, [&] {
        f.write(tmp);
        fsync_file(tmp, f.target);
      });
    }
    for (; published < files.size(); ++published)
      publish(tmps[published], files[published].target, replace);
  } catch (...) {
    std::error_code ec;
    for (std::size_t i = published; i < tmps.size(); ++i) fs::remove(tmps[i], ec);
    for (std::size_t i = 0; i < published; ++i) fs::remove(files[i].target, ec);
    throw;
  }
}

void write_and_close_fd(int fd, std::string_view data, const std::string& name) {
  const char* p = data.data();
  std::size_t left = data.size();
  int err = 0;
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (err == 0 && ::fsync(fd) != 0 && errno != EINVAL) err = errno;
  if (::close(fd) != 0 && err == 0 && errno != EINTR) err = errno;
  if (err != 0) throw std::runtime_error(name + ": " + reason(err));
}

void write_file_bytes(const fs::path& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error(path.string() + ": cannot create (" + reason(errno) + ")");
  write_and_close_fd(fd, data, path.string());
}

}  // namespace cdpsim::io
