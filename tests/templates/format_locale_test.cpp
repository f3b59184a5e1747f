// Choosing the ICU locale of a variant: region when ICU has exactly that,
// fallback chain for languages ICU lacks, root as the last resort.
#include <catch2/catch.hpp>

#include "templates/format_locale.h"

using broadcaster::templates::choose_format_locale;
using broadcaster::templates::icu_has_locale;

TEST_CASE("ICU locale data is detected per language") {
  for (const char* known : {"en", "es", "zh", "zh-Hant", "ar", "pa", "vi", "ko", "ru", "tl"}) {
    DYNAMIC_SECTION(known) { CHECK(icu_has_locale(known)); }
  }
  for (const char* unknown : {"hmn", "mix", "und"}) {
    DYNAMIC_SECTION(unknown) { CHECK_FALSE(icu_has_locale(unknown)); }
  }
}

TEST_CASE("the format locale follows the chain and adds the region only where ICU has it") {
  struct Case {
    const char* label;
    std::vector<std::string> chain;
    const char* region;
    const char* expected;
  };
  const Case cases[] = {
      {"es in the US", {"es", "en"}, "US", "es-US"},
      {"en in the US", {"en"}, "US", "en-US"},
      // ICU would resolve zh-US to Traditional Chinese: keep plain zh.
      {"zh stays zh", {"zh", "en"}, "US", "zh"},
      {"ar has no US data", {"ar", "en"}, "US", "ar"},
      {"ko has no US data", {"ko", "en"}, "US", "ko"},
      {"pa", {"pa", "en"}, "US", "pa"},
      {"tl (an alias of fil in ICU)", {"tl", "en"}, "US", "tl"},
      {"no region", {"es", "en"}, "", "es"},
      {"hmn falls back to en", {"hmn", "en"}, "US", "en-US"},
      {"mix falls back to es", {"mix", "es", "en"}, "US", "es-US"},
      {"nothing known: root", {"hmn", "mix"}, "US", "und"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(choose_format_locale(c.chain, c.region) == c.expected); }
  }
}
