#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/io/nc_writer.hpp"

namespace fs = std::filesystem;
using cdpsim::io::Attr;
using cdpsim::io::NcWriter;

namespace {

// A fresh directory per test case, removed afterwards.
struct TempDir {
  fs::path dir;
  TempDir() {
    std::random_device rd;
    dir = fs::temp_directory_path() /
          ("cdpsim_nc_test_" + std::to_string(rd()) + "_" + std::to_string(rd()));
    fs::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] fs::path file(const std::string& name) const { return dir / name; }
};

template <class T>
std::vector<T> iota_vector(std::size_t n, T start = T{0}) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>(start + static_cast<T>(i));
  return v;
}

const cdpsim::io::VariableInfo& find_variable(const std::vector<cdpsim::io::VariableInfo>& vars,
                                              const std::string& name) {
  for (const auto& v : vars) {
    if (v.name == name) return v;
  }
  FAIL("variable " << name << " not listed");
  return vars.front();  // unreachable
}

std::string root_attribute(const fs::path& path, const std::string& name) {
  for (const auto& [key, value] : cdpsim::io::root_attributes(path)) {
    if (key == name) return value;
  }
  FAIL("root attribute " << name << " not listed");
  return {};
}

// Appending sidesteps a GCC 12 -Wrestrict false positive on `"v" + std::to_string(i)`.
std::string numbered(std::string prefix, int i) { return prefix.append(std::to_string(i)); }

using Strings = std::vector<std::string>;
using Sizes = std::vector<std::size_t>;

}  // namespace

TEST_CASE("NcWriter writes every kind of coordinate and variable", "[unit][nc_writer]") {
  TempDir tmp;
  const fs::path path = tmp.file("all.h5");
  {
    NcWriter w(path);
    w.set_attribute({"status", "running"});
    w.set_attribute({"seed", std::int64_t{42}});
    w.set_attribute({"scale", 0.25});
    w.set_attribute({"title", "caf\xc3\xa9 communities"});

    const std::vector<std::int32_t> weeks = iota_vector<std::int32_t>(5);
    w.add_coordinate("week", std::span<const std::int32_t>(weeks),
                     {{"units", "weeks"}, {"long_name", "simulation week"}});
    w.add_coordinate("cdp", Strings{"alpha", "beta", "\xce\xa9mega"});
    const std::vector<double> thresholds{0.1, 0.5};
    w.add_coordinate("threshold", std::span<const double>(thresholds), {{"units", "1"}});
    w.add_dimension("member", 4);
    w.add_dimension("event", 0);
    REQUIRE(w.dimension_size("week") == 5);
    REQUIRE(w.dimension_size("cdp") == 3);
    REQUIRE(w.dimension_size("member") == 4);
    REQUIRE(w.dimension_size("event") == 0);

    const auto engagement = iota_vector<double>(15, 0.5);
    w.write<double>("engagement", {"week", "cdp"}, engagement,
                    {{"units", "1"}, {"long_name", "mean engagement"}});
    w.write<float>("f32", {"cdp"}, std::vector<float>{1.5f, 2.5f, 3.5f});
    w.write<std::int8_t>("i8", {"member"}, std::vector<std::int8_t>{-1, 0, 1, 127});
    w.write<std::uint8_t>("u8", {"member"}, std::vector<std::uint8_t>{0, 1, 2, 255});
    w.write<std::int16_t>("i16", {"threshold"}, std::vector<std::int16_t>{-300, 300});
    w.write<std::int32_t>("i32", {"cdp", "threshold"}, iota_vector<std::int32_t>(6));
    w.write<std::int64_t>("i64", {"week"}, iota_vector<std::int64_t>(5, 1'000'000'000'000));
    w.write<std::uint32_t>("u32", {"member", "cdp"}, iota_vector<std::uint32_t>(12));
    w.write<double>("events", {"event"}, std::vector<double>{});
    w.write<double>("events_by_cdp", {"event", "cdp"}, std::vector<double>{});
    w.write<double>("total", {}, std::vector<double>{7.0}, {{"units", "h"}});
    w.write<double>("adjacency", {"cdp", "cdp"}, iota_vector<double>(9));
    w.write_strings("role", "member", {"lead", "core", "peripheral", ""},
                    {{"long_name", "member role"}});
    w.write_strings("no_events", "event", {});

    w.set_attributes("engagement", {{"units", "h/week"}, {"note", "updated"}});
    w.set_attributes("week", {{"axis", "T"}});
    w.set_attribute({"status", "complete"});
    w.close();
    REQUIRE_FALSE(w.is_open());
    w.close();  // idempotent
  }

  CHECK(cdpsim::io::read_root_string_attribute(path, "status") == "complete");
  CHECK(cdpsim::io::read_root_string_attribute(path, "title") == "caf\xc3\xa9 communities");
  CHECK(cdpsim::io::read_root_int_attribute(path, "seed") == 42);

  const auto attrs = cdpsim::io::root_attributes(path);
  REQUIRE(attrs.size() == 4);
  // Creation order is kept, and the in-place rewrite keeps "status" first.
  CHECK(attrs[0] == std::pair<std::string, std::string>{"status", "complete"});
  CHECK(attrs[1] == std::pair<std::string, std::string>{"seed", "42"});
  CHECK(attrs[2] == std::pair<std::string, std::string>{"scale", "0.25"});
  CHECK(attrs[3].first == "title");

  const auto vars = cdpsim::io::list_variables(path);
  Strings names;
  for (const auto& v : vars) names.push_back(v.name);
  // Dimension-only scales ("member", "event") are not variables.
  CHECK(names == Strings{"week", "cdp", "threshold", "engagement", "f32", "i8", "u8", "i16", "i32",
                         "i64", "u32", "events", "events_by_cdp", "total", "adjacency", "role",
                         "no_events"});

  const auto& week = find_variable(vars, "week");
  CHECK(week.dims == Strings{"week"});
  CHECK(week.shape == Sizes{5});
  CHECK(week.dtype == "int32");
  CHECK(week.units == "weeks");
  CHECK(week.long_name == "simulation week");

  const auto& cdp = find_variable(vars, "cdp");
  CHECK(cdp.dims == Strings{"cdp"});
  CHECK(cdp.dtype == "str");

  CHECK(find_variable(vars, "threshold").dtype == "float64");

  const auto& eng = find_variable(vars, "engagement");
  CHECK(eng.dims == Strings{"week", "cdp"});
  CHECK(eng.shape == Sizes{5, 3});
  CHECK(eng.dtype == "float64");
  CHECK(eng.units == "h/week");
  CHECK(eng.long_name == "mean engagement");

  CHECK(find_variable(vars, "f32").dtype == "float32");
  CHECK(find_variable(vars, "i8").dtype == "int8");
  CHECK(find_variable(vars, "u8").dtype == "uint8");
  CHECK(find_variable(vars, "i16").dtype == "int16");
  CHECK(find_variable(vars, "i64").dtype == "int64");
  CHECK(find_variable(vars, "u32").dtype == "uint32");

  const auto& i32 = find_variable(vars, "i32");
  CHECK(i32.dtype == "int32");
  CHECK(i32.dims == Strings{"cdp", "threshold"});
  CHECK(i32.shape == Sizes{3, 2});

  const auto& u32 = find_variable(vars, "u32");
  CHECK(u32.dims == Strings{"member", "cdp"});
  CHECK(u32.shape == Sizes{4, 3});

  const auto& events = find_variable(vars, "events");
  CHECK(events.dims == Strings{"event"});
  CHECK(events.shape == Sizes{0});
  const auto& events2 = find_variable(vars, "events_by_cdp");
  CHECK(events2.dims == Strings{"event", "cdp"});
  CHECK(events2.shape == Sizes{0, 3});

  const auto& total = find_variable(vars, "total");
  CHECK(total.dims.empty());
  CHECK(total.shape.empty());
  CHECK(total.units == "h");

  CHECK(find_variable(vars, "adjacency").dims == Strings{"cdp", "cdp"});

  const auto& role = find_variable(vars, "role");
  CHECK(role.dims == Strings{"member"});
  CHECK(role.shape == Sizes{4});
  CHECK(role.dtype == "str");
  CHECK(role.long_name == "member role");
  CHECK(find_variable(vars, "no_events").shape == Sizes{0});
}

TEST_CASE("NcWriter root attributes can be rewritten, also with another type",
          "[unit][nc_writer]") {
  TempDir tmp;
  const fs::path path = tmp.file("attrs.h5");
  NcWriter w(path);
  w.set_attribute({"status", "running"});
  w.set_attribute({"weeks_done", std::int64_t{0}});
  w.flush();
  // The file is readable while the writer still holds it.
  CHECK(cdpsim::io::read_root_string_attribute(path, "status") == "running");

  w.set_attribute({"status", "a much longer status text than before"});
  w.set_attribute({"weeks_done", std::int64_t{52}});
  w.flush();
  CHECK(cdpsim::io::read_root_string_attribute(path, "status") ==
        "a much longer status text than before");
  CHECK(cdpsim::io::read_root_int_attribute(path, "weeks_done") == 52);

  w.set_attribute({"weeks_done", 52.5});  // type change: replaced
  w.set_attribute({"status", "complete"});
  w.close();
  CHECK(root_attribute(path, "weeks_done") == "52.5");
  CHECK(cdpsim::io::read_root_string_attribute(path, "status") == "complete");
  CHECK_THROWS_WITH(cdpsim::io::read_root_int_attribute(path, "weeks_done"),
                    Catch::Contains("weeks_done") && Catch::Contains("not an integer"));
  CHECK_THROWS_WITH(cdpsim::io::read_root_string_attribute(path, "weeks_done"),
                    Catch::Contains("not a string"));
  CHECK_THROWS_WITH(
      cdpsim::io::read_root_string_attribute(path, "missing"),
      Catch::Contains(path.string()) && Catch::Contains("missing") && Catch::Contains("not found"));
}

TEST_CASE("NcWriter reports misuse with the path and the variable", "[unit][nc_writer]") {
  TempDir tmp;
  const fs::path path = tmp.file("errors.h5");
  NcWriter w(path);
  const std::vector<std::int32_t> weeks = iota_vector<std::int32_t>(3);
  w.add_coordinate("week", std::span<const std::int32_t>(weeks));
  w.add_dimension("cdp", 2);

  SECTION("size mismatch") {
    CHECK_THROWS_WITH(w.write<double>("x", {"week", "cdp"}, std::vector<double>(5)),
                      Catch::Contains(path.string()) && Catch::Contains("'x'") &&
                          Catch::Contains("got 5 values") && Catch::Contains("week=3, cdp=2") &&
                          Catch::Contains("need 6"));
    CHECK_THROWS_WITH(w.write_strings("s", "cdp", {"a"}), Catch::Contains("'s'"));
    CHECK_THROWS_AS(w.write<double>("scalar", {}, std::vector<double>{}), std::runtime_error);
  }
  SECTION("unknown dimension") {
    CHECK_THROWS_WITH(w.write<float>("y", {"week", "nope"}, std::vector<float>(6)),
                      Catch::Contains(path.string()) && Catch::Contains("'y'") &&
                          Catch::Contains("unknown dimension 'nope'"));
    CHECK_THROWS_WITH(w.write_strings("s", "nope", {}), Catch::Contains("unknown dimension"));
    CHECK_THROWS_WITH((void)w.dimension_size("nope"), Catch::Contains("unknown dimension"));
  }
  SECTION("duplicate and invalid names") {
    CHECK_THROWS_WITH(w.add_dimension("week", 3), Catch::Contains("already exists"));
    CHECK_THROWS_WITH(w.add_coordinate("cdp", Strings{"a", "b"}),
                      Catch::Contains("already exists"));
    w.write<double>("x", {"week"}, std::vector<double>(3));
    CHECK_THROWS_WITH(w.write<double>("x", {"week"}, std::vector<double>(3)),
                      Catch::Contains("'x'") && Catch::Contains("already exists"));
    CHECK_THROWS_WITH(w.write<double>("a/b", {"week"}, std::vector<double>(3)),
                      Catch::Contains("invalid name"));
    CHECK_THROWS_WITH(w.add_dimension("", 1), Catch::Contains("invalid name"));
  }
  SECTION("attributes") {
    w.write<double>("x", {"week"}, std::vector<double>(3));
    CHECK_THROWS_WITH(w.set_attributes("nope", {{"units", "1"}}),
                      Catch::Contains("'nope'") && Catch::Contains("no such variable"));
    CHECK_THROWS_WITH(w.set_attributes("x", {{"DIMENSION_LIST", "oops"}}),
                      Catch::Contains("reserved"));
    CHECK_THROWS_WITH(w.set_attribute({"", "v"}), Catch::Contains("empty name"));
  }
  SECTION("use after close") {
    w.close();
    CHECK_THROWS_WITH(w.write<double>("x", {"week"}, std::vector<double>(3)),
                      Catch::Contains("closed"));
    CHECK_THROWS_WITH(w.set_attribute({"status", "late"}), Catch::Contains("closed"));
    CHECK_THROWS_WITH(w.flush(), Catch::Contains("closed"));
  }
  // The file stays valid after any of the failures above.
  w.close();
  CHECK(cdpsim::io::list_variables(path).front().name == "week");
}

TEST_CASE("NcWriter and readers fail clearly on bad paths", "[unit][nc_writer]") {
  TempDir tmp;
  const fs::path bad = tmp.file("no_such_dir") / "out.h5";
  CHECK_THROWS_WITH(NcWriter(bad), Catch::Contains(bad.string()) && Catch::Contains("create"));
  CHECK_THROWS_WITH(cdpsim::io::list_variables(bad),
                    Catch::Contains(bad.string()) && Catch::Contains("open"));
  CHECK_THROWS_AS(cdpsim::io::root_attributes(bad), std::runtime_error);
  CHECK_THROWS_AS(cdpsim::io::read_root_int_attribute(bad, "seed"), std::runtime_error);
}

TEST_CASE("NcWriter handles many variables and attributes on one scale", "[unit][nc_writer]") {
  // Dense attribute storage (more than 8 attributes) and long REFERENCE_LISTs once broke
  // dimension scales on objects that index attribute creation order.
  TempDir tmp;
  const fs::path path = tmp.file("many.h5");
  {
    NcWriter w(path);
    const std::vector<double> t = iota_vector<double>(4);
    std::vector<Attr> attrs;
    for (int i = 0; i < 12; ++i) attrs.push_back({numbered("attr", i), std::int64_t{i}});
    w.add_coordinate("time", std::span<const double>(t), attrs);
    for (int v = 0; v < 40; ++v) {
      w.write<float>(numbered("v", v), {"time"}, std::vector<float>(4, 1.0f), attrs);
    }
    w.set_attributes("time", {{"attr3", std::int64_t{33}}, {"units", "days"}});
    for (int i = 0; i < 20; ++i) w.set_attribute({numbered("root", i), std::int64_t{i}});
    w.set_attribute({"root7", "seven"});
  }  // the destructor closes
  const auto vars = cdpsim::io::list_variables(path);
  REQUIRE(vars.size() == 41);
  CHECK(vars[0].name == "time");
  CHECK(vars[0].units == "days");
  for (int v = 0; v < 40; ++v) {
    CHECK(vars[static_cast<std::size_t>(v) + 1].name == numbered("v", v));
    CHECK(vars[static_cast<std::size_t>(v) + 1].dims == Strings{"time"});
  }
  const auto attrs = cdpsim::io::root_attributes(path);
  REQUIRE(attrs.size() == 20);
  CHECK(attrs[18].first == "root19");
  CHECK(attrs[19].first == "root7");  // a type change re-creates the attribute at the end
  CHECK(root_attribute(path, "root7") == "seven");
}

TEST_CASE("NcWriter chunks large variables and moves", "[unit][nc_writer]") {
  TempDir tmp;
  const fs::path path = tmp.file("large.h5");
  NcWriter w(path);
  w.add_dimension("row", 300);
  w.add_dimension("col", 100'000);
  w.write<std::uint8_t>("wide", {"row", "col"}, std::vector<std::uint8_t>(30'000'000, 7));
  NcWriter moved = std::move(w);
  moved.write<double>("long", {"col"}, iota_vector<double>(100'000));
  CHECK(moved.path() == path);
  moved.close();
  const auto vars = cdpsim::io::list_variables(path);
  REQUIRE(vars.size() == 2);
  CHECK(vars[0].shape == Sizes{300, 100'000});
  CHECK(vars[1].shape == Sizes{100'000});
  CHECK(fs::file_size(path) < 2'000'000);  // compressed: 30 MB of a constant byte
}
