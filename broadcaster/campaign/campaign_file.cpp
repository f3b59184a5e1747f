// Parsing campaign YAML files.
#include <cctype>
#include <cstdio>
#include <regex>

#include "campaign/campaign.h"
#include "config/yaml_reader.h"
#include "store/subscriber_fields.h"
#include "templates/value.h"
#include "util/errors.h"
#include "util/excerpt.h"
#include "util/input_limits.h"

namespace broadcaster::campaign {

namespace {

SourcePos pos_of(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {};
  return {m.line + 1, m.column + 1};
}

Located<std::string> located_string(config::YamlMap& map, const std::string& key) {
  Located<std::string> out;
  out.value = map.required<std::string>(key);
  out.pos = pos_of(map.node(key));
  return out;
}

std::vector<Located<std::string>> located_list(config::YamlMap& map, const std::string& key) {
  std::vector<Located<std::string>> out;
  const YAML::Node n = map.node(key);
  if (!n.IsDefined() || n.IsNull()) return out;
  const auto values = map.string_list(key);
  if (n.IsScalar()) {
    out.push_back({values.front(), pos_of(n)});
    return out;
  }
  std::size_t i = 0;
  for (const auto& item : n) out.push_back({values[i++], pos_of(item)});
  return out;
}

// Lengths are checked before std::regex, which recurses once per character.
bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  static const std::regex kId("[a-z0-9][a-z0-9_-]{0,63}");
  return std::regex_match(id, kId);
}

bool valid_language_tag(const std::string& tag) {
  if (tag.size() > util::kMaxLanguageBytes) return false;
  static const std::regex kTag("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  return std::regex_match(tag, kTag);
}

// One entry of `variables`: plain text, or {datetime|number|text: value}.
templates::Value read_variable(const std::string& file, const std::string& name, const YAML::Node& node,
                               const std::string& time_zone) {
  if (node.IsScalar()) return templates::Value::text(node.Scalar());
  if (!node.IsMap()) {
    throw config::error_at(
        file, node,
        "variable '" + name + "' must be a single value, or one of {datetime: ...}, {number: ...}, {text: ...}");
  }
  config::YamlMap typed(node, file, "variable '" + name + "'");
  const bool has_datetime = typed.has("datetime");
  const bool has_number = typed.has("number");
  const bool has_text = typed.has("text");
  if (has_datetime + has_number + has_text != 1) {
    typed.finish();  // an unknown key ("datetim") is the likelier mistake
    throw config::error_at(file, node,
                           "variable '" + name + "' must have exactly one of 'datetime', 'number' or 'text'");
  }
  templates::Value value = templates::Value::text("");
  if (has_datetime) {
    const YAML::Node n = typed.node("datetime");
    try {
      value = templates::parse_datetime(config::scalar_as<std::string>(file, n, "datetime"), time_zone);
    } catch (const ConfigError&) {
      throw;
    } catch (const Error& e) {
      throw config::error_at(file, n, "variable '" + name + "': " + e.what());
    }
  } else if (has_number) {
    value = templates::Value::number(typed.required<double>("number"));
  } else {
    value = templates::Value::text(typed.required<std::string>("text"));
  }
  typed.finish();
  return value;
}

}  // namespace

std::string_view to_string(FooterPolicy policy) noexcept {
  switch (policy) {
    case FooterPolicy::AfterJoin:
      return "after_join";
    case FooterPolicy::Always:
      return "always";
    case FooterPolicy::Never:
      return "never";
  }
  return "?";
}

std::vector<std::string> Campaign::language_values() const {
  std::vector<std::string> out;
  for (const auto& l : audience.languages) out.push_back(l.value);
  return out;
}

std::vector<std::string> Campaign::tag_values() const {
  std::vector<std::string> out;
  for (const auto& t : audience.tags) out.push_back(t.value);
  return out;
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  const std::string zone = text.substr(19);
  int offset_minutes = 0;
  if (zone == "Z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(zone[1])) && std::isdigit(static_cast<unsigned char>(zone[2])) &&
             std::isdigit(static_cast<unsigned char>(zone[4])) && std::isdigit(static_cast<unsigned char>(zone[5]))) {
    offset_minutes = std::stoi(zone.substr(1, 2)) * 60 + std::stoi(zone.substr(4, 2));
    if (zone[0] == '-') offset_minutes = -offset_minutes;
  } else {
    return std::nullopt;  // a time without a zone is ambiguous: refuse it
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  // system_clock counts nanoseconds in 64 bits: years past 2262 overflow it.
  if (!ymd.ok() || y < 1900 || y > 2200 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} - minutes{offset_minutes};
}

namespace {

Campaign parse_campaign(const YAML::Node& root, const std::string& file) {
  if (!root.IsDefined() || root.IsNull()) throw ConfigError(file, 0, 0, "the campaign file is empty");
  config::YamlMap top(root, file, "the campaign");
  Campaign c;
  c.file = file;
  c.id = located_string(top, "id");
  if (!valid_id(c.id.value)) {
    throw ConfigError(file, c.id.pos.line, c.id.pos.column,
                      "campaign id '" + util::excerpt(c.id.value) +
                          "' must be lower-case letters, digits, '-' or '_' (at most 64), "
                          "like 'daca-workshop-2026-12'");
  }
  c.description = top.optional<std::string>("description", "");
  c.template_name = located_string(top, "template");
  c.channel = located_string(top, "channel");

  config::YamlMap audience = top.map("audience");
  c.audience.pos = pos_of(top.node("audience"));
  c.audience.languages = located_list(audience, "languages");
  c.audience.tags = located_list(audience, "tags");
  audience.finish();
  for (const auto& l : c.audience.languages) {
    if (!valid_language_tag(l.value)) {
      throw ConfigError(file, l.pos.line, l.pos.column,
                        "'" + util::excerpt(l.value) + "' is not a language code; use codes like es, en, hmn, zh, pa");
    }
  }
  for (const auto& t : c.audience.tags) {
    if (const auto problem = store::tag_problem(t.value)) {
      throw ConfigError(file, t.pos.line, t.pos.column, "tag '" + util::excerpt(t.value) + "' " + *problem);
    }
  }

  if (top.has("time_zone")) {
    const YAML::Node n = top.node("time_zone");
    c.time_zone = {config::scalar_as<std::string>(file, n, "time_zone"), pos_of(n)};
    if (!templates::is_time_zone(c.time_zone.value)) {
      throw config::error_at(file, n,
                             "unknown time zone '" + util::excerpt(c.time_zone.value) +
                                 "'; use an IANA zone name like America/Los_Angeles, America/Chicago "
                                 "or America/New_York");
    }
  }

  if (top.has("variables")) {
    const YAML::Node vars = top.node("variables");
    c.variables_pos = pos_of(vars);
    if (!vars.IsMap()) {
      throw config::error_at(file, vars, "'variables' must be a mapping like 'place: Fresno Library'");
    }
    for (const auto& kv : vars) {
      const std::string name = kv.first.Scalar();
      c.variables.insert_or_assign(name, read_variable(file, name, kv.second, c.time_zone.value));
      c.variable_pos[name] = pos_of(kv.first);
    }
  }

  if (top.has("footer")) {
    const YAML::Node n = top.node("footer");
    const std::string text = config::scalar_as<std::string>(file, n, "footer");
    c.footer.pos = pos_of(n);
    if (text == "after_join") {
      c.footer.value = FooterPolicy::AfterJoin;
    } else if (text == "always") {
      c.footer.value = FooterPolicy::Always;
    } else if (text == "never") {
      c.footer.value = FooterPolicy::Never;
    } else {
      throw config::error_at(file, n,
                             "footer '" + util::excerpt(text) +
                                 "' must be after_join (the first message after a subscriber joins), "
                                 "always, or never");
    }
  }
  c.smart_encoding = top.optional<bool>("smart_encoding", false);

  if (top.has("send_at")) {
    const YAML::Node n = top.node("send_at");
    const std::string text = config::scalar_as<std::string>(file, n, "send_at");
    c.send_at = parse_iso8601(text);
    if (!c.send_at) {
      throw config::error_at(file, n,
                             "send_at '" + util::excerpt(text) +
                                 "' must be a date and time with its UTC offset, like "
                                 "2026-12-05T10:00:00-08:00");
    }
  }
  top.finish();
  return c;
}

}  // namespace

Campaign parse_campaign_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  return parse_campaign(config::load_yaml_file(file), file);
}

Campaign parse_campaign_text(std::string_view yaml, const std::string& file) {
  return parse_campaign(config::parse_yaml(yaml, file), file);
}

}  // namespace broadcaster::campaign
