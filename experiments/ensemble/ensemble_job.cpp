#include "experiments/ensemble/ensemble_job.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <iostream>
#include <set>
#include <system_error>

#include "experiments/ensemble/ensemble.hpp"
#include "experiments/ensemble/shards.hpp"
#include "experiments/metrics/metrics.hpp"
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
  return rank_file_path(output, rank, size);
}

namespace {

// The runs of `h` all lie in [begin, end).
bool inside(const EnsembleFileHeader& h, std::int64_t begin, std::int64_t end) {
  return std::all_of(h.runs.begin(), h.runs.end(),
                     [&](std::int64_t r) { return r >= begin && r < end; });
}

// Resume: which finished runs of the output (and of rank files a killed MPI job left) are vouched
// for by their checksums; the others are pending.
void verify_resumed(const EnsemblePlan& plan, PreparedEnsembleJob& job) {
  const fs::path& out = job.request.output;
  std::set<std::int64_t> trusted, rejected;
  auto take = [&](const fs::path& path, const EnsembleFileHeader& h) {
    const RunVerdict v = verify_runs(path, plan, h);
    ResumeSource src{path, h, {}};
    for (std::int64_t r : v.trusted)
      if (trusted.insert(r).second) src.trusted.push_back(r);
    rejected.insert(v.rejected.begin(), v.rejected.end());
    job.sources.push_back(std::move(src));
  };
  take(out, *job.resumed);
  for (const fs::path& p : leftover_rank_files(out)) {
    try {
      const EnsembleFileHeader h = read_ensemble_header(p);
      if (h.ensemble_id == plan.ensemble_id && inside(h, job.begin, job.end)) take(p, h);
    } catch (const EnsembleFileError&) {  // unreadable or foreign: not part of this ensemble
    }
  }
  for (std::int64_t r = job.begin; r < job.end; ++r)
    if (!trusted.count(r)) job.pending.push_back(r);
  for (std::int64_t r : rejected)
    if (!trusted.count(r)) job.redone.push_back(r);
  job.trusted = static_cast<std::int64_t>(trusted.size());
}

}  // namespace

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
    // A save killed half-way leaves its temporary file; killed during the first save, that is
    // all there is, and nothing had been kept: start again.
    const bool cut_short = remove_stale_temporaries(req.output);
    if (!fs::exists(req.output, ec)) {
      if (!cut_short)
        throw EnsembleFileError(req.output.string() +
                                ": nothing to resume (no such file; drop --resume to start)");
      io::check_output_path(req.output, true);
      for (std::int64_t r = job.begin; r < job.end; ++r) job.pending.push_back(r);
      job.restarted = true;
      return job;
    }
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
    job.resumed = std::move(h);
    verify_resumed(plan, job);
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
  remove_stale_temporaries(req.output);
  for (std::int64_t r = job.begin; r < job.end; ++r) job.pending.push_back(r);
  return job;
}

EnsembleJobResult run_ensemble_job(const EnsemblePlan& plan, const PreparedEnsembleJob& job,
                                   ProcessGroup& group, const std::atomic<bool>* stop,
                                   const RunProgress& on_done) {
  EnsembleJobResult res;
  RunStore store(job.begin, job.end);
  const RunLayout layout = RunLayout::of(plan);
  const fs::path& output = job.request.output;
  const bool root = group.is_root();
  std::vector<std::int64_t> runs;  // the output's runs
  for (std::int64_t r = job.begin; r < job.end; ++r) runs.push_back(r);
  const std::vector<std::int64_t> mine = round_robin_share(job.pending, group.rank(), group.size());

  // Progress saves: the root saves the output (every run of it, the resumed ones included), the
  // other ranks their rank file (their own runs). Only the root's first save may meet an output
  // that appeared meanwhile (refused unless --force or resuming); later saves replace their own.
  const fs::path target = root ? output : rank_shard_path(output, group.rank(), group.size());
  const std::vector<std::int64_t>& target_runs = root ? runs : mine;
  bool replace = !root || job.request.force || job.resumed.has_value();
  ProgressSaver saver(
      job.saving,
      [&] {
        io::write_atomically(
            target,
            [&](const fs::path& tmp) {
              write_ensemble_file(tmp, plan, store, target_runs);
              test_pause(job.saving);
            },
            replace);
        replace = true;
      },
      target.string());

  // Before any run: the root takes the resumed runs. A rank file a killed MPI job left is saved
  // into the output at once and then dropped; the other ranks wait for that, so they never
  // overwrite a rank file before its runs are saved. Until the first save, a marker stands for
  // the output when there is none yet (FirstSaveMarker: --resume then starts again).
  std::optional<FirstSaveMarker> marker;
  if (root && !job.resumed && job.saving.enabled) marker.emplace(output);
  bool ok = true;
  std::exception_ptr failure;
  if (root) {
    try {
      for (const ResumeSource& src : job.sources)
        load_runs(src.path, plan, src.header, src.trusted, store);
      std::error_code ec;
      if (!job.resumed)
        for (const fs::path& p : leftover_rank_files(output)) fs::remove(p, ec);  // older job's
      if (job.sources.size() > 1) {
        saver.save_now();
        if (saver.saves() > 0)
          for (const ResumeSource& src : job.sources)
            if (src.path != output) fs::remove(src.path, ec);
      }
    } catch (...) {
      failure = std::current_exception();
      ok = false;
    }
  }
  if (!group.all(ok)) {
    if (failure) std::rethrow_exception(failure);
    res.ok = false;
    return res;
  }

  std::atomic<double> seconds{0.0};
  saver.start(estimated_save_seconds(
      8.0 * static_cast<double>(target_runs.size()) *
      static_cast<double>(layout.ints + layout.reals + ecosystem_metrics().size())));
  const RunPool pool(group, stop, on_done);
  const PoolOutcome outcome = pool.run(job.pending, [&](std::int64_t run) {
    RunRecord r = simulate_run(plan, layout, run);
    seconds.fetch_add(r.simulate_seconds);  // C++20 atomic<double>
    store.put(run, std::move(r));
    saver.run_finished();
  });
  saver.stop();
  res.saves = saver.saves();
  res.save_seconds = saver.seconds();
  res.mine = static_cast<std::int64_t>(outcome.mine.size());
  res.simulated = outcome.done;
  res.simulate_seconds = seconds.load();

  if (!root) {
    try {
      io::write_atomically(
          target, [&](const fs::path& tmp) { write_ensemble_file(tmp, plan, store, mine); });
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: rank " << group.rank() << ": cannot write its shard: " << e.what()
                << "\n";
      ok = false;
    }
  }
  res.interrupted = res.simulated < res.mine;
  res.ok = group.all(ok);
  if (!res.ok || !root) return res;

  std::vector<fs::path> inputs;  // the other ranks' files, whose runs join the output
  for (int k = 1; k < group.size(); ++k) inputs.push_back(rank_shard_path(output, k, group.size()));
  std::vector<EnsembleFileHeader> headers;
  for (const fs::path& p : inputs) headers.push_back(read_ensemble_header(p));
  gather_runs(plan, inputs, headers, store);

  for (std::int64_t r : runs) res.complete += store.has(r) ? 1 : 0;
  res.in_output = static_cast<std::int64_t>(runs.size());
  res.interrupted = res.complete < res.in_output;
  io::write_atomically(
      output, [&](const fs::path& tmp) { write_ensemble_file(tmp, plan, store, runs); }, replace);
  std::error_code ec;
  for (const fs::path& p : inputs) fs::remove(p, ec);
  for (const ResumeSource& src : job.sources)
    if (src.path != output) fs::remove(src.path, ec);
  return res;
}

}  // namespace cdpsim
