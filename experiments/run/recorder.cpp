#include "experiments/run/recorder.hpp"

#include <bit>
#include <cdpsim/version.hpp>

#include "experiments/metrics/attributes.hpp"
#include "experiments/run/memory_sink.hpp"
#include "experiments/scenario_io.hpp"
#include "models/interventions.hpp"
#include "models/series.hpp"
#include "sim/io/nc_writer.hpp"

namespace cdpsim {

void Recorder::record(const WeekRecord& r, const World& w) {
  weeks_.push_back(r);
  if (!per_cdp_) return;
  const Cdps& c = w.cdps;
  const std::uint32_t C = c.created;
  rows_.members.emplace_back(c.members.begin(), c.members.begin() + C);
  rows_.active.emplace_back(c.active.begin(), c.active.begin() + C);
  rows_.links.emplace_back(c.links.begin(), c.links.begin() + C);
  auto& ph = rows_.phase.emplace_back(C);
  auto& rep = rows_.repertoire.emplace_back(C);
  auto& sup = rows_.support.emplace_back(C);
  for (std::uint32_t k = 0; k < C; ++k) {
    ph[k] = static_cast<std::int8_t>(c.phase[k]);
    rep[k] = static_cast<float>(c.repertoire[k]);
    sup[k] = c.support_given[k];
  }
}

namespace {

using io::Attr;

template <class T, class Row>
std::vector<T> pad_rows(const std::vector<Row>& rows, std::size_t width, T fill) {
  std::vector<T> out(rows.size() * width, fill);
  for (std::size_t t = 0; t < rows.size(); ++t)
    std::copy(rows[t].begin(), rows[t].end(), out.begin() + t * width);
  return out;
}

std::vector<Attr> meta(const char* units, const char* long_name) {
  return {{"units", std::string(units)}, {"long_name", std::string(long_name)}};
}

}  // namespace

// The interventions over an `intervention` axis, and each changed parameter's value in force
// as param_SECTION_KEY(week) (docs/output.md, "Interventions").
template <class Sink>
void Recorder::write_interventions(Sink& f, const Scenario& s) const {
  if (s.interventions.empty()) return;
  const InterventionPlan plan = plan_interventions(s, s.simulation.name);
  const std::size_t W = weeks_.size(), I = plan.items.size();
  std::vector<std::string> names, keys;
  std::vector<std::int32_t> start(I), end(I);
  std::vector<std::int8_t> triggered(I);
  for (std::size_t i = 0; i < I; ++i) {
    const PlannedIntervention& p = plan.items[i];
    names.push_back(p.name);
    keys.push_back(s.interventions[i].key);
    start[i] = static_cast<std::int32_t>(p.start);
    end[i] = p.end == kNever ? -1 : static_cast<std::int32_t>(p.end);
    triggered[i] = p.triggered() ? 1 : 0;
  }
  f.add_coordinate("intervention", names, {{"long_name", std::string("intervention")}});
  f.write_strings("intervention_key", "intervention", keys,
                  {{"long_name", std::string("parameter the intervention changes")}});
  f.template write<std::int32_t>("intervention_start", {"intervention"}, start,
                                 meta("week", "first week it may be in force"));
  f.template write<std::int32_t>("intervention_end", {"intervention"}, end,
                                 meta("week", "first week no longer in force (-1: none)"));
  f.template write<std::int8_t>("intervention_triggered", {"intervention"}, triggered,
                                meta("1", "1 when a trigger switches it on and off"));
  std::vector<std::int8_t> active(W * I);
  for (std::size_t t = 0; t < W; ++t)
    for (std::size_t i = 0; i < I; ++i)
      active[t * I + i] = static_cast<std::int8_t>(weeks_[t].interventions_active[i]);
  f.template write<std::int8_t>("intervention_active", {"week", "intervention"}, active,
                                meta("1", "1 in the weeks the intervention is in force"));
  Scenario copy = s;
  const Schema schema = make_schema(copy);
  for (std::size_t j = 0; j < plan.params.size(); ++j) {
    const MidRunKey& k = mid_run_keys()[static_cast<std::size_t>(plan.params[j])];
    std::string var = "param_" + std::string(k.key);
    std::replace(var.begin(), var.end(), '.', '_');
    const std::string ln = "value in force of " + std::string(k.key);
    std::vector<double> v(W);
    for (std::size_t t = 0; t < W; ++t) v[t] = weeks_[t].params[j];
    const Field& field = find_slot(schema, k.key)->meta;
    if (k.type == MidRunKey::Type::number) {
      f.template write<double>(var, {"week"}, v, meta(std::string(field.unit).c_str(), ln.c_str()));
      continue;
    }
    std::vector<std::int8_t> code(W);
    for (std::size_t t = 0; t < W; ++t) code[t] = static_cast<std::int8_t>(v[t]);
    std::string meanings = "false true", values = "0 1";
    if (k.type == MidRunKey::Type::choice) {
      meanings.clear();
      values.clear();
      for (std::size_t c = 0; c < field.choices.size(); ++c) {
        if (c > 0) {
          meanings += ' ';
          values += ' ';
        }
        meanings += field.choices[c];
        values += std::to_string(c);
      }
    }
    f.template write<std::int8_t>(
        var, {"week"}, code,
        {{"long_name", ln}, {"flag_values", values}, {"flag_meanings", meanings}});
  }
}

void Recorder::write(const std::filesystem::path& path, const Scenario& s, const World& w,
                     const RunMeta& m) const {
  io::NcWriter f(path);
  write_to(f, s, w, m);
  f.close();
}

template <class Sink>
void Recorder::write_to(Sink& f, const Scenario& s, const World& w, const RunMeta& m) const {
  const std::size_t W = weeks_.size();
  std::vector<std::int32_t> week(W), days(W);
  for (std::size_t t = 0; t < W; ++t) {
    week[t] = weeks_[t].week;
    days[t] = 7 * weeks_[t].week;
  }
  f.add_coordinate("week", std::span<const std::int32_t>(week),
                   meta("week", "weeks since the scenario's start date"));
  add_model_axes(f);
  f.add_coordinate("territory", w.territories.name, {{"long_name", std::string("territory")}});
  f.add_coordinate("platform", w.platforms.name, {{"long_name", std::string("digital platform")}});

  const std::string start = s.simulation.start_date.to_string();
  f.template write<std::int32_t>(
      "date", {"week"}, days,
      {{"units", "days since " + start},
       {"calendar", std::string("proleptic_gregorian")},
       {"long_name", std::string("calendar date of the week's Monday")}});

  // The weekly series, as listed once in series.cpp (ensembles write the same names).
  const AxisSizes sizes{w.territories.size(), w.platforms.size()};
  for (const SeriesDef& d : weekly_series()) {
    const std::size_t width = axis_width(d.axis, sizes);
    std::vector<std::string> dims{"week"};
    if (d.axis != SeriesAxis::none) dims.emplace_back(axis_dimension(d.axis));
    if (d.integer) {
      std::vector<std::int64_t> v(W * width);
      extract_series(d, weeks_, width, v.data());
      f.template write<std::int64_t>(std::string(d.name), dims, v, series_attributes(d));
    } else {
      std::vector<double> v(W * width);
      extract_series(d, weeks_, width, v.data());
      f.template write<double>(std::string(d.name), dims, v, series_attributes(d));
    }
  }

  write_interventions(f, s);

  // CdPs ever created, with static attributes and (optionally) their weekly series.
  const std::uint32_t C = w.cdps.created;
  std::vector<std::int32_t> ids(C);
  for (std::uint32_t k = 0; k < C; ++k) ids[k] = static_cast<std::int32_t>(k);
  f.add_coordinate("cdp", std::span<const std::int32_t>(ids), meta("1", "CdP id"));
  const Cdps& c = w.cdps;
  auto cdp_attr = [&](const char* name, const char* units, const char* ln, auto get) {
    using V = decltype(get(0u));
    std::vector<V> v(C);
    for (std::uint32_t k = 0; k < C; ++k) v[k] = get(k);
    f.template write<V>(name, {"cdp"}, v, meta(units, ln));
  };
  cdp_attr("cdp_birth_week", "week", "week the CdP was created (-1: existed at the start)",
           [&](std::uint32_t k) { return c.birth_week[k]; });
  cdp_attr("cdp_territory", "1", "territory index",
           [&](std::uint32_t k) { return static_cast<std::int32_t>(c.territory[k]); });
  cdp_attr("cdp_platform", "1", "platform index",
           [&](std::uint32_t k) { return static_cast<std::int32_t>(c.platform[k]); });
  cdp_attr("cdp_mutual_aid", "1", "1 for a mutual-aid CdP of the pandemic burst",
           [&](std::uint32_t k) { return static_cast<std::int8_t>(c.mutual_aid[k]); });
  cdp_attr("cdp_last_support_week", "week", "last week the CdP got support (-1: never)",
           [&](std::uint32_t k) { return c.last_support_week[k]; });
  cdp_attr("cdp_support_total", "h", "support hours received over the run",
           [&](std::uint32_t k) { return c.support_total[k]; });
  cdp_attr("cdp_autonomy", "1", "autonomy at the end of the run",
           [&](std::uint32_t k) { return static_cast<double>(c.autonomy[k]); });
  if (per_cdp_) {
    f.template write<std::int32_t>("cdp_members", {"week", "cdp"},
                                   pad_rows<std::int32_t>(rows_.members, C, 0),
                                   meta("members", "members of each CdP (0 before creation)"));
    f.template write<std::int32_t>("cdp_active_members", {"week", "cdp"},
                                   pad_rows<std::int32_t>(rows_.active, C, 0),
                                   meta("members", "members who took part this week"));
    f.template write<std::int8_t>(
        "cdp_phase", {"week", "cdp"}, pad_rows<std::int8_t>(rows_.phase, C, -1),
        {{"units", std::string("1")},
         {"long_name", std::string("phase index into the phase coordinate "
                                   "(-1 before creation)")}});
    f.template write<float>("cdp_repertoire", {"week", "cdp"},
                            pad_rows<float>(rows_.repertoire, C, 0.0f),
                            meta("repertoire units", "codified knowledge of each CdP"));
    f.template write<std::int32_t>(
        "cdp_links", {"week", "cdp"}, pad_rows<std::int32_t>(rows_.links, C, 0),
        meta("CdPs", "other CdPs linked by shared active members or cross-posts"));
    f.template write<float>("cdp_support_hours", {"week", "cdp"},
                            pad_rows<float>(rows_.support, C, 0.0f),
                            meta("h/week", "support hours received"));
  }

  if (s.output.per_member) {
    const Members& mb = w.members;
    const std::uint32_t M = mb.created;
    std::vector<std::int32_t> mid(M), org(M), ter(M), jw(M);
    std::vector<std::uint32_t> contrib(M);
    std::vector<std::int8_t> status(M);
    for (std::uint32_t i = 0; i < M; ++i) {
      mid[i] = static_cast<std::int32_t>(i);
      org[i] = static_cast<std::int32_t>(mb.org[i]);
      ter[i] = static_cast<std::int32_t>(w.orgs.territory[mb.org[i]]);
      jw[i] = mb.join_week[i];
      contrib[i] = mb.contributions[i];
      status[i] = static_cast<std::int8_t>(mb.status[i]);
    }
    f.add_coordinate("member", std::span<const std::int32_t>(mid), meta("1", "member id"));
    f.template write<std::uint32_t>("member_contributions", {"member"}, contrib,
                                    meta("posts", "contributions over the run"));
    f.template write<std::int32_t>("member_organisation", {"member"}, org,
                                   meta("1", "organisation index"));
    f.template write<std::int32_t>("member_territory", {"member"}, ter,
                                   meta("1", "territory index"));
    f.template write<std::int32_t>("member_join_week", {"member"}, jw,
                                   meta("week", "registration week"));
    f.template write<std::int8_t>("member_status", {"member"}, status,
                                  meta("1", "1 registered, 2 left the ecosystem"));
  }

  if (s.output.events) {
    const std::size_t E = w.events.size();
    f.add_dimension("event", E);
    std::vector<std::int32_t> ew(E), ec(E);
    std::vector<std::int8_t> ek(E);
    std::vector<std::string> ed(E);
    for (std::size_t i = 0; i < E; ++i) {
      ew[i] = w.events[i].week;
      ek[i] = static_cast<std::int8_t>(w.events[i].kind);
      ec[i] = w.events[i].cdp;
      ed[i] = w.events[i].detail;
    }
    std::string kinds;
    for (std::size_t i = 0; i < kEventNames.size(); ++i) {
      if (i) kinds += ' ';
      kinds += std::to_string(i);
      kinds += '=';
      kinds += kEventNames[i];
    }
    f.template write<std::int32_t>("event_week", {"event"}, ew, meta("week", "week of the event"));
    f.template write<std::int8_t>(
        "event_kind", {"event"}, ek,
        {{"long_name", std::string("kind of event")}, {"flag_meanings", kinds}});
    f.template write<std::int32_t>("event_cdp", {"event"}, ec,
                                   meta("1", "CdP concerned (-1: none)"));
    f.write_strings("event_detail", "event", ed, {{"long_name", std::string("details")}});
  }

  f.set_attribute({"title", "cdpsim run: " + s.simulation.name});
  f.set_attribute({"Conventions", std::string("CF-1.8")});
  f.set_attribute({"cdpsim_version", std::string(version)});
  f.set_attribute({"output_kind", std::string("run")});
  f.set_attribute({"scenario_name", s.simulation.name});
  f.set_attribute({"scenario_toml", resolved_toml(s)});
  f.set_attribute({"start_date", start});
  f.set_attribute({"seed", static_cast<std::int64_t>(m.seed)});
  f.set_attribute({"status", m.status});
  f.set_attribute({"weeks_completed", static_cast<std::int64_t>(W)});
  f.set_attribute({"weeks_planned", static_cast<std::int64_t>(m.weeks_planned)});
  if (m.branch_week >= 0) {
    f.set_attribute({"branch_of", m.branch_of});
    f.set_attribute({"branch_week", m.branch_week});
    f.set_attribute({"seed_policy", m.seed_policy});
    f.set_attribute({"branch_seed", std::bit_cast<std::int64_t>(m.draw_seed)});
  }
  // Shocks scheduled after the horizon are valid but never happen: say so (docs/output.md).
  if (const std::string never = shocks_never_happened(s, m.weeks_planned); !never.empty())
    f.set_attribute({"shocks_beyond_horizon", never});
}

template void Recorder::write_to(io::NcWriter&, const Scenario&, const World&,
                                 const RunMeta&) const;
template void Recorder::write_to(MemorySink&, const Scenario&, const World&, const RunMeta&) const;

}  // namespace cdpsim
