// One-edit comparison: the typos a thumb makes on a lone keyword, in Latin
// and other scripts, and the differences that are not one slip.
#include "keywords/edit_distance.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using broadcaster::keywords::code_points;
using broadcaster::keywords::within_one_edit;

TEST_CASE("one inserted, deleted, changed or swapped letter is within one edit") {
  struct Case {
    const char* typed;
    const char* meant;
    bool within;
  };
  const std::vector<Case> cases = {
      {"stop", "stop", true},
      {"stopp", "stop", true},               // inserted
      {"sop", "stop", true},                 // deleted
      {"stip", "stop", true},                // changed
      {"sotp", "stop", true},                // swapped
      {"unsubscirbe", "unsubscribe", true},  // swapped in the middle
      {"cancle", "cancel", true},
      {"стпо", "стоп", true},  // Cyrillic swap
      {"отписатся", "отписаться", true},
      {"stoppp", "stop", false},
      {"spot", "stop", false},  // two letters moved
      {"tsop", "stop", true},
      {"shut", "stop", false},
      {"", "stop", false},
      {"unsbuscrbie", "unsubscribe", false},  // two swaps,
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.typed << " / " << c.meant) {
      CHECK(within_one_edit(c.typed, c.meant) == c.within);
      CHECK(within_one_edit(c.meant, c.typed) == c.within);
    }
  }
}

TEST_CASE("letters are counted as code points, not bytes") {
  CHECK(code_points("stop") == 4);
  CHECK(code_points("стоп") == 4);
  CHECK(code_points("退订") == 2);
  CHECK(within_one_edit("退订", "退定"));
  CHECK_FALSE(within_one_edit("\xff\xfe", "ab"));
}
