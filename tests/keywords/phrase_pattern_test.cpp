// Phrase patterns: what each construct spells, and the errors a staff member
// editing config/keywords.yaml would meet, with the offset they point at.
#include "keywords/phrase_pattern.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using broadcaster::keywords::expand_pattern;
using broadcaster::keywords::PatternError;
using broadcaster::keywords::WordClasses;
using Spelled = std::vector<std::string>;

TEST_CASE("a phrase pattern spells every combination of its parts, in order") {
  const WordClasses classes{{"send", {"texting", "sending", "(messaging|contacting) [me]"}}};
  struct Case {
    const char* pattern;
    Spelled spelled;
  };
  const std::vector<Case> cases = {
      {"stop texting", {"stop texting"}},
      {"(stop|quit) texting", {"stop texting", "quit texting"}},
      {"[please] stop", {"stop", "please stop"}},
      {"no (me|nos) [(manden|envíen)] más",
       {"no me más", "no me manden más", "no me envíen más", "no nos más", "no nos manden más", "no nos envíen más"}},
      {"[please|pls] stop", {"stop", "please stop", "pls stop"}},
      {"(do not|don't) text me", {"do not text me", "don't text me"}},
      {"stop {send}",
       {"stop texting", "stop sending", "stop messaging", "stop messaging me", "stop contacting",
        "stop contacting me"}},
      {"  stop   texting  ", {"stop texting"}},
      {"(a|a) b", {"a b"}},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.pattern) { CHECK(expand_pattern(c.pattern, classes) == c.spelled); }
  }
}

TEST_CASE("a broken phrase pattern names the problem and where it is") {
  const WordClasses classes{{"send", {"texting"}}, {"nested", {"{send}"}}};
  struct Case {
    const char* pattern;
    std::size_t offset;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"(stop|quit texting", 0, "'(' is not closed"},
      {"stop) texting", 4, "unexpected ')'"},
      {"[stop texting", 0, "'[' is not closed"},
      {"(stop] texting", 5, "expected ')'"},
      {"(stop||quit)", 6, "empty alternative"},
      {"stop {sned}", 5, "unknown word class {sned}"},
      {"stop {send", 5, "'{' is not closed"},
      {"stop {nested}", 5, "cannot use another class"},
      {"stop }", 5, "'}' without '{'"},
      {"   ", 0, "spells no words"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.pattern) {
      try {
        expand_pattern(c.pattern, classes);
        FAIL("no error for " << c.pattern);
      } catch (const PatternError& e) {
        CHECK_THAT(e.what(), Catch::Matchers::Contains(c.message));
        CHECK(e.offset() == c.offset);
      }
    }
  }
}

TEST_CASE("a phrase pattern that spells too many phrases is refused rather than slowing every text") {
  // 4^6 = 4096 > 2000.
  const std::string pattern = "(a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d)";
  CHECK_THROWS_WITH(expand_pattern(pattern, {}), Catch::Matchers::Contains("more than 2000"));
  CHECK(expand_pattern(pattern, {}, 5000).size() == 4096);
}
