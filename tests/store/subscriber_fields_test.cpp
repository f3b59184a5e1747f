// What a subscriber's language, tags and stored texts may be.
#include "store/subscriber_fields.h"

#include <catch2/catch.hpp>
#include <string>

#include "util/input_limits.h"

using namespace broadcaster::store;

TEST_CASE("language codes") {
  struct Case {
    const char* label;
    std::string code;
    bool valid;
  };
  const Case cases[] = {
      {"two letters", "es", true},
      {"three letters", "hmn", true},
      {"script subtag", "zh-hant", true},
      {"region", "sr-latn-rs", true},
      {"empty", "", false},
      {"one letter", "e", false},
      {"a word", "spanish", false},
      {"upper case", "ES", false},
      {"empty subtag", "es-", false},
      {"35 KB", std::string(35 * 1024, 'a'), false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(!language_problem(c.code).has_value() == c.valid); }
  }
}

TEST_CASE("tags: bounded, UTF-8, no separator or control characters") {
  struct Case {
    const char* label;
    std::string tag;
    const char* problem;  // "" when valid
  };
  const Case cases[] = {
      {"plain", "fresno", ""},
      {"spaces and quotes", "fresno county \"north\"", ""},
      {"accents", "\xC3\xA1rea-norte", ""},
      {"at the limit", std::string(broadcaster::util::kMaxTagBytes, 't'), ""},
      {"over the limit", std::string(broadcaster::util::kMaxTagBytes + 1, 't'), "at most 64"},
      {"50 MB", std::string(50 * 1024 * 1024, 't'), "52428800 bytes long"},
      {"invalid UTF-8", "fres\xFFno", "byte offset 4"},
      {"comma", "fresno,daca", "','"},
      {"newline", "fresno\nx", "control character at byte offset 6"},
      {"empty", "", "empty"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto problem = tag_problem(c.tag);
      if (*c.problem == '\0') {
        CHECK_FALSE(problem);
      } else {
        REQUIRE(problem);
        CHECK_THAT(*problem, Catch::Contains(c.problem));
        CHECK(problem->size() < 200);
      }
    }
  }
}

TEST_CASE("a tag list is bounded and quotes the bad tag as an excerpt") {
  CHECK_FALSE(tags_problem({"fresno", "daca"}));
  CHECK_THAT(*tags_problem(std::vector<std::string>(broadcaster::util::kMaxTagsPerSubscriber + 1, "t")),
             Catch::Contains("at most 64"));
  const auto problem = tags_problem({"fresno", std::string(1024 * 1024, 'x')});
  REQUIRE(problem);
  CHECK(problem->size() < 200);
}

TEST_CASE("stored texts are bounded UTF-8 without control characters") {
  CHECK_FALSE(stored_text_problem("paper form, Fresno library"));
  CHECK(stored_text_problem(std::string(broadcaster::util::kMaxStoredTextBytes + 1, 'x')));
  CHECK_THAT(*stored_text_problem("paper\xC3"), Catch::Contains("byte offset 5"));
  CHECK(stored_text_problem("line\rbreak"));
}
