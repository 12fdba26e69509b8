#include "experiments/durable.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

#include "sim/io/atomic_file.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

double estimated_save_seconds(double bytes) { return 0.15 + bytes / 30e6; }

FirstSaveMarker::FirstSaveMarker(const fs::path& output) : path_(io::temporary_path(output)) {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    path_.clear();
  else
    ::close(fd);
}

FirstSaveMarker::~FirstSaveMarker() {
  std::error_code ec;
  if (!path_.empty()) fs::remove(path_, ec);
}

void test_pause(const SavePolicy& policy) {
  if (policy.test_pause_seconds > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(policy.test_pause_seconds));
}

ProgressSaver::ProgressSaver(SavePolicy policy, std::function<void()> save, std::string what)
    : policy_(policy), save_(std::move(save)), what_(std::move(what)) {}

ProgressSaver::~ProgressSaver() { stop(); }

void ProgressSaver::timed_save() {
  const auto t0 = Clock::now();
  auto account = [&] {
    last_ = std::chrono::duration<double>(Clock::now() - t0).count();
    seconds_.fetch_add(last_);
    next_ =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                           std::max(policy_.min_seconds, policy_.cost_factor * last_)));
  };
  try {
    save_();
  } catch (...) {
    account();
    throw;
  }
  account();
  ++saves_;
}

void ProgressSaver::save_now() {
  if (policy_.enabled) timed_save();
}

void ProgressSaver::start(double first_estimate) {
  if (!policy_.enabled || thread_.joinable()) return;
  if (saves_ == 0)
    next_ =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                           std::max(policy_.min_seconds, policy_.cost_factor * first_estimate)));
  thread_ = std::thread([this] { loop(); });
}

void ProgressSaver::run_finished() {
  if (!policy_.enabled) return;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    dirty_ = true;
  }
  wake_.notify_one();
}

void ProgressSaver::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void ProgressSaver::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || dirty_; });
    if (stopping_) return;
    if (wake_.wait_until(lock, next_, [&] { return stopping_; })) return;
    dirty_ = false;
    lock.unlock();
    try {
      timed_save();
    } catch (const std::exception& e) {
      if (!warned_)
        std::cerr << "\ncdpsim: warning: cannot save the progress of " << what_ << " (" << e.what()
                  << "); the finished runs stay in memory and the save is retried\n";
      warned_ = true;
      const std::lock_guard<std::mutex> again(mutex_);
      dirty_ = true;  // still unsaved
    }
    lock.lock();
  }
}

namespace {

fs::path folder_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : "."; }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// True when `name` is ".OUT.rankK-of-N.h5" for output file name `out`.
bool is_rank_file_name(std::string_view name, const std::string& out) {
  const std::string head = "." + out + ".rank";
  if (!name.starts_with(head) || !name.ends_with(".h5")) return false;
  const std::string_view mid = name.substr(head.size(), name.size() - head.size() - 3);
  const std::size_t of = mid.find("-of-");
  return of != std::string_view::npos && all_digits(mid.substr(0, of)) &&
         all_digits(mid.substr(of + 4));
}

// A zombie (killed, not yet reaped: its parent was killed too) counts as gone.
bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (pid == static_cast<long>(::getpid())) return true;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string line((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const std::size_t close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

}  // namespace

fs::path rank_file_path(const fs::path& output, int rank, int size) {
  return folder_of(output) / ("." + output.filename().string() + ".rank" + std::to_string(rank) +
                              "-of-" + std::to_string(size) + ".h5");
}

std::vector<fs::path> leftover_rank_files(const fs::path& output) {
  std::vector<fs::path> out;
  const std::string name = output.filename().string();
  std::error_code ec;
  for (fs::directory_iterator it(folder_of(output), ec), end; !ec && it != end; it.increment(ec))
    if (is_rank_file_name(it->path().filename().string(), name) && it->is_regular_file(ec))
      out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

bool remove_stale_temporaries(const fs::path& output) {
  const std::string name = output.filename().string();
  bool own = false;
  std::error_code ec;
  std::vector<std::pair<fs::path, bool>> stale;
  for (fs::directory_iterator it(folder_of(output), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string f = it->path().filename().string();
    const std::size_t at = f.rfind(".tmp-");
    if (f.empty() || f[0] != '.' || at == std::string::npos || at < 1) continue;
    const std::string pid_text = f.substr(at + 5);
    const std::string inner = f.substr(1, at - 1);
    const bool mine = inner == name;
    if (!all_digits(pid_text) || (!mine && !is_rank_file_name(inner, name))) continue;
    long pid = 0;
    std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
    if (!process_alive(pid)) stale.emplace_back(it->path(), mine);
  }
  for (const auto& [path, mine] : stale)
    if (fs::remove(path, ec) && mine) own = true;
  return own;
}

}  // namespace cdpsim
