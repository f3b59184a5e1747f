// Loading and checking broadcaster.yaml.
#include "config/config.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "channels/registry.h"
#include "config/yaml_reader.h"
#include "templates/value.h"

namespace broadcaster::config {

namespace {

constexpr long kMaxRetentionDays = 3650;  // ten years; beyond that it is a typo

RateLimitConfig read_rate_limit(YamlMap map) {
  RateLimitConfig rl;
  rl.per_second = map.optional<double>("per_second", 0);
  rl.burst = map.optional<int>("burst", 1);
  if (rl.per_second < 0) throw map.error("per_second", "'per_second' must be 0 (off) or more");
  if (rl.burst < 1) throw map.error("burst", "'burst' must be at least 1");
  map.finish();
  return rl;
}

// The length settings of the other medium, refused at their key: segments
// and their price belong to SMS channels, max_characters to plain-text ones
// (channels/medium.h). A type broadcaster does not know is refused by the
// registry, naming the known ones, so its settings are not judged here.
void check_length_keys(const YAML::Node& node, const std::string& file, const channels::ProviderSettings& settings) {
  const channels::Provider* provider = channels::find_provider(settings.type);
  if (provider == nullptr) return;
  const bool sms = provider->medium.is_sms();
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (!sms && (key == "max_segments" || key == "price_per_segment")) {
      throw error_at(file, kv.first,
                     channels::describe(settings) + " sends plain text, not SMS: '" + key +
                         "' applies only to SMS channels" +
                         (key == "max_segments" ? " (limit its length with 'max_characters')" : ""));
    }
    if (sms && key == "max_characters") {
      throw error_at(file, kv.first,
                     channels::describe(settings) +
                         " sends SMS: 'max_characters' applies only to plain-text channels (limit an SMS with "
                         "'max_segments')");
    }
  }
}

ChannelConfig read_channel(const std::string& name, const YAML::Node& node, const std::string& file) {
  YamlMap map(node, file, "channel '" + name + "'");
  ChannelConfig ch;
  ch.settings.name = name;
  ch.settings.type = map.required<std::string>("type");
  const YAML::Mark mark = node.Mark();
  ch.settings.source = file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  if (map.has("rate_limit")) ch.rate_limit = read_rate_limit(map.map("rate_limit"));
  const int in_flight = map.optional<int>("max_in_flight", 64);
  if (in_flight < 1) throw map.error("max_in_flight", "'max_in_flight' must be at least 1");
  ch.max_in_flight = static_cast<std::size_t>(in_flight);
  check_length_keys(node, file, ch.settings);
  const int max_segments = map.optional<int>("max_segments", static_cast<int>(ch.max_segments));
  if (max_segments < 1) throw map.error("max_segments", "'max_segments' must be at least 1");
  ch.max_segments = static_cast<std::size_t>(max_segments);
  if (map.has("price_per_segment")) {
    ch.price_per_segment = map.required<double>("price_per_segment");
    if (*ch.price_per_segment < 0) throw map.error("price_per_segment", "'price_per_segment' must not be negative");
  }
  if (map.has("max_characters")) {
    const int max_characters = map.required<int>("max_characters");
    if (max_characters < 1) throw map.error("max_characters", "'max_characters' must be at least 1");
    ch.max_characters = static_cast<std::size_t>(max_characters);
  }
  // Every other scalar is the channel implementation's own option; it checks them.
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (key == "type" || key == "rate_limit" || key == "max_in_flight" || key == "max_segments" ||
        key == "price_per_segment" || key == "max_characters") {
      continue;
    }
    if (!kv.second.IsScalar()) {
      throw error_at(file, kv.second, "channel option '" + key + "' must be a single value");
    }
    ch.settings.options[key] = kv.second.Scalar();
    map.node(key);
  }
  map.finish();
  return ch;
}

std::chrono::milliseconds read_ms(YamlMap& map, const std::string& key, std::chrono::milliseconds fallback) {
  const long ms = map.optional<long>(key, static_cast<long>(fallback.count()));
  if (ms < 0) throw map.error(key, "'" + key + "' must not be negative");
  return std::chrono::milliseconds(ms);
}

SenderConfig read_sender(YamlMap map) {
  SenderConfig s;
  s.claim_idle = read_ms(map, "claim_idle_ms", s.claim_idle);
  if (s.claim_idle < std::chrono::milliseconds(1000)) {
    throw map.error("claim_idle_ms",
                    "'claim_idle_ms' must be at least 1000: a live process renews its claims every third of it, and "
                    "a peer takes over whatever stays idle longer");
  }
  const int batch = map.optional<int>("read_batch", static_cast<int>(s.read_batch));
  if (batch < 1) throw map.error("read_batch", "'read_batch' must be at least 1");
  s.read_batch = static_cast<std::size_t>(batch);
  s.max_attempts = map.optional<int>("max_attempts", s.max_attempts);
  if (s.max_attempts < 1) throw map.error("max_attempts", "'max_attempts' must be at least 1");
  s.backoff_initial = read_ms(map, "backoff_initial_ms", s.backoff_initial);
  s.backoff_max = read_ms(map, "backoff_max_ms", s.backoff_max);
  s.poll_interval = read_ms(map, "poll_interval_ms", s.poll_interval);
  s.retry_after_max = read_ms(map, "retry_after_max_ms", s.retry_after_max);
  s.in_doubt_settle = read_ms(map, "in_doubt_settle_ms", s.in_doubt_settle);
  if (s.in_doubt_settle < std::chrono::milliseconds(100)) {
    throw map.error("in_doubt_settle_ms", "'in_doubt_settle_ms' must be at least 100");
  }
  map.finish();
  return s;
}

RetentionConfig read_retention(YamlMap map) {
  RetentionConfig r;
  const long days = map.optional<long>("campaign_days", static_cast<long>(r.campaign.count()));
  if (days < 1 || days > kMaxRetentionDays) {
    throw map.error("campaign_days",
                    "'campaign_days' must be 1-" + std::to_string(kMaxRetentionDays) +
                        ": the days a finished campaign keeps its numbers and texts before they are deleted");
  }
  r.campaign = std::chrono::days(days);
  map.finish();
  return r;
}

// time_zone, quiet_hours, area_codes, frequency_cap, urgent.
void read_outreach(YamlMap& top, const std::filesystem::path& base, OutreachConfig& out) {
  if (top.has("time_zone")) {
    out.time_zone = top.required<std::string>("time_zone");
    if (!templates::is_time_zone(out.time_zone)) {
      throw top.error("time_zone",
                      "unknown time zone '" + out.time_zone + "'; use an IANA zone name like America/Los_Angeles");
    }
  }
  if (top.has("quiet_hours")) {
    YamlMap quiet = top.map("quiet_hours");
    out.quiet_hours = schedule::QuietHours::parse(quiet, base);
  }
  std::filesystem::path area_codes = base / "data" / "nanp_area_codes.csv";
  const bool given = top.has("area_codes");
  if (given) area_codes = base / top.required<std::string>("area_codes");
  if (given || std::filesystem::exists(area_codes)) {
    out.area_codes = std::make_shared<const schedule::AreaCodeZones>(schedule::AreaCodeZones::load(area_codes));
  }
  if (top.has("frequency_cap")) {
    YamlMap cap = top.map("frequency_cap");
    out.cap_messages = cap.optional<int>("messages", out.cap_messages);
    const int days = cap.optional<int>("days", static_cast<int>(out.cap_window.count()));
    if (out.cap_messages < 0) throw cap.error("messages", "'messages' must be 0 (no cap) or more");
    if (days < 1 || days > 31) throw cap.error("days", "'days' must be 1 to 31");
    out.cap_window = std::chrono::days(days);
    cap.finish();
  }
  if (top.has("urgent")) {
    YamlMap urgent = top.map("urgent");
    out.urgent_ignores_quiet_hours = urgent.optional<bool>("ignore_quiet_hours", false);
    out.urgent_ignores_cap = urgent.optional<bool>("ignore_frequency_cap", false);
    out.urgent_rate_share = urgent.optional<double>("rate_share", 1.0);
    if (!(out.urgent_rate_share > 0 && out.urgent_rate_share <= 1)) {
      throw urgent.error("rate_share",
                         "'rate_share' must be more than 0 and at most 1 (the part of the rate limit "
                         "an urgent campaign is sure of; 1: all of it)");
    }
    urgent.finish();
  }
}

}  // namespace

OutreachConfig::LocalZone OutreachConfig::zone_for(const std::string& address, const std::string& stored) const {
  LocalZone out{stored, ""};
  if (area_codes) {
    if (const auto known = area_codes->lookup(address)) {
      if (out.zone.empty()) out.zone = known->zone;
      if (known->country == "US") out.state = known->region;
    }
  }
  if (out.zone.empty()) out.zone = time_zone;
  return out;
}

channels::Medium ChannelConfig::medium() const {
  const channels::Provider* provider = channels::find_provider(settings.type);
  return provider ? provider->medium : channels::Medium::sms();
}

std::size_t ChannelConfig::character_limit() const {
  const channels::Medium m = medium();
  if (m.is_sms()) return 0;
  const std::size_t configured = max_characters.value_or(0);
  if (configured == 0) return m.max_characters();
  if (m.max_characters() == 0) return configured;
  return std::min(configured, m.max_characters());
}

std::vector<std::string> Config::fallback_chain(const std::string& language) const {
  std::vector<std::string> chain{language};
  auto add = [&](const std::string& l) {
    if (std::find(chain.begin(), chain.end(), l) == chain.end()) chain.push_back(l);
  };
  if (auto it = language_fallbacks.find(language); it != language_fallbacks.end()) {
    for (const auto& l : it->second) add(l);
  }
  add(fallback_language);
  return chain;
}

namespace {

Config read_config(const YAML::Node& root, const std::filesystem::path& path) {
  const std::string file = path.string();
  if (!root.IsDefined() || root.IsNull()) throw ConfigError(file, 0, 0, "the file is empty");
  YamlMap top(root, file, "the configuration");
  Config cfg;
  cfg.file = std::filesystem::absolute(path);
  const auto base = cfg.file.parent_path();

  if (top.has("redis")) {
    YamlMap redis = top.map("redis");
    cfg.redis.host = redis.optional<std::string>("host", cfg.redis.host);
    cfg.redis.port = redis.optional<int>("port", cfg.redis.port);
    cfg.redis.db = redis.optional<int>("db", cfg.redis.db);
    cfg.redis.password_env = redis.optional<std::string>("password_env", "");
    cfg.redis.prefix = redis.optional<std::string>("prefix", cfg.redis.prefix);
    if (redis.has("password")) {
      throw redis.error("password",
                        "do not put the Redis password in the file: set 'password_env' to the "
                        "name of an environment variable that holds it");
    }
    if (cfg.redis.port < 1 || cfg.redis.port > 65535) throw redis.error("port", "'port' must be 1-65535");
    redis.finish({"password"});
  }
  cfg.templates_dir = base / top.optional<std::string>("templates_dir", "../templates");
  cfg.templates_dir = cfg.templates_dir.lexically_normal();
  cfg.default_region = top.optional<std::string>("default_region", cfg.default_region);
  cfg.fallback_language = top.optional<std::string>("fallback_language", cfg.fallback_language);
  if (top.has("language_fallbacks")) {
    YamlMap fb = top.map("language_fallbacks");
    for (const auto& kv : fb.yaml()) {
      const std::string lang = kv.first.Scalar();
      cfg.language_fallbacks[lang] = fb.string_list(lang);
    }
    fb.finish();
  }
  if (top.has("channels")) {
    YAML::Node channels = top.node("channels");
    if (!channels.IsMap()) throw error_at(file, channels, "'channels' must be a mapping of channel names");
    for (const auto& kv : channels) {
      const std::string name = kv.first.Scalar();
      cfg.channels.emplace(name, read_channel(name, kv.second, file));
    }
  }
  if (top.has("metrics")) cfg.metrics = read_metrics(top.map("metrics"));
  if (top.has("status_page")) cfg.status_page = read_status_page(top.map("status_page"));
  if (top.has("sender")) cfg.sender = read_sender(top.map("sender"));
  if (top.has("retention")) cfg.retention = read_retention(top.map("retention"));
  if (top.has("inbound")) {
    std::set<std::string> channel_names;
    for (const auto& [name, channel] : cfg.channels) channel_names.insert(name);
    cfg.inbound = read_inbound(top.map("inbound"), base, channel_names);
  }
  read_outreach(top, base, cfg.outreach);
  cfg.currency = top.optional<std::string>("currency", cfg.currency);
  if (cfg.currency.size() != 3 ||
      !std::all_of(cfg.currency.begin(), cfg.currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
    throw top.error("currency", "'currency' must be a three-letter ISO 4217 code like USD");
  }
  cfg.subject_key_env = top.optional<std::string>("subject_key_env", "");

  // --- people and the partner calendar ---
  if (top.has("staff")) cfg.staff = read_staff(top.node("staff"), file);
  if (top.has("approval")) cfg.approval = read_approval(top.map("approval"));
  cfg.calendar_dir = (base / top.optional<std::string>("calendar_dir", "calendar")).lexically_normal();

  top.finish();
  return cfg;
}

}  // namespace

Config load_config(const std::filesystem::path& path) { return read_config(load_yaml_file(path.string()), path); }

Config parse_config(std::string_view yaml, const std::filesystem::path& path) {
  return read_config(parse_yaml(yaml, path.string()), path);
}

std::optional<std::string> process_env(const std::string& name) {
  if (const char* v = std::getenv(name.c_str())) return std::string(v);
  return std::nullopt;
}

}  // namespace broadcaster::config
