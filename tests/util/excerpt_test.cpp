// Error-message excerpts: short, escaped, numbers masked.
#include "util/excerpt.h"

#include <catch2/catch.hpp>
#include <string>

#include "util/utf8.h"

using broadcaster::util::excerpt;
using broadcaster::util::first_invalid_utf8;

TEST_CASE("short values are quoted as they are") {
  CHECK(excerpt("fresno") == "fresno");
  CHECK(excerpt("") == "");
  CHECK(excerpt("\xC3\xBA"
                "nete") ==
        "\xC3\xBA"
        "nete");
  CHECK(excerpt("room 101") == "room 101");                  // three digits are not a phone number
  CHECK(excerpt("2026-02-30T10:00") == "2026-02-30T10:00");  // nor is a date
}

TEST_CASE("a 10 MB value becomes a short excerpt with its length") {
  const std::string id(10 * 1024 * 1024, 'a');
  const std::string e = excerpt(id);
  CHECK(e.size() < 80);
  CHECK_THAT(e, Catch::StartsWith("aaaa") && Catch::EndsWith("(10485760 bytes)"));
}

TEST_CASE("numbers are masked, wherever they are and however long") {
  struct Case {
    const char* label;
    std::string value;
    std::string hidden;
  };
  const Case cases[] = {
      {"E.164", "+15595550142", "5550142"},
      {"formatted", "(559) 555-0142", "555-0142"},
      {"inside text", "call +1 559 555 0142 now", "555 0142"},
      {"64 KB of digits", "+1" + std::string(64 * 1024, '5'), "55555555"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const std::string e = excerpt(c.value);
      CHECK_THAT(e, !Catch::Contains(c.hidden));
      CHECK_THAT(e, Catch::Contains("\u2022"));
      CHECK(e.size() < 80);
    }
  }
}

TEST_CASE("control characters and invalid bytes are escaped, and the result is UTF-8") {
  const std::string e = excerpt(std::string("a\nb\x1B[31m\xFF\xC3", 10));
  CHECK(e == "a\\nb\\x1B[31m\\xFF\\xC3");
  CHECK_FALSE(first_invalid_utf8(e));
  // A cut never splits a character.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xC3\xBA";
  CHECK_FALSE(first_invalid_utf8(excerpt(accents)));
}
