// Writing an output file all at once: the content goes to a temporary name in the target's folder
// (".NAME.tmp-PID", which the tests look for as leftovers) and is renamed over the target only
// once complete, so a reader never sees half a file and a failure never destroys the old one.
//
//   write_atomically("out.csv", [&](const std::filesystem::path& tmp) { write_csv(tmp); });
#pragma once

#include <filesystem>
#include <functional>

namespace cdpsim::io {

// The temporary name write_atomically() uses for `target`.
std::filesystem::path temporary_path(const std::filesystem::path& target);

// Calls write(temporary path), then renames it to `target` (replacing it). On any exception the
// temporary file is removed and the exception propagates; `target` is untouched.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path&)>& write);

}  // namespace cdpsim::io
