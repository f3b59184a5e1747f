// Reading the `inbound:` section.
#include "config/inbound_config.h"

#include <algorithm>

#include "config/yaml_reader.h"

namespace broadcaster::config {

namespace {

// Providers write our number as "+15595550100" (Twilio) or "15595550100"
// (Kannel, per its smsc): compare digits.
std::string digits_of(const std::string& number) {
  std::string out;
  for (const char ch : number) {
    if (ch >= '0' && ch <= '9') out += ch;
  }
  return out;
}

InboundLimits read_limits(YamlMap map) {
  InboundLimits limits;
  const long body = map.optional<long>("body_bytes", static_cast<long>(limits.body_bytes));
  const long header = map.optional<long>("header_bytes", static_cast<long>(limits.header_bytes));
  const long timeout = map.optional<long>("request_timeout_ms", limits.request_timeout.count());
  // Unset, the header deadline is the default or the request deadline, whichever is shorter.
  const long header_timeout =
      map.optional<long>("header_timeout_ms", std::min<long>(limits.header_timeout.count(), timeout));
  const long idle = map.optional<long>("idle_timeout_ms", limits.idle_timeout.count());
  const long total = map.optional<long>("max_connections", static_cast<long>(limits.max_connections));
  const long per_client =
      map.optional<long>("max_connections_per_client", static_cast<long>(limits.max_connections_per_client));
  if (body < 1024) throw map.error("body_bytes", "'body_bytes' must be at least 1024");
  if (header < 1024) throw map.error("header_bytes", "'header_bytes' must be at least 1024");
  if (timeout < 100) throw map.error("request_timeout_ms", "'request_timeout_ms' must be at least 100");
  if (header_timeout < 100 || header_timeout > timeout) {
    throw map.error("header_timeout_ms", "'header_timeout_ms' must be at least 100 and at most 'request_timeout_ms' (" +
                                             std::to_string(timeout) + ")");
  }
  if (idle < 100) throw map.error("idle_timeout_ms", "'idle_timeout_ms' must be at least 100");
  if (total < 1) throw map.error("max_connections", "'max_connections' must be at least 1");
  if (per_client < 1 || per_client > total) {
    throw map.error("max_connections_per_client",
                    "'max_connections_per_client' must be at least 1 and at most "
                    "'max_connections' (" +
                        std::to_string(total) + ")");
  }
  limits.body_bytes = static_cast<std::size_t>(body);
  limits.header_bytes = static_cast<std::size_t>(header);
  limits.request_timeout = std::chrono::milliseconds(timeout);
  limits.header_timeout = std::chrono::milliseconds(header_timeout);
  limits.idle_timeout = std::chrono::milliseconds(idle);
  limits.max_connections = static_cast<std::size_t>(total);
  limits.max_connections_per_client = static_cast<std::size_t>(per_client);
  map.finish();
  return limits;
}

/// `trusted_proxies: [127.0.0.1, 10.0.0.0/8]`; a single scalar is one entry.
std::vector<http::AddressRange> read_trusted_proxies(YamlMap& map) {
  YAML::Node node = map.node("trusted_proxies");
  std::vector<YAML::Node> items;
  if (node.IsScalar()) {
    items.push_back(node);
  } else if (node.IsSequence()) {
    for (const auto& item : node) items.push_back(item);
  } else if (!node.IsNull()) {
    throw error_at(map.file(), node,
                   "'trusted_proxies' must be a list of addresses or CIDR ranges, like [127.0.0.1, 10.0.0.0/8]");
  }
  std::vector<http::AddressRange> ranges;
  for (const auto& item : items) {
    if (!item.IsScalar())
      throw error_at(map.file(), item, "each of 'trusted_proxies' must be an address or CIDR range");
    try {
      ranges.push_back(http::parse_address_range(item.Scalar()));
    } catch (const ConfigError& e) {
      throw error_at(map.file(), item, e.message());
    }
  }
  return ranges;
}

/// `replies:` and `reply_channel:` of one endpoint: ours, not the
/// endpoint implementation's (read_endpoint leaves them out of its options).
ReplySettings read_reply_settings(YamlMap& map, const std::set<std::string>& channels) {
  ReplySettings settings;
  const std::string mode = map.optional<std::string>("replies", "in_answer");
  if (mode == "outbound") {
    settings.mode = ReplyMode::Outbound;
  } else if (mode != "in_answer") {
    throw map.error("replies", "'replies' must be in_answer (in the webhook's answer) or outbound (queued on "
                               "'reply_channel'), not '" + mode + "'");
  }
  if (map.has("reply_channel")) {
    settings.channel = map.required<std::string>("reply_channel");
    if (settings.mode != ReplyMode::Outbound) {
      throw map.error("reply_channel", "'reply_channel' is only used with 'replies: outbound'");
    }
    if (!channels.count(settings.channel)) {
      std::string known;
      for (const auto& c : channels) known += (known.empty() ? "" : ", ") + c;
      throw map.error("reply_channel", "'reply_channel' names no channel in 'channels:' (" +
                                           (known.empty() ? std::string("none configured") : known) + ")");
    }
  } else if (settings.mode == ReplyMode::Outbound) {
    throw map.error("replies", "'replies: outbound' needs 'reply_channel', a channel from 'channels:'");
  }
  return settings;
}

channels::ProviderSettings read_endpoint(const std::string& name, const YAML::Node& node, const std::string& file,
                                        const std::set<std::string>& channels, ReplySettings& replies) {
  YamlMap map(node, file, "inbound endpoint '" + name + "'");
  channels::ProviderSettings settings;
  settings.role = channels::ProviderRole::Inbound;
  settings.name = name;
  settings.type = map.required<std::string>("type");
  replies = read_reply_settings(map, channels);
  const YAML::Mark mark = node.Mark();
  settings.source = file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  // Every other scalar belongs to the endpoint implementation, which checks them.
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (key == "type" || key == "replies" || key == "reply_channel") continue;
    if (!kv.second.IsScalar()) throw error_at(file, kv.second, "endpoint option '" + key + "' must be a single value");
    settings.options[key] = kv.second.Scalar();
    map.node(key);
  }
  map.finish();
  return settings;
}

}  // namespace

NumberSettings InboundConfig::for_number(const std::string& to) const {
  if (const auto it = numbers.find(digits_of(to)); it != numbers.end()) return it->second;
  return {program, contact, default_language, double_opt_in};
}

ReplySettings InboundConfig::reply_settings(const std::string& name) const {
  if (const auto it = replies.find(name); it != replies.end()) return it->second;
  return {};
}

InboundConfig read_inbound(YamlMap map, const std::filesystem::path& base, const std::set<std::string>& channels) {
  InboundConfig in;
  in.listen = map.optional<std::string>("listen", "");
  in.keywords_file = (base / map.optional<std::string>("keywords", "keywords.yaml")).lexically_normal();
  in.program = map.required<std::string>("program");
  in.contact = map.required<std::string>("contact");
  in.default_language = map.optional<std::string>("default_language", in.default_language);
  in.double_opt_in = map.optional<bool>("double_opt_in", in.double_opt_in);
  if (map.has("numbers")) {
    YAML::Node numbers = map.node("numbers");
    if (!numbers.IsMap()) throw error_at(map.file(), numbers, "'numbers' must map our numbers to their settings");
    for (const auto& kv : numbers) {
      const std::string ours = kv.first.Scalar();
      const std::string digits = digits_of(ours);
      if (digits.size() < 3 || ours.find_first_not_of("+0123456789 -()") != std::string::npos) {
        throw error_at(map.file(), kv.first,
                       "'" + ours + "' is not one of our numbers; write it in E.164, like \"+15595550100\"");
      }
      if (in.numbers.count(digits)) throw error_at(map.file(), kv.first, "number '" + ours + "' is listed twice");
      YamlMap number(kv.second, map.file(), "number '" + ours + "'");
      NumberSettings settings;
      settings.program = number.optional<std::string>("program", in.program);
      settings.contact = number.optional<std::string>("contact", in.contact);
      settings.default_language = number.optional<std::string>("default_language", in.default_language);
      settings.double_opt_in = number.optional<bool>("double_opt_in", in.double_opt_in);
      number.finish();
      in.numbers[digits] = std::move(settings);
    }
  }
  if (map.has("reply_regions")) in.reply_regions = map.string_list("reply_regions");
  in.replies_per_hour = map.optional<int>("replies_per_hour", in.replies_per_hour);
  if (in.replies_per_hour < 0) throw map.error("replies_per_hour", "'replies_per_hour' must be 0 (no replies) or more");
  const long hours = map.optional<long>("remember_hours", in.remember.count() / 3600);
  if (hours < 1) throw map.error("remember_hours", "'remember_hours' must be at least 1");
  in.remember = std::chrono::seconds(hours * 3600);
  const long pending = map.optional<long>("max_pending", static_cast<long>(in.max_pending));
  if (pending < 1) throw map.error("max_pending", "'max_pending' must be at least 1");
  in.max_pending = static_cast<std::size_t>(pending);
  if (map.has("limits")) in.limits = read_limits(map.map("limits"));
  if (map.has("trusted_proxies")) in.trusted_proxies = read_trusted_proxies(map);
  if (map.has("endpoints")) {
    YAML::Node endpoints = map.node("endpoints");
    if (!endpoints.IsMap()) throw error_at(map.file(), endpoints, "'endpoints' must be a mapping of endpoint names");
    for (const auto& kv : endpoints) {
      ReplySettings replies;
      in.endpoints.push_back(read_endpoint(kv.first.Scalar(), kv.second, map.file(), channels, replies));
      in.replies[kv.first.Scalar()] = std::move(replies);
    }
  }
  if (!in.listen.empty() && in.endpoints.empty()) {
    throw map.error("listen", "'listen' is set but no 'endpoints' are configured to receive webhooks");
  }
  map.finish();
  return in;
}

}  // namespace broadcaster::config
