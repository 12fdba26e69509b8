// A one-line progress bar on stderr, shown only when stderr is a terminal (no C++ progress-bar
// library is packaged in Debian). Redraws at most ten times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cdpsim {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::string unit, bool enabled);
  ~ProgressBar();
  void update(std::int64_t done, std::int64_t total);
  void finish();
  // True when stderr is a terminal.
  static bool stderr_is_terminal();

 private:
  std::string label_, unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace cdpsim
