// ICU MessageFormat templates: arguments, plural, and errors.
#include <catch2/catch.hpp>

#include "templates/message_template.h"
#include "templates/template_store.h"
#include "support/temp_dir.h"
#include "util/errors.h"

using namespace broadcaster;
using broadcaster::templates::MessageTemplate;

TEST_CASE("named arguments are listed and filled") {
  const auto t = MessageTemplate::compile("Taller en {place}, {date}. ¿Preguntas? {place}", "es", "t/es.txt");
  CHECK(t.arguments() == std::vector<std::string>{"date", "place"});
  CHECK(t.render({{"place", "Fresno"}, {"date", "sábado"}}) == "Taller en Fresno, sábado. ¿Preguntas? Fresno");
}

TEST_CASE("apostrophes in ordinary text survive") {
  const auto t = MessageTemplate::compile("Don't miss it: {place}", "en", "t/en.txt");
  CHECK(t.render({{"place", "Fresno"}}) == "Don't miss it: Fresno");
}

TEST_CASE("plural arguments follow the language's rules") {
  const auto en = MessageTemplate::compile("{n, plural, one {# seat left} other {# seats left}}", "en", "t/en.txt");
  CHECK(en.numeric_arguments() == std::vector<std::string>{"n"});
  CHECK(en.render({{"n", "1"}}) == "1 seat left");
  CHECK(en.render({{"n", "3"}}) == "3 seats left");
  CHECK_THROWS_WITH(en.render({{"n", "three"}}), Catch::Contains("{n} is used as a number"));
}

TEST_CASE("a missing argument names the template and the argument") {
  const auto t = MessageTemplate::compile("At {place}", "en", "templates/x/en.txt");
  CHECK_THROWS_WITH(t.render({}), Catch::Contains("templates/x/en.txt: the campaign gives no value for {place}"));
}

TEST_CASE("a pattern that does not parse reports line and column") {
  try {
    (void)MessageTemplate::compile("Line one\nBad {place", "en", "x/en.txt");
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.file() == "x/en.txt");
    CHECK(e.line() == 2);
    CHECK_THAT(std::string(e.what()), Catch::Contains("does not parse"));
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
  CHECK(set.resolve({"hmn", "en"})->render({{"name", "Pa"}}) == "Hello Pa");
  CHECK(set.resolve({"hmn"}) == nullptr);
  CHECK_THROWS_WITH(store.load("nope"), Catch::Contains("unknown template 'nope'") && Catch::Contains("templates: invite"));
}
