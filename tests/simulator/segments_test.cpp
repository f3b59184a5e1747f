// SMS segment counting for num_segments.
#include "simulator/segments.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace sim = broadcaster::simulator;

namespace {
std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

TEST_CASE("count_segments follows GSM-7 and UCS-2 limits", "[simulator][segments]") {
  struct Case {
    const char* label;
    std::string body;
    std::size_t segments;
  };
  const std::vector<Case> cases = {
      {"empty", "", 1},
      {"short ascii", "Hello", 1},
      {"160 gsm", std::string(160, 'a'), 1},
      {"161 gsm", std::string(161, 'a'), 2},
      {"306 gsm", std::string(306, 'a'), 2},
      {"307 gsm", std::string(307, 'a'), 3},
      {"gsm accents stay gsm", repeat("\xc3\xa9", 160), 1},       // é x160
      {"euro costs two septets", repeat("\xe2\x82\xac", 80), 1},  // € x80 = 160 septets
      {"81 euros overflow", repeat("\xe2\x82\xac", 81), 2},
      {"braces cost two septets", std::string(81, '{'), 2},
      {"70 ucs2", repeat("\xc5\x82", 70), 1},  // ł is not GSM
      {"71 ucs2", repeat("\xc5\x82", 71), 2},
      {"134 ucs2", repeat("\xc5\x82", 134), 2},
      {"135 ucs2", repeat("\xc5\x82", 135), 3},
      {"emoji takes two units", repeat("\xf0\x9f\x91\x8d", 35), 1},  // 70 units
      {"36 emoji", repeat("\xf0\x9f\x91\x8d", 36), 2},
      {"backtick is not gsm", "`", 1},
      {"invalid utf-8 counts as ucs2", std::string(71, '\xff'), 2},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(sim::count_segments(c.body) == c.segments); }
  }
}

TEST_CASE("count_characters counts code points", "[simulator][segments]") {
  CHECK(sim::count_characters("") == 0);
  CHECK(sim::count_characters("abc") == 3);
  CHECK(sim::count_characters("\xc3\xa9\xf0\x9f\x91\x8d") == 2);
  CHECK(sim::count_characters("\xff\xfe") == 2);
}
