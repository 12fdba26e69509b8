#include "experiments/ensemble/ensemble_job.hpp"

#include <charconv>
#include <iostream>
#include <system_error>

#include "experiments/ensemble/ensemble.hpp"
#include "experiments/ensemble/shards.hpp"
#include "experiments/run/run.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

std::pair<std::int64_t, std::int64_t> parse_run_range(const std::string& text) {
  const auto colon = text.find(':');
  auto number = [&](std::string_view s, std::int64_t& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  std::int64_t a = 0, b = 0;
  if (colon == std::string::npos || !number(std::string_view(text).substr(0, colon), a) ||
      !number(std::string_view(text).substr(colon + 1), b))
    throw DesignError("--runs '" + text +
                      "': expected A:B, run indices A included to B excluded "
                      "(for example 0:100)");
  return {a, b};
}

fs::path rank_shard_path(const fs::path& output, int rank, int size) {
  const fs::path dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
  std::string name = output.filename().string();
  name.insert(name.begin(), '.');
  name += ".rank" + std::to_string(rank);
  name += "-of-" + std::to_string(size);
  return dir / (name + ".h5");
}

PreparedEnsembleJob prepare_ensemble_job(const EnsemblePlan& plan, const EnsembleJobRequest& req) {
  PreparedEnsembleJob job;
  job.request = req;
  job.begin = req.begin;
  job.end = req.end < 0 ? plan.runs() : req.end;
  if (job.begin < 0 || job.begin >= job.end || job.end > plan.runs())
    throw DesignError(
        "--runs " + std::to_string(req.begin) + ":" + std::to_string(job.end) +
        ": out of range (this ensemble has " + std::to_string(plan.runs()) + " runs, " +
        std::to_string(plan.points()) + " points x " + std::to_string(plan.replicates()) +
        " replicates; allowed: A:B with 0 <= A < B <= " + std::to_string(plan.runs()) + ")");
  std::error_code ec;
  if (req.resume) {
    if (!fs::exists(req.output, ec))
      throw EnsembleFileError(req.output.string() +
                              ": nothing to resume (no such file; drop --resume to start)");
    EnsembleFileHeader h = read_ensemble_header(req.output);
    if (h.ensemble_id != plan.ensemble_id)
      throw EnsembleFileError(req.output.string() +
                              ": belongs to another ensemble (another scenario, --set, --sweep, "
                              "--design, --replicates or --seed), so it cannot be resumed with "
                              "these arguments");
    std::vector<std::int64_t> expected;
    for (std::int64_t r = job.begin; r < job.end; ++r) expected.push_back(r);
    if (h.runs != expected)
      throw EnsembleFileError(req.output.string() + ": holds runs " + describe_runs(h.runs, 3) +
                              ", not the runs " + describe_runs(expected, 3) +
                              " asked for (give the same --runs as the interrupted command)");
    io::check_output_path(req.output, true);
    for (std::size_t i = 0; i < h.runs.size(); ++i)
      if (!h.complete[i]) job.pending.push_back(h.runs[i]);
    job.resumed = std::move(h);
    return job;
  }
  if (fs::is_regular_file(req.output, ec) && !req.force) {
    bool interrupted = false;
    try {
      interrupted = read_ensemble_header(req.output).status == "interrupted";
    } catch (const EnsembleFileError&) {  // not an ensemble: the plain message below
    }
    if (interrupted)
      throw io::OutputError(
          req.output.string() +
          ": already exists and is an interrupted ensemble (use --resume with the "
          "same arguments to finish it, or --force to start again)");
  }
  io::check_output_path(req.output, req.force);
  for (std::int64_t r = job.begin; r < job.end; ++r) job.pending.push_back(r);
  return job;
}

EnsembleJobResult run_ensemble_job(const EnsemblePlan& plan, const PreparedEnsembleJob& job,
                                   ProcessGroup& group, const std::atomic<bool>* stop,
                                   const RunProgress& on_done) {
  EnsembleJobResult res;
  RunStore store(job.begin, job.end);
  const RunLayout layout = RunLayout::of(plan);
  std::atomic<double> seconds{0.0};
  const RunPool pool(group, stop, on_done);
  const PoolOutcome outcome = pool.run(job.pending, [&](std::int64_t run) {
    RunRecord r = simulate_run(plan, layout, run);
    seconds.fetch_add(r.simulate_seconds);  // C++20 atomic<double>
    store.put(run, std::move(r));
  });
  const std::vector<std::int64_t>& mine = outcome.mine;
  res.mine = static_cast<std::int64_t>(mine.size());
  res.simulated = outcome.done;
  res.simulate_seconds = seconds.load();

  std::vector<fs::path> inputs;  // files whose finished runs join the output
  bool ok = true;
  if (!group.is_root()) {
    try {
      const fs::path shard = rank_shard_path(job.request.output, group.rank(), group.size());
      io::write_atomically(
          shard, [&](const fs::path& tmp) { write_ensemble_file(tmp, plan, store, mine); });
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: rank " << group.rank() << ": cannot write its shard: " << e.what()
                << "\n";
      ok = false;
    }
  }
  res.interrupted = res.simulated < res.mine;
  res.ok = group.all(ok);
  if (!res.ok || !group.is_root()) return res;

  for (int k = 1; k < group.size(); ++k)
    inputs.push_back(rank_shard_path(job.request.output, k, group.size()));
  if (job.resumed) inputs.push_back(job.request.output);
  std::vector<EnsembleFileHeader> headers;
  for (const fs::path& p : inputs) headers.push_back(read_ensemble_header(p));
  gather_runs(plan, inputs, headers, store);

  std::vector<std::int64_t> runs;
  for (std::int64_t r = job.begin; r < job.end; ++r) {
    runs.push_back(r);
    res.complete += store.has(r) ? 1 : 0;
  }
  res.in_output = static_cast<std::int64_t>(runs.size());
  res.interrupted = res.complete < res.in_output;
  io::write_atomically(
      job.request.output, [&](const fs::path& tmp) { write_ensemble_file(tmp, plan, store, runs); },
      job.request.force || job.resumed.has_value());
  std::error_code ec;
  for (int k = 1; k < group.size(); ++k)
    fs::remove(rank_shard_path(job.request.output, k, group.size()), ec);
  return res;
}

}  // namespace cdpsim
