// Reading the per-state sending windows and their citations.
#include "schedule/state_rules.h"

#include <algorithm>
#include <cctype>

#include "config/yaml_reader.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::schedule {

namespace {

constexpr const char* kDayKeys[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

TimeOfDay time_at(config::YamlMap& map, const std::string& key) {
  const auto text = map.required<std::string>(key);
  try {
    return parse_time_of_day(text);
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {
    throw map.error(key, e.what());
  }
}

// {start: "08:00", end: "20:00"}; the window must be open.
DayWindow window_at(const std::string& file, const YAML::Node& node, const std::string& what) {
  config::YamlMap map(node, file, what);
  DayWindow w{time_at(map, "start"), time_at(map, "end")};
  map.finish();
  if (w.closed()) {
    throw map.error("end", what + " ends (" + w.end.to_string() + ") before it starts (" + w.start.to_string() +
                               "); write 'closed' for a day without sending");
  }
  return w;
}

}  // namespace

DayWindow DayWindow::intersect(const DayWindow& other) const noexcept {
  return {std::max(start, other.start), std::min(end, other.end)};
}

std::string DayWindow::to_string() const {
  return closed() ? std::string("closed") : start.to_string() + "-" + end.to_string();
}

StateRules StateRules::load(const std::filesystem::path& path) {
  return parse(config::load_yaml_file(path.string()), path.string());
}

StateRules StateRules::parse(const YAML::Node& node, const std::string& file) {
  config::YamlMap top(node, file, "the state rules file");
  StateRules out;
  config::YamlMap states = top.map("states");
  for (const auto& kv : states.yaml()) {
    const std::string code = kv.first.Scalar();
    const bool two_capitals = code.size() == 2 && std::isupper(static_cast<unsigned char>(code[0])) &&
                              std::isupper(static_cast<unsigned char>(code[1]));
    if (!two_capitals) {
      throw config::error_at(file, kv.first,
                             "'" + util::excerpt(code) + "' is not a state's two-letter postal code, like TX");
    }
    (void)states.node(code);
    config::YamlMap rule_map(kv.second, file, "state " + code);
    StateRule rule;
    rule.code = code;
    rule.name = rule_map.required<std::string>("name");
    if (!rule_map.has("window")) throw rule_map.missing("window", "key");
    const DayWindow every_day = window_at(file, rule_map.node("window"), "the window of " + code);
    rule.windows.days.fill(every_day);
    for (int d = 0; d < 7; ++d) {
      const std::string key = kDayKeys[d];
      if (!rule_map.has(key)) continue;
      const YAML::Node day = rule_map.node(key);
      if (day.IsScalar() && day.Scalar() == "closed") {
        rule.windows.days[static_cast<std::size_t>(d)] = {TimeOfDay{0, 0}, TimeOfDay{0, 0}};
      } else if (day.IsMap()) {
        rule.windows.days[static_cast<std::size_t>(d)] = window_at(file, day, "the " + key + " window of " + code);
      } else {
        throw rule_map.error(key, "'" + key + "' is {start: \"HH:MM\", end: \"HH:MM\"} or closed");
      }
    }
    if (std::all_of(rule.windows.days.begin(), rule.windows.days.end(),
                    [](const DayWindow& w) { return w.closed(); })) {
      throw config::error_at(file, kv.first, "state " + code + " is closed every day; a rule must allow some hours");
    }
    rule.law = rule_map.required<std::string>("law");
    rule.url = rule_map.required<std::string>("url");
    if (!rule.url.starts_with("https://") && !rule.url.starts_with("http://")) {
      throw rule_map.error("url", "'url' must be a web address where the law can be read");
    }
    (void)rule_map.optional<std::string>("note", "");
    rule_map.finish();
    out.rules_.emplace(code, std::move(rule));
  }
  top.finish();
  return out;
}

const StateRule* StateRules::find(std::string_view state) const {
  const auto it = rules_.find(state);
  return it == rules_.end() ? nullptr : &it->second;
}

}  // namespace broadcaster::schedule
