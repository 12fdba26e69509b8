// Text output shared by every subcommand: one trim, one JSON string escaper, one CSV field
// quoting, and one writer that checks every error (a full disk fails loudly, never silently).
// Pair write_text_file() with io::write_atomically() so a failure leaves no half-written file.
//
//   io::write_atomically("out.csv", [&](const fs::path& tmp) {
//     io::write_text_file(tmp, [&](std::ostream& out) { out << io::csv_field(name) << '\n'; });
//   });
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace cdpsim::io {

// `s` without leading and trailing blanks (space, tab, CR, LF).
std::string trim(std::string_view s);

// `s` as a quoted JSON string: quotes, backslashes and every control character escaped.
std::string json_string(std::string_view s);

// `s` as one CSV field (RFC 4180): quoted, with quotes doubled, when it holds , " CR or LF.
std::string csv_field(std::string_view s);

// A stable fingerprint of `text` (FNV-1a, 64 bits) as 16 hex digits: the identity of an ensemble
// or an analysis, so --resume and merge can tell whether two files belong together.
std::string fnv1a_hex(std::string_view text);

// Creates `path`, lets `fill` write into it, then flushes and closes it; throws
// std::runtime_error naming the path and the system's reason if opening or any write fails.
void write_text_file(const std::filesystem::path& path,
                     const std::function<void(std::ostream&)>& fill);

// write_text_file() of a finished text under write_atomically().
void write_text_atomically(const std::filesystem::path& path, std::string_view text,
                           bool replace = true);

}  // namespace cdpsim::io
