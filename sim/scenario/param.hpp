// Self-documenting parameters: every scenario field is declared once, with its TOML key, unit,
// valid range, meaning and source. The loader, the `--set` overrides, the resolved-scenario dump
// and the parameter table in docs/model.md are all generated from these declarations, so they
// cannot drift apart.
//
// A parameter struct exposes them through a visitor:
//
//   struct EngagementParams {
//     double decay = 0.04;
//     template <class V> void visit(V& v) {
//       v.field({"decay", "1/week", 0.0, 1.0, "weekly engagement decay", "assumption"}, decay);
//     }
//   };
//
// Supported field types: double, std::int64_t, bool, std::string (optionally restricted to
// `choices`), Date and Scalar (any one of a number, boolean, string or date, or absent: for keys
// whose meaning depends on another key, like an intervention's `set`). A scenario groups structs
// into sections (`v.section`) and arrays of tables (`v.table_array`, e.g. [[shocks]]).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cdpsim {

// Thrown for any bad scenario input. what() is one line:
//   "FILE:LINE:COLUMN: KEY: problem (allowed: ...)"
//   "--set: levers.animation: problem (allowed: ...)"     for --set overrides
//   "FILE: cannot read scenario file: <reason>"           for a missing or unreadable file
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A calendar date (proleptic Gregorian), used for the scenario start and shock dates.
struct Date {
  int year = 2018;
  int month = 9;
  int day = 3;

  // Days since 1970-01-01 (negative before). Exact for any Gregorian date.
  [[nodiscard]] std::int64_t days_since_epoch() const;
  [[nodiscard]] static Date from_days_since_epoch(std::int64_t days);
  [[nodiscard]] std::string to_string() const;  // "YYYY-MM-DD"
  [[nodiscard]] bool valid() const;
  friend bool operator==(const Date&, const Date&) = default;
};

// A value whose type is known only from another key (an intervention's `set` is a number for
// a lever, a boolean for support.peer_network, a name for support.mode; its `start` a date or a
// week number). `absent` when the files do not give it. Numbers are range-checked against the
// field's [min, max] by the loader; the meaning is checked by the model's validate().
struct Scalar {
  enum class Kind : std::uint8_t { absent, number, boolean, text, date };
  Kind kind = Kind::absent;
  double number = 0.0;
  bool boolean = false;
  std::string text;
  Date date;

  [[nodiscard]] bool given() const { return kind != Kind::absent; }
  [[nodiscard]] static Scalar of(double v) { return {Kind::number, v, false, {}, {}}; }
  [[nodiscard]] static Scalar of_bool(bool v) { return {Kind::boolean, 0.0, v, {}, {}}; }
  [[nodiscard]] static Scalar of_text(std::string v) {
    return {Kind::text, 0.0, false, std::move(v), {}};
  }
  [[nodiscard]] static Scalar of_date(Date d) { return {Kind::date, 0.0, false, {}, d}; }
  friend bool operator==(const Scalar&, const Scalar&) = default;
};

// Metadata of one scenario field.
struct Field {
  std::string_view key;   // TOML key inside its section
  std::string_view unit;  // "1" for dimensionless, "h/week", "weeks", ...
  double min = 0.0;       // inclusive range for numbers (ignored for bool, string, date)
  double max = 0.0;
  std::string_view doc;                        // one sentence: what it means
  std::string_view source = "assumption";      // literature, seed, calibration, or "assumption"
  std::vector<std::string_view> choices = {};  // allowed values for string fields (empty: any)
};

// Type-erased view of a scenario, built by visiting its structs (see SchemaBuilder). The TOML
// loader and the documentation generator work on this view only, so they need no templates.
using FieldPtr = std::variant<double*, std::int64_t*, bool*, std::string*, Date*, Scalar*>;

struct FieldSlot {
  Field meta;
  FieldPtr ptr;
};

struct SectionSchema {
  std::string name;  // TOML table name, e.g. "levers"
  std::string doc;
  std::vector<FieldSlot> fields;
};

// An array of tables such as [[shocks]]: elements are created on demand by the loader.
struct TableArraySchema {
  std::string name;
  std::string doc;
  std::function<std::size_t()> size;
  std::function<void(std::size_t)> resize;            // new elements get their defaults
  std::function<SectionSchema(std::size_t)> element;  // field slots of element i
  SectionSchema prototype;  // fields of a static default element, for documentation; read only
};

struct Schema {
  std::vector<SectionSchema> sections;
  std::vector<TableArraySchema> arrays;
};

// Collects the fields of one struct into a SectionSchema.
class FieldCollector {
 public:
  explicit FieldCollector(SectionSchema& out) : out_(out) {}
  template <class T>
  void field(Field meta, T& value) {
    out_.fields.push_back(FieldSlot{std::move(meta), FieldPtr{&value}});
  }

 private:
  SectionSchema& out_;
};

// Builds a Schema from an aggregate that calls v.section(...) and v.table_array(...).
class SchemaBuilder {
 public:
  template <class T>
  void section(std::string name, std::string doc, T& s) {
    SectionSchema sec{std::move(name), std::move(doc), {}};
    FieldCollector c{sec};
    s.visit(c);
    schema_.sections.push_back(std::move(sec));
  }

  template <class T>
  void table_array(std::string name, std::string doc, std::vector<T>& v) {
    TableArraySchema a;
    a.name = name;
    a.doc = doc;
    a.size = [&v] { return v.size(); };
    a.resize = [&v](std::size_t n) { v.resize(n); };
    a.element = [&v, name](std::size_t i) {
      SectionSchema sec{name, {}, {}};
      FieldCollector c{sec};
      v.at(i).visit(c);
      return sec;
    };
    static T proto{};
    a.prototype = SectionSchema{name, doc, {}};
    FieldCollector c{a.prototype};
    proto.visit(c);
    schema_.arrays.push_back(std::move(a));
  }

  Schema take() { return std::move(schema_); }

 private:
  Schema schema_;
};

// The slot of "section.key" among the schema's sections (not arrays); nullptr when none.
inline const FieldSlot* find_slot(const Schema& schema, std::string_view dotted_key) {
  const std::size_t dot = dotted_key.find('.');
  if (dot == std::string_view::npos) return nullptr;
  for (const auto& sec : schema.sections) {
    if (sec.name != dotted_key.substr(0, dot)) continue;
    for (const auto& f : sec.fields)
      if (f.meta.key == dotted_key.substr(dot + 1)) return &f;
  }
  return nullptr;
}

template <class Aggregate>
Schema make_schema(Aggregate& a) {
  SchemaBuilder b;
  a.visit(b);
  return b.take();
}

}  // namespace cdpsim
