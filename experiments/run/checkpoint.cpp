#include "experiments/run/checkpoint.hpp"

#include <bit>
#include <cdpsim/version.hpp>
#include <cstdio>
#include <limits>
#include <map>
#include <type_traits>
#include <variant>

#include "experiments/durable.hpp"
#include "experiments/scenario_io.hpp"
#include "models/world_stores.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/nc_reader.hpp"
#include "sim/io/nc_writer.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const fs::path& p, const std::string& why) {
  throw CheckpointError(p.string() + ": " + why);
}

template <class T>
constexpr bool is_string = std::is_same_v<T, std::string>;

// Text is outside HDF5's chunk checksums (variable-length strings live in the global heap).
void hash_text(Fnv1a& h, const std::string& s) {
  h.integer(static_cast<std::int64_t>(s.size()));
  h.bytes(s.data(), s.size());
}

// ---- the World ------------------------------------------------------------------------------

class StoreWriter {
 public:
  StoreWriter(io::NcWriter& f, Fnv1a& text) : f_(f), text_(text) {}

  template <class T>
  void array(const char* name, const char* dim, const std::vector<T>& v) {
    dimension(dim, v.size());
    if constexpr (is_string<T>) {
      for (const std::string& s : v) hash_text(text_, s);
      f_.write_strings(name, dim, v);
    } else {
      f_.write<T>(name, {dim}, std::span<const T>(v));
    }
  }
  template <class T>
  void count(const char* name, T v) {
    f_.set_attribute({name, static_cast<std::int64_t>(v)});
  }
  void events(const char* dim, const std::vector<Event>& e) {
    std::vector<std::int32_t> week(e.size()), cdp(e.size());
    std::vector<std::uint8_t> kind(e.size());
    std::vector<std::string> detail(e.size());
    for (std::size_t i = 0; i < e.size(); ++i) {
      week[i] = e[i].week;
      kind[i] = static_cast<std::uint8_t>(e[i].kind);
      cdp[i] = e[i].cdp;
      detail[i] = e[i].detail;
    }
    array("event_week", dim, week);
    array("event_kind", dim, kind);
    array("event_cdp", dim, cdp);
    array("event_detail", dim, detail);
  }
  void dimension(const std::string& dim, std::size_t n) {
    const auto [it, added] = dims_.emplace(dim, n);
    if (added) f_.add_dimension(dim, n);
    if (it->second != n)
      throw std::logic_error("checkpoint: arrays of axis " + dim + " differ in length");
  }

 private:
  io::NcWriter& f_;
  Fnv1a& text_;
  std::map<std::string, std::size_t> dims_;
};

class StoreReader {
 public:
  StoreReader(const io::NcReader& f, Fnv1a& text) : f_(f), text_(text) {}

  template <class T>
  void array(const char* name, const char* dim, std::vector<T>& v) {
    if (!f_.has_variable(name)) refuse(f_.path(), std::string("no variable ") + name);
    if constexpr (is_string<T>) {
      v = f_.read_strings(name);
      for (const std::string& s : v) hash_text(text_, s);
    } else {
      v = f_.read_exact<T>(name);
    }
    const auto [it, added] = lengths_.emplace(dim, v.size());
    if (!added && it->second != v.size())
      refuse(f_.path(), std::string(name) + " is not as long as the other arrays of its axis");
  }
  template <class T>
  void count(const char* name, T& v) {
    if (!f_.has_attribute(name)) refuse(f_.path(), std::string("no attribute ") + name);
    const std::int64_t x = f_.int_attribute(name);
    if (x < 0 || x > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
      refuse(f_.path(), std::string(name) + " out of range");
    v = static_cast<T>(x);
  }
  void events(const char* dim, std::vector<Event>& e) {
    std::vector<std::int32_t> week, cdp;
    std::vector<std::uint8_t> kind;
    std::vector<std::string> detail;
    array("event_week", dim, week);
    array("event_kind", dim, kind);
    array("event_cdp", dim, cdp);
    array("event_detail", dim, detail);
    e.resize(week.size());
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (kind[i] >= kEventNames.size()) refuse(f_.path(), "event_kind out of range");
      e[i] = Event{week[i], static_cast<EventKind>(kind[i]), cdp[i], std::move(detail[i])};
    }
  }
  [[nodiscard]] std::size_t length(const std::string& dim) const {
    const auto it = lengths_.find(dim);
    return it == lengths_.end() ? 0 : it->second;
  }

 private:
  const io::NcReader& f_;
  Fnv1a& text_;
  std::map<std::string, std::size_t> lengths_;
};

// ---- the weeks recorded so far: one column per WeekRecord field, over weeks -------------------

using Column = std::variant<std::vector<std::int32_t>, std::vector<std::int64_t>,
                            std::vector<double>, std::vector<std::uint8_t>>;

class ColumnWriter {
 public:
  template <class T>
  void field(const char* name, const T& x) {
    col<T>(name).push_back(x);
  }
  template <class T, std::size_t N>
  void fixed(const char* name, const std::array<T, N>& a) {
    auto& c = col<T>(name);
    c.insert(c.end(), a.begin(), a.end());
  }
  template <class T>
  void ragged(const char* name, const std::vector<T>& v) {
    auto& c = col<T>(name);
    c.insert(c.end(), v.begin(), v.end());
    col<std::int64_t>(std::string(name) + "_length").push_back(static_cast<std::int64_t>(v.size()));
  }
  void write(io::NcWriter& f, const std::string& prefix) const {
    for (const std::string& name : order_)
      std::visit(
          [&](const auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            const std::string var = prefix + name;
            f.add_dimension("n_" + var, v.size());
            f.write<T>(var, {"n_" + var}, std::span<const T>(v));
          },
          cols_.at(name));
  }

 private:
  template <class T>
  std::vector<T>& col(const std::string& name) {
    auto it = cols_.find(name);
    if (it == cols_.end()) {
      order_.push_back(name);
      it = cols_.emplace(name, std::vector<T>{}).first;
    }
    return std::get<std::vector<T>>(it->second);
  }
  std::map<std::string, Column> cols_;
  std::vector<std::string> order_;
};

class ColumnReader {
 public:
  ColumnReader(const io::NcReader& f, std::string prefix, std::size_t weeks)
      : f_(f), prefix_(std::move(prefix)), weeks_(weeks) {}

  template <class T>
  void field(const char* name, T& x) {
    const auto& c = col<T>(name, weeks_);
    x = c[row_];
  }
  template <class T, std::size_t N>
  void fixed(const char* name, std::array<T, N>& a) {
    const auto& c = col<T>(name, weeks_ * N);
    std::copy_n(c.begin() + static_cast<std::ptrdiff_t>(row_ * N), N, a.begin());
  }
  template <class T>
  void ragged(const char* name, std::vector<T>& v) {
    const std::string len_name = std::string(name) + "_length";
    const auto& len = col<std::int64_t>(len_name, weeks_);
    auto& off = offsets_[name];
    const auto& c = col<T>(name, static_cast<std::size_t>(-1));
    const std::int64_t n = len[row_];
    if (n < 0 || off + static_cast<std::size_t>(n) > c.size())
      refuse(f_.path(), prefix_ + name + ": lengths do not add up");
    v.assign(c.begin() + static_cast<std::ptrdiff_t>(off),
             c.begin() + static_cast<std::ptrdiff_t>(off + static_cast<std::size_t>(n)));
    off += static_cast<std::size_t>(n);
  }
  void next_row() { ++row_; }

 private:
  // The column `name`, read once; `expected` elements (-1: any).
  template <class T>
  const std::vector<T>& col(const std::string& name, std::size_t expected) {
    auto it = cols_.find(name);
    if (it == cols_.end()) {
      const std::string var = prefix_ + name;
      if (!f_.has_variable(var)) refuse(f_.path(), "no variable " + var);
      it = cols_.emplace(name, f_.read_exact<T>(var)).first;
      const auto& v = std::get<std::vector<T>>(it->second);
      if (expected != static_cast<std::size_t>(-1) && v.size() != expected)
        refuse(f_.path(), var + " has " + std::to_string(v.size()) + " values, expected " +
                              std::to_string(expected));
    }
    return std::get<std::vector<T>>(it->second);
  }
  const io::NcReader& f_;
  std::string prefix_;
  std::size_t weeks_;
  std::size_t row_ = 0;
  std::map<std::string, Column> cols_;
  std::map<std::string, std::size_t> offsets_;
};

// ---- per-CdP rows: flattened, with each week's width ------------------------------------------

template <class T>
std::vector<T> flatten(const std::vector<std::vector<T>>& rows) {
  std::vector<T> out;
  for (const auto& r : rows) out.insert(out.end(), r.begin(), r.end());
  return out;
}

template <class T>
std::vector<std::vector<T>> unflatten(const std::vector<T>& flat,
                                      const std::vector<std::int64_t>& width) {
  std::vector<std::vector<T>> rows;
  std::size_t off = 0;
  for (const std::int64_t w : width) {
    rows.emplace_back(
        flat.begin() + static_cast<std::ptrdiff_t>(off),
        flat.begin() + static_cast<std::ptrdiff_t>(off + static_cast<std::size_t>(w)));
    off += static_cast<std::size_t>(w);
  }
  return rows;
}

void write_rows(io::NcWriter& f, const CdpRows& r) {
  std::vector<std::int64_t> width;
  for (const auto& row : r.members) width.push_back(static_cast<std::int64_t>(row.size()));
  std::size_t total = 0;
  for (const std::int64_t w : width) total += static_cast<std::size_t>(w);
  f.add_dimension("rows_week", width.size());
  f.add_dimension("rows_value", total);
  f.write<std::int64_t>("rows_width", {"rows_week"}, std::span<const std::int64_t>(width));
  const auto put = [&](const char* name, const auto& rows) {
    using T = typename std::decay_t<decltype(rows)>::value_type::value_type;
    const std::vector<T> flat = flatten(rows);
    f.write<T>(name, {"rows_value"}, std::span<const T>(flat));
  };
  put("rows_members", r.members);
  put("rows_active", r.active);
  put("rows_links", r.links);
  put("rows_phase", r.phase);
  put("rows_repertoire", r.repertoire);
  put("rows_support", r.support);
}

CdpRows read_rows(const io::NcReader& f, std::size_t weeks) {
  CdpRows r;
  if (!f.has_variable("rows_width")) return r;
  const std::vector<std::int64_t> width = f.read_exact<std::int64_t>("rows_width");
  std::size_t total = 0;
  for (const std::int64_t w : width) {
    if (w < 0) refuse(f.path(), "rows_width: negative");
    total += static_cast<std::size_t>(w);
  }
  if (width.size() != weeks) refuse(f.path(), "rows_width: not one per recorded week");
  const auto get = [&](const char* name, auto& rows) {
    using T = typename std::decay_t<decltype(rows)>::value_type::value_type;
    const std::vector<T> flat = f.read_exact<T>(name);
    if (flat.size() != total) refuse(f.path(), std::string(name) + ": not the rows' total length");
    rows = unflatten(flat, width);
  };
  get("rows_members", r.members);
  get("rows_active", r.active);
  get("rows_links", r.links);
  get("rows_phase", r.phase);
  get("rows_repertoire", r.repertoire);
  get("rows_support", r.support);
  return r;
}

// ---- checks of a read World against its scenario ----------------------------------------------

void check_world(const fs::path& p, const World& w, const StoreReader& rd, const Scenario& s) {
  const Members& m = w.members;
  const Cdps& c = w.cdps;
  const auto need = [&](bool ok, const std::string& what) {
    if (!ok) refuse(p, "damaged checkpoint: " + what);
  };
  const std::size_t M = m.capacity, C = c.capacity, O = w.orgs.culture.size();
  const std::size_t T = w.territories.name.size(), P = w.platforms.name.size();
  need(m.slots >= 1 && m.slots == s.population.max_memberships, "members_slots");
  need(M == static_cast<std::size_t>(s.population.potential_members), "members_capacity");
  need(m.created <= M && c.created <= C, "created above capacity");
  need(rd.length("member") == M, "member arrays not of members_capacity");
  need(rd.length("slot") == M * static_cast<std::size_t>(m.slots), "slot arrays");
  need(rd.length("cdp") == C && rd.length("cdp_by_phase") == C * kPhases, "cdp arrays");
  need(T == s.territories.size(), "territories");
  need(rd.length("organisation") == O && O > 0, "organisation arrays");
  need(rd.length("platform") == P && P > 0, "platform arrays");
  need(w.territories.nb_offset.size() == T + 1 &&
           w.territories.nb_offset.back() == w.territories.nb_target.size(),
       "territory neighbours");
  for (std::uint32_t x : w.territories.nb_target) need(x < T, "territory_nb_target");
  for (std::uint32_t x : w.orgs.territory) need(x < T, "org_territory");
  for (std::size_t i = 0; i < M; ++i) {
    need(m.org[i] < O, "member_org");
    need(m.status[i] <= 2, "member_status");
  }
  for (std::uint32_t x : m.slot_cdp) need(x == kNone || x < c.created, "slot_cdp");
  for (std::uint8_t x : m.slot_tier) need(x < kTiers, "slot_tier");
  for (std::size_t k = 0; k < C; ++k) {
    need(c.phase[k] < kPhases, "cdp_phase");
    need(c.animator[k] == kNone || c.animator[k] < M, "cdp_animator");
    need(c.territory[k] < T, "cdp_territory");
    need(c.platform[k] < P, "cdp_platform");
  }
  need(w.week >= 0 && w.week <= s.simulation.weeks, "week beyond the scenario's horizon");
}

// The interventions' progress as arrays over `intervention`, named once for writing and reading.
struct ProgressArrays {
  std::vector<std::uint8_t> on, exhausted, trigger_on;
  std::vector<std::int64_t> since, blackout_until;
  std::vector<double> hours, money;
  std::vector<double> spent;  // hours, money since week 0

  static ProgressArrays of(const InterventionState::Progress& p) {
    ProgressArrays a;
    for (const InterventionState::Live& L : p.live) {
      a.on.push_back(L.on);
      a.exhausted.push_back(L.exhausted);
      a.trigger_on.push_back(L.trigger_on);
      a.since.push_back(L.since);
      a.blackout_until.push_back(L.blackout_until);
      a.hours.push_back(L.hours);
      a.money.push_back(L.money);
    }
    a.spent = {p.hours, p.money};
    return a;
  }
  [[nodiscard]] InterventionState::Progress progress() const {
    InterventionState::Progress p;
    for (std::size_t i = 0; i < on.size(); ++i)
      p.live.push_back({on[i] != 0, exhausted[i] != 0, trigger_on[i] != 0, since[i],
                        blackout_until[i], hours[i], money[i]});
    p.hours = spent[0];
    p.money = spent[1];
    return p;
  }
  // StoreWriter or StoreReader (the reader checks that the arrays have one length).
  template <class V>
  void visit(V& v) {
    v.array("intervention_on", "intervention", on);
    v.array("intervention_exhausted", "intervention", exhausted);
    v.array("intervention_trigger_on", "intervention", trigger_on);
    v.array("intervention_since", "intervention", since);
    v.array("intervention_blackout_until", "intervention", blackout_until);
    v.array("intervention_hours", "intervention", hours);
    v.array("intervention_money", "intervention", money);
    v.array("interventions_spent", "spent", spent);
  }
};

// Bytes of the World's stores as a checkpoint holds them.
struct StoreSize {
  std::uint64_t bytes = 0, arrays = 0;
  template <class T>
  void array(const char*, const char*, const std::vector<T>& v) {
    ++arrays;
    if constexpr (is_string<T>) {
      for (const std::string& s : v) bytes += s.size() + 64;
    } else {
      bytes += v.size() * sizeof(T);
    }
  }
  template <class T>
  void count(const char*, T) {}
  void events(const char*, const std::vector<Event>& e) {
    arrays += 4;
    for (const Event& x : e) bytes += 16 + x.detail.size() + 64;
  }
};

// Disk the file may take: its arrays, plus HDF5's headers, chunk indexes and checksums, with a
// wide margin (NcWriter's direct mode must never meet a full disk).
std::uint64_t reserve_bytes(const Checkpoint& c) {
  StoreSize size;
  visit_stores(c.state.world, size);
  std::uint64_t rows = 0;
  for (const auto& r : c.rows.members) rows += r.size() * 18;  // six row kinds
  const std::uint64_t weeks = c.weeks.size() * (sizeof(WeekRecord) + 64 * 8 + 64 * 8);
  const std::uint64_t data = size.bytes + rows + weeks + c.scenario_toml.size();
  return data + data / 4 + (size.arrays + 200) * 8192 + (std::uint64_t{16} << 20);
}

}  // namespace

std::string checkpoint_file_name(std::int64_t week) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "week-%06lld.h5", static_cast<long long>(week));
  return buf;
}

std::int64_t checkpoint_file_week(const fs::path& p) {
  const std::string n = p.filename().string();
  if (n.size() != 14 || n.rfind("week-", 0) != 0 || n.substr(11) != ".h5") return -1;
  std::int64_t w = 0;
  for (char ch : n.substr(5, 6)) {
    if (ch < '0' || ch > '9') return -1;
    w = w * 10 + (ch - '0');
  }
  return w;
}

Checkpoint snapshot(const Scenario& s, std::uint64_t seed, const Simulation& sim,
                    const Recorder& rec, const BranchOrigin& origin) {
  Checkpoint c;
  c.scenario_toml = resolved_toml(s);
  c.seed = seed;
  c.weeks_planned = s.simulation.weeks;
  c.date = Date::from_days_since_epoch(s.simulation.start_date.days_since_epoch() +
                                       7 * std::int64_t{sim.week()})
               .to_string();
  c.state.world = sim.world();
  c.state.interventions = sim.interventions().progress();
  c.state.last = sim.last_record();
  c.weeks = rec.weeks();
  c.rows = rec.cdp_rows();
  c.origin = origin;
  return c;
}

void write_checkpoint(const fs::path& path, const Scenario& s, std::uint64_t seed,
                      const Simulation& sim, const Recorder& rec, const BranchOrigin& origin) {
  write_checkpoint(path, snapshot(s, seed, sim, rec, origin));
}

void write_checkpoint(const fs::path& path, const Checkpoint& c) {
  io::write_atomically(path, [&](const fs::path& tmp) {
    io::NcWriter f(tmp, io::NcWriter::Storage::checksummed, reserve_bytes(c));
    Fnv1a text;
    hash_text(text, c.scenario_toml);
    StoreWriter stores(f, text);
    visit_stores(c.state.world, stores);

    ColumnWriter cols;
    for (const WeekRecord& r : c.weeks) visit_fields(r, cols);
    cols.write(f, "rec_");
    if (!c.rows.members.empty()) write_rows(f, c.rows);

    const InterventionState::Progress& pr = c.state.interventions;
    ProgressArrays arrays = ProgressArrays::of(pr);
    arrays.visit(stores);

    hash_text(text, c.origin.checkpoint);
    hash_text(text, c.origin.seed_policy);
    f.set_attribute({"title", std::string("cdpsim checkpoint")});
    f.set_attribute({"output_kind", std::string("checkpoint")});
    f.set_attribute({"checkpoint_format", kCheckpointFormat});
    f.set_attribute({"cdpsim_version", std::string(version)});
    f.set_attribute({"scenario_toml", c.scenario_toml});
    f.set_attribute({"seed", std::bit_cast<std::int64_t>(c.seed)});
    f.set_attribute({"weeks_planned", c.weeks_planned});
    f.set_attribute({"weeks_recorded", static_cast<std::int64_t>(c.weeks.size())});
    f.set_attribute({"date", c.date});
    f.set_attribute({"branch_of", c.origin.checkpoint});
    f.set_attribute({"branch_week", c.origin.week});
    f.set_attribute({"seed_policy", c.origin.seed_policy});
    f.set_attribute({"text_checksum", text.stored()});
    f.close();
  });
}

Checkpoint read_checkpoint(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) refuse(path, "no such checkpoint");
  if (fs::is_directory(path, ec)) refuse(path, "is a folder, not a checkpoint file");
  if (!fs::is_regular_file(path, ec)) refuse(path, "not a regular file");
  try {
    const io::NcReader f(path);
    const auto text_attr = [&](const char* name) {
      if (!f.has_attribute(name))
        refuse(path, std::string("not a cdpsim checkpoint (no ") + name + " attribute)");
      return f.string_attribute(name);
    };
    if (const std::string kind = text_attr("output_kind"); kind != "checkpoint")
      refuse(path, "a cdpsim " + kind + " output, not a checkpoint");
    if (const std::int64_t v = f.int_attribute("checkpoint_format"); v != kCheckpointFormat)
      refuse(path, "checkpoint format " + std::to_string(v) + "; this cdpsim reads format " +
                       std::to_string(kCheckpointFormat));
    if (const std::string v = text_attr("cdpsim_version"); v != version)
      refuse(path, "written by cdpsim " + v + ", this is cdpsim " + version +
                       " (resume with that version, or run again from week 0)");
    Checkpoint c;
    c.path = path;
    c.scenario_toml = text_attr("scenario_toml");
    c.seed = std::bit_cast<std::uint64_t>(f.int_attribute("seed"));
    c.weeks_planned = f.int_attribute("weeks_planned");
    c.origin.checkpoint = text_attr("branch_of");
    c.origin.week = f.int_attribute("branch_week");
    c.origin.seed_policy = text_attr("seed_policy");
    c.date = text_attr("date");
    Fnv1a text;
    hash_text(text, c.scenario_toml);
    StoreReader stores(f, text);
    visit_stores(c.state.world, stores);
    const std::int64_t W = f.int_attribute("weeks_recorded");
    if (W != c.state.world.week) refuse(path, "damaged checkpoint: weeks_recorded is not week");
    ColumnReader cols(f, "rec_", static_cast<std::size_t>(W));
    c.weeks.resize(static_cast<std::size_t>(W));
    for (WeekRecord& r : c.weeks) {
      visit_fields(r, cols);
      cols.next_row();
    }
    c.rows = read_rows(f, c.weeks.size());

    ProgressArrays arrays;
    arrays.visit(stores);
    if (arrays.spent.size() != 2) refuse(path, "damaged checkpoint: interventions_spent");
    c.state.interventions = arrays.progress();
    if (!c.weeks.empty()) c.state.last = c.weeks.back();

    hash_text(text, c.origin.checkpoint);
    hash_text(text, c.origin.seed_policy);
    if (text.stored() != f.int_attribute("text_checksum"))
      refuse(path, "damaged checkpoint: its text does not match its checksum");
    Scenario s;
    try {
      s = load_scenario_text(c.scenario_toml, path.string() + " (scenario_toml)");
    } catch (const ScenarioError& e) {
      refuse(path, std::string("its scenario does not load: ") + e.what());
    }
    check_world(path, c.state.world, stores, s);
    if (s.interventions.size() != c.state.interventions.live.size())
      refuse(path, "damaged checkpoint: interventions do not match its scenario");
    return c;
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::exception& e) {
    // HDF5 reports a failed chunk checksum, a truncated file or a missing object here.
    throw CheckpointError(std::string(e.what()) + " (damaged or not a cdpsim checkpoint)");
  }
}

}  // namespace cdpsim
