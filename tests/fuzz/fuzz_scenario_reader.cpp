// libFuzzer target of the scenario reader (tests/fuzz/README.md): every input is TOML text given
// to load_scenario_text(), the path `cdpsim validate` takes after reading a file (parse,
// fill_defaults, validate() with the interventions' plan). Built only with -DCDPSIM_FUZZ=ON and
// clang++ (tests/fuzz/CMakeLists.txt), run by scripts/fuzz_ci.sh.
//
// What is a bug here (abort, so libFuzzer keeps the input):
//   - any exception but ScenarioError, the one a bad scenario must end in;
//   - anything the sanitizers see (address, undefined behaviour, leaks), a crash or a hang;
//   - an accepted scenario whose resolved TOML is refused on reload, or reloads to a scenario
//     whose resolved TOML differs (resolved_toml() promises load_scenario_text() gives it back).
//
// Files: `extends` makes the reader open files. The source name is "fuzz.toml" in a fresh empty
// directory of its own (mkdtemp under $TMPDIR, removed at exit), so a relative `extends` finds
// nothing there; an absolute or "../" path would still reach the machine's files, so while the
// reader runs every open() from this thread outside that directory fails with EACCES (the link
// wraps open/open64, -Wl,--wrap; LLVMFuzzerInitialize checks the wrap works and aborts if not).
// The working directory is left alone, so libFuzzer's relative corpus and artifact paths work.
// The reader may still stat paths (cycle detection canonicalises them); it reads none.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "experiments/scenario_io.hpp"

namespace {

std::string g_dir;     // the empty directory, canonical, without a trailing '/'
std::string g_source;  // g_dir + "/fuzz.toml": the source name every input is loaded under
thread_local bool g_confined = false;  // true while this thread runs the reader

struct Confine {
  Confine() { g_confined = true; }
  ~Confine() { g_confined = false; }
  Confine(const Confine&) = delete;
  Confine& operator=(const Confine&) = delete;
};

// Inside the directory: an absolute path equal to it or below it, with no "." or ".." part.
bool allowed(const char* path) {
  const std::string_view p(path);
  if (p.size() < g_dir.size() || p.substr(0, g_dir.size()) != g_dir) return false;
  std::string_view rest = p.substr(g_dir.size());
  if (!rest.empty() && rest.front() != '/') return false;  // "/tmp/d-x" is not under "/tmp/d"
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the '/'
    const std::size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (part == "." || part == "..") return false;
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  return true;
}

[[noreturn]] void die(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_scenario_reader: %s: %s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

// The first line where two texts differ, for the round-trip message.
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0, line = 1, bol = 0;
  for (; i < a.size() && i < b.size() && a[i] == b[i]; ++i) {
    if (a[i] == '\n') {
      ++line;
      bol = i + 1;
    }
  }
  auto line_at = [&](const std::string& s) {
    const std::size_t eol = s.find('\n', bol);
    return s.substr(bol, eol == std::string::npos ? std::string::npos : eol - bol);
  };
  return "line " + std::to_string(line) + ": first '" + line_at(a) + "', then '" + line_at(b) + "'";
}

}  // namespace

extern "C" {
int __real_open(const char* path, int flags, ...);
int __real_open64(const char* path, int flags, ...);

// -Wl,--wrap=open and open64: the reader's ::open() calls land here, and go on to the real
// open only inside the confinement.
namespace {
int confined(int (*real)(const char*, int, ...), const char* path, int flags, mode_t mode) {
  if (g_confined && !allowed(path)) {
    errno = EACCES;
    return -1;
  }
  return real(path, flags, mode);
}
}  // namespace

#define CDPSIM_MODE_ARG(flags, mode)                                \
  mode_t mode = 0;                                                  \
  if (((flags)&O_CREAT) != 0 || ((flags)&O_TMPFILE) == O_TMPFILE) { \
    va_list ap;                                                     \
    va_start(ap, flags);                                            \
    mode = static_cast<mode_t>(va_arg(ap, int));                    \
    va_end(ap);                                                     \
  }

int __wrap_open(const char* path, int flags, ...) {
  CDPSIM_MODE_ARG(flags, mode)
  return confined(__real_open, path, flags, mode);
}

int __wrap_open64(const char* path, int flags, ...) {
  CDPSIM_MODE_ARG(flags, mode)
  return confined(__real_open64, path, flags, mode);
}

int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/cdpsim-fuzz-XXXXXX";
  if (!::mkdtemp(tmpl.data())) die("cannot create the empty directory", std::strerror(errno));
  char* real = ::realpath(tmpl.c_str(), nullptr);
  if (!real) die("realpath", std::strerror(errno));
  g_dir = real;
  std::free(real);
  g_source = g_dir + "/fuzz.toml";
  std::atexit([] { ::rmdir(g_dir.c_str()); });

  // Fail closed: a readable file outside the directory must be refused by the wrap, not read.
  try {
    Confine confine;
    (void)cdpsim::load_scenario_text("extends = \"/proc/self/status\"\n", g_source);
    die("self-check", "a scenario extending /proc/self/status was accepted");
  } catch (const cdpsim::ScenarioError& e) {
    if (std::strstr(e.what(), std::strerror(EACCES)) == nullptr)
      die("self-check: the open() wrap does not confine the reader", e.what());
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string first;
  try {
    Confine confine;
    first = cdpsim::resolved_toml(cdpsim::load_scenario_text(text, g_source));
  } catch (const cdpsim::ScenarioError&) {
    return 0;  // refused, as bad input should be
  } catch (const std::exception& e) {
    die("an exception other than ScenarioError escaped", e.what());
  } catch (...) {
    die("an exception other than ScenarioError escaped", "(not a std::exception)");
  }

  // Accepted: its resolved TOML must load back to the same resolved TOML.
  std::string second;
  try {
    Confine confine;
    second = cdpsim::resolved_toml(cdpsim::load_scenario_text(first, g_source));
  } catch (const cdpsim::ScenarioError& e) {
    die("round trip: the resolved TOML of an accepted scenario is refused", e.what());
  } catch (const std::exception& e) {
    die("round trip: an exception other than ScenarioError escaped", e.what());
  } catch (...) {
    die("round trip: an exception other than ScenarioError escaped", "(not a std::exception)");
  }
  if (first != second) die("round trip: resolved TOML changed", first_difference(first, second));
  return 0;
}

}  // extern "C"
