#include "experiments/run/run.hpp"

#include <chrono>

#include "experiments/run/recorder.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

RunOutcome run_to_file(const Scenario& s, const RunRequest& req, const std::atomic<bool>* stop,
                       const ProgressFn& progress) {
  using clock = std::chrono::steady_clock;
  io::check_output_path(req.output, req.force);
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
  io::write_atomically(
      req.output,
      [&](const fs::path& tmp) {
        rec.write(tmp, s, sim.world(),
                  RunMeta{req.seed, out.interrupted ? "interrupted" : "complete", total});
      },
      req.force);
  out.simulate_seconds = std::chrono::duration<double>(t1 - t0).count();
  out.write_seconds = std::chrono::duration<double>(clock::now() - t1).count();
  return out;
}

}  // namespace cdpsim
