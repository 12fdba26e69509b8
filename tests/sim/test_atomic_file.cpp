// The shared writers under failure (issue 14): no overwrite by race, all-or-nothing groups, a
// writer dropped during unwinding writes nothing, full-disk errors name the target.
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/io/atomic_file.hpp"
#include "sim/io/nc_writer.hpp"
#include "sim/io/output_path.hpp"

namespace fs = std::filesystem;
using namespace cdpsim::io;

namespace {

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("cdpsim-atomic-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

bool has_leftovers(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("write_atomically without replace keeps a file that appeared meanwhile",
          "[unit][atomic_file]") {
  const fs::path d = fresh_dir("race");
  const fs::path out = d / "out.txt";
  CHECK_THROWS_AS(write_atomically(
                      out,
                      [&](const fs::path& tmp) {
                        write_file_bytes(tmp, "mine");
                        write_file_bytes(out, "theirs");  // someone else, during the run
                      },
                      false),
                  OutputError);
  CHECK(slurp(out) == "theirs");
  CHECK_FALSE(has_leftovers(d));
  write_atomically(
      out, [&](const fs::path& tmp) { write_file_bytes(tmp, "forced"); }, true);
  CHECK(slurp(out) == "forced");
}

TEST_CASE("write_all_atomically publishes every file or none", "[unit][atomic_file]") {
  const fs::path d = fresh_dir("group");
  std::vector<PendingFile> files{
      {d / "a.csv", [](const fs::path& t) { write_file_bytes(t, "a"); }},
      {d / "b.json", [](const fs::path& t) { write_file_bytes(t, "b"); }},
      {d / "c.h5", [](const fs::path&) { throw std::runtime_error("disk full"); }}};
  CHECK_THROWS_WITH(write_all_atomically(files, false), Catch::Contains("disk full"));
  CHECK(fs::is_empty(d));
  files.pop_back();
  write_all_atomically(files, false);
  CHECK(slurp(d / "a.csv") == "a");
  CHECK(slurp(d / "b.json") == "b");
}

TEST_CASE("a write error names the target and the system's reason", "[unit][atomic_file]") {
  const fs::path d = fresh_dir("fsize");
  struct rlimit old {};
  getrlimit(RLIMIT_FSIZE, &old);
  const auto previous = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 4096;
  setrlimit(RLIMIT_FSIZE, &small);
  const std::string big(100000, 'x');
  std::string what;
  try {
    write_atomically(d / "big.txt", [&](const fs::path& t) { write_file_bytes(t, big); });
  } catch (const std::exception& e) {
    what = e.what();
  }
  std::vector<double> values(50000, 1.5);
  std::string h5what;
  try {
    write_atomically(d / "big.h5", [&](const fs::path& t) {
      NcWriter w(t);
      w.add_dimension("x", values.size());
      w.write<double>("v", {"x"}, std::span<const double>(values));
      w.close();
    });
  } catch (const std::exception& e) {
    h5what = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  CHECK(what == (d / "big.txt").string() + ": File too large");
  CHECK(h5what == (d / "big.h5").string() + ": File too large");
  CHECK_FALSE(fs::exists(d / "big.txt"));
  CHECK_FALSE(fs::exists(d / "big.h5"));
  CHECK_FALSE(has_leftovers(d));
}

TEST_CASE("an NcWriter dropped by an exception writes nothing", "[unit][atomic_file]") {
  const fs::path d = fresh_dir("unwind");
  const fs::path p = d / "half.h5";
  try {
    NcWriter w(p);
    w.add_dimension("x", 3);
    throw std::runtime_error("stop");
  } catch (const std::runtime_error&) {
  }
  CHECK(fs::file_size(p) == 0);
}

TEST_CASE("check_output_path refuses special files and dangling links", "[unit][atomic_file]") {
  const fs::path d = fresh_dir("paths");
  CHECK_THROWS_WITH(check_output_path("", true), Catch::Contains("empty"));
  CHECK_THROWS_WITH(check_output_path("/dev/null", true), Catch::Contains("not a regular file"));
  fs::create_symlink(d / "missing.h5", d / "link.h5");
  CHECK_THROWS_WITH(check_output_path(d / "link.h5", true),
                    Catch::Contains("symbolic link to a missing file"));
  CHECK_THROWS_WITH(check_output_path(d, true), Catch::Contains("is a folder"));
}
