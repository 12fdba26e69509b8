// Writing an output file all at once: the content goes to a temporary name in the target's folder
// (".NAME.tmp-PID", which the tests look for as leftovers) and is renamed to the target only once
// complete, so a reader never sees half a file and a failure never destroys the old one.
//
//   write_atomically("out.csv", [&](const std::filesystem::path& tmp) { write_csv(tmp); }, force);
//
// Every failure (a full disk, an I/O error) is a std::runtime_error "TARGET: REASON" naming the
// target, not the temporary file, and the temporary file is gone. Without `replace`, the final
// rename refuses to replace a file that appeared since the start (renameat2 RENAME_NOREPLACE, or
// link + unlink where the filesystem lacks it): io::OutputError, the new file removed.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

namespace cdpsim::io {

// The temporary name write_atomically() uses for `target`.
std::filesystem::path temporary_path(const std::filesystem::path& target);

// Calls write(temporary path), makes the temporary file durable (fsync) and renames it to
// `target`: replacing an existing file only when `replace`. On any exception the temporary file is
// removed and the exception propagates (its message naming `target`); `target` is untouched.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path&)>& write,
                      bool replace = true);

// Several files that appear together or not at all (compare's CSV, JSON and HDF5): every one is
// written to its temporary name first; only when all are complete are they renamed, and a failing
// rename removes the ones already renamed.
struct PendingFile {
  std::filesystem::path target;
  std::function<void(const std::filesystem::path&)> write;
};
void write_all_atomically(const std::vector<PendingFile>& files, bool replace = true);

// Creates (or truncates) `path` and writes `data` into it with every write checked, then fsyncs
// and closes it. Throws std::runtime_error "PATH: REASON" (strerror: "No space left on device").
void write_file_bytes(const std::filesystem::path& path, std::string_view data);

// Writes all of `data` to the open descriptor `fd` (retrying short writes and EINTR), fsyncs and
// closes it (always); throws std::runtime_error "NAME: REASON".
void write_and_close_fd(int fd, std::string_view data, const std::string& name);

}  // namespace cdpsim::io
