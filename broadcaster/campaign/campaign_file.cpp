// Parsing campaign YAML files.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <regex>
#include <utility>

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

std::string_view to_string(Priority priority) noexcept { return priority == Priority::Urgent ? "urgent" : "normal"; }

std::string_view to_string(OverCap over_cap) noexcept { return over_cap == OverCap::Skip ? "skip" : "wait"; }

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

// Collects the problems of one file, each once (a near-miss key is reported
// both by the lookup that missed it and by the unknown-key pass).
class Problems {
 public:
  explicit Problems(CampaignFile& out) : out_(out) {}

  // Runs `read`; a ConfigError it throws is recorded and `key` marked
  // unreadable. Returns whether `read` succeeded.
  template <class F>
  bool attempt(const std::string& key, F&& read) {
    try {
      read();
      return true;
    } catch (const ConfigError& e) {
      add(e);
      out_.unreadable.insert(key);
      return false;
    }
  }
  void add(const ConfigError& e) {
    for (const auto& p : out_.problems) {
      if (p.line() == e.line() && p.column() == e.column() && p.message() == e.message()) return;
    }
    out_.problems.push_back(e);
  }

 private:
  CampaignFile& out_;
};

void read_audience(config::YamlMap& top, Campaign& c, Problems& problems) {
  const std::string& file = c.file;
  config::YamlMap audience = top.map("audience");
  c.audience.pos = pos_of(top.node("audience"));
  problems.attempt("audience", [&] { c.audience.languages = located_list(audience, "languages"); });
  problems.attempt("audience", [&] { c.audience.tags = located_list(audience, "tags"); });
  for (const auto& key : audience.unknown_keys()) problems.add(key);
  for (const auto& l : c.audience.languages) {
    if (!valid_language_tag(l.value)) {
      problems.add(ConfigError(file, l.pos.line, l.pos.column,
                               "'" + util::excerpt(l.value) +
                                   "' is not a language code; use codes like es, en, hmn, zh, pa"));
    }
  }
  for (const auto& t : c.audience.tags) {
    if (const auto problem = store::tag_problem(t.value)) {
      problems.add(ConfigError(file, t.pos.line, t.pos.column, "tag '" + util::excerpt(t.value) + "' " + *problem));
    }
  }
}

// language_fallbacks: {hmn: en, mix: [es, en]}
void read_language_fallbacks(const YAML::Node& node, Campaign& c, Problems& problems) {
  const std::string& file = c.file;
  if (!node.IsMap()) {
    problems.add(config::error_at(file, node,
                                  "'language_fallbacks' must map a language to the languages whose text it gets, "
                                  "like 'language_fallbacks: {hmn: en, mix: [es, en]}'"));
    return;
  }
  config::YamlMap map(node, file, "'language_fallbacks'");
  for (const auto& kv : node) {
    const std::string language = kv.first.Scalar();
    const SourcePos at = pos_of(kv.first);
    if (!valid_language_tag(language)) {
      problems.add(ConfigError(file, at.line, at.column,
                               "'" + util::excerpt(language) +
                                   "' is not a language code; use codes like es, en, hmn, zh, pa"));
      continue;
    }
    Located<std::vector<std::string>> chain{{}, at};
    if (!problems.attempt("language_fallbacks", [&] { chain.value = map.string_list(language); })) continue;
    bool ok = !chain.value.empty();
    for (const auto& target : chain.value) {
      if (!valid_language_tag(target) || target == language) ok = false;
    }
    if (!ok) {
      problems.add(config::error_at(file, kv.second,
                                    "the fallbacks of '" + language +
                                        "' must be other language codes, like 'hmn: en' or 'mix: [es, en]'"));
      continue;
    }
    c.language_fallbacks[language] = std::move(chain);
  }
}

void read_variables(const YAML::Node& vars, Campaign& c, CampaignFile& out, Problems& problems) {
  const std::string& file = c.file;
  c.variables_pos = pos_of(vars);
  if (!vars.IsMap()) {
    problems.add(config::error_at(file, vars, "'variables' must be a mapping like 'place: Fresno Library'"));
    out.unreadable.insert("variables");
    return;
  }
  const bool zone_known = out.readable("time_zone");
  for (const auto& kv : vars) {
    const std::string name = kv.first.Scalar();
    c.variable_pos[name] = pos_of(kv.first);
    try {
      c.variables.insert_or_assign(name, read_variable(file, name, kv.second, c.time_zone.value));
    } catch (const ConfigError& e) {
      // A date written as wall time cannot be read without the zone: the bad
      // zone is the mistake, already reported.
      if (zone_known) problems.add(e);
      out.unreadable.insert("variables." + name);
    }
  }
}

FooterPolicy read_footer(const std::string& file, const YAML::Node& n) {
  const std::string text = config::scalar_as<std::string>(file, n, "footer");
  if (text == "after_join") return FooterPolicy::AfterJoin;
  if (text == "always") return FooterPolicy::Always;
  if (text == "never") return FooterPolicy::Never;
  throw config::error_at(file, n,
                         "footer '" + util::excerpt(text) +
                             "' must be after_join (the first message after a subscriber joins), always, or never");
}

CampaignFile read_campaign(const YAML::Node& root, const std::string& file) {
  CampaignFile out;
  Campaign& c = out.campaign;
  c.file = file;
  Problems problems(out);
  if (!root.IsDefined() || root.IsNull()) {
    problems.add(ConfigError(file, 0, 0, "the campaign file is empty"));
    out.unreadable.insert("*");
    return out;
  }
  std::optional<config::YamlMap> top_map;
  if (!problems.attempt("*", [&] { top_map.emplace(root, file, "the campaign"); })) return out;
  config::YamlMap& top = *top_map;

  if (problems.attempt("id", [&] { c.id = located_string(top, "id"); }) && !valid_id(c.id.value)) {
    problems.add(ConfigError(file, c.id.pos.line, c.id.pos.column,
                             "campaign id '" + util::excerpt(c.id.value) +
                                 "' must be lower-case letters, digits, '-' or '_' (at most 64), "
                                 "like 'daca-workshop-2026-12'"));
    out.unreadable.insert("id");
  }
  problems.attempt("description", [&] { c.description = top.optional<std::string>("description", ""); });
  problems.attempt("template", [&] { c.template_name = located_string(top, "template"); });
  problems.attempt("channel", [&] { c.channel = located_string(top, "channel"); });
  problems.attempt("audience", [&] { read_audience(top, c, problems); });
  if (top.has("language_fallbacks")) read_language_fallbacks(top.node("language_fallbacks"), c, problems);

  if (top.has("time_zone")) {
    problems.attempt("time_zone", [&] {
      const YAML::Node n = top.node("time_zone");
      c.time_zone = {config::scalar_as<std::string>(file, n, "time_zone"), pos_of(n)};
      if (!templates::is_time_zone(c.time_zone.value)) {
        throw config::error_at(file, n,
                               "unknown time zone '" + util::excerpt(c.time_zone.value) +
                                   "'; use an IANA zone name like America/Los_Angeles, America/Chicago "
                                   "or America/New_York");
      }
    });
  }
  if (top.has("variables")) read_variables(top.node("variables"), c, out, problems);
  if (top.has("footer")) {
    problems.attempt("footer", [&] {
      const YAML::Node n = top.node("footer");
      c.footer.pos = pos_of(n);
      c.footer.value = read_footer(file, n);
    });
  }
  problems.attempt("smart_encoding", [&] { c.smart_encoding = top.optional<bool>("smart_encoding", false); });

  if (top.has("send_at")) {
    problems.attempt("send_at", [&] {
      const YAML::Node n = top.node("send_at");
      const std::string text = config::scalar_as<std::string>(file, n, "send_at");
      c.send_at = parse_iso8601(text);
      if (!c.send_at) {
        throw config::error_at(file, n,
                               "send_at '" + util::excerpt(text) +
                                   "' must be a date and time with its UTC offset, like "
                                   "2026-12-05T10:00:00-08:00");
      }
    });
  }
  if (top.has("schedule")) {
    problems.attempt("schedule", [&] {
      const YAML::Node n = top.node("schedule");
      c.schedule_pos = pos_of(n);
      c.schedule = schedule::Recurrence::parse(n, file);
      if (c.send_at) {
        throw config::error_at(file, n, "give either send_at (one instant) or schedule (a rule), not both");
      }
    });
  }
  if (top.has("priority")) {
    problems.attempt("priority", [&] {
      const YAML::Node n = top.node("priority");
      const std::string text = config::scalar_as<std::string>(file, n, "priority");
      c.priority.pos = pos_of(n);
      if (text == "urgent") {
        c.priority.value = Priority::Urgent;
      } else if (text != "normal") {
        throw config::error_at(file, n,
                               "priority '" + util::excerpt(text) +
                                   "' must be normal (bulk) or urgent (rapid response: sent ahead of bulk)");
      }
    });
  }
  if (top.has("valid_until")) {
    problems.attempt("valid_until", [&] {
      const YAML::Node n = top.node("valid_until");
      const std::string text = config::scalar_as<std::string>(file, n, "valid_until");
      c.valid_until_pos = pos_of(n);
      c.valid_until = parse_iso8601(text);
      if (!c.valid_until) {
        throw config::error_at(file, n,
                               "valid_until '" + util::excerpt(text) +
                                   "' must be a date and time with its UTC offset, like 2026-12-12T09:00:00-08:00 "
                                   "(the workshop's start: a reminder after it is worse than none)");
      }
    });
  }
  if (top.has("over_cap")) {
    problems.attempt("over_cap", [&] {
      const YAML::Node n = top.node("over_cap");
      const std::string text = config::scalar_as<std::string>(file, n, "over_cap");
      if (text == "skip") {
        c.over_cap = OverCap::Skip;
      } else if (text != "wait") {
        throw config::error_at(file, n,
                               "over_cap '" + util::excerpt(text) +
                                   "' must be wait (send when the subscriber is under the cap again) or skip");
      }
    });
  }
  if (top.has("event")) {
    problems.attempt("event", [&] { c.event = calendar::parse_event_ref(top.node("event"), file); });
  }
  for (const auto& key : top.unknown_keys()) problems.add(key);
  std::stable_sort(out.problems.begin(), out.problems.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair(a.line(), a.column()) < std::pair(b.line(), b.column());
  });
  return out;
}

CampaignFile read_or_report(const std::string& file, const std::function<YAML::Node()>& load) {
  YAML::Node root;
  try {
    root = load();
  } catch (const ConfigError& e) {
    CampaignFile out;
    out.campaign.file = file;
    out.problems.push_back(e);
    out.unreadable.insert("*");
    return out;
  }
  return read_campaign(root, file);
}

Campaign first_problem_or_campaign(CampaignFile read) {
  if (!read.problems.empty()) throw read.problems.front();
  return std::move(read.campaign);
}

}  // namespace

CampaignFile read_campaign_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  return read_or_report(file, [&] { return config::load_yaml_file(file); });
}

CampaignFile read_campaign_text(std::string_view yaml, const std::string& file) {
  return read_or_report(file, [&] { return config::parse_yaml(yaml, file); });
}

Campaign parse_campaign_file(const std::filesystem::path& path) {
  return first_problem_or_campaign(read_campaign_file(path));
}

Campaign parse_campaign_text(std::string_view yaml, const std::string& file) {
  return first_problem_or_campaign(read_campaign_text(yaml, file));
}

}  // namespace broadcaster::campaign
