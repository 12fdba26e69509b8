// experiments/durable.hpp: the run checksum's hash, the save schedule's cost rule, and the
// temporary files a killed save leaves (tests/cli/test_durability.py kills the real binary).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <thread>

#include "experiments/durable.hpp"
#include "sim/io/atomic_file.hpp"

namespace fs = std::filesystem;
using namespace cdpsim;

TEST_CASE("Fnv1a fed in pieces is FNV-1a 64 of the bytes", "[durable]") {
  Fnv1a h;
  CHECK(h.h == 0xcbf29ce484222325ULL);  // offset basis: the hash of nothing
  h.bytes("a", 1);
  CHECK(h.h == 0xaf63dc4c8601ec8cULL);  // the published test vector of "a"
  Fnv1a whole, parts;
  const std::string_view text = "foobar";
  whole.bytes(text.data(), text.size());
  parts.bytes(text.data(), 3);
  parts.bytes(text.data() + 3, 3);
  CHECK(whole.h == 0x85944171f73967e8ULL);  // "foobar"
  CHECK(parts.h == whole.h);
  Fnv1a v;
  const std::int64_t one = 1;
  v.integer(one);
  Fnv1a b;
  b.bytes("\x01\0\0\0\0\0\0\0", 8);  // little-endian bytes
  CHECK(v.h == b.h);
}

TEST_CASE("A save waits cost_factor times the last save's duration", "[durable]") {
  std::atomic<int> calls{0};
  SavePolicy policy;
  policy.min_seconds = 0.0;
  policy.cost_factor = 10.0;  // a 30 ms save: the next one 300 ms later at the earliest
  ProgressSaver saver(
      policy,
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        ++calls;
      },
      "test");
  saver.start(0.0);
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(700)) {
    saver.run_finished();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  saver.stop();
  // Saves start at about 0, 330 and 660 ms: at most 3, and saving took under 1 / 10 + one save.
  CHECK(calls >= 1);
  CHECK(calls <= 3);
  CHECK(saver.saves() == calls);
  CHECK(saver.seconds() <= 0.7 / 10 + 0.05);
}

TEST_CASE("Nothing finished, nothing saved, and disabled, never saved", "[durable]") {
  int calls = 0;
  SavePolicy policy;
  policy.min_seconds = 0.0;
  {
    ProgressSaver saver(
        policy, [&] { ++calls; }, "test");
    saver.start(0.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(calls == 0);
  policy.enabled = false;
  ProgressSaver off(
      policy, [&] { ++calls; }, "test");
  off.save_now();
  off.start(0.0);
  off.run_finished();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  off.stop();
  CHECK(calls == 0);
}

TEST_CASE("Stale temporary files of an output are found and removed", "[durable]") {
  const fs::path dir = fs::temp_directory_path() / ("cdpsim-durable-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path out = dir / "out.h5";
  auto touch = [](const fs::path& p) { std::ofstream(p) << "x"; };
  // pid 2^22 + 1 is above Linux's pid_max limit: no such process.
  touch(dir / ".out.h5.tmp-4194305");
  touch(dir / "..out.h5.rank1-of-2.h5.tmp-4194305");
  touch(dir / ".other.h5.tmp-4194305");  // another output's: kept
  {
    const FirstSaveMarker marker(out);  // ours, alive: kept
    CHECK(fs::exists(io::temporary_path(out)));
    CHECK(remove_stale_temporaries(out));
    CHECK_FALSE(fs::exists(dir / ".out.h5.tmp-4194305"));
    CHECK_FALSE(fs::exists(dir / "..out.h5.rank1-of-2.h5.tmp-4194305"));
    CHECK(fs::exists(dir / ".other.h5.tmp-4194305"));
    CHECK(fs::exists(io::temporary_path(out)));
    CHECK_FALSE(remove_stale_temporaries(out));
  }
  CHECK_FALSE(fs::exists(io::temporary_path(out)));  // the marker is gone with its owner
  touch(rank_file_path(out, 1, 4));
  touch(dir / ".out.h5.rankx-of-4.h5");
  const auto left = leftover_rank_files(out);
  REQUIRE(left.size() == 1);
  CHECK(left[0] == rank_file_path(out, 1, 4));
  fs::remove_all(dir);
}
