#include "experiments/run/run.hpp"

#include <unistd.h>

#include <chrono>
#include <system_error>

#include "experiments/run/recorder.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

void check_output_path(const fs::path& path, bool force) {
  std::error_code ec;
  if (path.empty()) throw OutputError("output path is empty");
  if (fs::is_directory(path, ec))
    throw OutputError(path.string() + ": is a folder (allowed: a file path such as out.h5)");
  if (fs::exists(path, ec) && !force)
    throw OutputError(path.string() +
                      ": already exists (use --force to replace it, or choose another -o)");
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw OutputError(path.string() + ": folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw OutputError(path.string() + ": folder " + dir.string() + " is not writable");
}

RunOutcome run_to_file(const Scenario& s, const RunRequest& req, const std::atomic<bool>* stop,
                       const ProgressFn& progress) {
  using clock = std::chrono::steady_clock;
  check_output_path(req.output, req.force);
  std::string tmp_name = ".";
  tmp_name += req.output.filename().string();
  tmp_name += ".tmp-";
  tmp_name += std::to_string(::getpid());
  const fs::path tmp =
      (req.output.has_parent_path() ? req.output.parent_path() : fs::path(".")) / tmp_name;
  RunOutcome out;
  const auto t0 = clock::now();
  Simulation sim(s, req.seed);
  Recorder rec(s.output.per_cdp_series);
  const auto total = static_cast<std::int32_t>(s.simulation.weeks);
  for (std::int32_t t = 0; t < total; ++t) {
    if (stop && stop->load()) {
      out.interrupted = true;
      break;
    }
    const WeekRecord r = sim.step();
    rec.record(r, sim.world());
    out.last = r;
    ++out.weeks_completed;
    if (progress) progress(out.weeks_completed, total);
  }
  const auto t1 = clock::now();
  out.cdps_created = sim.world().cdps.created;
  try {
    rec.write(tmp, s, sim.world(),
              RunMeta{req.seed, out.interrupted ? "interrupted" : "complete", total});
    fs::rename(tmp, req.output);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  out.simulate_seconds = std::chrono::duration<double>(t1 - t0).count();
  out.write_seconds = std::chrono::duration<double>(clock::now() - t1).count();
  return out;
}

}  // namespace cdpsim
