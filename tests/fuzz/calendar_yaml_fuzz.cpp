// Fuzz target: partner calendar files (calendar/calendar_file.cpp) and a
// campaign's `event:` mapping (calendar/event_ref.cpp). Every refusal must
// be a short ConfigError; every accepted event must be well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "calendar/calendar.h"
#include "calendar/calendar_file.h"
#include "calendar/event_ref.h"
#include "config/yaml_reader.h"
#include "fuzz/fuzz_check.h"
#include "util/errors.h"

using namespace broadcaster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  try {
    const calendar::Calendar cal(calendar::parse_calendar_text(yaml, "/fuzz/config/calendar/p.yaml"));
    for (const auto& e : cal.events()) {
      fuzz::require(e.date.ok(), "an accepted event's date exists");
      fuzz::require(e.start < e.end && e.end < std::chrono::hours(24), "an accepted event ends after it starts");
      fuzz::require(e.starts_at < e.ends_at, "an accepted event's instants are in order");
      fuzz::require(!e.county.empty() && !e.partner.empty() && !e.title.empty(), "an accepted event has names");
      fuzz::require(!e.languages.empty(), "an accepted event has languages");
      (void)cal.conflicts({e.date, e.county, e.partner, "", 0, 0});
    }
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  try {
    const YAML::Node root = config::parse_yaml(yaml, "/fuzz/config/campaigns/c.yaml");
    if (root.IsMap() && root["event"]) {
      const calendar::EventRef ref = calendar::parse_event_ref(root["event"], "/fuzz/config/campaigns/c.yaml");
      fuzz::require(ref.date.ok() && !ref.county.empty() && !ref.partner.empty(), "an accepted event ref is whole");
    }
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  return 0;
}
