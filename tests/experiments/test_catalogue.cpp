// The C++ message catalogue (experiments/text/catalogue.hpp) and the metric table's French
// columns: every key and every metric in both languages, French numbers, the locale default.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "experiments/metrics/metrics.hpp"
#include "experiments/text/catalogue.hpp"

using namespace cdpsim;

namespace {

int conversions(std::string_view s) {  // printf conversions (%s, %zu, %lld, %llu)
  int n = 0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (s[i] == '%') {
      const char c = s[i + 1];
      if (c == 's' || c == 'z' || c == 'l' || c == 'd') ++n;
      ++i;
    }
  return n;
}

}  // namespace

TEST_CASE("Every catalogue key has an English and a French text with the same fields",
          "[unit][catalogue]") {
  for (int k = 0; k < static_cast<int>(Text::count_); ++k) {
    const auto key = static_cast<Text>(k);
    INFO("key " << k);
    CHECK(!text(Lang::en, key).empty());
    CHECK(!text(Lang::fr, key).empty());
    CHECK(conversions(text(Lang::en, key)) == conversions(text(Lang::fr, key)));
  }
}

TEST_CASE("Every metric has its French label, meaning and verdict phrases", "[unit][catalogue]") {
  for (const Metric& m : metrics()) {
    INFO(m.name);
    CHECK(!m.label_fr.empty());
    CHECK(!m.meaning_fr.empty());
    CHECK(std::string_view(m.more_fr).find("{x}") != std::string_view::npos);
    CHECK(std::string_view(m.fewer_fr).find("{x}") != std::string_view::npos);
    CHECK(m.display_unit_fr.empty() == m.display_unit.empty());
    CHECK((m.label_fr != m.label || m.name == "contributions_total"));  // the same word
    CHECK(metric_label(m, Lang::fr) == m.label_fr);
    CHECK(metric_label(m, Lang::en) == m.label);
  }
}

TEST_CASE("Numbers are written the language's way", "[unit][catalogue]") {
  CHECK(format_number(1234.5, 1, Lang::fr) == "1\u202f234,5");
  CHECK(format_number(1234.5, 1, Lang::en) == "1,234.5");
  CHECK(format_number(-1234567, 0, Lang::fr) == "-1\u202f234\u202f567");
  CHECK(format_number(12.5, 2, Lang::fr, true) == "+12,50");
  CHECK(localize_number("0.00123", Lang::fr) == "0,00123");
  CHECK(localize_number("-12345.6", Lang::en) == "-12345.6");
  CHECK(pad("écart", 7, true) == "écart  ");
}

TEST_CASE("The language comes from --lang, else from the locale", "[unit][catalogue]") {
  CHECK(parse_lang("fr") == Lang::fr);
  CHECK(parse_lang("en") == Lang::en);
  CHECK_THROWS_AS(parse_lang("de"), std::invalid_argument);
  ::unsetenv("LC_ALL");
  ::unsetenv("LC_MESSAGES");
  ::setenv("LANG", "fr_CA.UTF-8", 1);
  CHECK(default_lang() == Lang::fr);
  ::setenv("LC_ALL", "en_US.UTF-8", 1);
  CHECK(default_lang() == Lang::en);
  ::unsetenv("LC_ALL");
  ::setenv("LANG", "C.UTF-8", 1);
  CHECK(default_lang() == Lang::en);
}
