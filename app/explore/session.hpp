// One explorer session (docs/explorer.md): a running simulation A and, when comparing, its twin B
// (same seed: common random numbers), stepped on their own thread so that the page never waits
// for the model. Everything goes through the one run path: a Simulation of models/schedule.hpp
// per run, levers moved while running become [[interventions]] (models/interventions.hpp) from
// the current week, so that the scenario exported at any time (`cdpsim run` of it) gives the
// explored series exactly.
//
// Threads: HTTP handlers call the public functions; each takes the session's mutex for as long
// as it reads or changes the runs, which the worker holds only while stepping one week. What the
// page streams (frames of weekly values, marks, events) is appended to a log that SSE clients
// read from their own position (frames_since()).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "models/scenario.hpp"
#include "models/schedule.hpp"

namespace cdpsim::app::explore {

// A request the session refuses: `status` is the HTTP status (409 conflict, 422 out of range).
struct Refused : std::runtime_error {
  Refused(int status, const std::string& what) : std::runtime_error(what), status(status) {}
  int status;
};

// Bounds on what a page may ask for (docs/explorer.md, "Security").
struct Limits {
  std::int64_t max_potential_members = 200000;  // larger scenarios are refused
  std::int64_t max_weeks = 1040;                // twenty years
  int max_speed = 1000;                         // weeks per second
  int max_redraw = 52;                          // weeks per redraw
};

// One of the two runs: its scenario (base settings plus the interventions made so far), its
// simulation and every week it produced.
struct Run {
  std::unique_ptr<Scenario> scenario;
  std::unique_ptr<Simulation> sim;
  std::vector<WeekRecord> weeks;
  std::size_t events_sent = 0;  // of sim->world().events, already in a frame
};

// A mark on the plots: an intervention made while exploring (or a reset).
struct Mark {
  std::int32_t week;
  std::string run;  // "a" or "b"
  std::string label;
};

class Session {
 public:
  Session(Scenario base, std::string preset, Limits limits);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Run control.
  void play();
  void pause();
  void step(int weeks);
  void set_speed(int weeks_per_second, int weeks_per_redraw);
  // Back to week 0 with `base` (a preset or the same settings with new shocks or seed); B, if
  // comparing, restarts as A's twin.
  void reset(Scenario base, std::string preset);
  void reset_same(std::optional<std::int64_t> seed);
  // Moves one mid-run key of run "a" or "b": at week 0 it changes the setting, later it is an
  // intervention from the current week (a previous explorer intervention on the key ends there).
  // `value`: a number, or a name for support.mode. Throws Refused.
  void set_key(const std::string& run, const std::string& key, const nlohmann::json& value);
  // Starts (B becomes A's twin from the current week) or stops comparing.
  void set_compare(bool on);

  // The state the page shows on load and after each command (levers in force, run control).
  [[nodiscard]] nlohmann::json state() const;
  // The scenario that reproduces run `run` up to the current week (`cdpsim run` of its TOML).
  [[nodiscard]] Scenario reproducing_scenario(const std::string& run) const;
  // Series of run `run` as CSV (weekly_series() of models/series.hpp, one column per value).
  [[nodiscard]] std::string series_csv(const std::string& run) const;
  [[nodiscard]] const Scenario& base() const { return base_; }

  // Frames after `from` (an index into the log of the current epoch), and the epoch: a reset
  // starts a new epoch and the log over. Waits up to `wait_ms` for one when there is none.
  struct Frames {
    std::uint64_t epoch = 0;
    std::size_t next = 0;
    std::vector<std::shared_ptr<const std::string>> items;
  };
  Frames frames_since(std::uint64_t epoch, std::size_t from, int wait_ms) const;
  void stop();
  [[nodiscard]] bool stopped() const;

 private:
  void worker();
  void restart_locked();
  void step_one_locked();  // one week of both runs
  void publish_locked(std::int32_t first_week);
  void push_state_locked();
  [[nodiscard]] nlohmann::json state_locked() const;
  Run& run_locked(const std::string& name);
  [[nodiscard]] const Run& run_locked(const std::string& name) const;
  void rebuild_locked(Run& r, Scenario next, bool fresh);

  Limits limits_;
  Scenario base_;
  std::string preset_;
  mutable std::mutex m_;
  mutable std::condition_variable frames_cv_;
  std::condition_variable work_cv_;
  Run a_, b_;
  bool compare_ = false;
  std::int32_t compare_from_ = -1;
  std::vector<Mark> marks_;
  bool playing_ = false;
  int pending_steps_ = 0;
  int speed_ = 52;  // weeks per second (0: as fast as possible)
  int redraw_ = 1;  // weeks per frame
  std::uint64_t epoch_ = 1;
  std::vector<std::shared_ptr<const std::string>> frames_;
  std::chrono::steady_clock::time_point last_views_{};
  bool stop_ = false;
  std::string last_error_;
  std::thread thread_;
};

// Checks that a scenario fits the explorer's limits; throws Refused(422) naming the bound.
void check_limits(const Scenario& s, const Limits& limits);

}  // namespace cdpsim::app::explore
