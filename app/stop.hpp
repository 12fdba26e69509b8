// What every subcommand of the front end shares: exit codes, and the Ctrl-C/SIGTERM stop request
// that long commands check between weeks or runs.
#pragma once

#include <atomic>

namespace cdpsim::app {

inline constexpr int kOk = 0, kRuntime = 1, kBadInput = 2, kInterrupted = 130;

// Set by SIGINT or SIGTERM once catch_stop_signals() has run; a second signal ends the process.
std::atomic<bool>& stop_requested();
void catch_stop_signals();

}  // namespace cdpsim::app
