// Retry-After: delay-seconds and IMF-fixdate against a fixed clock.
#include "channels/retry_after.h"

#include <catch2/catch.hpp>

namespace broadcaster::channels {
namespace {

using std::chrono::milliseconds;

// 2024-03-05 17:00:00 UTC.
const auto kNow = std::chrono::sys_days(std::chrono::year(2024) / std::chrono::March / 5) +
                  std::chrono::hours(17);

std::string text(const std::optional<milliseconds>& ms) {
  return ms ? std::to_string(ms->count()) : "nullopt";
}

}  // namespace

TEST_CASE("retry_after: parses seconds and dates", "[channels][retry_after]") {
  struct Case {
    const char* label;
    const char* value;
    const char* expected;  // milliseconds, or "nullopt"
  };
  const Case cases[] = {
      {"one second", "1", "1000"},
      {"zero", "0", "0"},
      {"spaces", "  120 ", "120000"},
      {"date ahead", "Tue, 05 Mar 2024 17:00:30 GMT", "30000"},
      {"date behind", "Tue, 05 Mar 2024 16:00:00 GMT", "0"},
      {"date across midnight", "Wed, 06 Mar 2024 00:00:01 GMT", "25201000"},
      {"empty", "", "nullopt"},
      {"negative", "-1", "nullopt"},
      {"fraction", "1.5", "nullopt"},
      {"words", "soon", "nullopt"},
      {"huge", "99999999999999999999", "nullopt"},
      {"more than a week", "604801", "nullopt"},
      {"RFC 850 date", "Tuesday, 05-Mar-24 17:00:30 GMT", "nullopt"},
      {"not GMT", "Tue, 05 Mar 2024 17:00:30 UTC", "nullopt"},
      {"impossible date", "Fri, 31 Feb 2024 17:00:30 GMT", "nullopt"},
      {"bad month", "Tue, 05 Mrz 2024 17:00:30 GMT", "nullopt"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(text(parse_retry_after(c.value, kNow)) == c.expected); }
  }
}

}  // namespace broadcaster::channels
