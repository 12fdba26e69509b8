// The Python module cdpsim._core (docs/python.md): scenarios and one simulation, driven week by
// week from Python. A front end at the level of app/: every rule lives in experiments/ and below
// (loading and validation in experiments/scenario_io, the run's record in experiments/run/recorder,
// checkpoints and branches in experiments/run/checkpoint and branch, the interventions' rules in
// models/interventions through make_branch); this file only converts values. The pure-Python
// package python/cdpsim/ wraps it (xarray, pandas, docstrings for help()).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "experiments/compare/compare.hpp"
#include "experiments/ensemble/design.hpp"
#include "experiments/ensemble/ensemble_file.hpp"
#include "experiments/run/branch.hpp"
#include "experiments/run/checkpoint.hpp"
#include "experiments/run/memory_sink.hpp"
#include "experiments/run/recorder.hpp"
#include "experiments/scenario_io.hpp"
#include "experiments/sensitivity/sensitivity.hpp"
#include "models/world_stores.hpp"
#include "python/bindings.hpp"
#include "python/interrupt.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"

namespace py = pybind11;

namespace cdpsim::python {

namespace {

// ---- Scenario -------------------------------------------------------------------------------

PyScenario scenario_load(const std::string& path, const std::vector<std::string>& sets) {
  PyScenario p;
  p.value = std::make_shared<const Scenario>(load_scenario(path, sets));
  p.path = path;
  p.sets = sets;
  return p;
}

PyScenario scenario_from_toml(const std::string& toml, const std::string& source,
                              const std::vector<std::string>& sets) {
  PyScenario p;
  p.value = std::make_shared<const Scenario>(load_scenario_text(toml, source, sets));
  p.sets = sets;
  return p;
}

std::string date_text(const Date& d) { return d.to_string(); }

Date date_of_week(const Scenario& s, std::int64_t week) {
  return Date::from_days_since_epoch(s.simulation.start_date.days_since_epoch() + 7 * week);
}

// ---- Simulation -----------------------------------------------------------------------------

// A scenario and the Simulation that references it, together: views of the World keep this alive
// (a capsule owns a shared_ptr), so that an array handed to Python never outlives its memory, even
// after intervene() or from_checkpoint() replaced the simulation.
struct Engine {
  Scenario s;
  Simulation sim;
  Engine(Scenario sc, std::uint64_t seed) : s(std::move(sc)), sim(s, seed) {}
  Engine(Scenario sc, std::uint64_t seed, SimulationState st)
      : s(std::move(sc)), sim(s, seed, std::move(st)) {}
};

class PySimulation {
 public:
  PySimulation(const PyScenario& scenario, std::optional<std::int64_t> seed, int threads)
      : arena_(make_arena(threads)), threads_(threads) {
    Scenario s = *scenario.value;
    if (seed) {
      // As `cdpsim run --seed N`: an override, validated and recorded in the stored scenario.
      s = load_scenario_text(resolved_toml(s), scenario.source(),
                             {"simulation.seed=" + std::to_string(*seed)});
    }
    seed_ = static_cast<std::uint64_t>(s.simulation.seed);
    draw_seed_ = seed_;
    const bool per_cdp = s.output.per_cdp_series;
    py::gil_scoped_release nogil;
    arena_->execute([&] { engine_ = std::make_shared<Engine>(std::move(s), seed_); });
    rec_.emplace(per_cdp);
  }

  // From a checkpoint: the same run continued (no scenario), or a branch of it (make_branch).
  PySimulation(const std::string& path, const std::optional<PyScenario>& scenario,
               const std::string& seed_policy, std::optional<std::int64_t> seed, int threads)
      : arena_(make_arena(threads)), threads_(threads) {
    Checkpoint c = read_checkpoint(path);
    const SeedPolicy policy = parse_seed_policy(seed_policy);
    Scenario s;
    if (!scenario && policy == SeedPolicy::continue_run && !seed) {
      // A resume (`cdpsim run --resume`): the run itself, bit for bit.
      s = load_scenario_text(c.scenario_toml, path + " (its scenario)");
      origin_ = c.origin;
    } else {
      std::vector<std::string> sets;
      if (seed) sets.push_back("simulation.seed=" + std::to_string(*seed));
      const std::string source = scenario ? scenario->source() : path + " (its scenario)";
      Scenario requested =
          scenario
              ? (sets.empty() ? *scenario->value
                              : load_scenario_text(resolved_toml(*scenario->value), source, sets))
              : load_scenario_text(c.scenario_toml, source, sets);
      const auto rseed = static_cast<std::uint64_t>(requested.simulation.seed);
      Branch b = make_branch(c, requested, source, policy, reseeded(rseed, c.week()));
      s = std::move(b.scenario);
      c = std::move(b.start);
      origin_ = c.origin;
    }
    seed_ = static_cast<std::uint64_t>(s.simulation.seed);
    draw_seed_ = c.seed;
    const bool per_cdp = s.output.per_cdp_series;
    rec_.emplace(per_cdp, std::move(c.weeks), std::move(c.rows));
    py::gil_scoped_release nogil;
    arena_->execute(
        [&] { engine_ = std::make_shared<Engine>(std::move(s), draw_seed_, std::move(c.state)); });
  }

  std::int32_t week() const { return engine_->sim.week(); }
  std::int64_t weeks() const { return engine_->s.simulation.weeks; }
  std::string date() const { return date_text(date_of_week(engine_->s, week())); }
  std::uint64_t seed() const { return seed_; }
  int threads() const { return threads_; }
  PyScenario scenario() const {
    PyScenario p;
    p.value = std::make_shared<const Scenario>(engine_->s);
    return p;
  }
  std::int64_t week_of(int y, int m, int d) const { return engine_->s.week_of(Date{y, m, d}); }

  // One week, GIL released. Returns the week simulated next.
  std::int32_t step() {
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> lock(mu_);
      check_not_done();
      arena_->execute([&] { one_week(); });
    }
    return week();
  }

  // Weeks until week `until` is the next to simulate (Ctrl-C stops between weeks).
  std::int32_t run(std::int64_t until) {
    if (until < week() || until > weeks())
      throw py::value_error("until: week " + std::to_string(until) +
                            " is outside what remains of the run (allowed: weeks " +
                            std::to_string(week()) + " to " + std::to_string(weeks()) + ")");
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    {
      py::gil_scoped_release nogil;
      lock.lock();
    }
    run_interruptibly(*arena_, [&](const std::atomic<bool>& stop) {
      while (engine_->sim.week() < until && !stop.load()) one_week();
    });
    return week();
  }

  // The run's output file as `cdpsim run` writes it after the weeks simulated so far: status
  // "complete" at the horizon, else "interrupted" (what a run stopped there writes).
  void write(const std::filesystem::path& path, bool force, bool atomic) {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(mu_);
    const auto w = [&](const std::filesystem::path& p) {
      rec_->write(p, engine_->s, engine_->sim.world(), meta());
    };
    if (atomic) {
      io::check_output_path(path, force);
      io::write_atomically(path, w, force);
    } else {
      w(path);  // series(): a private temporary file, read back at once
    }
  }

  // The run file's content in memory (experiments/run/memory_sink.hpp): what write() would
  // write, from the same Recorder::write_to() calls. {"dimensions": [(name, size)],
  // "variables": [(name, dims, values, attrs)], "attributes": {...}}, values as NumPy arrays
  // shaped by their dimensions (strings: lists).
  py::dict contents() {
    MemorySink sink;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> lock(mu_);
      rec_->write_to(sink, engine_->s, engine_->sim.world(), meta());
    }
    std::map<std::string, std::size_t> size;
    py::list dims;
    for (const auto& d : sink.dimensions) {
      size[d.name] = d.size;
      dims.append(py::make_tuple(d.name, d.size));
    }
    py::list vars;
    for (auto& v : sink.variables) {
      std::vector<py::ssize_t> shape;
      for (const std::string& d : v.dims) shape.push_back(static_cast<py::ssize_t>(size.at(d)));
      py::object values = std::visit(
          [&](auto& vec) -> py::object {
            using T = typename std::decay_t<decltype(vec)>::value_type;
            if constexpr (std::is_same_v<T, std::string>) {
              py::list l;
              for (const std::string& x : vec) l.append(py::str(x));
              return std::move(l);
            } else {
              py::array_t<T> a(shape);
              std::copy(vec.begin(), vec.end(), a.mutable_data());
              return std::move(a);
            }
          },
          v.values);
      vars.append(py::make_tuple(v.name, v.dims, values, attrs_of(v.attrs)));
    }
    py::dict out;
    out["dimensions"] = dims;
    out["variables"] = vars;
    out["attributes"] = attrs_of(sink.attributes);
    return out;
  }

  void checkpoint(const std::filesystem::path& path) {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(mu_);
    write_checkpoint(path, engine_->s, draw_seed_, engine_->sim, *rec_, origin_);
  }

  // Adds [[interventions]] tables (TOML text) from this week on, with the rules of a scenario
  // file's interventions and of a branch (docs/checkpoints.md): the scenario with the tables is
  // loaded and validated as a file is, and make_branch() checks that they start now or later and
  // fits the history to them. The run continues with the same random numbers, so the result is
  // the run of the scenario with those interventions from week 0.
  void intervene(const std::string& tables) {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(mu_);
    std::string toml = resolved_toml(engine_->s);
    // The resolved text of a scenario without interventions says `interventions = []`, which an
    // [[interventions]] table cannot extend.
    const std::string empty = "interventions = []\n";
    if (const auto at = toml.find(empty); at != std::string::npos) toml.erase(at, empty.size());
    toml += "\n" + tables;
    const Scenario requested = load_scenario_text(toml, "intervene()");
    Checkpoint c = snapshot(engine_->s, draw_seed_, engine_->sim, *rec_, origin_);
    c.path = "(this simulation)";
    Branch b = make_branch(c, requested, "intervene()", SeedPolicy::continue_run, draw_seed_);
    const bool per_cdp = b.scenario.output.per_cdp_series;
    rec_.emplace(per_cdp, std::move(b.start.weeks), std::move(b.start.rows));
    arena_->execute([&] {
      engine_ =
          std::make_shared<Engine>(std::move(b.scenario), draw_seed_, std::move(b.start.state));
    });
  }

  // Zero-copy, read-only views of the World's stores of one kind (visit_stores names every
  // store once): "member", "cdp", "organisation", "territory", "platform".
  py::dict state(const std::string& kind) const;

  // The same stores as copies, the columns of a DataFrame (python/cdpsim/__init__.py): the 1-D
  // arrays of the kind (names as lists), plus for members `territory` (their organisation's) and
  // `memberships` (slots holding a CdP). All the columns live in one buffer (frame_buffer()).
  py::dict frame(const std::string& kind) const;

 private:
  std::unique_lock<std::mutex> lock_for_state(const std::string& kind) const;
  // As run_to_file() describes the run in its output.
  RunMeta meta() const {
    RunMeta meta;
    meta.seed = seed_;
    meta.status = week() >= weeks() ? "complete" : "interrupted";
    meta.weeks_planned = static_cast<std::int32_t>(weeks());
    meta.branch_of = origin_.checkpoint;
    meta.branch_week = origin_.week;
    meta.seed_policy = origin_.seed_policy;
    meta.draw_seed = draw_seed_;
    return meta;
  }
  static py::dict attrs_of(const std::vector<io::Attr>& attrs) {
    py::dict d;
    for (const io::Attr& a : attrs)
      std::visit([&](const auto& x) { d[py::str(a.name)] = x; }, a.value);
    return d;
  }
  void check_not_done() const {
    if (engine_->sim.week() >= engine_->s.simulation.weeks)
      throw std::out_of_range("the run is at its horizon (week " +
                              std::to_string(engine_->s.simulation.weeks) +
                              "): nothing left to simulate");
  }
  void one_week() {
    const WeekRecord r = engine_->sim.step();
    rec_->record(r, engine_->sim.world());
  }

  std::unique_ptr<tbb::task_arena> arena_;
  int threads_ = 0;
  std::shared_ptr<Engine> engine_;
  std::optional<Recorder> rec_;
  std::uint64_t seed_ = 0, draw_seed_ = 0;
  BranchOrigin origin_;
  mutable std::mutex mu_;
};

// Collects the arrays of one axis family as NumPy views on the World's vectors.
struct ViewCollector {
  py::dict& out;
  py::object base;  // owns the Engine
  std::string kind;
  std::size_t rows;  // ids shown (CdPs and members: those created so far)
  std::size_t slots;

  static std::string strip(const std::string& name, const std::string& prefix) {
    return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
  }

  template <class T>
  void view(const std::string& name, const std::vector<T>& v, std::size_t n, std::size_t width) {
    if constexpr (std::is_arithmetic_v<T>) {
      std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(n)};
      std::vector<py::ssize_t> strides{static_cast<py::ssize_t>(sizeof(T) * width)};
      if (width > 1) {
        shape.push_back(static_cast<py::ssize_t>(width));
        strides.push_back(sizeof(T));
      }
      py::array a(py::dtype::of<T>(), shape, strides, v.data(), base);
      py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
      out[py::str(name)] = a;
    } else {  // names: a copy (a few strings)
      py::list l;
      for (std::size_t i = 0; i < n; ++i) l.append(py::str(v[i]));
      out[py::str(name)] = l;
    }
  }

  template <class T>
  void array(const char* name_c, const char* axis_c, const std::vector<T>& v) {
    const std::string name = name_c, axis = axis_c;
    if (kind == "member") {
      if (axis == "member") view(strip(name, "member_"), v, rows, 1);
      if (axis == "slot") view(name, v, rows, slots);
    } else if (kind == "cdp") {
      if (axis == "cdp") view(strip(name, "cdp_"), v, rows, 1);
      if (axis == "cdp_by_phase") view(strip(name, "cdp_"), v, rows, kPhases);
    } else if (kind == "organisation") {
      if (axis == "organisation") view(strip(name, "org_"), v, v.size(), 1);
    } else if (kind == "territory") {
      if (axis == "territory") view(strip(name, "territory_"), v, v.size(), 1);
    } else if (kind == "platform") {
      if (axis == "platform") view(strip(name, "platform_"), v, v.size(), 1);
    }
  }
  template <class T>
  void count(const char*, const T&) {}
  template <class E>
  void events(const char*, const E&) {}
};

// Checks a state kind and takes the simulation's lock (waiting without the GIL: another thread
// may hold the lock while it runs weeks).
std::unique_lock<std::mutex> PySimulation::lock_for_state(const std::string& kind) const {
  static const std::vector<std::string> kinds = {"member", "cdp", "organisation", "territory",
                                                 "platform"};
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
    throw py::value_error("unknown state kind '" + kind +
                          "' (allowed: member, cdp, organisation, territory, platform)");
  std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
  {
    py::gil_scoped_release nogil;
    lock.lock();
  }
  return lock;
}

py::dict PySimulation::state(const std::string& kind) const {
  const auto lock = lock_for_state(kind);
  const World& w = engine_->sim.world();
  py::dict out;
  py::object base = py::capsule(new std::shared_ptr<Engine>(engine_),
                                [](void* p) { delete static_cast<std::shared_ptr<Engine>*>(p); });
  const std::size_t rows = kind == "member" ? w.members.created : w.cdps.created;
  ViewCollector v{out, base, kind, rows, static_cast<std::size_t>(w.members.slots)};
  visit_stores(w, v);
  return out;
}

// ---- DataFrame columns ------------------------------------------------------------------------

// One buffer for every column of a frame, 2 MB aligned and advised to transparent huge pages:
// a million members need about 55 MB of fresh memory, and touching it 4 kB page by page was most
// of the time of members() (docs/performance.md, "Python API"); huge pages make that a few dozen
// faults. The capsule that owns it unmaps it when the last column is gone.
struct FrameBuffer {
  void* map = nullptr;
  std::size_t map_size = 0;
  std::byte* data = nullptr;
};

constexpr std::size_t kHugePage = std::size_t{2} << 20;

FrameBuffer frame_buffer(std::size_t bytes) {
  FrameBuffer b;
  if (bytes < 2 * kHugePage) {  // a few CdPs or organisations: the heap, no system call
    b.data = static_cast<std::byte*>(
        ::operator new (std::max<std::size_t>(bytes, 64), std::align_val_t{64}));
    return b;
  }
  b.map_size = bytes + kHugePage;
  b.map = mmap(nullptr, b.map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (b.map == MAP_FAILED) throw std::bad_alloc();
  const auto at = reinterpret_cast<std::uintptr_t>(b.map);
  b.data = static_cast<std::byte*>(b.map) + ((kHugePage - at % kHugePage) % kHugePage);
#ifdef MADV_HUGEPAGE
  madvise(b.data, bytes, MADV_HUGEPAGE);  // advice only: without huge pages it is slower, not wrong
#endif
  return b;
}

void free_frame_buffer(const FrameBuffer& b) {
  if (b.map != nullptr)
    munmap(b.map, b.map_size);
  else
    ::operator delete (b.data, std::align_val_t{64});
}

// Collects the 1-D arrays of one kind (and the two stores the members' derived columns need).
struct ColumnCollector {
  struct Column {
    std::string name;
    py::dtype dtype;
    const void* src;
    std::size_t bytes;
    std::size_t offset = 0;
  };
  std::string kind;
  std::size_t rows;
  std::vector<Column> columns;
  py::dict lists;                  // names: lists of str, in order among the columns
  std::vector<std::string> order;  // every column's name, in visit order
  const std::vector<std::uint32_t>* org_territory = nullptr;
  const std::vector<std::uint32_t>* slot_cdp = nullptr;

  template <class T>
  void add(const std::string& name, const std::vector<T>& v, std::size_t n) {
    order.push_back(name);
    if constexpr (std::is_arithmetic_v<T>) {
      columns.push_back({name, py::dtype::of<T>(), v.data(), n * sizeof(T)});
    } else {
      py::list l;
      for (std::size_t i = 0; i < n; ++i) l.append(py::str(v[i]));
      lists[py::str(name)] = l;
    }
  }

  template <class T>
  void array(const char* name_c, const char* axis_c, const std::vector<T>& v) {
    const std::string name = name_c, axis = axis_c;
    if constexpr (std::is_same_v<T, std::uint32_t>) {
      if (name == "org_territory") org_territory = &v;
      if (name == "slot_cdp") slot_cdp = &v;
    }
    if (kind == "member" && axis == "member") add(ViewCollector::strip(name, "member_"), v, rows);
    if (kind == "cdp" && axis == "cdp") add(ViewCollector::strip(name, "cdp_"), v, rows);
    if (kind == "organisation" && axis == "organisation")
      add(ViewCollector::strip(name, "org_"), v, v.size());
    if (kind == "territory" && axis == "territory")
      add(ViewCollector::strip(name, "territory_"), v, v.size());
    if (kind == "platform" && axis == "platform")
      add(ViewCollector::strip(name, "platform_"), v, v.size());
  }
  template <class T>
  void count(const char*, const T&) {}
  template <class E>
  void events(const char*, const E&) {}
};

py::dict PySimulation::frame(const std::string& kind) const {
  auto lock = lock_for_state(kind);
  const World& w = engine_->sim.world();
  const std::size_t rows = kind == "member" ? w.members.created : w.cdps.created;
  ColumnCollector c{kind, rows, {}, {}, {}};
  visit_stores(w, c);
  const bool member = kind == "member";
  std::size_t territory_at = 0, memberships_at = 0;
  if (member) {
    c.order.push_back("territory");
    c.order.push_back("memberships");
  }
  // Offsets, each column on a cache line of its own.
  std::size_t bytes = 0;
  const auto place = [&](std::size_t n) {
    const std::size_t at = bytes;
    bytes += (n + 63) / 64 * 64;
    return at;
  };
  for (auto& col : c.columns) col.offset = place(col.bytes);
  if (member) {
    territory_at = place(rows * sizeof(std::uint32_t));
    memberships_at = place(rows * sizeof(std::int32_t));
  }
  FrameBuffer buf = frame_buffer(bytes);
  py::object base = py::capsule(new FrameBuffer(buf), [](void* p) {
    auto* b = static_cast<FrameBuffer*>(p);
    free_frame_buffer(*b);
    delete b;
  });
  {
    py::gil_scoped_release nogil;
    for (const auto& col : c.columns) std::memcpy(buf.data + col.offset, col.src, col.bytes);
    if (member) {
      auto* territory = reinterpret_cast<std::uint32_t*>(buf.data + territory_at);
      auto* memberships = reinterpret_cast<std::int32_t*>(buf.data + memberships_at);
      const std::uint32_t* org = w.members.org.data();
      const std::uint32_t* ot = c.org_territory->data();
      const std::uint32_t* slot = c.slot_cdp->data();
      const std::size_t k = static_cast<std::size_t>(w.members.slots);
      for (std::size_t i = 0; i < rows; ++i) {
        territory[i] = ot[org[i]];
        std::int32_t n = 0;
        for (std::size_t j = 0; j < k; ++j) n += slot[i * k + j] != kNone ? 1 : 0;
        memberships[i] = n;
      }
    }
  }
  lock.unlock();
  py::dict arrays;
  for (const auto& col : c.columns) {
    const auto n =
        static_cast<py::ssize_t>(col.bytes / static_cast<std::size_t>(col.dtype.itemsize()));
    arrays[py::str(col.name)] =
        py::array(col.dtype, {n}, {col.dtype.itemsize()}, buf.data + col.offset, base);
  }
  if (member) {
    const auto n = static_cast<py::ssize_t>(rows);
    arrays["territory"] = py::array_t<std::uint32_t>(
        {n}, {py::ssize_t{4}}, reinterpret_cast<std::uint32_t*>(buf.data + territory_at), base);
    arrays["memberships"] = py::array_t<std::int32_t>(
        {n}, {py::ssize_t{4}}, reinterpret_cast<std::int32_t*>(buf.data + memberships_at), base);
  }
  py::dict out;
  for (const std::string& name : c.order) {
    const py::str key(name);
    out[key] = arrays.contains(key) ? arrays[key] : c.lists[key];
  }
  return out;
}

// ---- Errors ---------------------------------------------------------------------------------

// C++ errors of the user's making become the Python classes of python/cdpsim/_errors.py, with
// the message the command line prints after "cdpsim: error: ".
void register_errors(py::module_& m) {
  py::module_ errors = py::module_::import("cdpsim._errors");
  static py::object scenario_error = errors.attr("ScenarioError");
  static py::object checkpoint_error = errors.attr("CheckpointError");
  static py::object output_error = errors.attr("OutputError");
  static py::object request_error = errors.attr("RequestError");
  (void)m;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ScenarioError& e) {
      PyErr_SetString(scenario_error.ptr(), e.what());
    } catch (const CheckpointError& e) {
      PyErr_SetString(checkpoint_error.ptr(), e.what());
    } catch (const io::OutputError& e) {
      PyErr_SetString(output_error.ptr(), e.what());
    } catch (const DesignError& e) {
      PyErr_SetString(request_error.ptr(), e.what());
    } catch (const CompareError& e) {
      PyErr_SetString(request_error.ptr(), e.what());
    } catch (const SensitivityError& e) {
      PyErr_SetString(request_error.ptr(), e.what());
    } catch (const EnsembleFileError& e) {
      PyErr_SetString(request_error.ptr(), e.what());
    }
  });
}

}  // namespace

}  // namespace cdpsim::python

PYBIND11_MODULE(_core, m) {
  using namespace cdpsim;
  using namespace cdpsim::python;
  m.doc() = "The compiled engine of cdpsim (use the package cdpsim, not this module).";
  register_errors(m);

  py::class_<PyScenario>(m, "Scenario", "A validated scenario (see cdpsim.Scenario).")
      .def_static("load", &scenario_load, py::arg("path"), py::arg("sets"))
      .def_static("from_toml", &scenario_from_toml, py::arg("toml"), py::arg("source"),
                  py::arg("sets"))
      .def("to_toml", [](const PyScenario& p) { return resolved_toml(*p.value); })
      .def_property_readonly("name", [](const PyScenario& p) { return p.value->simulation.name; })
      .def_property_readonly("question",
                             [](const PyScenario& p) { return p.value->simulation.question; })
      .def_property_readonly("weeks", [](const PyScenario& p) { return p.value->simulation.weeks; })
      .def_property_readonly("seed", [](const PyScenario& p) { return p.value->simulation.seed; })
      .def_property_readonly(
          "start_date",
          [](const PyScenario& p) { return p.value->simulation.start_date.to_string(); })
      .def_property_readonly("path", [](const PyScenario& p) { return p.path; })
      .def_property_readonly("sets", [](const PyScenario& p) { return p.sets; })
      .def("week_of", [](const PyScenario& p, int y, int mo, int d) {
        return p.value->week_of(Date{y, mo, d});
      });

  py::class_<PySimulation>(m, "Simulation", "One run (see cdpsim.Simulation).")
      .def(py::init<const PyScenario&, std::optional<std::int64_t>, int>(), py::arg("scenario"),
           py::arg("seed"), py::arg("threads"))
      .def(py::init<const std::string&, const std::optional<PyScenario>&, const std::string&,
                    std::optional<std::int64_t>, int>(),
           py::arg("checkpoint"), py::arg("scenario"), py::arg("seed_policy"), py::arg("seed"),
           py::arg("threads"))
      .def_property_readonly("week", &PySimulation::week)
      .def_property_readonly("weeks", &PySimulation::weeks)
      .def_property_readonly("date", &PySimulation::date)
      .def_property_readonly("seed", &PySimulation::seed)
      .def_property_readonly("threads", &PySimulation::threads)
      .def_property_readonly("scenario", &PySimulation::scenario)
      .def("week_of", &PySimulation::week_of)
      .def("step", &PySimulation::step)
      .def("run", &PySimulation::run, py::arg("until"))
      .def("write", &PySimulation::write, py::arg("path"), py::arg("force"), py::arg("atomic"))
      .def("contents", &PySimulation::contents)
      .def("checkpoint", &PySimulation::checkpoint, py::arg("path"))
      .def("intervene", &PySimulation::intervene, py::arg("tables"))
      .def("state", &PySimulation::state, py::arg("kind"))
      .def("frame", &PySimulation::frame, py::arg("kind"));

  m.def("checkpoint_scenario",
        [](const std::string& path) { return read_checkpoint(path).scenario_toml; });
  bind_experiments(m);
}
