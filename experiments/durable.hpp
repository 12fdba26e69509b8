// What lets a long experiment (cdpsim ensemble, cdpsim sensitivity) survive a kill -9
// (docs/ensembles.md, "Durable progress"): its output file is saved with the runs finished so far
// (status "interrupted") in the background at most every SavePolicy::min_seconds, and never
// sooner after a save than cost_factor times that save's duration, so saving takes at most
// 1 / cost_factor of the time; until the first save an empty FirstSaveMarker stands for it (a
// resume then starts again: nothing was kept). Each save goes through io::write_atomically, so a
// kill during a save leaves the previous save intact. Each stored run carries a checksum (Fnv1a
// of its identity and values) that --resume recomputes before trusting it.
//
//   FirstSaveMarker marker(out);
//   ProgressSaver saver(policy, [&] { io::write_atomically(out, write_what_is_finished); }, out);
//   saver.start(estimated_save_seconds(bytes));  // in the background
//   pool.run(pending, [&](run) { ...; saver.run_finished(); });
//   saver.stop();                                // before the final write
#pragma once

#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace cdpsim {

// FNV-1a, 64 bits, fed incrementally: the checksum of a stored run (its index, its seed, then its
// values as little-endian bytes, in file order).
struct Fnv1a {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= p[i];
      h *= 0x100000001b3ULL;
    }
  }
  template <class T>
  void values(std::span<const T> v) {
    static_assert(std::endian::native == std::endian::little, "checksums hash little-endian bytes");
    bytes(v.data(), v.size_bytes());
  }
  void integer(std::int64_t v) { values(std::span<const std::int64_t>(&v, 1)); }
  // As stored in a file (int64: the same 64 bits).
  [[nodiscard]] std::int64_t stored() const { return std::bit_cast<std::int64_t>(h); }
};

// When progress is saved. Read from the environment by the front end (app/command.cpp:
// CDPSIM_SAVE_SECONDS, CDPSIM_TEST_SAVE_PAUSE_MS). A save waits at least min_seconds after the
// previous one (or after the start) and at least cost_factor times the previous save's duration
// (before the first: its estimate, estimated_save_seconds()), so that saving takes at most
// 1 / cost_factor of the time (docs/ensembles.md, "Durable progress": the rule and its
// measurement). cost_factor = 0: exactly every min_seconds (tests and measurements).
struct SavePolicy {
  bool enabled = true;              // false: no save before the end (measurement only)
  double min_seconds = 2.0;         // at most one save per this many seconds
  double cost_factor = 50.0;        // the next save waits at least this many times the last one
  double test_pause_seconds = 0.0;  // test hook: a save holds its temporary file this long
};

// What a save of a file of `bytes` bytes of run data is expected to cost before one was measured:
// 0.15 s (creating the HDF5 file and its ~60 variables, whatever their size) + bytes / 30 MB/s,
// measured on the development machine (docs/ensembles.md).
double estimated_save_seconds(double bytes);

// The test hook of a save: sleeps policy.test_pause_seconds (call it inside the write, before the
// temporary file is renamed, so that a test can kill the process during a save).
void test_pause(const SavePolicy& policy);

// Calls `save` once synchronously (save_now) and then from its own thread whenever a run finished
// since the last save and the policy allows. `save` must be safe to call while runs finish (it
// reads only runs marked finished). A background save that fails is reported once on stderr
// (`what` names the output) and retried at the next period: the runs stay in memory.
class ProgressSaver {
 public:
  ProgressSaver(SavePolicy policy, std::function<void()> save, std::string what);
  ~ProgressSaver();
  ProgressSaver(const ProgressSaver&) = delete;
  ProgressSaver& operator=(const ProgressSaver&) = delete;

  void save_now();  // synchronous; exceptions propagate
  // The background saves; before any save_now(), the first one waits for the policy's delay
  // given `first_estimate` seconds for it (estimated_save_seconds()).
  void start(double first_estimate);
  void run_finished();  // something new to save
  void stop();          // waits for a save in progress; no save after it

  [[nodiscard]] int saves() const { return saves_; }
  [[nodiscard]] double seconds() const { return seconds_; }  // spent saving, all saves

 private:
  using Clock = std::chrono::steady_clock;
  void timed_save();
  void loop();

  SavePolicy policy_;
  std::function<void()> save_;
  std::string what_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool dirty_ = false, stopping_ = false, warned_ = false;
  Clock::time_point next_;
  double last_ = 0.0;
  std::atomic<int> saves_{0};
  std::atomic<double> seconds_{0.0};
  std::thread thread_;
};

// An empty file under the output's temporary name (io::temporary_path) while nothing has been
// saved yet: killed before its first save, a process leaves it, and --resume, finding it with its
// process gone (remove_stale_temporaries), knows that the command was started and kept nothing,
// and starts it again. The first save writes and renames that very name; the destructor removes
// what is left of it. Best effort: a folder where it cannot be created only loses that signal.
class FirstSaveMarker {
 public:
  explicit FirstSaveMarker(const std::filesystem::path& output);
  ~FirstSaveMarker();
  FirstSaveMarker(const FirstSaveMarker&) = delete;
  FirstSaveMarker& operator=(const FirstSaveMarker&) = delete;

 private:
  std::filesystem::path path_;
};

// Where rank `rank` of `size` keeps its part of `output` (".OUT.rankK-of-N.h5", next to it) while
// an MPI job runs: saved like the output, merged by rank 0 at the end, and read back by --resume
// when a killed job left it.
std::filesystem::path rank_file_path(const std::filesystem::path& output, int rank, int size);
// Rank files of `output` left in its folder, whatever the job's size, sorted by name.
std::vector<std::filesystem::path> leftover_rank_files(const std::filesystem::path& output);

// Removes the temporary files (".NAME.tmp-PID", io::temporary_path) of `output` and of its rank
// files whose process is gone: a save killed half-way, or a FirstSaveMarker. Returns true when one
// was `output`'s own (the process was killed before or during its first save).
bool remove_stale_temporaries(const std::filesystem::path& output);

}  // namespace cdpsim
