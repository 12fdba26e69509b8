#include "experiments/metrics/attributes.hpp"

#include <cstdint>
#include <string>

#include "experiments/run/memory_sink.hpp"

namespace cdpsim {

std::vector<io::Attr> series_attributes(const SeriesDef& def) {
  return {{"units", std::string(def.units)}, {"long_name", std::string(def.long_name)}};
}

void write_metric_table(io::NcWriter& f, const std::vector<std::string>& names, bool meaning) {
  std::vector<const Metric*> rows;
  for (const std::string& n : names) rows.push_back(&metric(n));
  auto strings = [&](const char* var, const char* long_name, auto field) {
    std::vector<std::string> v;
    for (const Metric* m : rows) v.emplace_back(field(*m));
    f.write_strings(var, "metric", v, {{"long_name", std::string(long_name)}});
  };
  strings("metric_label", "short label", [](const Metric& m) { return m.label; });
  if (meaning) strings("metric_meaning", "meaning", [](const Metric& m) { return m.meaning; });
  strings("metric_direction", "higher_is_better, lower_is_better or neutral",
          [](const Metric& m) { return direction_name(m.direction); });
  strings("metric_when", "at_last_week or over_run",
          [](const Metric& m) { return measured_name(m.when); });
  strings("metric_verdict_more", "how a positive difference reads; {x}: its size",
          [](const Metric& m) { return m.more; });
  strings("metric_verdict_fewer", "how a negative difference reads; {x}: its size",
          [](const Metric& m) { return m.fewer; });
  strings("metric_display_unit", "unit word after a shown difference",
          [](const Metric& m) { return m.display_unit; });
  // French twins (docs/output.md): added variables, the English ones above are unchanged.
  strings("metric_label_fr", "short label, in French", [](const Metric& m) { return m.label_fr; });
  if (meaning)
    strings("metric_meaning_fr", "meaning, in French",
            [](const Metric& m) { return m.meaning_fr; });
  strings("metric_verdict_more_fr", "how a positive difference reads, in French; {x}: its size",
          [](const Metric& m) { return m.more_fr; });
  strings("metric_verdict_fewer_fr", "how a negative difference reads, in French; {x}: its size",
          [](const Metric& m) { return m.fewer_fr; });
  strings("metric_display_unit_fr", "unit word after a shown difference, in French",
          [](const Metric& m) { return m.display_unit_fr; });
  std::vector<double> scale;
  std::vector<std::int8_t> defaults;
  for (const Metric* m : rows) {
    scale.push_back(m->display_scale);
    defaults.push_back(m->compare_default ? 1 : 0);
  }
  f.write<double>("metric_display_scale", {"metric"}, scale,
                  {{"long_name", std::string("shown value = value x scale")}});
  f.write<std::int8_t>("metric_compare_default", {"metric"}, defaults,
                       {{"long_name", std::string("1: reported by cdpsim compare by default")}});
}

namespace {

template <class Sink>
void model_axes(Sink& f) {
  f.add_coordinate("phase", std::vector<std::string>(kPhaseNames.begin(), kPhaseNames.end()),
                   {{"long_name", std::string("CdP lifecycle phase")}});
  f.add_coordinate("tier", std::vector<std::string>(kTierNames.begin(), kTierNames.end()),
                   {{"long_name", std::string("participation tier")}});
  std::vector<std::string> levers;
  for (const LeverInfo& l : kLeverInfo) levers.emplace_back(l.key);
  f.add_coordinate("lever", levers, {{"long_name", std::string("lever of action")}});
}

}  // namespace

void add_model_axes(io::NcWriter& f) { model_axes(f); }
void add_model_axes(MemorySink& f) { model_axes(f); }

}  // namespace cdpsim
