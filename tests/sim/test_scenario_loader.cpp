// Scenario loader: values, defaults, every error message, extends, --set, the TOML dump and the
// parameter table, on a small scenario defined here so the tests do not depend on the models.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "experiments/scenario_io.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/param.hpp"

namespace {

using namespace cdpsim;
namespace fs = std::filesystem;

struct Levers {
  double animation = 0.5;
  std::int64_t budget = 10;
  bool open = true;
  std::string mode = "none";
  Date start{2020, 1, 6};
  template <class V>
  void visit(V& v) {
    v.field({"animation", "1", 0.0, 1.0, "share of facilitator time spent animating", "assumption"},
            animation);
    v.field({"budget", "h/week", 0, 100, "support hours per week", "seed"}, budget);
    v.field({"open", "1", 0, 0, "whether anyone may join", "assumption"}, open);
    v.field(
        {"mode", "1", 0, 0, "support mode", "assumption", {"none", "expert", "capacity_building"}},
        mode);
    v.field({"start", "date", 0, 0, "first simulated Monday", "assumption"}, start);
  }
  friend bool operator==(const Levers&, const Levers&) = default;
};

struct World {
  double growth = 0.1;
  std::int64_t agents = 1000;
  std::string label = "baseline";
  template <class V>
  void visit(V& v) {
    v.field({"growth", "1/week", -HUGE_VAL, 1.0, "weekly growth rate", "calibration"}, growth);
    v.field({"agents", "1", 1, 1e18, "number of agents", "assumption"}, agents);
    v.field({"label", "1", 0, 0, "free text label | with a pipe", "assumption"}, label);
  }
  friend bool operator==(const World&, const World&) = default;
};

struct Shock {
  Date start{2020, 3, 16};
  double size = 0.2;
  std::int64_t weeks = 4;
  template <class V>
  void visit(V& v) {
    v.field({"start", "date", 0, 0, "first week of the shock", "assumption"}, start);
    v.field({"size", "1", 0.0, 10.0, "relative drop in available time", "assumption"}, size);
    v.field({"weeks", "weeks", 1, 520, "duration", "assumption"}, weeks);
  }
  friend bool operator==(const Shock&, const Shock&) = default;
};

struct TestScenario {
  Levers levers;
  World world;
  std::vector<Shock> shocks{Shock{}};
  template <class V>
  void visit(V& v) {
    v.section("levers", "policy levers", levers);
    v.section("world", "the world outside", world);
    v.table_array("shocks", "external shocks", shocks);
  }
  friend bool operator==(const TestScenario&, const TestScenario&) = default;
};

void load(TestScenario& s, std::string_view text, const std::vector<std::string>& set = {}) {
  Schema schema = make_schema(s);
  load_scenario_string(text, "test.toml", set, schema);
}

std::string load_error(std::string_view text, const std::vector<std::string>& set = {}) {
  TestScenario s;
  try {
    load(s, text, set);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "<no error>";
}

std::string file_error(const fs::path& path) {
  TestScenario s;
  Schema schema = make_schema(s);
  try {
    load_scenario_file(path, {}, schema);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "<no error>";
}

// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    do {
      path = fs::temp_directory_path() / ("cdpsim_loader_test_" + std::to_string(rd()));
    } while (!fs::create_directory(path));
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }
  std::string name(const std::string& file) const { return (path / file).generic_string(); }
};

}  // namespace

TEST_CASE("Date: epoch days, inverse, validity, text", "[unit]") {
  CHECK(Date{1970, 1, 1}.days_since_epoch() == 0);
  CHECK(Date{1969, 12, 31}.days_since_epoch() == -1);
  CHECK(Date{2000, 3, 1}.days_since_epoch() == 11017);
  CHECK(Date{2020, 3, 16}.days_since_epoch() == 18337);
  CHECK(Date{1600, 1, 1}.days_since_epoch() == -135140);
  CHECK(Date::from_days_since_epoch(18337) == Date{2020, 3, 16});

  // Walk 800 years day by day (two full 400-year cycles, across the epoch) against a naive
  // calendar.
  const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  Date d{1600, 1, 1};
  std::int64_t n = d.days_since_epoch();
  bool all_ok = true;
  for (; d.year < 2400; ++n) {
    all_ok =
        all_ok && d.valid() && d.days_since_epoch() == n && Date::from_days_since_epoch(n) == d;
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    const int len = d.month == 2 && leap ? 29 : mdays[d.month - 1];
    if (++d.day > len) {
      d.day = 1;
      if (++d.month > 12) {
        d.month = 1;
        ++d.year;
      }
    }
  }
  CHECK(all_ok);
  CHECK(n - Date{1600, 1, 1}.days_since_epoch() == 2 * 146097);

  CHECK(Date{2000, 2, 29}.valid());
  CHECK(Date{2020, 2, 29}.valid());
  CHECK_FALSE(Date{1900, 2, 29}.valid());
  CHECK_FALSE(Date{2019, 2, 29}.valid());
  CHECK_FALSE(Date{2020, 4, 31}.valid());
  CHECK_FALSE(Date{2020, 13, 1}.valid());
  CHECK_FALSE(Date{2020, 0, 1}.valid());
  CHECK_FALSE(Date{2020, 1, 0}.valid());
  CHECK_FALSE(Date{10000, 1, 1}.valid());
  CHECK(Date{999, 1, 5}.to_string() == "0999-01-05");
  CHECK(Date{2020, 3, 16}.to_string() == "2020-03-16");
}

TEST_CASE("loader: fields the file does not mention keep their defaults", "[unit]") {
  TestScenario s;
  load(s, "");
  CHECK(s == TestScenario{});

  load(s, "[levers]\nbudget = 20\n");
  CHECK(s.levers.budget == 20);
  CHECK(s.levers.animation == 0.5);
  CHECK(s.world == World{});
  REQUIRE(s.shocks.size() == 1);
  CHECK(s.shocks[0] == Shock{});
}

TEST_CASE("loader: values of every type are loaded", "[unit]") {
  TestScenario s;
  load(s,
       "[levers]\n"
       "animation = 1\n"  // an integer is accepted for a double field
       "budget = 100\n"
       "open = false\n"
       "mode = \"capacity_building\"\n"
       "start = 2021-01-04\n"
       "[world]\n"
       "growth = -2.5e3\n"
       "label = \"pilot\"\n"
       "[[shocks]]\n"
       "start = \"2020-03-16\"\n"
       "[[shocks]]\n"
       "size = 10.0\n"
       "weeks = 8\n"
       "[[shocks]]\n");
  CHECK(s.levers.animation == 1.0);
  CHECK(s.levers.budget == 100);
  CHECK_FALSE(s.levers.open);
  CHECK(s.levers.mode == "capacity_building");
  CHECK(s.levers.start == Date{2021, 1, 4});
  CHECK(s.world.growth == -2500.0);
  CHECK(s.world.agents == 1000);
  CHECK(s.world.label == "pilot");
  REQUIRE(s.shocks.size() == 3);
  CHECK(s.shocks[0] == Shock{});
  CHECK(s.shocks[1].size == 10.0);
  CHECK(s.shocks[1].weeks == 8);
  CHECK(s.shocks[1].start == Date{2020, 3, 16});
  CHECK(s.shocks[2] == Shock{});

  load(s, "shocks = []\n");
  CHECK(s.shocks.empty());

  load(s, "shocks = [{ size = 0.5 }, { weeks = 2 }]\n");
  REQUIRE(s.shocks.size() == 2);
  CHECK(s.shocks[0].size == 0.5);
  CHECK(s.shocks[1].weeks == 2);
}

TEST_CASE("loader: errors name file, line, column, key, problem and what is allowed", "[unit]") {
  CHECK(
      load_error("[levers]\nanimation = 1.4\n") ==
      "test.toml:2:13: levers.animation: value 1.4 is out of range (allowed: a number in [0, 1])");
  CHECK(
      load_error("[levers]\nanimation = -0.5\n") ==
      "test.toml:2:13: levers.animation: value -0.5 is out of range (allowed: a number in [0, 1])");
  CHECK(load_error("[levers]\nanmation = 0.3\n") ==
        "test.toml:2:1: levers.anmation: unknown key 'anmation' (did you mean 'animation'?)");
  CHECK(load_error("[world]\nqqqqqqqqqq = 1\n") ==
        "test.toml:2:1: world.qqqqqqqqqq: unknown key 'qqqqqqqqqq' (allowed: 'growth', 'agents', "
        "'label')");
  CHECK(load_error("[levrs]\nanimation = 0.3\n") ==
        "test.toml:1:2: levrs: unknown key 'levrs' (did you mean 'levers'?)");
  CHECK(load_error("\nzzzzzzzzzz = 1\n") ==
        "test.toml:2:1: zzzzzzzzzz: unknown key 'zzzzzzzzzz' (allowed: extends = \"base.toml\", "
        "[levers], [world], [[shocks]])");
  CHECK(load_error("[[shock]]\nsize = 1.0\n") ==
        "test.toml:1:3: shock: unknown key 'shock' (did you mean 'shocks'?)");

  CHECK(load_error("[levers]\nbudget = 2.5\n") ==
        "test.toml:2:10: levers.budget: expected an integer, got float 2.5 (allowed: an integer in "
        "[0, 100])");
  CHECK(
      load_error("[levers]\nbudget = 101\n") ==
      "test.toml:2:10: levers.budget: value 101 is out of range (allowed: an integer in [0, 100])");
  CHECK(load_error("[levers]\nopen = 1\n") ==
        "test.toml:2:8: levers.open: expected a boolean, got integer 1 (allowed: true or false)");
  CHECK(load_error("[levers]\nmode = 3\n") ==
        "test.toml:2:8: levers.mode: expected a string, got integer 3 (allowed: 'none', 'expert', "
        "'capacity_building')");
  CHECK(load_error("[levers]\nmode = \"expret\"\n") ==
        "test.toml:2:8: levers.mode: unknown value 'expret', did you mean 'expert'? (allowed: "
        "'none', 'expert', 'capacity_building')");
  CHECK(load_error("[levers]\nmode = \"zzzzzzzzzzzz\"\n") ==
        "test.toml:2:8: levers.mode: unknown value 'zzzzzzzzzzzz' (allowed: 'none', 'expert', "
        "'capacity_building')");
  CHECK(load_error("[levers]\nanimation = \"high\"\n") ==
        "test.toml:2:13: levers.animation: expected a number, got string 'high' (allowed: a number "
        "in [0, 1])");
  CHECK(load_error("[levers]\nanimation = nan\n") ==
        "test.toml:2:13: levers.animation: value nan is not a finite number (allowed: a number in "
        "[0, 1])");
  CHECK(load_error("[world]\ngrowth = -inf\n") ==
        "test.toml:2:10: world.growth: value -inf is not a finite number (allowed: a number in "
        "(-inf, 1])");
  CHECK(load_error("[levers]\nanimation = { x = 1 }\n") ==
        "test.toml:2:13: levers.animation: expected a number, got a table (allowed: a number in "
        "[0, 1])");
  CHECK(load_error("[levers]\nanimation = [0.1]\n") ==
        "test.toml:2:13: levers.animation: expected a number, got an array (allowed: a number in "
        "[0, 1])");

  // Dates: a TOML date or an ISO string, checked against the calendar.
  CHECK(load_error("[levers]\nstart = \"2019-02-29\"\n") ==
        "test.toml:2:9: levers.start: value '2019-02-29' is not a valid calendar date (allowed: a "
        "date like 2020-03-16)");
  CHECK(load_error("[levers]\nstart = \"March 2020\"\n") ==
        "test.toml:2:9: levers.start: value 'March 2020' is not a date in the form YYYY-MM-DD "
        "(allowed: a date like 2020-03-16)");
  CHECK(load_error("[levers]\nstart = 2020-03-16T10:00:00\n") ==
        "test.toml:2:9: levers.start: expected a date, got a date-time (allowed: a date like "
        "2020-03-16)");
  CHECK(load_error("[levers]\nstart = 20200316\n") ==
        "test.toml:2:9: levers.start: expected a date, got integer 20200316 (allowed: a date like "
        "2020-03-16)");

  // Tables where scalars belong and the other way round.
  CHECK(load_error("levers = 3\n") ==
        "test.toml:1:10: levers: expected a table [levers], got integer 3 (allowed: a table of the "
        "keys 'animation', 'budget', 'open', 'mode', 'start')");
  CHECK(load_error("[shocks]\nsize = 1.0\n")
            .find("test.toml:1:1: shocks: expected an array of tables [[shocks]], got a table") ==
        0);
  CHECK(load_error("shocks = [1, 2]\n") ==
        "test.toml:1:11: shocks[0]: expected a table, got integer 1 (allowed: a table of the keys "
        "'start', 'size', 'weeks')");
  CHECK(load_error("[[levers]]\nanimation = 0.3\n")
            .find("levers: expected a table [levers], got an array") != std::string::npos);

  // Elements of arrays of tables are named with their index.
  CHECK(load_error("[[shocks]]\nsize = 1.0\n[[shocks]]\nsize = 11.0\n") ==
        "test.toml:4:8: shocks[1].size: value 11 is out of range (allowed: a number in [0, 10])");
  CHECK(load_error("[[shocks]]\n[[shocks]]\nstrat = 2020-01-06\n") ==
        "test.toml:3:1: shocks[1].strat: unknown key 'strat' (did you mean 'start'?)");

  // Syntax errors come from toml++, with the position.
  const std::string syntax = load_error("[levers]\nanimation = \n");
  CHECK(syntax.rfind("test.toml:2:", 0) == 0);
  CHECK(syntax.find(": TOML syntax error: ") != std::string::npos);
  CHECK(syntax.find('\n') == std::string::npos);

  CHECK(load_error("extends = 3\n") ==
        "test.toml:1:11: extends: expected a string, got integer 3 (allowed: the path of a base "
        "scenario, relative to this file's directory)");
}

TEST_CASE("loader: nothing is written when any value is invalid", "[unit]") {
  TestScenario s;
  Schema schema = make_schema(s);
  CHECK_THROWS_AS(load_scenario_string("[levers]\nanimation = 0.3\n[[shocks]]\n[[shocks]]\n"
                                       "[world]\nagents = 0\n",
                                       "test.toml", {}, schema),
                  ScenarioError);
  CHECK(s == TestScenario{});
  CHECK_THROWS_AS(load_scenario_string("[levers]\nanimation = 0.3\n", "test.toml",
                                       {"levers.budget=1000"}, schema),
                  ScenarioError);
  CHECK(s == TestScenario{});
}

TEST_CASE("loader: extends merges base and child, reports the file of each value", "[unit]") {
  TempDir dir;
  dir.write("base.toml",
            "[levers]\nanimation = 0.2\nbudget = 20\n[world]\nlabel = \"base\"\n"
            "[[shocks]]\nsize = 1.0\n[[shocks]]\nsize = 2.0\n");
  const fs::path child =
      dir.write("sub/child.toml",
                "extends = \"../base.toml\"\n[levers]\nbudget = 30\n[[shocks]]\nsize = 3.0\n");

  TestScenario s;
  Schema schema = make_schema(s);
  load_scenario_file(child, {"levers.open=false"}, schema);
  CHECK(s.levers.animation == 0.2);  // from the base
  CHECK(s.levers.budget == 30);      // overridden by the child
  CHECK_FALSE(s.levers.open);        // --set
  CHECK(s.world.label == "base");
  REQUIRE(s.shocks.size() == 1);  // the child's array replaces the base's
  CHECK(s.shocks[0].size == 3.0);

  // A bad value is reported in the file that holds it.
  dir.write("bad_base.toml", "[levers]\nanimation = 7\n");
  const fs::path child2 = dir.write("child2.toml", "extends = \"bad_base.toml\"\n[world]\n");
  CHECK(file_error(child2) == dir.name("bad_base.toml") +
                                  ":2:13: levers.animation: value 7 is out of range (allowed: a "
                                  "number in [0, 1])");

  // ...and a value the child overrides is not checked against the base.
  const fs::path child3 =
      dir.write("child3.toml", "extends = \"bad_base.toml\"\n[levers]\nanimation = 0.7\n");
  TestScenario s3;
  Schema schema3 = make_schema(s3);
  load_scenario_file(child3, {}, schema3);
  CHECK(s3.levers.animation == 0.7);
}

TEST_CASE("loader: extends cycles, missing bases and missing files", "[unit]") {
  TempDir dir;
  const fs::path a = dir.write("a.toml", "extends = \"b.toml\"\n");
  dir.write("b.toml", "extends = \"a.toml\"\n");
  CHECK(file_error(a) == dir.name("b.toml") + ":1:11: extends: extends cycle: " + a.string() +
                             " -> " + dir.name("b.toml") + " -> " + dir.name("a.toml"));

  const fs::path self = dir.write("self.toml", "extends = \"self.toml\"\n");
  CHECK(file_error(self).find("extends cycle: " + self.string() + " -> " + dir.name("self.toml")) !=
        std::string::npos);

  const fs::path c = dir.write("c.toml", "\nextends = \"nope.toml\"\n");
  CHECK(file_error(c) == c.string() + ":2:11: extends: cannot read scenario file '" +
                             dir.name("nope.toml") + "': No such file or directory");

  CHECK(file_error(dir.path / "missing.toml") ==
        (dir.path / "missing.toml").string() +
            ": cannot read scenario file: No such file or directory");
  CHECK(file_error(dir.path) == dir.path.string() + ": cannot read scenario file: is a directory");
}

TEST_CASE("loader: --set overrides", "[unit]") {
  TestScenario s;
  load(s, "[[shocks]]\n[[shocks]]\n[[shocks]]\n[levers]\nanimation = 0.9\n",
       {"levers.animation=0.3", "levers.mode=expert", "world.label = two words ",
        "levers.start=2021-01-04", "world.growth=-1", "shocks.2.size=2.5",
        "shocks.0.start=\"2019-12-30\"", "levers.open=false", "world.agents=5"});
  CHECK(s.levers.animation == 0.3);
  CHECK(s.levers.mode == "expert");
  CHECK(s.world.label == "two words");
  CHECK(s.levers.start == Date{2021, 1, 4});
  CHECK(s.world.growth == -1.0);
  REQUIRE(s.shocks.size() == 3);
  CHECK(s.shocks[2].size == 2.5);
  CHECK(s.shocks[0].start == Date{2019, 12, 30});
  CHECK_FALSE(s.levers.open);
  CHECK(s.world.agents == 5);

  // A string field takes the raw text even when it reads as another TOML value; quotes work too.
  load(s, "", {"world.label=true", "levers.mode=\"none\""});
  CHECK(s.world.label == "true");
  CHECK(s.levers.mode == "none");

  // The later override wins.
  load(s, "", {"levers.budget=1", "levers.budget=2"});
  CHECK(s.levers.budget == 2);
}

TEST_CASE("loader: --set errors", "[unit]") {
  CHECK(load_error("", {"levers.animation=1.4"}) ==
        "--set: levers.animation: value 1.4 is out of range (allowed: a number in [0, 1])");
  CHECK(load_error("", {"levers.anmation=0.3"}) ==
        "--set: levers.anmation: unknown key 'anmation' (did you mean 'animation'?)");
  CHECK(load_error("", {"levrs.animation=0.3"}) ==
        "--set: levrs.animation: unknown section 'levrs' (did you mean 'levers'?)");
  CHECK(
      load_error("", {"levers.budget=2.5"}) ==
      "--set: levers.budget: expected an integer, got float 2.5 (allowed: an integer in [0, 100])");
  CHECK(load_error("", {"levers.mode=expret"}) ==
        "--set: levers.mode: unknown value 'expret', did you mean 'expert'? (allowed: 'none', "
        "'expert', 'capacity_building')");
  CHECK(load_error("", {"levers.animation=high"}) ==
        "--set: levers.animation: expected a number, got string 'high' (allowed: a number in [0, "
        "1])");
  CHECK(load_error("", {"levers.start=2019-02-29"}).find("--set: levers.start: ") == 0);
  CHECK(load_error("", {"shocks.1.size=1"}) ==
        "--set: shocks.1.size: no element 1 (allowed: an index in [0, 0])");
  CHECK(load_error("shocks = []", {"shocks.0.size=1"}) ==
        "--set: shocks.0.size: no element 0 (allowed: none, the array is empty)");
  CHECK(load_error("", {"shocks.x.size=1"}) ==
        "--set: shocks.x.size: element index 'x' is not a number (allowed: an index in [0, 0])");
  CHECK(load_error("", {"shocks.size=1"}) ==
        "--set: shocks.size: 'shocks' is an array of tables: name an element (allowed: "
        "shocks.N.KEY=VALUE with N an index in [0, 0])");
  CHECK(load_error("", {"levers.0.animation=1"}) ==
        "--set: levers.0.animation: 'levers' is a section, not an array of tables (allowed: "
        "levers.KEY=VALUE)");
  CHECK(load_error("", {"shocks.0.sise=1"}) ==
        "--set: shocks.0.sise: unknown key 'sise' (did you mean 'size'?)");
  for (const std::string bad :
       {"xyz", "=3", "levers=3", "levers.=3", ".animation=1", "a.b.c.d=1"}) {
    CHECK(load_error("", {bad}) ==
          "--set: '" + bad + "': expected KEY=VALUE with KEY like section.key or array.N.key");
  }
}

TEST_CASE("loader: to_toml round trip is exact", "[unit]") {
  TestScenario a;
  a.levers.animation = 0.1;
  a.levers.budget = 100;
  a.levers.open = false;
  a.levers.mode = "capacity_building";
  a.levers.start = Date{1999, 12, 31};
  a.world.growth = 1e-300;
  a.world.agents = 9007199254740993;  // 2^53 + 1: not representable as a double
  a.world.label = "quote \" backslash \\ newline \n tab \t bell \x07 del \x7f unicode \xc3\xa9 end";
  a.shocks = {Shock{Date{2020, 2, 29}, 1.0 / 3.0, 1}, Shock{Date{2021, 1, 1}, 5e-324, 520},
              Shock{Date{2022, 6, 6}, 1.0, 2}};
  Schema sa = make_schema(a);
  const std::string text = to_toml(sa);

  CHECK(text.find("# share of facilitator time spent animating [1, 0 to 1]\nanimation = 0.1\n") !=
        std::string::npos);
  CHECK(text.find("size = 1.0\n") != std::string::npos);  // integral doubles stay floats
  CHECK(text.find("start = 2020-02-29\n") != std::string::npos);
  CHECK(text.find("[levers]") < text.find("[world]"));
  CHECK(text.find("[world]") < text.find("[[shocks]]"));

  TestScenario b;
  b.shocks.clear();
  Schema sb = make_schema(b);
  load_scenario_string(text, "resolved.toml", {}, sb);
  CHECK(b == a);
  CHECK(b.world.growth == 1e-300);
  CHECK(b.shocks[1].size == 5e-324);
  CHECK(b.world.label == a.world.label);
  CHECK(to_toml(sb) == text);

  // An empty array must come back empty, not as the default one-element array.
  TestScenario c;
  c.shocks.clear();
  Schema sc = make_schema(c);
  TestScenario d;
  Schema sd = make_schema(d);
  load_scenario_string(to_toml(sc), "resolved.toml", {}, sd);
  CHECK(d.shocks.empty());
}

TEST_CASE("loader: parameter table has one row per field", "[unit]") {
  TestScenario s;
  Schema schema = make_schema(s);
  const std::string md = param_table_markdown(schema);
  int rows = 0;
  std::size_t pos = 0;
  while ((pos = md.find("\n| ", pos)) != std::string::npos) {
    ++rows;
    ++pos;
  }
  CHECK(md.rfind("| section | key | default | unit | allowed | meaning | source |\n|---", 0) == 0);
  CHECK(rows == 5 + 3 + 3);  // data rows (the header is the first line)
  CHECK(md.find("| levers | `animation` | `0.5` | 1 | [0, 1] | share of facilitator time spent "
                "animating | assumption |\n") != std::string::npos);
  CHECK(md.find("| levers | `mode` | `\"none\"` | 1 | 'none', 'expert', 'capacity_building' | "
                "support mode | assumption |\n") != std::string::npos);
  CHECK(md.find("| shocks | `shocks[].start` | `2020-03-16` | date |") != std::string::npos);
  CHECK(md.find("free text label \\| with a pipe") != std::string::npos);
}

TEST_CASE("nearest_name", "[unit]") {
  const std::vector<std::string> names{"animation", "budget", "open", "mode"};
  CHECK(nearest_name("anmation", names) == "animation");
  CHECK(nearest_name("budgte", names) == "budget");
  CHECK(nearest_name("mod", names) == "mode");
  CHECK(nearest_name("open", names) == "open");
  CHECK(nearest_name("qqqqqqqq", names).empty());
  CHECK(nearest_name("anything", {}).empty());
}
