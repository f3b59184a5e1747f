// ICU MessageFormat templates: arguments and their uses, typed values,
// plural rules, dates in the event's time zone, and errors.
#include "templates/message_template.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"
#include "templates/template_store.h"
#include "util/errors.h"
#include "util/input_limits.h"

using namespace broadcaster;
using broadcaster::templates::ArgumentUse;
using broadcaster::templates::MessageTemplate;
using broadcaster::templates::Value;
using broadcaster::templates::Variables;

namespace {

Value text(const char* s) { return Value::text(s); }

// 2026-12-05 10:00 in Fresno (UTC-8 in December).
Value workshop_time(const std::string& zone = "America/Los_Angeles") {
  return templates::parse_datetime("2026-12-05T10:00", zone);
}

}  // namespace

TEST_CASE("named arguments are listed and filled") {
  const auto t = MessageTemplate::compile("Taller en {place}, {date}. ¿Preguntas? {place}", "es", "t/es.txt");
  CHECK(t.arguments() == std::vector<std::string>{"date", "place"});
  CHECK(t.render({{"place", text("Fresno")}, {"date", text("sábado")}}) ==
        "Taller en Fresno, sábado. ¿Preguntas? Fresno");
}

TEST_CASE("apostrophes in ordinary text survive") {
  const auto t = MessageTemplate::compile("Don't miss it: {place}", "en", "t/en.txt");
  CHECK(t.render({{"place", text("Fresno")}}) == "Don't miss it: Fresno");
}

TEST_CASE("each use of an argument is recorded with its kind and position") {
  const auto t = MessageTemplate::compile(
      "{org}:\n{when, date, full} {kind, select, daca {DACA} other {ciudadanía}} {seats, plural, other {# lugares}}",
      "es", "t/es.txt");
  const auto& uses = t.uses();
  REQUIRE(uses.size() == 4);
  CHECK(uses[0].name == "org");
  CHECK(uses[0].use == ArgumentUse::Text);
  CHECK(uses[1].name == "when");
  CHECK(uses[1].use == ArgumentUse::DateTime);
  CHECK(uses[1].syntax == "{when, date, full}");
  CHECK(uses[1].line == 2);
  CHECK(uses[1].column == 1);
  CHECK(uses[2].use == ArgumentUse::Select);
  CHECK(uses[3].use == ArgumentUse::Number);
  CHECK(uses[3].syntax == "{seats, plural, ...}");
  CHECK(t.numeric_arguments() == std::vector<std::string>{"seats"});
}

TEST_CASE("plural arguments follow each language's rules") {
  struct Case {
    const char* label;
    const char* language;
    const char* pattern;
    double n;
    const char* expected;
  };
  const Case cases[] = {
      {"en one", "en", "{n, plural, one {# seat left} other {# seats left}}", 1, "1 seat left"},
      {"en other", "en", "{n, plural, one {# seat left} other {# seats left}}", 3, "3 seats left"},
      {"en zero is other", "en", "{n, plural, one {# seat left} other {# seats left}}", 0, "0 seats left"},
      {"en =0 exact match", "en", "{n, plural, =0 {no seats left} one {# seat left} other {# seats left}}", 0,
       "no seats left"},
      {"es one", "es", "{n, plural, one {queda # lugar} other {quedan # lugares}}", 1, "queda 1 lugar"},
      {"es other", "es", "{n, plural, one {queda # lugar} other {quedan # lugares}}", 12, "quedan 12 lugares"},
      // Chinese has no plural forms: every count is "other".
      {"zh 1 is other", "zh", "{n, plural, other {还有#个座位}}", 1, "还有1个座位"},
      {"zh 2 is other", "zh", "{n, plural, one {ONE} other {还有#个座位}}", 2, "还有2个座位"},
      // Arabic has six forms; numbers are written in Arabic-Indic digits.
      {"ar zero", "ar",
       "{n, plural, zero {لا مقاعد} one {مقعد واحد} two {مقعدان} few {# مقاعد} many {# مقعدًا} other {# مقعد}}", 0,
       "لا مقاعد"},
      {"ar one", "ar",
       "{n, plural, zero {لا مقاعد} one {مقعد واحد} two {مقعدان} few {# مقاعد} many {# مقعدًا} other {# مقعد}}", 1,
       "مقعد واحد"},
      {"ar two", "ar",
       "{n, plural, zero {لا مقاعد} one {مقعد واحد} two {مقعدان} few {# مقاعد} many {# مقعدًا} other {# مقعد}}", 2,
       "مقعدان"},
      {"ar few (3-10)", "ar",
       "{n, plural, zero {لا مقاعد} one {مقعد واحد} two {مقعدان} few {# مقاعد} many {# مقعدًا} other {# مقعد}}", 3,
       "٣ مقاعد"},
      {"ar many (11-99)", "ar",
       "{n, plural, zero {لا مقاعد} one {مقعد واحد} two {مقعدان} few {# مقاعد} many {# مقعدًا} other {# مقعد}}", 40,
       "٤٠ مقعدًا"},
      {"ar other (100)", "ar",
       "{n, plural, zero {لا مقاعد} one {مقعد واحد} two {مقعدان} few {# مقاعد} many {# مقعدًا} other {# مقعد}}", 100,
       "١٠٠ مقعد"},
      {"ru few", "ru", "{n, plural, one {# место} few {# места} many {# мест} other {# места}}", 3, "3 места"},
      {"ru many", "ru", "{n, plural, one {# место} few {# места} many {# мест} other {# места}}", 5, "5 мест"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto t = MessageTemplate::compile(c.pattern, c.language, "t.txt");
      CHECK(t.render({{"n", Value::number(c.n)}}) == c.expected);
    }
  }
}

TEST_CASE("plain text that is a number still works in plural, as before typed values") {
  const auto en = MessageTemplate::compile("{n, plural, one {# seat left} other {# seats left}}", "en", "t/en.txt");
  CHECK(en.render({{"n", text("1")}}) == "1 seat left");
  CHECK(en.render({{"n", text("40")}}) == "40 seats left");
  CHECK_THROWS_WITH(en.render({{"n", text("three")}}), Catch::Contains("{n} is used as a number"));
}

TEST_CASE("numbers are formatted for the locale") {
  struct Case {
    const char* language;
    const char* expected;
  };
  // ru groups with a no-break space (U+00A0).
  const Case cases[] = {
      {"en", "1,234,567.5"}, {"es", "1.234.567,5"}, {"ar", "١٬٢٣٤٬٥٦٧٫٥"}, {"ru", "1\u00A0234\u00A0567,5"}};
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.language) {
      const auto t = MessageTemplate::compile("{n, number}", c.language, "t.txt");
      CHECK(t.render({{"n", Value::number(1234567.5)}}) == c.expected);
    }
  }
}

TEST_CASE("dates and times are localised and shown in the event's time zone") {
  struct Case {
    const char* label;
    const char* locale;
    const char* pattern;
    const char* expected;
  };
  // Expected texts are CLDR 42 (ICU 72) formats; U+202F is the narrow
  // no-break space CLDR puts before AM/PM, U+00A0 the no-break space.
  const Case cases[] = {
      {"en-US full date and short time", "en-US", "{when, date, full} at {when, time, short}",
       "Saturday, December 5, 2026 at 10:00\u202FAM"},
      {"en-US skeleton", "en-US", "{when, date, ::EEEEMMMMd}", "Saturday, December 5"},
      {"es-US as in the issue", "es-US", "{when, date, ::EEEEdMMMM}, {when, time, short}",
       "sábado, 5 de diciembre, 10:00\u202Fa.\u00A0m."},
      {"es 24-hour clock", "es", "{when, time, short}", "10:00"},
      {"zh", "zh", "{when, date, full} {when, time, short}", "2026年12月5日星期六 10:00"},
      {"ar (right to left, Arabic-Indic digits)", "ar", "{when, date, ::EEEEdMMMM}، {when, time, short}",
       "السبت، ٥ ديسمبر، ١٠:٠٠ ص"},
      {"ko", "ko", "{when, date, full} {when, time, short}", "2026년 12월 5일 토요일 오전 10:00"},
      {"vi", "vi", "{when, date, full}", "Thứ Bảy, 5 tháng 12, 2026"},
      {"pa", "pa", "{when, date, ::EEEEdMMMM}", "ਸ਼ਨਿੱਚਰਵਾਰ, 5 ਦਸੰਬਰ"},
      {"tl (Filipino data)", "tl", "{when, date, ::EEEEMMMMd}", "Sabado, Disyembre 5"},
      {"a SimpleDateFormat pattern", "es", "{when, date, EEEE d 'de' MMMM}", "sábado 5 de diciembre"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto t = MessageTemplate::compile(c.pattern, "xx", "t.txt", c.locale);
      CHECK(t.render({{"when", workshop_time()}}) == c.expected);
    }
  }
}

TEST_CASE("the same instant reads in the zone the value carries, whatever the process's zone") {
  const auto t = MessageTemplate::compile("{when, time, ::Hm}", "en", "t/en.txt", "en-US");
  // 10:00 in Fresno is 18:00 UTC, 13:00 in New York.
  const Value fresno = workshop_time();
  const Value same_instant_in_new_york = Value::datetime(fresno.instant(), "America/New_York");
  CHECK(t.render({{"when", fresno}}) == "10:00");
  CHECK(t.render({{"when", same_instant_in_new_york}}) == "13:00");
  CHECK(t.render({{"when", Value::datetime(fresno.instant(), "UTC")}}) == "18:00");
}

TEST_CASE("a date inside a plural is also shown in the event's zone") {
  const auto t = MessageTemplate::compile(
      "{seats, plural, one {Last seat, {when, time, ::Hm}} other {# seats, {when, time, ::Hm}}}", "en", "t/en.txt",
      "en-US");
  CHECK(t.render({{"seats", Value::number(1)}, {"when", workshop_time()}}) == "Last seat, 10:00");
  CHECK(t.render({{"seats", Value::number(5)}, {"when", workshop_time()}}) == "5 seats, 10:00");
}

TEST_CASE("a language ICU has no data for renders with the locale it is given") {
  // The store passes the first language of the chain ICU knows (hmn -> en-US,
  // mix -> es-US); without one, ICU's root locale, never the process default.
  const auto hmn = MessageTemplate::compile("Kev cob qhia {when, date, full} {seats, plural, other {# rooj zaum}}",
                                            "hmn", "t/hmn.txt", "en-US");
  CHECK(hmn.render({{"when", workshop_time()}, {"seats", Value::number(1)}}) ==
        "Kev cob qhia Saturday, December 5, 2026 1 rooj zaum");
  const auto mix = MessageTemplate::compile("{when, date, ::EEEEdMMMM}", "mix", "t/mix.txt", "es-US");
  CHECK(mix.render({{"when", workshop_time()}}) == "sábado, 5 de diciembre");
  const auto root =
      MessageTemplate::compile("{when, date, ::yMMdd} {seats, plural, other {#}}", "hmn", "t/hmn.txt", "und");
  CHECK(root.render({{"when", workshop_time()}, {"seats", Value::number(40)}}) == "2026-12-05 40");
}

TEST_CASE("a value of the wrong kind is reported for the argument") {
  struct Case {
    const char* label;
    const char* pattern;
    Value value;
    const char* fragment;
  };
  const Case cases[] = {
      {"text where a date is used", "{when, date, full}", Value::text("Sat 12/5"),
       "{when} is used as a date or time ({when, date, full}), but the campaign gives the text 'Sat 12/5'; give a "
       "date and time, like when: {datetime: \"2026-12-05T10:00\"}"},
      {"number where a date is used", "{when, time, short}", Value::number(3), "gives the number 3"},
      {"date where text is used", "At {when}", workshop_time(),
       "{when} is a date and time; format it in the template with {when, date, full}"},
      {"date where a number is used", "{when, plural, other {#}}", workshop_time(),
       "{when} is used as a number ({when, plural, ...}), but the campaign gives the date and time "
       "2026-12-05T18:00:00Z (shown in America/Los_Angeles)"},
      {"number where select needs text", "{when, select, a {A} other {B}}", Value::number(2),
       "{when} chooses a case ({when, select, ...}) and needs text"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto t = MessageTemplate::compile(c.pattern, "en", "templates/x/en.txt");
      const auto problems = t.check({{"when", c.value}});
      REQUIRE(problems.size() == 1);
      CHECK(problems[0].name == "when");
      CHECK_THAT(problems[0].message, Catch::Contains(c.fragment));
      CHECK_THROWS_WITH(t.render({{"when", c.value}}),
                        Catch::StartsWith("templates/x/en.txt: ") && Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("a missing argument names the template and the argument") {
  const auto t = MessageTemplate::compile("At {place}", "en", "templates/x/en.txt");
  CHECK(t.check({}).size() == 1);
  CHECK_THROWS_WITH(t.render({}), Catch::Contains("templates/x/en.txt: the campaign gives no value for {place}"));
}

TEST_CASE("pattern mistakes report line and column in the template file") {
  struct Case {
    const char* label;
    const char* pattern;
    int line;
    int column;
    const char* fragment;
  };
  const Case cases[] = {
      {"unclosed brace", "Line one\nBad {place", 2, 5, "the 'en' message pattern does not parse"},
      {"numbered argument", "Hello {0}", 1, 8, "use named arguments"},
      {"reserved name", "Hello\n  {__date0}", 2, 4, "reserved"},
      {"skeleton with spaces", "When: {when, date, ::EEEE d MMMM}", 1, 7,
       "{when, date, ::EEEE d MMMM}: a skeleton after '::' is date field letters only"},
      {"empty skeleton", "When:\n {when, time, ::}", 2, 2, "date field letters only"},
      {"plural without other", "{n, plural, one {# seat}}", 1, 0, "does not parse"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      try {
        (void)MessageTemplate::compile(c.pattern, "en", "x/en.txt");
        FAIL("expected ConfigError");
      } catch (const ConfigError& e) {
        CHECK(e.file() == "x/en.txt");
        CHECK(e.line() == c.line);
        if (c.column > 0) CHECK(e.column() == c.column);
        CHECK_THAT(std::string(e.what()), Catch::Contains(c.fragment));
      }
    }
  }
}

TEST_CASE("the store picks a variant along the fallback chain") {
  testing::TempDir dir;
  dir.write("t/invite/es.txt", "Hola {name}\n");
  dir.write("t/invite/en.txt", "Hello {name}\n");
  templates::TemplateStore store(dir.path() / "t");
  const auto& set = store.load("invite");
  CHECK(set.languages() == std::vector<std::string>{"en", "es"});
  CHECK(set.resolve({"mix", "es", "en"})->language() == "es");
  CHECK(set.resolve({"hmn", "en"})->render({{"name", text("Pa")}}) == "Hello Pa");
  CHECK(set.resolve({"hmn"}) == nullptr);
  CHECK(store.exists("invite"));
  CHECK_FALSE(store.exists("nope"));
  CHECK_FALSE(store.exists("../t"));
  CHECK_THROWS_WITH(store.load("nope"),
                    Catch::Contains("unknown template 'nope'") && Catch::Contains("templates: invite"));
}

TEST_CASE("the store formats each variant for its locale along the chain") {
  testing::TempDir dir;
  dir.write("t/invite/es.txt", "{when, time, short}\n");
  dir.write("t/invite/hmn.txt", "\xEF\xBB\xBF{when, time, short}\r\n");  // BOM and CRLF from a Windows editor
  dir.write("t/invite/mix.txt", "{when, time, short}\n");
  templates::LocaleOptions locales;
  locales.region = "US";
  locales.chain = [](const std::string& language) {
    if (language == "mix") return std::vector<std::string>{"mix", "es", "en"};
    return std::vector<std::string>{language, "en"};
  };
  templates::TemplateStore store(dir.path() / "t", locales);
  const auto& set = store.load("invite");
  CHECK(set.find("es")->format_locale() == "es-US");
  CHECK(set.find("hmn")->format_locale() == "en-US");
  CHECK(set.find("mix")->format_locale() == "es-US");
  const Variables vars{{"when", workshop_time()}};
  CHECK(set.find("hmn")->render(vars) == "10:00\u202FAM");
  CHECK(set.find("mix")->render(vars) == "10:00\u202Fa.\u00A0m.");
}

namespace {

// `depth` selects, each inside the 'other' case of the one before.
std::string nested_select(std::size_t depth) {
  std::string pattern;
  for (std::size_t i = 0; i < depth; ++i) pattern += "{g,select,a{x}other{";
  pattern += "deep";
  for (std::size_t i = 0; i < depth; ++i) pattern += "}}";
  return pattern;
}

}  // namespace

TEST_CASE("nesting is limited before ICU recurses into it") {
  const auto at_limit = MessageTemplate::compile(nested_select(util::kMaxTemplateNesting), "en", "t/en.txt");
  CHECK(at_limit.render({{"g", text("z")}}) == "deep");
  for (const std::size_t depth : {util::kMaxTemplateNesting + 1, std::size_t{2500}}) {
    DYNAMIC_SECTION("depth " << depth) {
      try {
        (void)MessageTemplate::compile(nested_select(depth), "en", "t/en.txt");
        FAIL("no error");
      } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("t/en.txt:1:") && Catch::Contains("nested more than 16 deep here"));
      }
    }
  }
}

TEST_CASE("invalid UTF-8 in a template is refused with its byte offset and position") {
  try {
    (void)MessageTemplate::compile("Hola {name},\nbienvenid\xE9", "es", "t/es.txt");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("t/es.txt:2:10: invalid UTF-8 at byte offset 22 (byte 0xE9)"));
  }
}

TEST_CASE("a template over the size limit is refused, from a file as from a string") {
  const std::string big(util::kMaxTemplateBytes + 1, 'x');
  CHECK_THROWS_WITH(MessageTemplate::compile(big, "en", "t/en.txt"), Catch::Contains("at most 64 KiB"));
  testing::TempDir dir;
  dir.write("templates/big/en.txt", std::string(1024 * 1024, 'x'));
  templates::TemplateStore store(dir.path() / "templates");
  CHECK_THROWS_WITH(store.load("big"), Catch::Contains("at most 64 KiB"));
}

TEST_CASE("positions stay right in a template with thousands of arguments") {
  std::string pattern;
  for (int i = 0; i < 4000; ++i) pattern += "{a}\n";
  const auto t = MessageTemplate::compile(pattern, "en", "t/en.txt");
  REQUIRE(t.uses().size() == 4000);
  CHECK(t.uses().back().line == 4000);
  CHECK(t.uses().back().column == 1);
}
