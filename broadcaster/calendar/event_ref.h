// What a campaign says about the event it announces, for the partner
// calendar's conflict check: `event: {date: 2026-12-12, county: Fresno,
// partner: Centro Legal}` in the campaign file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "calendar/local_date.h"

namespace broadcaster::calendar {

/// The event a campaign is about.
struct EventRef {
  Date date;
  std::string county;
  std::string partner;  ///< who holds it (usually the organization sending)
  std::string file;     ///< where it was written, for warnings
  int line = 0;         ///< 1-based position of the `event` mapping; 0 when unknown
  int column = 0;
};

/// Reads an `event:` mapping (`node`, in `file`) with keys date
/// (YYYY-MM-DD), county and partner, all required. Throws ConfigError at the
/// offending key or value: not a mapping, a missing or unknown key, a date
/// that does not exist, an empty or over-long name.
[[nodiscard]] EventRef parse_event_ref(const YAML::Node& node, const std::string& file);

}  // namespace broadcaster::calendar
