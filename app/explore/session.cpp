#include "app/explore/session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <utility>

#include "app/explore/views.hpp"
#include "models/interventions.hpp"
#include "models/series.hpp"
#include "sim/scenario/param.hpp"

namespace cdpsim::app::explore {

using nlohmann::json;

namespace {

constexpr std::string_view kPrefix = "explore: ";  // names of the interventions made here

std::uint64_t seed_of(const Scenario& s) { return static_cast<std::uint64_t>(s.simulation.seed); }

bool explorer_made(const InterventionSpec& in) { return in.name.starts_with(kPrefix); }

// Writes `v` into the field of `k` in `s`, checked against the schema's range or choices.
// Returns the value as the intervention's `set`.
Scalar set_field(const MidRunKey& k, Scenario& s, const json& v) {
  const Schema schema = make_schema(s);
  const FieldSlot* slot = find_slot(schema, k.key);
  if (slot == nullptr) throw Refused(422, std::string(k.key) + ": not a key the explorer can move");
  const Field& f = slot->meta;
  switch (k.type) {
    case MidRunKey::Type::number: {
      if (!v.is_number()) throw Refused(422, std::string(k.key) + ": expected a number");
      const double x = v.get<double>();
      if (!std::isfinite(x) || x < f.min || x > f.max) {
        std::ostringstream o;
        o << k.key << ": " << x << " is out of range (allowed: " << f.min << " to " << f.max << ")";
        throw Refused(422, o.str());
      }
      *std::get<double*>(k.field(s)) = x;
      return Scalar::of(x);
    }
    case MidRunKey::Type::boolean: {
      if (!v.is_boolean()) throw Refused(422, std::string(k.key) + ": expected true or false");
      *std::get<bool*>(k.field(s)) = v.get<bool>();
      return Scalar::of_bool(v.get<bool>());
    }
    case MidRunKey::Type::choice: {
      if (!v.is_string()) throw Refused(422, std::string(k.key) + ": expected a name");
      const std::string x = v.get<std::string>();
      if (std::find(f.choices.begin(), f.choices.end(), x) == f.choices.end()) {
        std::string allowed;
        for (auto c : f.choices) allowed += (allowed.empty() ? "" : ", ") + std::string(c);
        throw Refused(422, std::string(k.key) + ": '" + x.substr(0, 40) +
                               "' is not a choice (allowed: " + allowed + ")");
      }
      *std::get<std::string*>(k.field(s)) = x;
      return Scalar::of_text(x);
    }
  }
  throw Refused(422, "unknown key type");
}

std::string value_label(const Scalar& v) {
  if (v.kind == Scalar::Kind::text) return v.text;
  if (v.kind == Scalar::Kind::boolean) return v.boolean ? "true" : "false";
  std::ostringstream o;
  o << v.number;
  return o.str();
}

// The settings a run's page controls show: the scenario with each open explorer intervention's
// value (the value in force from the next week).
Scenario shown_settings(const Scenario& s) {
  Scenario out = s;
  for (const InterventionSpec& in : s.interventions) {
    if (!explorer_made(in) || in.end.given()) continue;
    const MidRunKey* k = find_mid_run_key(in.key);
    if (k == nullptr) continue;
    const FieldPtr p = k->field(out);
    if (in.set.kind == Scalar::Kind::number && std::holds_alternative<double*>(p))
      *std::get<double*>(p) = in.set.number;
    else if (in.set.kind == Scalar::Kind::text && std::holds_alternative<std::string*>(p))
      *std::get<std::string*>(p) = in.set.text;
    else if (in.set.kind == Scalar::Kind::boolean && std::holds_alternative<bool*>(p))
      *std::get<bool*>(p) = in.set.boolean;
  }
  return out;
}

}  // namespace

void check_limits(const Scenario& s, const Limits& limits) {
  if (s.population.potential_members > limits.max_potential_members)
    throw Refused(
        422, "population.potential_members: " + std::to_string(s.population.potential_members) +
                 " is more than the explorer allows (at most " +
                 std::to_string(limits.max_potential_members) +
                 "; use cdpsim run for larger scenarios)");
  if (s.simulation.weeks > limits.max_weeks)
    throw Refused(422, "simulation.weeks: " + std::to_string(s.simulation.weeks) +
                           " is more than the explorer allows (at most " +
                           std::to_string(limits.max_weeks) + ")");
}

Session::Session(Scenario base, std::string preset, Limits limits)
    : limits_(limits), base_(std::move(base)), preset_(std::move(preset)) {
  check_limits(base_, limits_);
  std::lock_guard lk(m_);
  restart_locked();
  thread_ = std::thread([this] { worker(); });
}

Session::~Session() { stop(); }

void Session::stop() {
  {
    std::lock_guard lk(m_);
    stop_ = true;
  }
  work_cv_.notify_all();
  frames_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Run& Session::run_locked(const std::string& name) {
  if (name == "a") return a_;
  if (name == "b") {
    if (!compare_) throw Refused(409, "run b exists only while comparing (start A/B first)");
    return b_;
  }
  throw Refused(422, "run: '" + name.substr(0, 20) + "' is not a run (allowed: a, b)");
}
const Run& Session::run_locked(const std::string& name) const {
  return const_cast<Session*>(this)->run_locked(name);
}

void Session::rebuild_locked(Run& r, Scenario next, bool fresh) {
  try {
    validate(next, "explore");
  } catch (const ScenarioError& e) {
    throw Refused(409, e.what());
  }
  auto sc = std::make_unique<Scenario>(std::move(next));
  if (fresh || !r.sim) {
    auto sim = std::make_unique<Simulation>(*sc, seed_of(*sc));
    r.sim = std::move(sim);
    r.scenario = std::move(sc);
    r.weeks.clear();
    r.events_sent = 0;
    return;
  }
  // Continue from the current week under the scenario with one more intervention: the state of
  // a checkpoint (experiments/run/checkpoint.hpp), the new intervention not yet begun.
  SimulationState st{r.sim->world(), r.sim->interventions().progress(), r.sim->last_record()};
  st.interventions.live.resize(sc->interventions.size());
  auto sim = std::make_unique<Simulation>(*sc, seed_of(*sc), std::move(st));
  r.sim = std::move(sim);
  r.scenario = std::move(sc);
}

void Session::restart_locked() {
  rebuild_locked(a_, base_, true);
  if (compare_) {
    rebuild_locked(b_, base_, true);
    compare_from_ = 0;
  }
  marks_.clear();
  playing_ = false;
  pending_steps_ = 0;
  ++epoch_;
  frames_.clear();
  json f = {{"type", "reset"},
            {"epoch", epoch_},
            {"name", base_.simulation.name},
            {"question", base_.simulation.question},
            {"preset", preset_},
            {"start_date", base_.simulation.start_date.to_string()},
            {"horizon", base_.simulation.weeks},
            {"seed", base_.simulation.seed},
            {"shocks", shocks_json(base_)},
            {"territories", territory_json(a_.sim->world(), nullptr)},
            {"compare", compare_},
            {"state", state_locked()}};
  frames_.push_back(std::make_shared<const std::string>(f.dump()));
  frames_cv_.notify_all();
}

void Session::publish_locked(std::int32_t first_week) {
  json f = {{"type", "weeks"}};
  json a = json::array(), b = json::array(), dates = json::array();
  for (std::size_t i = static_cast<std::size_t>(first_week); i < a_.weeks.size(); ++i) {
    a.push_back(week_json(a_.weeks[i]));
    dates.push_back(week_date(base_, static_cast<std::int64_t>(i)));
    if (compare_ && i < b_.weeks.size()) b.push_back(week_json(b_.weeks[i]));
  }
  f["a"] = std::move(a);
  f["dates"] = std::move(dates);
  if (compare_) f["b"] = std::move(b);
  const auto& ev = a_.sim->world().events;
  f["events"] = events_json(std::span<const Event>(ev).subspan(a_.events_sent), 200);
  a_.events_sent = ev.size();
  if (compare_) {
    const auto& eb = b_.sim->world().events;
    f["events_b"] = events_json(std::span<const Event>(eb).subspan(b_.events_sent), 200);
    b_.events_sent = eb.size();
  }
  // The structural views: at most a few times a second (they are the larger part of a frame).
  const auto now = std::chrono::steady_clock::now();
  if (now - last_views_ > std::chrono::milliseconds(250) || !playing_) {
    last_views_ = now;
    f["network"] = network_json(a_.sim->world());
    if (compare_) f["network_b"] = network_json(b_.sim->world());
    f["territory"] = territory_json(a_.sim->world(), a_.weeks.empty() ? nullptr : &a_.weeks.back());
  }
  f["state"] = state_locked();
  frames_.push_back(std::make_shared<const std::string>(f.dump()));
  frames_cv_.notify_all();
}

void Session::push_state_locked() {
  json f = {{"type", "state"}, {"state", state_locked()}};
  frames_.push_back(std::make_shared<const std::string>(f.dump()));
  frames_cv_.notify_all();
}

void Session::step_one_locked() {
  const std::int32_t first = a_.sim->week();
  if (first >= base_.simulation.weeks) {
    playing_ = false;
    pending_steps_ = 0;
    return;
  }
  a_.weeks.push_back(a_.sim->step());
  if (compare_) b_.weeks.push_back(b_.sim->step());
}

void Session::worker() {
  using clock = std::chrono::steady_clock;
  std::unique_lock lk(m_);
  while (!stop_) {
    work_cv_.wait_for(lk, std::chrono::milliseconds(500),
                      [&] { return stop_ || playing_ || pending_steps_ > 0; });
    if (stop_) break;
    if (!playing_ && pending_steps_ == 0) continue;
    const auto t0 = clock::now();
    const std::int32_t first = a_.sim->week();
    const int batch =
        pending_steps_ > 0 && !playing_ ? std::min(pending_steps_, limits_.max_redraw) : redraw_;
    int done = 0;
    const std::uint64_t epoch = epoch_;
    while (done < batch && !stop_ && epoch == epoch_ && (playing_ || pending_steps_ > 0) &&
           a_.sim->week() < base_.simulation.weeks) {
      try {
        step_one_locked();
      } catch (const std::exception& e) {  // never let a failed week end the server
        playing_ = false;
        pending_steps_ = 0;
        json f = {{"type", "error"}, {"error", std::string("the simulation failed: ") + e.what()}};
        frames_.push_back(std::make_shared<const std::string>(f.dump()));
        break;
      }
      ++done;
      if (pending_steps_ > 0) --pending_steps_;
      // Let commands in between weeks: the page never waits for more than one week.
      lk.unlock();
      std::this_thread::yield();
      lk.lock();
    }
    if (stop_) break;
    if (epoch != epoch_) continue;  // reset meanwhile: the new epoch has its own frames
    if (a_.sim->week() >= base_.simulation.weeks) {
      playing_ = false;
      pending_steps_ = 0;
    }
    if (done > 0)
      publish_locked(first);
    else
      push_state_locked();
    if (playing_ && speed_ > 0) {
      const auto due = t0 + std::chrono::microseconds(1000000LL * std::max(done, 1) / speed_);
      work_cv_.wait_until(lk, due, [&] { return stop_ || !playing_ || epoch != epoch_; });
    }
  }
}

void Session::play() {
  std::lock_guard lk(m_);
  if (a_.sim->week() >= base_.simulation.weeks)
    throw Refused(409, "the run has reached its last week (reset to play again)");
  playing_ = true;
  push_state_locked();
  work_cv_.notify_all();
}

void Session::pause() {
  std::lock_guard lk(m_);
  playing_ = false;
  pending_steps_ = 0;
  push_state_locked();
  work_cv_.notify_all();
}

void Session::step(int weeks) {
  if (weeks < 1 || weeks > 520) throw Refused(422, "weeks: allowed 1 to 520");
  std::lock_guard lk(m_);
  if (a_.sim->week() >= base_.simulation.weeks)
    throw Refused(409, "the run has reached its last week (reset to play again)");
  playing_ = false;
  pending_steps_ += weeks;
  work_cv_.notify_all();
}

void Session::set_speed(int weeks_per_second, int weeks_per_redraw) {
  if (weeks_per_second < 0 || weeks_per_second > limits_.max_speed)
    throw Refused(422, "speed: allowed 0 (as fast as possible) to " +
                           std::to_string(limits_.max_speed) + " weeks per second");
  if (weeks_per_redraw < 1 || weeks_per_redraw > limits_.max_redraw)
    throw Refused(
        422, "redraw: allowed 1 to " + std::to_string(limits_.max_redraw) + " weeks per redraw");
  std::lock_guard lk(m_);
  speed_ = weeks_per_second;
  redraw_ = weeks_per_redraw;
  push_state_locked();
  work_cv_.notify_all();
}

void Session::reset(Scenario base, std::string preset) {
  check_limits(base, limits_);
  try {
    validate(base, "explore");
  } catch (const ScenarioError& e) {
    throw Refused(422, e.what());
  }
  std::lock_guard lk(m_);
  base_ = std::move(base);
  preset_ = std::move(preset);
  restart_locked();
  work_cv_.notify_all();
}

void Session::reset_same(std::optional<std::int64_t> seed) {
  std::lock_guard lk(m_);
  if (seed) {
    if (*seed < 0 || *seed > 9000000000000000LL)
      throw Refused(422, "seed: allowed 0 to 9000000000000000");
    base_.simulation.seed = *seed;
  }
  restart_locked();
  work_cv_.notify_all();
}

void Session::set_key(const std::string& run, const std::string& key, const json& value) {
  const MidRunKey* k = find_mid_run_key(key);
  if (k == nullptr)
    throw Refused(422, key.substr(0, 60) +
                           ": not a key that may change while running (allowed: levers.NAME, "
                           "support.mode, support.capacity_hours, ...: cdpsim params)");
  std::lock_guard lk(m_);
  Run& r = run_locked(run);
  const std::int32_t t = r.sim->week();
  Scenario next = *r.scenario;
  Scalar set = set_field(*k, next, value);  // checks the value
  if (t == 0) {
    // Before the first week: a setting, not an intervention.
    Scenario settings = *r.scenario;
    (void)set_field(*k, settings, value);
    if (&r == &a_ && !compare_) base_ = settings;
    rebuild_locked(r, std::move(settings), true);
    push_state_locked();
    return;
  }
  next = *r.scenario;  // the base value stays; the intervention changes it from week t
  bool merged = false;
  for (InterventionSpec& in : next.interventions) {
    if (!explorer_made(in) || in.key != key || in.end.given()) continue;
    if (in.start.kind == Scalar::Kind::number && static_cast<std::int32_t>(in.start.number) == t) {
      in.set = set;  // moved again in the same week: the later value
      in.name = std::string(kPrefix) + key + " = " + value_label(set);
      merged = true;
    } else {
      in.end = Scalar::of(static_cast<double>(t));
    }
  }
  if (!merged) {
    InterventionSpec in;
    in.name = std::string(kPrefix) + key + " = " + value_label(set);
    in.key = key;
    in.set = set;
    in.start = Scalar::of(static_cast<double>(t));
    next.interventions.push_back(std::move(in));
  }
  rebuild_locked(r, std::move(next), false);
  const std::string label =
      std::string(key.starts_with("levers.") ? key.substr(7) : key) + " = " + value_label(set);
  marks_.push_back({t, run, label});
  json f = {{"type", "mark"}, {"week", t}, {"run", run}, {"label", label}};
  frames_.push_back(std::make_shared<const std::string>(f.dump()));
  push_state_locked();
}

void Session::set_compare(bool on) {
  std::lock_guard lk(m_);
  if (on == compare_) return;
  if (on) {
    // B: A's twin from the current week (same seed, same history, same interventions).
    b_.scenario = std::make_unique<Scenario>(*a_.scenario);
    if (a_.sim->week() == 0) {
      b_.sim = std::make_unique<Simulation>(*b_.scenario, seed_of(*b_.scenario));
    } else {
      SimulationState st{a_.sim->world(), a_.sim->interventions().progress(),
                         a_.sim->last_record()};
      b_.sim = std::make_unique<Simulation>(*b_.scenario, seed_of(*b_.scenario), std::move(st));
    }
    b_.weeks = a_.weeks;
    b_.events_sent = a_.events_sent;
    compare_ = true;
    compare_from_ = a_.sim->week();
  } else {
    compare_ = false;
    compare_from_ = -1;
    b_.sim.reset();
    b_.scenario.reset();
    b_.weeks.clear();
  }
  json f = {{"type", "compare"}, {"on", on}, {"from", compare_from_}};
  frames_.push_back(std::make_shared<const std::string>(f.dump()));
  push_state_locked();
}

json Session::state() const {
  std::lock_guard lk(m_);
  return state_locked();
}

json Session::state_locked() const {
  json marks = json::array();
  for (const Mark& m : marks_)
    marks.push_back({{"week", m.week}, {"run", m.run}, {"label", m.label}});
  json s = {{"week", a_.sim->week()},
            {"date", week_date(base_, a_.sim->week())},
            {"horizon", base_.simulation.weeks},
            {"playing", playing_},
            {"speed", speed_},
            {"redraw", redraw_},
            {"seed", base_.simulation.seed},
            {"preset", preset_},
            {"name", base_.simulation.name},
            {"question", base_.simulation.question},
            {"compare", compare_},
            {"compare_from", compare_from_},
            {"epoch", epoch_},
            {"marks", marks},
            {"shocks", shocks_json(base_)},
            {"a", settings_json(shown_settings(*a_.scenario))}};
  if (compare_) s["b"] = settings_json(shown_settings(*b_.scenario));
  return s;
}

Scenario Session::reproducing_scenario(const std::string& run) const {
  std::lock_guard lk(m_);
  const Run& r = run_locked(run);
  Scenario s = *r.scenario;
  const std::int32_t t = r.sim->week();
  if (t > 0) s.simulation.weeks = t;
  // Interventions made at the current week have not acted yet: they are not part of what was seen.
  std::erase_if(s.interventions, [&](const InterventionSpec& in) {
    return t > 0 && explorer_made(in) && in.start.kind == Scalar::Kind::number &&
           in.start.number >= t;
  });
  for (InterventionSpec& in : s.interventions)
    if (t > 0 && explorer_made(in) && in.end.given() && in.end.number >= t) in.end = Scalar{};
  return s;
}

std::string Session::series_csv(const std::string& run) const {
  std::lock_guard lk(m_);
  const Run& r = run_locked(run);
  const World& w = r.sim->world();
  const AxisSizes sizes{w.territories.name.size(), w.platforms.size()};
  std::ostringstream o;
  o.precision(17);
  o << "week,date";
  struct Col {
    const SeriesDef* def;
    std::size_t width;
  };
  std::vector<Col> cols;
  for (const SeriesDef& d : weekly_series()) {
    const std::size_t width = axis_width(d.axis, sizes);
    cols.push_back({&d, width});
    for (std::size_t j = 0; j < width; ++j) {
      o << ',' << d.name;
      if (d.axis != SeriesAxis::none) o << '[' << j << ']';
    }
  }
  o << '\n';
  std::vector<std::int64_t> iv;
  std::vector<double> dv;
  for (const WeekRecord& wr : r.weeks) {
    o << wr.week << ',' << week_date(base_, wr.week);
    for (const Col& c : cols) {
      if (c.def->integer) {
        iv.assign(c.width, 0);
        extract_series(*c.def, std::span<const WeekRecord>(&wr, 1), c.width, iv.data());
        for (auto v : iv) o << ',' << v;
      } else {
        dv.assign(c.width, 0.0);
        extract_series(*c.def, std::span<const WeekRecord>(&wr, 1), c.width, dv.data());
        for (auto v : dv) o << ',' << v;
      }
    }
    o << '\n';
  }
  return o.str();
}

Session::Frames Session::frames_since(std::uint64_t epoch, std::size_t from, int wait_ms) const {
  std::unique_lock lk(m_);
  const auto ready = [&] { return stop_ || epoch != epoch_ || from < frames_.size(); };
  if (!ready()) frames_cv_.wait_for(lk, std::chrono::milliseconds(wait_ms), ready);
  Frames out;
  out.epoch = epoch_;
  if (epoch != epoch_) from = 0;
  for (std::size_t i = from; i < frames_.size(); ++i) out.items.push_back(frames_[i]);
  out.next = frames_.size();
  return out;
}

bool Session::stopped() const {
  std::lock_guard lk(m_);
  return stop_;
}

}  // namespace cdpsim::app::explore
