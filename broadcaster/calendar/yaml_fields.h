// The values calendar files and campaigns' `event:` share, read from YAML
// with positions: dates, and names (county, partner, title).
#pragma once

#include <string>

#include "calendar/local_date.h"
#include "config/yaml_reader.h"

namespace broadcaster::calendar {

/// Longest county name, in bytes.
inline constexpr std::size_t kMaxCountyBytes = 64;
/// Longest partner name, in bytes.
inline constexpr std::size_t kMaxPartnerBytes = 100;
/// Longest event title, in bytes.
inline constexpr std::size_t kMaxTitleBytes = 200;

/// The required date at `key` ("YYYY-MM-DD"). Throws ConfigError at the
/// value when it is missing, malformed or not a day that exists.
[[nodiscard]] Date read_date(config::YamlMap& map, const std::string& key);

/// The required text at `key`: not empty, at most `max_bytes`, without
/// control characters, spaces at either end removed. Throws ConfigError at
/// the value otherwise.
[[nodiscard]] std::string read_name(config::YamlMap& map, const std::string& key, std::size_t max_bytes);

}  // namespace broadcaster::calendar
