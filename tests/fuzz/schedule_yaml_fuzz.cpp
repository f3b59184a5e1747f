// Fuzz target: the time data staff write or ship (broadcaster/schedule/): a
// campaign's `schedule:` (every form, the RRULE subset), the state quiet-hours
// file, and the area code CSV. Every refusal must be a short ConfigError or
// Error; a schedule that parses must generate and describe itself.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/yaml_reader.h"
#include "fuzz/fuzz_check.h"
#include "schedule/area_code_zones.h"
#include "schedule/recurrence.h"
#include "schedule/state_rules.h"
#include "util/errors.h"

using namespace broadcaster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const YAML::Node top = config::parse_yaml(text, "/fuzz/config/campaigns/x.yaml");
    const YAML::Node node = top.IsMap() && top["schedule"] ? top["schedule"] : top;
    try {
      const schedule::Recurrence r = schedule::Recurrence::parse(node, "/fuzz/config/campaigns/x.yaml");
      const auto t = std::chrono::sys_days(std::chrono::year(2026) / 12 / 1);
      (void)r.next_occurrences(t, "America/Los_Angeles", 3);
      fuzz::require_short(r.describe());
    } catch (const Error& e) {
      fuzz::require_short(e.what());
    }
    try {
      (void)schedule::StateRules::parse(top, "/fuzz/config/data/quiet_hours.yaml");
    } catch (const Error& e) {
      fuzz::require_short(e.what());
    }
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  try {
    const auto table = schedule::AreaCodeZones::parse(text, "/fuzz/config/data/nanp_area_codes.csv");
    (void)table.lookup("+15595550142");
  } catch (const Error& e) {
    fuzz::require_short(e.what());
  }
  return 0;
}
