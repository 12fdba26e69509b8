#include "experiments/run/run.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <thread>
#include <utility>

#include "experiments/run/recorder.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

namespace {

// Writes checkpoints on a thread of its own, so the run goes on while the file is written and
// made durable (fsync takes longer than the writing on most disks): one at a time; a failure
// surfaces at the next save or at wait(). A periodic checkpoint's predecessor is removed only
// once the new one is complete.
class BackgroundSaver {
 public:
  BackgroundSaver() = default;
  BackgroundSaver(const BackgroundSaver&) = delete;
  BackgroundSaver& operator=(const BackgroundSaver&) = delete;
  ~BackgroundSaver() {
    if (thread_.joinable()) thread_.join();
  }
  void save(Checkpoint c, fs::path path, fs::path obsolete) {
    wait();
    thread_ = std::thread([this, c = std::move(c), path = std::move(path),
                           obsolete = std::move(obsolete)] {
      try {
        const auto t0 = std::chrono::steady_clock::now();
        write_checkpoint(path, c);
        seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::error_code ec;
        if (!obsolete.empty()) fs::remove(obsolete, ec);
      } catch (...) {
        error_ = std::current_exception();
      }
    });
  }
  void wait() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }
  // Time spent writing (after wait()).
  [[nodiscard]] double seconds() const { return seconds_; }

 private:
  double seconds_ = 0.0;
  std::thread thread_;
  std::exception_ptr error_;
};

bool checkpoint_week(const CheckpointPlan& p, std::int64_t w) {
  return (p.every > 0 && w % p.every == 0) || std::find(p.at.begin(), p.at.end(), w) != p.at.end();
}

}  // namespace

RunOutcome run_to_file(const Scenario& s, const RunRequest& req, const std::atomic<bool>* stop,
                       const ProgressFn& progress) {
  using clock = std::chrono::steady_clock;
  io::check_output_path(req.output, req.force);
  RunOutcome out;
  const auto t0 = clock::now();
  const bool per_cdp = s.output.per_cdp_series;
  std::uint64_t draw_seed = req.seed;
  BranchOrigin origin;
  std::optional<Simulation> sim;
  std::optional<Recorder> rec;
  if (req.from != nullptr) {
    Checkpoint& c = *req.from;
    draw_seed = c.seed;
    origin = c.origin;
    sim.emplace(s, draw_seed, std::move(c.state));
    rec.emplace(per_cdp, std::move(c.weeks), std::move(c.rows));
  } else {
    sim.emplace(s, req.seed);
    rec.emplace(per_cdp);
  }
  const auto total = static_cast<std::int32_t>(s.simulation.weeks);
  out.first_week = sim->week();
  out.weeks_completed = sim->week();
  if (!rec->weeks().empty()) out.last = rec->weeks().back();
  const CheckpointPlan& cp = req.checkpoints;
  std::filesystem::path last_periodic;
  std::int32_t last_saved = -1;
  BackgroundSaver saver;
  const auto save = [&](bool periodic) {
    const std::int32_t w = sim->week();
    if (w == last_saved) return;
    const fs::path path = cp.dir / checkpoint_file_name(w);
    const bool kept = std::find(cp.at.begin(), cp.at.end(), w) != cp.at.end();
    const auto t0 = clock::now();
    Checkpoint c = snapshot(s, draw_seed, *sim, *rec, origin);
    out.snapshot_seconds += std::chrono::duration<double>(clock::now() - t0).count();
    saver.save(std::move(c), path, last_periodic != path ? last_periodic : fs::path());
    out.checkpoints.push_back(path);
    last_saved = w;
    last_periodic = periodic && !kept ? path : fs::path();
  };
  if (cp.any()) {
    std::error_code ec;
    fs::create_directories(cp.dir, ec);
    if (ec) throw std::runtime_error(cp.dir.string() + ": cannot create: " + ec.message());
  }
  for (std::int32_t t = sim->week(); t < total; ++t) {
    if (stop && stop->load()) {
      out.interrupted = true;
      break;
    }
    if (cp.any() && t != out.first_week && checkpoint_week(cp, t)) save(true);
    const WeekRecord r = sim->step();
    rec->record(r, sim->world());
    out.last = r;
    ++out.weeks_completed;
    if (progress) progress(out.weeks_completed, total);
  }
  // The horizon itself (to extend the run later), and where a stop left it.
  if (cp.any() && !out.interrupted && std::find(cp.at.begin(), cp.at.end(), total) != cp.at.end())
    save(false);
  if (cp.any() && out.interrupted) save(true);
  saver.wait();
  out.checkpoint_seconds = saver.seconds();
  const auto t1 = clock::now();
  out.cdps_created = sim->world().cdps.created;
  RunMeta meta{req.seed, out.interrupted ? "interrupted" : "complete", total};
  meta.branch_of = origin.checkpoint;
  meta.branch_week = origin.week;
  meta.seed_policy = origin.seed_policy;
  meta.draw_seed = draw_seed;
  io::write_atomically(
      req.output, [&](const fs::path& tmp) { rec->write(tmp, s, sim->world(), meta); }, req.force);
  out.simulate_seconds = std::chrono::duration<double>(t1 - t0).count();
  out.write_seconds = std::chrono::duration<double>(clock::now() - t1).count();
  return out;
}

}  // namespace cdpsim
