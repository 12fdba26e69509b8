// The one check of an output path, made before any work so a bad -o costs nothing: not empty,
// not a folder, not an existing file unless `force`, in a folder that exists and is writable.
#pragma once

#include <filesystem>
#include <stdexcept>

namespace cdpsim::io {

// A bad output request: a user error (exit 2, nothing written).
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws OutputError naming the path and what is allowed.
void check_output_path(const std::filesystem::path& path, bool force);

}  // namespace cdpsim::io
