// Reading calendar files and the calendar folder.
#include "calendar/calendar_file.h"

#include <algorithm>
#include <optional>

#include "calendar/yaml_fields.h"
#include "config/yaml_reader.h"
#include "store/subscriber_fields.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::calendar {

namespace {

/// "H:MM" or "HH:MM", 00:00-23:59, as minutes since midnight.
std::optional<std::chrono::minutes> parse_time(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
  auto number = [](std::string_view digits) -> std::optional<int> {
    int n = 0;
    for (const char ch : digits) {
      if (ch < '0' || ch > '9') return std::nullopt;
      n = n * 10 + (ch - '0');
    }
    return n;
  };
  const auto hours = number(text.substr(0, colon));
  const auto minutes = number(text.substr(colon + 1));
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return std::chrono::minutes(*hours * 60 + *minutes);
}

std::chrono::minutes read_time(config::YamlMap& map, const std::string& key) {
  const std::string text = map.required<std::string>(key);
  const auto t = parse_time(text);
  if (!t) {
    throw map.error(key, "'" + key + "' must be a local time written HH:MM (00:00-23:59), like \"10:00\", got '" +
                             util::excerpt(text) + "'");
  }
  return *t;
}

std::string read_zone(config::YamlMap& map, const std::string& fallback) {
  if (!map.has("time_zone")) return fallback;
  const std::string zone = map.required<std::string>("time_zone");
  if (!templates::is_time_zone(zone)) {
    throw map.error("time_zone",
                    "unknown time zone '" + util::excerpt(zone) + "'; use an IANA zone name like America/Los_Angeles");
  }
  return zone;
}

templates::Instant instant_of(config::YamlMap& map, const std::string& key, Date date, std::chrono::minutes t,
                              const std::string& zone) {
  try {
    return templates::parse_datetime(format_date(date) + "T" + format_time(t), zone).instant();
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {
    throw map.error(key, e.what());  // a time skipped when the clocks change
  }
}

Event read_event(const YAML::Node& node, const std::string& file, const std::string& file_partner,
                 const std::string& file_zone) {
  config::YamlMap map(node, file, "an event");
  Event e;
  e.date = read_date(map, "date");
  e.start = read_time(map, "start");
  e.end = read_time(map, "end");
  if (e.end <= e.start) {
    throw map.error("end", "'end' (" + format_time(e.end) + ") must be after 'start' (" + format_time(e.start) +
                               "); an event that runs past midnight is two events");
  }
  e.time_zone = read_zone(map, file_zone);
  e.county = read_name(map, "county", kMaxCountyBytes);
  if (map.has("partner") || file_partner.empty()) {
    e.partner = read_name(map, "partner", kMaxPartnerBytes);
  } else {
    e.partner = file_partner;
  }
  e.title = read_name(map, "title", kMaxTitleBytes);
  if (!map.has("languages")) throw map.missing("languages", "key");
  e.languages = map.string_list("languages");
  if (e.languages.empty() || e.languages.size() > kMaxEventLanguages) {
    throw map.error("languages",
                    "'languages' lists 1-" + std::to_string(kMaxEventLanguages) + " language codes, like [es, en]");
  }
  for (auto& language : e.languages) {
    if (const auto problem = store::language_problem(language)) {
      throw map.error("languages", "'" + util::excerpt(language) + "' in 'languages': " + *problem);
    }
  }
  e.starts_at = instant_of(map, "start", e.date, e.start, e.time_zone);
  e.ends_at = instant_of(map, "end", e.date, e.end, e.time_zone);
  const YAML::Mark mark = node.Mark();
  e.source = file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  map.finish();
  return e;
}

std::vector<Event> read_calendar(const YAML::Node& root, const std::string& file, const std::string& default_zone) {
  if (!root.IsDefined() || root.IsNull()) return {};  // an empty file holds no events
  config::YamlMap top(root, file, "a calendar file");
  const std::string partner = top.has("partner") ? read_name(top, "partner", kMaxPartnerBytes) : std::string();
  const std::string zone = read_zone(top, default_zone);
  const YAML::Node events = top.node("events");
  if (!events.IsDefined()) throw top.missing("events", "key");
  top.finish();
  if (events.IsNull()) return {};
  if (!events.IsSequence()) {
    throw config::error_at(file, events, "'events' must be a list of events, each starting with '- date: ...'");
  }
  std::vector<Event> out;
  for (const auto& node : events) out.push_back(read_event(node, file, partner, zone));
  return out;
}

bool is_calendar_file(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  if (name.empty() || name.front() == '.') return false;
  return p.extension() == ".yaml" || p.extension() == ".yml";
}

}  // namespace

std::vector<Event> parse_calendar_text(std::string_view yaml, const std::string& file,
                                       const std::string& default_zone) {
  return read_calendar(config::parse_yaml(yaml, file), file, default_zone);
}

std::vector<Event> load_calendar_file(const std::filesystem::path& path, const std::string& default_zone) {
  return read_calendar(config::load_yaml_file(path.string()), path.string(), default_zone);
}

Calendar load_calendar(const std::filesystem::path& dir, const std::string& default_zone) {
  std::error_code ec;
  const auto status = std::filesystem::status(dir, ec);
  if (status.type() == std::filesystem::file_type::not_found) return Calendar();
  if (ec) throw ConfigError(dir.string(), 0, 0, "cannot read the calendar folder: " + ec.message());
  if (!std::filesystem::is_directory(status)) {
    throw ConfigError(dir.string(), 0, 0, "calendar_dir must name a folder of calendar files (*.yaml)");
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || !is_calendar_file(it->path())) continue;
    files.push_back(it->path());
    if (files.size() > kMaxCalendarFiles) {
      throw ConfigError(dir.string(), 0, 0,
                        "more than " + std::to_string(kMaxCalendarFiles) +
                            " calendar files: keep one file per partner or per month, and move past ones away");
    }
  }
  if (ec) throw ConfigError(dir.string(), 0, 0, "cannot list the calendar folder: " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Event> events;
  for (const auto& f : files) {
    for (auto& e : load_calendar_file(f, default_zone)) events.push_back(std::move(e));
  }
  return Calendar(std::move(events));
}

}  // namespace broadcaster::calendar
