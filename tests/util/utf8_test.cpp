// UTF-8 validation: the offset of the first bad sequence, and positions.
#include "util/utf8.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

using broadcaster::util::first_invalid_utf8;
using broadcaster::util::invalid_utf8_message;
using broadcaster::util::position_of_byte;

TEST_CASE("first_invalid_utf8 finds the first bad sequence, or none") {
  struct Case {
    const char* label;
    std::string text;
    std::optional<std::size_t> offset;
  };
  const Case cases[] = {
      {"empty", "", std::nullopt},
      {"ASCII", "STOP", std::nullopt},
      {"accents, CJK and emoji",
       "\xC3\xBA"
       "nete \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80",
       std::nullopt},
      {"NUL is valid", std::string("a\0b", 3), std::nullopt},
      {"lone continuation byte", "ab\x80", 2},
      {"truncated two-byte sequence at the end", "abc\xC3", 3},
      {"truncated three-byte sequence", "x\xE4\xB8y", 1},
      {"overlong slash", "a\xC0\xAF", 1},
      {"overlong three-byte form", "\xE0\x80\xAF", 0},
      {"surrogate half", "ok \xED\xA0\x80", 3},
      {"above U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"F5 lead byte", "\xF5\x80\x80\x80", 0},
      {"Latin-1 from a spreadsheet", "Jos\xE9", 3},
      {"first of two errors", "\xFF\xFE", 0},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(first_invalid_utf8(c.text) == c.offset); }
  }
}

TEST_CASE("positions count lines and code points") {
  const std::string text =
      "ab\n\xC3\xBA"
      "c\xFF";
  CHECK(position_of_byte(text, 0).line == 1);
  CHECK(position_of_byte(text, 2).column == 3);
  const auto bad = position_of_byte(text, *first_invalid_utf8(text));
  CHECK(bad.line == 2);
  CHECK(bad.column == 3);  // after 'ú' (one code point) and 'c'
}

TEST_CASE("the message names the offset and the byte") {
  CHECK_THAT(invalid_utf8_message("Jos\xE9", 3), Catch::Contains("byte offset 3") && Catch::Contains("0xE9"));
}
