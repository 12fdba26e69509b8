// Scenario loading in three steps: parse the `extends` chain into layers (base first), merge the
// layers into one view that still points at the parsed nodes (so every message names the file,
// line and column where a value really is), then validate the whole view and the `--set`
// overrides into a list of assignments, which are written into the schema only at the end.
#include "sim/scenario/loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "sim/io/text.hpp"

namespace cdpsim {

namespace {

namespace fs = std::filesystem;

using Value = std::variant<double, std::int64_t, bool, std::string, Date, Scalar>;

// ---------------------------------------------------------------------------------------------
// Text helpers

std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}

// what() must stay one line even if a value or a toml++ description has line breaks.
[[noreturn]] void fail(const std::string& msg) { throw ScenarioError(one_line(msg)); }

std::string shortest(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// A double as a TOML float: shortest round-trip digits, always with '.' or an exponent.
std::string toml_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  std::string s = shortest(v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string toml_key(std::string_view k) {
  const bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? std::string(k) : toml_string(k);
}

// A string value quoted for messages, kept on one line.
std::string squote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string join_quoted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + squote(n);
  return out;
}

std::string where(const toml::source_region& r) {
  const std::string path = r.path ? *r.path : std::string("<unknown>");
  return path + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

std::string range_text(double lo, double hi) {
  const std::string a = std::isinf(lo) ? "(-inf" : "[" + shortest(lo);
  const std::string b = std::isinf(hi) ? "inf)" : shortest(hi) + "]";
  return a + ", " + b;
}

// What a field accepts, for "(allowed: ...)".
std::string allowed_text(const FieldSlot& slot) {
  const Field& f = slot.meta;
  switch (slot.ptr.index()) {
    case 0:
      return "a number in " + range_text(f.min, f.max);
    case 1:
      return "an integer in " + range_text(f.min, f.max);
    case 2:
      return "true or false";
    case 3: {
      if (f.choices.empty()) return "any string";
      std::string out;
      for (auto c : f.choices) out += (out.empty() ? "" : ", ") + squote(c);
      return out;
    }
    case 4:
      return "a date like 2020-03-16";
    default:
      // A Scalar with a unit is an optional number (a budget); without, any scalar.
      if (!f.unit.empty()) return "a number in " + range_text(f.min, f.max) + ", or leave it out";
      return "a number in " + range_text(f.min, f.max) +
             ", true or false, a string or a date like 2020-03-16";
  }
}

// The bracket in the "# doc [unit, range]" comment of to_toml, e.g. "[h/week, 0 to 40]".
std::string comment_bracket(const FieldSlot& slot) {
  const Field& f = slot.meta;
  switch (slot.ptr.index()) {
    case 0:
    case 1: {
      const std::string unit = f.unit.empty() ? "" : std::string(f.unit) + ", ";
      return "[" + unit + shortest(f.min) + " to " + shortest(f.max) + "]";
    }
    case 2:
      return "[true or false]";
    case 3:
      return f.choices.empty() ? "[string]" : "[one of " + allowed_text(slot) + "]";
    case 4:
      return "[date]";
    default:
      if (!f.unit.empty())
        return "[" + std::string(f.unit) + ", " + shortest(f.min) + " to " + shortest(f.max) +
               "; may be left out]";
      return "[number, boolean, string or date; may be left out]";
  }
}

std::string describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "string " + squote(n.as_string()->get());
    case toml::node_type::integer:
      return "integer " + std::to_string(n.as_integer()->get());
    case toml::node_type::floating_point:
      return "float " + toml_float(n.as_floating_point()->get());
    case toml::node_type::boolean:
      return n.as_boolean()->get() ? "boolean true" : "boolean false";
    case toml::node_type::date: {
      const toml::date d = n.as_date()->get();
      return "date " + Date{d.year, d.month, d.day}.to_string();
    }
    case toml::node_type::time:
      return "a time of day";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "nothing";
  }
}

std::string value_text(const FieldPtr& p) {
  return std::visit(
      [](auto* v) -> std::string {
        using T = std::remove_pointer_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) {
          return toml_float(*v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(*v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return *v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return toml_string(*v);
        } else if constexpr (std::is_same_v<T, Date>) {
          return v->to_string();
        } else {
          switch (v->kind) {
            case Scalar::Kind::number:
              return toml_float(v->number);
            case Scalar::Kind::boolean:
              return v->boolean ? "true" : "false";
            case Scalar::Kind::text:
              return toml_string(v->text);
            case Scalar::Kind::date:
              return v->date.to_string();
            default:
              return "";  // absent: to_toml leaves the key out
          }
        }
      },
      p);
}

std::vector<std::string> field_names(const SectionSchema& s) {
  std::vector<std::string> out;
  for (const auto& f : s.fields) out.emplace_back(f.meta.key);
  return out;
}

// "unknown key 'x' (did you mean 'y'?)", or the allowed names when none is near.
std::string unknown(std::string_view what, std::string_view key,
                    const std::vector<std::string>& candidates, std::string_view allowed = {}) {
  std::string msg = "unknown " + std::string(what) + " " + squote(key);
  const std::string near = nearest_name(key, candidates);
  if (!near.empty()) return msg + " (did you mean " + squote(near) + "?)";
  if (!allowed.empty()) return msg + " (allowed: " + std::string(allowed) + ")";
  if (candidates.empty()) return msg + " (allowed: no keys here)";
  return msg + " (allowed: " + join_quoted(candidates) + ")";
}

// ---------------------------------------------------------------------------------------------
// Conversion of one TOML value into a field's type, with every check.

std::optional<Date> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {};
  const std::pair<std::size_t, std::size_t> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int i = 0; i < 3; ++i) {
    const auto [off, len] = spans[i];
    for (std::size_t k = off; k < off + len; ++k) {
      if (s[k] < '0' || s[k] > '9') return std::nullopt;
    }
    std::from_chars(s.data() + off, s.data() + off + len, parts[i]);
  }
  return Date{parts[0], parts[1], parts[2]};
}

template <class Error>
Date to_date(const toml::node& node, const Error& error) {
  Date d;
  if (const auto* td = node.as_date()) {
    const toml::date t = td->get();
    d = Date{t.year, t.month, t.day};
  } else if (const auto* s = node.as_string()) {
    const auto parsed = parse_iso_date(s->get());
    if (!parsed) error("value " + squote(s->get()) + " is not a date in the form YYYY-MM-DD");
    d = *parsed;
  } else {
    error("expected a date, got " + describe(node));
  }
  if (!d.valid()) error("value " + squote(d.to_string()) + " is not a valid calendar date");
  // What xarray, netCDF-C and the reports decode (numpy datetime64[ns] ends in 2262).
  if (d.year < 1900 || d.year > 2200)
    error("value " + squote(d.to_string()) +
          " is outside 1900-01-01 to 2200-12-31, the dates every documented reader decodes");
  return d;
}

Value convert(const FieldSlot& slot, const toml::node& node, const std::string& at,
              const std::string& key) {
  const std::string allowed = " (allowed: " + allowed_text(slot) + ")";
  auto error = [&](const std::string& problem) {
    fail(at + ": " + key + ": " + problem + allowed);
  };
  const Field& f = slot.meta;

  auto check_range = [&](double v, const std::string& text) {
    if (!(v >= f.min && v <= f.max)) error("value " + text + " is out of range");
  };

  switch (slot.ptr.index()) {
    case 0: {
      double v = 0.0;
      if (auto i = node.as_integer()) {
        v = static_cast<double>(i->get());
      } else if (auto d = node.as_floating_point()) {
        v = d->get();
      } else {
        error("expected a number, got " + describe(node));
      }
      if (!std::isfinite(v)) error("value " + toml_float(v) + " is not a finite number");
      check_range(v, shortest(v));
      return v;
    }
    case 1: {
      const auto* i = node.as_integer();
      if (!i) error("expected an integer, got " + describe(node));
      const std::int64_t v = i->get();
      check_range(static_cast<double>(v), std::to_string(v));
      return v;
    }
    case 2: {
      const auto* b = node.as_boolean();
      if (!b) error("expected a boolean, got " + describe(node));
      return b->get();
    }
    case 3: {
      const auto* s = node.as_string();
      if (!s) error("expected a string, got " + describe(node));
      const std::string& v = s->get();
      if (!f.choices.empty() &&
          std::find(f.choices.begin(), f.choices.end(), v) == f.choices.end()) {
        std::vector<std::string> names(f.choices.begin(), f.choices.end());
        const std::string near = nearest_name(v, names);
        error("unknown value " + squote(v) +
              (near.empty() ? std::string() : ", did you mean " + squote(near) + "?"));
      }
      return v;
    }
    case 4:
      return to_date(node, error);
    default: {
      if (!f.unit.empty() && !node.as_integer() && !node.as_floating_point())
        error("expected a number, got " + describe(node));
      if (const auto* i = node.as_integer()) {
        const double v = static_cast<double>(i->get());
        check_range(v, std::to_string(i->get()));
        return Scalar::of(v);
      }
      if (const auto* d = node.as_floating_point()) {
        const double v = d->get();
        if (!std::isfinite(v)) error("value " + toml_float(v) + " is not a finite number");
        check_range(v, shortest(v));
        return Scalar::of(v);
      }
      if (const auto* b = node.as_boolean()) return Scalar::of_bool(b->get());
      if (node.as_date()) return Scalar::of_date(to_date(node, error));
      if (const auto* t = node.as_string()) {
        // A string in date form is a date, as for Date fields.
        if (parse_iso_date(t->get())) return Scalar::of_date(to_date(node, error));
        return Scalar::of_text(t->get());
      }
      error("expected a number, boolean, string or date, got " + describe(node));
      return Scalar{};
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading files and the extends chain

struct ReadResult {
  std::string text;
  std::string error;  // empty on success
};

// Bounds of what the reader accepts, checked before toml++ sees the text (docs/scenarios.md).
constexpr std::size_t kMaxScenarioBytes = std::size_t{1} << 20;  // 1 MiB
constexpr int kMaxNesting = 32;          // dotted-key parts plus open brackets; a scenario needs 3
constexpr std::size_t kMaxExtends = 32;  // files in one extends chain

// Only regular files are read (a FIFO is opened without blocking, then refused), at most
// kMaxScenarioBytes of them.
ReadResult read_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return {{}, std::strerror(errno)};
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {{}, std::strerror(errno)};
  if (S_ISDIR(st.st_mode)) return {{}, "is a directory"};
  if (!S_ISREG(st.st_mode))
    return {{}, "is not a regular file (a device, FIFO or socket; allowed: a TOML file)"};
  const std::string too_big = "is larger than the 1 MiB limit of a scenario file";
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxScenarioBytes)
    return {{}, too_big + " (" + std::to_string(st.st_size) + " bytes)"};
  std::string text;
  char buf[1 << 14];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return {{}, std::strerror(errno)};
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxScenarioBytes) return {{}, too_big + " (it grew while being read)"};
  }
  return {std::move(text), {}};
}

// Refuses text nested deeper than kMaxNesting before toml++ parses it (toml++ recurses once per
// dotted-key part and per bracket, so a 62 KB key of 31,000 parts overflowed the stack). Counts,
// outside strings and comments, the open [ and { plus the dots since the last = , [ { or line
// break: a conservative bound of the key depth and value nesting.
void check_nesting(std::string_view text, const std::string& name) {
  int brackets = 0, dots = 0, line = 1, col = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++col;
    if (c == '\n') {
      ++line;
      col = 0;
      dots = 0;
      continue;
    }
    if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      const bool multi = text.substr(i, 3) == std::string(3, c);
      const std::string_view close = multi ? std::string_view(c == '"' ? "\"\"\"" : "\'\'\'")
                                           : std::string_view(c == '"' ? "\"" : "'");
      std::size_t j = i + close.size();
      for (; j < text.size(); ++j) {
        if (c == '"' && text[j] == '\\') {
          ++j;
          continue;
        }
        if (text[j] == '\n') {
          if (!multi) break;  // toml++ reports the unterminated string
          ++line;
          col = 0;
        }
        if (text.substr(j, close.size()) == close) break;
      }
      i = std::min(text.size(), j + close.size()) - 1;
      continue;
    }
    if (c == '[' || c == '{') {
      ++brackets;
      dots = 0;
    } else if (c == ']' || c == '}') {
      brackets = std::max(0, brackets - 1);
    } else if (c == '=' || c == ',') {
      dots = 0;
    } else if (c == '.') {
      ++dots;
    }
    if (brackets + dots > kMaxNesting)
      fail(name + ":" + std::to_string(line) + ":" + std::to_string(col) +
           ": keys or values nested more than " + std::to_string(kMaxNesting) +
           " deep (dotted-key parts and brackets; a scenario needs at most 3)");
  }
}

struct Link {
  fs::path identity;  // for cycle detection
  std::string name;   // as shown in messages
};

fs::path identity_of(const fs::path& p) {
  std::error_code ec;
  fs::path id = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p).lexically_normal() : id;
}

using Layers = std::vector<std::unique_ptr<toml::table>>;

// Parses `text` and, before it, the files it extends; pushes the layers base first.
void collect_layers(std::string_view text, const std::string& name, std::vector<Link>& chain,
                    Layers& layers) {
  check_nesting(text, name);
  auto doc = std::make_unique<toml::table>();
  try {
    *doc = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    fail(where(e.source()) + ": TOML syntax error: " + one_line(e.description()));
  }

  if (const toml::node* ext = doc->get("extends")) {
    const std::string at = where(ext->source());
    const auto* s = ext->as_string();
    if (!s) {
      fail(at + ": extends: expected a string, got " + describe(*ext) +
           " (allowed: the path of a base scenario, relative to this file's directory)");
    }
    const fs::path base = (fs::path(name).parent_path() / s->get()).lexically_normal();
    const std::string base_name = base.generic_string();
    const fs::path base_id = identity_of(base);
    for (const Link& l : chain) {
      if (l.identity != base_id) continue;
      std::string cycle;
      for (const Link& m : chain) cycle += m.name + " -> ";
      fail(at + ": extends: extends cycle: " + cycle + base_name);
    }
    if (chain.size() >= kMaxExtends)
      fail(at + ": extends: the chain of extended files is longer than " +
           std::to_string(kMaxExtends) + " files (allowed: at most " + std::to_string(kMaxExtends) +
           ")");
    ReadResult r = read_file(base);
    if (!r.error.empty()) {
      fail(at + ": extends: cannot read scenario file " + squote(base_name) + ": " + r.error);
    }
    chain.push_back({base_id, base_name});
    collect_layers(r.text, base_name, chain, layers);
    chain.pop_back();
  }
  layers.push_back(std::move(doc));
}

// ---------------------------------------------------------------------------------------------
// Merging layers without copying nodes (toml++ drops source regions on copy).

struct Entry {
  const toml::key* key = nullptr;
  const toml::node* node = nullptr;
};

// A table's entries in the order they appear in the file (toml::table iterates by key).
std::vector<Entry> in_source_order(const toml::table& t) {
  std::vector<Entry> out;
  for (const auto& [k, v] : t) out.push_back({&k, &v});
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    const auto& x = a.key->source().begin;
    const auto& y = b.key->source().begin;
    return std::tie(x.line, x.column) < std::tie(y.line, y.column);
  });
  return out;
}

struct TopEntry {
  std::string name;
  Entry whole;
  std::vector<Entry> fields;  // merged keys when `whole` is a table
};

std::vector<TopEntry> merge_layers(const Layers& layers) {
  std::vector<TopEntry> top;
  for (const auto& layer : layers) {
    for (const Entry& e : in_source_order(*layer)) {
      const std::string name(e.key->str());
      if (name == "extends") continue;
      auto it =
          std::find_if(top.begin(), top.end(), [&](const TopEntry& t) { return t.name == name; });
      const auto* table = e.node->as_table();
      if (it == top.end()) {
        top.push_back({name, e, {}});
        if (table) top.back().fields = in_source_order(*table);
      } else if (table && it->whole.node->is_table()) {
        // Sections merge key by key: the later layer wins.
        it->whole = e;
        for (const Entry& f : in_source_order(*table)) {
          auto fit = std::find_if(it->fields.begin(), it->fields.end(),
                                  [&](const Entry& g) { return g.key->str() == f.key->str(); });
          if (fit != it->fields.end()) {
            *fit = f;
          } else {
            it->fields.push_back(f);
          }
        }
      } else {
        // Anything else, arrays of tables included, is replaced as a whole.
        it->whole = e;
        it->fields = table ? in_source_order(*table) : std::vector<Entry>{};
      }
    }
  }
  return top;
}

// ---------------------------------------------------------------------------------------------
// Validation into assignments, then writing

struct Assignment {
  bool in_array = false;
  std::size_t group = 0;    // section or array index
  std::size_t element = 0;  // array element
  std::size_t field = 0;
  Value value;
};

struct Plan {
  std::vector<std::pair<std::size_t, std::size_t>> resizes;  // (array, new size)
  std::vector<Assignment> assignments;
};

std::optional<std::size_t> find_section(const Schema& s, std::string_view name) {
  for (std::size_t i = 0; i < s.sections.size(); ++i) {
    if (s.sections[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_array(const Schema& s, std::string_view name) {
  for (std::size_t i = 0; i < s.arrays.size(); ++i) {
    if (s.arrays[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_field(const SectionSchema& s, std::string_view key) {
  for (std::size_t i = 0; i < s.fields.size(); ++i) {
    if (s.fields[i].meta.key == key) return i;
  }
  return std::nullopt;
}

void plan_fields(const SectionSchema& sec, const std::vector<Entry>& entries,
                 const std::string& prefix, Assignment base, Plan& plan) {
  for (const Entry& e : entries) {
    const std::string key = prefix + "." + std::string(e.key->str());
    const auto idx = find_field(sec, e.key->str());
    if (!idx) {
      fail(where(e.key->source()) + ": " + key + ": " +
           unknown("key", e.key->str(), field_names(sec)));
    }
    base.field = *idx;
    base.value = convert(sec.fields[*idx], *e.node, where(e.node->source()), key);
    plan.assignments.push_back(base);
  }
}

void plan_document(const std::vector<TopEntry>& top, const Schema& schema, Plan& plan) {
  for (const TopEntry& t : top) {
    const std::string at = where(t.whole.node->source());
    if (const auto s = find_section(schema, t.name)) {
      const auto* table = t.whole.node->as_table();
      if (!table) {
        fail(at + ": " + t.name + ": expected a table [" + t.name + "], got " +
             describe(*t.whole.node) + " (allowed: a table of the keys " +
             join_quoted(field_names(schema.sections[*s])) + ")");
      }
      plan_fields(schema.sections[*s], t.fields, t.name, Assignment{false, *s, 0, 0, {}}, plan);
    } else if (const auto a = find_array(schema, t.name)) {
      const TableArraySchema& arr = schema.arrays[*a];
      const auto* array = t.whole.node->as_array();
      if (!array) {
        fail(at + ": " + t.name + ": expected an array of tables [[" + t.name + "]], got " +
             describe(*t.whole.node) + " (allowed: [[" + t.name + "]] tables, or " + t.name +
             " = [] for none)");
      }
      for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& el = *array->get(i);
        const std::string key = t.name + "[" + std::to_string(i) + "]";
        const auto* table = el.as_table();
        if (!table) {
          fail(where(el.source()) + ": " + key + ": expected a table, got " + describe(el) +
               " (allowed: a table of the keys " + join_quoted(field_names(arr.prototype)) + ")");
        }
        plan_fields(arr.prototype, in_source_order(*table), key, Assignment{true, *a, i, 0, {}},
                    plan);
      }
      plan.resizes.emplace_back(*a, array->size());
    } else {
      std::vector<std::string> names{"extends"};
      std::string allowed = "extends = \"base.toml\"";
      for (const auto& sec : schema.sections) {
        names.push_back(sec.name);
        allowed += ", [" + sec.name + "]";
      }
      for (const auto& arr : schema.arrays) {
        names.push_back(arr.name);
        allowed += ", [[" + arr.name + "]]";
      }
      fail(where(t.whole.key->source()) + ": " + t.name + ": " +
           unknown("key", t.name, names, allowed));
    }
  }
}

// Digits with an optional sign, point and exponent: what a user means as a number.
bool looks_numeric(std::string_view s) {
  if (s.empty()) return false;
  bool digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E' && c != '_') {
      return false;
    }
  }
  return digit;
}

[[noreturn]] void malformed_override(const std::string& text) {
  fail("--set: " + squote(text) + ": expected KEY=VALUE with KEY like section.key or array.N.key");
}

void plan_override(const std::string& text, const Schema& schema, Plan& plan) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) malformed_override(text);
  const std::string key = io::trim(std::string_view(text).substr(0, eq));
  const std::string raw = io::trim(std::string_view(text).substr(eq + 1));
  std::vector<std::string> parts;
  for (std::size_t b = 0;;) {
    const auto dot = key.find('.', b);
    parts.push_back(key.substr(b, dot == std::string::npos ? std::string::npos : dot - b));
    if (dot == std::string::npos) break;
    b = dot + 1;
  }
  const bool empty_part =
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); });
  if (key.empty() || empty_part || parts.size() < 2 || parts.size() > 3) malformed_override(text);

  const std::string at = "--set";
  auto error = [&](const std::string& problem) { fail(at + ": " + key + ": " + problem); };

  const SectionSchema* sec = nullptr;
  Assignment asg;
  const auto s = find_section(schema, parts[0]);
  const auto a = find_array(schema, parts[0]);
  if (!s && !a) {
    std::vector<std::string> names;
    for (const auto& x : schema.sections) names.push_back(x.name);
    for (const auto& x : schema.arrays) names.push_back(x.name);
    error(unknown("section", parts[0], names));
  }

  // Elements that exist once the files are applied: the planned size, else the current one.
  auto array_size = [&](std::size_t idx) {
    std::size_t n = schema.arrays[idx].size();
    for (const auto& [arr, size] : plan.resizes) {
      if (arr == idx) n = size;
    }
    return n;
  };
  auto index_range = [](std::size_t n) {
    return n == 0 ? std::string("none, the array is empty")
                  : "an index in [0, " + std::to_string(n - 1) + "]";
  };

  if (s) {
    if (parts.size() != 2) {
      error("'" + parts[0] + "' is a section, not an array of tables (allowed: " + parts[0] +
            ".KEY=VALUE)");
    }
    sec = &schema.sections[*s];
    asg = Assignment{false, *s, 0, 0, {}};
  } else {
    const std::size_t n = array_size(*a);
    if (parts.size() != 3) {
      error("'" + parts[0] + "' is an array of tables: name an element (allowed: " + parts[0] +
            ".N.KEY=VALUE with N " + index_range(n) + ")");
    }
    std::size_t i = 0;
    const auto& p = parts[1];
    const auto res = std::from_chars(p.data(), p.data() + p.size(), i);
    if (res.ec != std::errc() || res.ptr != p.data() + p.size()) {
      error("element index " + squote(p) + " is not a number (allowed: " + index_range(n) + ")");
    }
    if (i >= n) error("no element " + p + " (allowed: " + index_range(n) + ")");
    sec = &schema.arrays[*a].prototype;
    asg = Assignment{true, *a, i, 0, {}};
  }

  const std::string& field = parts.back();
  const auto f = find_field(*sec, field);
  if (!f) error(unknown("key", field, field_names(*sec)));
  const FieldSlot& slot = sec->fields[*f];

  // The value is TOML (1.5, true, 2020-03-16, "text"); bare words fall back to a string so that
  // `--set support.mode=expert` needs no quotes. A string field takes the raw text in any case.
  toml::table parsed;
  try {
    const std::string doc = "v = " + raw;
    check_nesting(doc, "--set " + key);
    parsed = toml::parse(std::string_view(doc), std::string_view("--set"));
  } catch (const toml::parse_error&) {
    parsed = toml::table{};
  }
  const toml::node* node = parsed.size() == 1 ? parsed.get("v") : nullptr;
  toml::value<std::string> raw_node{raw};
  if (!node || (slot.ptr.index() == 3 && !node->is_string())) node = &raw_node;
  // A number toml++ does not take (70 digits, say) is still a number, not a string.
  toml::value<double> number_node{0.0};
  if (node == &raw_node && slot.ptr.index() <= 1 && looks_numeric(raw)) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(raw.c_str(), &end);
    if (end != raw.c_str() + raw.size() || slot.ptr.index() == 1)
      fail(at + ": " + key + ": value " + squote(raw) + " is not a valid " +
           (slot.ptr.index() == 1 ? "integer" : "number") +
           " (too many digits or malformed; allowed: " + allowed_text(slot) + ")");
    number_node = toml::value<double>{v};
    node = &number_node;
  }

  asg.field = *f;
  asg.value = convert(slot, *node, at, key);
  plan.assignments.push_back(std::move(asg));
}

void apply(const Plan& plan, Schema& schema) {
  for (const auto& [arr, size] : plan.resizes) schema.arrays[arr].resize(size);
  std::map<std::pair<std::size_t, std::size_t>, SectionSchema> elements;
  for (const Assignment& asg : plan.assignments) {
    const SectionSchema* sec = &schema.sections[asg.group];
    if (asg.in_array) {
      auto key = std::make_pair(asg.group, asg.element);
      auto it = elements.find(key);
      if (it == elements.end()) {
        it = elements.emplace(key, schema.arrays[asg.group].element(asg.element)).first;
      }
      sec = &it->second;
    }
    std::visit(
        [&](auto* target) {
          *target = std::get<std::remove_pointer_t<decltype(target)>>(asg.value);
        },
        sec->fields[asg.field].ptr);
  }
}

// FILE:LINE:COLUMN of every key of the merged view: "section", "section.key", "array[]",
// "array[N]" and "array[N].key".
void locate(const std::vector<TopEntry>& top, KeyLocations& out) {
  for (const TopEntry& t : top) {
    out[t.name] = where(t.whole.key->source());
    for (const Entry& f : t.fields)
      out[t.name + "." + std::string(f.key->str())] = where(f.key->source());
    const auto* arr = t.whole.node->as_array();
    if (!arr) continue;
    out[t.name + "[]"] = where(t.whole.key->source());
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto* el = (*arr)[i].as_table();
      if (!el) continue;
      const std::string base = t.name + "[" + std::to_string(i) + "]";
      out[base] = where((*arr)[i].source());
      for (const auto& [k, v] : *el) out[base + "." + std::string(k.str())] = where(k.source());
    }
  }
}

void load_impl(std::string_view text, const std::string& name,
               const std::vector<std::string>& overrides, Schema& schema, KeyLocations* locations) {
  std::vector<Link> chain{{identity_of(name), name}};
  Layers layers;
  collect_layers(text, name, chain, layers);
  Plan plan;
  const std::vector<TopEntry> top = merge_layers(layers);
  if (locations) locate(top, *locations);
  plan_document(top, schema, plan);
  for (const auto& o : overrides) plan_override(o, schema, plan);
  apply(plan, schema);
}

std::string comment(std::string_view text) { return "# " + one_line(text) + "\n"; }

void write_fields(const SectionSchema& sec, std::string& out) {
  for (const auto& slot : sec.fields) {
    out += comment(std::string(slot.meta.doc) + " " + comment_bracket(slot));
    if (const auto* v = std::get_if<Scalar*>(&slot.ptr); v && !(*v)->given()) {
      out += "# " + toml_key(slot.meta.key) + " not given\n";  // absent stays absent on reload
      continue;
    }
    out += toml_key(slot.meta.key) + " = " + value_text(slot.ptr) + "\n";
  }
}

std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : one_line(s)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void markdown_rows(const std::string& section, const std::string& key_prefix,
                   const SectionSchema& sec, std::string& out) {
  for (const auto& slot : sec.fields) {
    const Field& f = slot.meta;
    const std::string allowed =
        slot.ptr.index() <= 1 ? range_text(f.min, f.max) : allowed_text(slot);
    const std::string value = value_text(slot.ptr);
    out += "| " + md_cell(section) + " | `" + md_cell(key_prefix + std::string(f.key)) + "` | " +
           (value.empty() ? std::string("(not given)") : "`" + md_cell(value) + "`") + " | " +
           md_cell(f.unit) + " | " + md_cell(allowed) + " | " + md_cell(f.doc) + " | " +
           md_cell(f.source) + " |\n";
  }
}

}  // namespace

void load_scenario_file(const std::filesystem::path& path,
                        const std::vector<std::string>& overrides, Schema& schema,
                        KeyLocations* locations) {
  const std::string name = path.string();
  ReadResult r = read_file(path);
  if (!r.error.empty()) fail(name + ": cannot read scenario file: " + r.error);
  load_impl(r.text, name, overrides, schema, locations);
}

void load_scenario_string(std::string_view toml_text, std::string_view source_name,
                          const std::vector<std::string>& overrides, Schema& schema,
                          KeyLocations* locations) {
  load_impl(toml_text, std::string(source_name), overrides, schema, locations);
}

std::string to_toml(const Schema& schema) {
  std::string out = "# Resolved scenario: every parameter, with its meaning, unit and range.\n";
  // Empty arrays must come before the first [table], where a key would belong to that table.
  for (const auto& arr : schema.arrays) {
    if (arr.size() != 0) continue;
    out += "\n" + comment(arr.doc) + toml_key(arr.name) + " = []\n";
  }
  for (const auto& sec : schema.sections) {
    out += "\n";
    if (!sec.doc.empty()) out += comment(sec.doc);
    out += "[" + toml_key(sec.name) + "]\n";
    write_fields(sec, out);
  }
  for (const auto& arr : schema.arrays) {
    const std::size_t n = arr.size();
    for (std::size_t i = 0; i < n; ++i) {
      out += "\n";
      if (i == 0 && !arr.doc.empty()) out += comment(arr.doc);
      out += "[[" + toml_key(arr.name) + "]]\n";
      write_fields(arr.element(i), out);
    }
  }
  return out;
}

std::string param_table_markdown(const Schema& schema) {
  std::string out =
      "| section | key | default | unit | allowed | meaning | source |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& sec : schema.sections) markdown_rows(sec.name, "", sec, out);
  for (const auto& arr : schema.arrays) {
    markdown_rows(arr.name, arr.name + "[].", arr.prototype, out);
  }
  return out;
}

}  // namespace cdpsim
