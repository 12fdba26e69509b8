#include "experiments/compare/param_sets.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "experiments/compare/compare.hpp"
#include "models/scenario.hpp"
#include "sim/io/text.hpp"
#include "sim/scenario/nearest.hpp"
#include "sim/scenario/param.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

namespace {

std::string shortest(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

struct CsvField {
  std::string text;
  std::int64_t column = 1;  // of its first character, from 1
};

struct CsvRecord {
  std::int64_t line = 1;  // where it starts
  std::vector<CsvField> fields;
};

// RFC 4180 records; a quoted field may hold commas, doubled quotes and line breaks.
std::vector<CsvRecord> split_csv(const std::string& text, const std::string& source) {
  std::vector<CsvRecord> out;
  std::size_t i = 0;
  std::int64_t line = 1, column = 1;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      CsvField f;
      f.column = column;
      if (i < n && text[i] == '"') {
        const std::int64_t open_line = line, open_column = column;
        ++i;
        ++column;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              f.text += '"';
              i += 2;
              column += 2;
              continue;
            }
            ++i;
            ++column;
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line;
            column = 1;
          } else {
            ++column;
          }
          f.text += c;
          ++i;
        }
        if (!closed)
          throw CompareError(source + ":" + std::to_string(open_line) + ":" +
                             std::to_string(open_column) +
                             ": a quoted field is never closed (allowed: \"text\", with \"\" for a "
                             "quote inside)");
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw CompareError(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                             ": text after a closing quote (allowed: a comma or the end of the "
                             "line)");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n') {
          f.text += text[i];
          ++i;
          ++column;
        }
        if (!f.text.empty() && f.text.back() == '\r') f.text.pop_back();
      }
      if (i < n && text[i] == '\r') {
        ++i;
        ++column;
      }
      rec.fields.push_back(std::move(f));
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
        ++column;
      } else {  // '\n'
        ++i;
        ++line;
        column = 1;
        end_of_record = true;
      }
    }
    const bool blank = rec.fields.size() == 1 && io::trim(rec.fields[0].text).empty();
    if (!blank) out.push_back(std::move(rec));
  }
  return out;
}

struct KeyInfo {
  std::string key;
  std::size_t field = 0;  // index in the record
  bool integer = false;
  double min = 0.0, max = 0.0;
};

std::vector<std::string> numeric_keys(const Schema& schema) {
  std::vector<std::string> keys;
  for (const SectionSchema& sec : schema.sections)
    for (const FieldSlot& f : sec.fields)
      if (f.ptr.index() <= 1) keys.push_back(sec.name + "." + std::string(f.meta.key));
  return keys;
}

}  // namespace

std::vector<std::string> ParamSets::sets(std::size_t k) const {
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (std::size_t j = 0; j < keys.size(); ++j) out.push_back(keys[j] + "=" + texts.at(k)[j]);
  return out;
}

ParamSets parse_param_sets(const std::string& text, const std::string& source) {
  const std::vector<CsvRecord> records = split_csv(text, source);
  if (records.empty())
    throw CompareError(source +
                       ": empty (expected a header line naming parameter columns such as "
                       "engagement.decay, then one line per parameter set)");
  Scenario defaults;
  const Schema schema = make_schema(defaults);
  const std::vector<std::string> allowed_keys = numeric_keys(schema);
  const CsvRecord& header = records[0];
  auto at = [&](std::int64_t line, std::int64_t column) {
    return source + ":" + std::to_string(line) + ":" + std::to_string(column);
  };
  std::vector<KeyInfo> keys;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const CsvField& f = header.fields[c];
    const std::string name = io::trim(f.text);
    for (std::size_t p = 0; p < c; ++p)
      if (io::trim(header.fields[p].text) == name)
        throw CompareError(at(header.line, f.column) + ": " + name +
                           ": column named twice (also "
                           "column " +
                           std::to_string(p + 1) + "; allowed: each name once)");
    if (name.find('.') == std::string::npos) continue;  // not a parameter: ignored
    const FieldSlot* slot = find_slot(schema, name);
    if (!slot) {
      const std::string near = nearest_name(name, allowed_keys);
      throw CompareError(at(header.line, f.column) + ": " + name + ": not a parameter" +
                         (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                         "; allowed: a number parameter of `cdpsim params` as section.key (a "
                         "column without a dot is ignored)");
    }
    if (name.rfind("simulation.", 0) == 0 || name.rfind("output.", 0) == 0)
      throw CompareError(at(header.line, f.column) + ": " + name +
                         ": a setting of the run, not a model parameter (allowed: keys outside "
                         "[simulation] and [output]; compare sets the weeks and seeds itself)");
    if (slot->ptr.index() > 1)
      throw CompareError(at(header.line, f.column) + ": " + name +
                         ": not a number parameter (allowed: number parameters only; a switch "
                         "or a name is set per scenario, with --set)");
    keys.push_back({name, c, slot->ptr.index() == 1, slot->meta.min, slot->meta.max});
  }
  if (keys.empty())
    throw CompareError(source + ":" + std::to_string(header.line) +
                       ": no column names a parameter (allowed: columns such as "
                       "engagement.decay, section.key as `cdpsim params` lists them)");
  if (records.size() == 1)
    throw CompareError(source + ": no parameter set: the file has a header and no line after it");
  if (records.size() - 1 > kMaxParamSets)
    throw CompareError(source + ": " + std::to_string(records.size() - 1) +
                       " parameter sets (allowed: at most " + std::to_string(kMaxParamSets) + ")");
  ParamSets p;
  p.path = source;
  for (const KeyInfo& k : keys) p.keys.push_back(k.key);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.fields.size())
      throw CompareError(source + ":" + std::to_string(rec.line) + ": " +
                         std::to_string(rec.fields.size()) + " fields where the header has " +
                         std::to_string(header.fields.size()) +
                         " (allowed: one field per header column)");
    std::vector<double> values;
    std::vector<std::string> texts;
    for (const KeyInfo& k : keys) {
      const CsvField& f = rec.fields[k.field];
      const std::string t = io::trim(f.text);
      // Appended, not "a" + std::string(...): GCC 12 warns about the latter (-Wrestrict).
      std::string range(k.integer ? "an integer" : "a number");
      range += " from " + shortest(k.min) + " to " + shortest(k.max);
      auto bad = [&](const std::string& problem) {
        throw CompareError(at(rec.line, f.column) + ": " + k.key + ": " + problem +
                           " (allowed: " + range + ")");
      };
      double v = 0.0;
      const char* first = t.data();
      const char* last = t.data() + t.size();
      const auto res = std::from_chars(first, last, v);
      if (t.empty()) bad("no value");
      if (res.ec == std::errc::result_out_of_range || (res.ec == std::errc() && !std::isfinite(v)))
        bad("'" + t + "' is not a finite number");
      if (res.ec != std::errc() || res.ptr != last) bad("'" + t + "' is not a number");
      if (k.integer && v != std::floor(v)) bad("'" + t + "' is not an integer");
      if (!(v >= k.min && v <= k.max)) bad("value " + t + " is out of range");
      values.push_back(v);
      texts.push_back(k.integer ? std::to_string(static_cast<std::int64_t>(v)) : shortest(v));
    }
    p.values.push_back(std::move(values));
    p.texts.push_back(std::move(texts));
    p.lines.push_back(rec.line);
  }
  return p;
}

ParamSets read_param_sets(const fs::path& path) {
  const std::string source = path.string();
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st))
    throw CompareError(source + ": cannot read parameter sets: " +
                       (ec ? ec.message() : std::string("No such file or directory")));
  if (!fs::is_regular_file(st))
    throw CompareError(source + ": cannot read parameter sets: not a regular file");
  const std::uintmax_t bytes = fs::file_size(path, ec);
  if (!ec && bytes > kMaxParamSetBytes)
    throw CompareError(source + ": cannot read parameter sets: " + std::to_string(bytes) +
                       " bytes (allowed: at most 64 MiB)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CompareError(source + ": cannot read parameter sets: " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw CompareError(source + ": cannot read parameter sets: read error");
  return parse_param_sets(buf.str(), source);
}

}  // namespace cdpsim
