// Reading calendar dates and names with positions.
#include "calendar/yaml_fields.h"

#include "util/excerpt.h"

namespace broadcaster::calendar {

Date read_date(config::YamlMap& map, const std::string& key) {
  const std::string text = map.required<std::string>(key);
  const auto date = parse_date(text);
  if (!date) {
    throw map.error(key, "'" + key + "' must be a date that exists, written YYYY-MM-DD like 2026-12-12, got '" +
                             util::excerpt(text) + "'");
  }
  return *date;
}

std::string read_name(config::YamlMap& map, const std::string& key, std::size_t max_bytes) {
  std::string text = map.required<std::string>(key);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  if (text.empty()) throw map.error(key, "'" + key + "' must not be empty");
  if (text.size() > max_bytes) {
    throw map.error(key, "'" + key + "' has at most " + std::to_string(max_bytes) + " bytes");
  }
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) {
      throw map.error(key, "'" + key + "' must not hold control characters (tabs, line breaks)");
    }
  }
  return text;
}

}  // namespace broadcaster::calendar
