// Phone parsing refuses oversized text before libphonenumber sees it.
#include "util/phone.h"

#include <catch2/catch.hpp>
#include <string>

#include "util/input_limits.h"

using broadcaster::util::Phone;

TEST_CASE("numbers as people type them are read; oversized or invalid text is refused") {
  struct Case {
    const char* label;
    std::string text;
    bool valid;
    const char* why;
  };
  const Case cases[] = {
      {"national", "(559) 555-0142", true, ""},
      {"spaced E.164", "+1 559 555 0142", true, ""},
      {"full-width digits fit the character limit",
       "\xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x99\xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x90\xEF\xBC\x91"
       "\xEF\xBC\x94\xEF\xBC\x92",
       true, ""},
      {"64 KB of digits", "+1" + std::string(64 * 1024, '5'), false, "too long"},
      {"one character over the limit", std::string(broadcaster::util::kMaxPhoneChars + 1, '5'), false, "too long"},
      {"invalid UTF-8",
       "559\xFF"
       "5550142",
       false, "UTF-8"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      std::string why;
      const auto phone = Phone::parse(c.text, "US", &why);
      CHECK(phone.has_value() == c.valid);
      if (!c.valid) CHECK_THAT(why, Catch::Contains(c.why));
      if (c.valid && phone) CHECK(phone->e164() == "+15595550142");
      CHECK(why.size() < 120);
    }
  }
}
