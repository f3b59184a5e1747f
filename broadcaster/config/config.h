// broadcaster.yaml: the one configuration file every command reads.
// Design: loaded once at start-up into plain values; relative paths are
// resolved against the directory holding the file, and secrets are never in
// it: the file names environment variables, read when the value is needed.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.h"
#include "channels/medium.h"
#include "config/inbound_config.h"
#include "config/metrics_config.h"
#include "config/status_page_config.h"
#include "schedule/area_code_zones.h"
#include "schedule/quiet_hours.h"
#include "config/staff.h"

namespace broadcaster::config {

/// Where Redis is and how our keys are named.
struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 6390;
  int db = 0;
  std::string password_env;  ///< env var holding the password; empty: none
  std::string prefix = "bc:";
};

/// A per-channel rate limit shared by every `serve` process.
/// `per_second` 0 turns it off; `burst` is how many may go at once.
struct RateLimitConfig {
  double per_second = 0;
  int burst = 1;
};

/// One configured delivery channel (`channels.<name>`). Its provider says
/// what it carries (medium()): the segment settings belong to SMS channels,
/// max_characters to plain-text ones; the loader refuses either on the
/// other kind.
struct ChannelConfig {
  channels::ProviderSettings settings;
  RateLimitConfig rate_limit;
  std::size_t max_in_flight = 64;  ///< concurrent sends per process

  // --- SMS channels ---
  /// Longest message a campaign may send on this channel, in SMS segments
  /// (`campaign validate` refuses longer renderings).
  std::size_t max_segments = 4;
  /// What one SMS segment costs, in Config::currency, for cost estimates;
  /// nullopt when not configured.
  std::optional<double> price_per_segment;

  // --- plain-text channels ---
  /// `max_characters`: longest message a campaign may send, in characters
  /// (Unicode code points); nullopt: only the provider's own limit, if any.
  std::optional<std::size_t> max_characters;

  /// What the channel's provider carries (channels/medium.h), looked up by
  /// settings.type; SMS for a type broadcaster does not know (the registry
  /// refuses to build such a channel anyway).
  [[nodiscard]] channels::Medium medium() const;
  /// For a plain-text channel, the longest message in code points: the
  /// smaller of max_characters and the provider's limit; 0 when neither is
  /// set. 0 for SMS channels (max_segments limits them).
  [[nodiscard]] std::size_t character_limit() const;
};

/// How `serve` reads, retries and recovers work.
struct SenderConfig {
  std::chrono::milliseconds claim_idle{30'000};  ///< take over a dead consumer's work after this
  std::size_t read_batch = 100;                  ///< messages per XREADGROUP
  int max_attempts = 5;                          ///< sends per message before giving up
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30'000};
  std::chrono::milliseconds poll_interval{200};  ///< idle wait between empty reads
  /// A provider's Retry-After is honoured up to this long; longer waits are
  /// cut to it (the message is retried then, with its claim renewed meanwhile).
  std::chrono::milliseconds retry_after_max{60'000};
  /// How long after an attempt whose answer never came the provider is asked
  /// whether it has the message (it may still be creating it before then).
  std::chrono::milliseconds in_doubt_settle{15'000};
};

/// How long data about people is kept (`retention:`).
struct RetentionConfig {
  /// How long a done campaign's per-message data (the numbers, the texts
  /// sent to them, their outcomes) is kept after the campaign finishes; its
  /// counters are kept for good. `campaign_days`, 1 to 3650, default 30.
  std::chrono::days campaign{30};
};

/// How often and when campaign messages may reach one subscriber.
struct OutreachConfig {
  /// The organization's zone (`time_zone`, IANA): for subscribers whose
  /// zone is neither stored nor known from their number.
  std::string time_zone = "America/Los_Angeles";
  /// `quiet_hours:`, in each subscriber's local time.
  schedule::QuietHours quiet_hours;
  /// NANP area code -> zone and state (`area_codes`, default
  /// data/nanp_area_codes.csv beside this file when it exists).
  std::shared_ptr<const schedule::AreaCodeZones> area_codes;
  /// `frequency_cap: {messages, days}`: at most `messages` campaign
  /// messages per subscriber in any `days` rolling days, across campaigns;
  /// messages 0 turns the cap off. Default 3 in 7.
  int cap_messages = 3;
  std::chrono::days cap_window{7};
  /// `urgent:` what an urgent campaign may pass.
  bool urgent_ignores_quiet_hours = false;
  bool urgent_ignores_cap = false;
  /// `urgent: {rate_share}`: the part of each channel's rate limit an urgent
  /// campaign with work is sure of. 1 (default): all of it, bulk waits;
  /// below 1, bulk keeps sending at (1 - share) of the limit meanwhile.
  double urgent_rate_share = 1.0;

  /// Where a subscriber's wall clock is: `stored` (their own zone, "" when
  /// staff gave none), else their area code's, else the organization's; and
  /// their US state (from the area code, "" when unknown or not US).
  /// `address` is the stored form (util::Address::canonical()); only a +1
  /// phone number has an area code.
  struct LocalZone {
    std::string zone;
    std::string state;
  };
  [[nodiscard]] LocalZone zone_for(const std::string& address, const std::string& stored) const;
};

struct Config {
  std::filesystem::path file;  ///< the file this was read from
  RedisConfig redis;
  std::filesystem::path templates_dir;  ///< absolute
  std::string default_region = "US";    ///< for numbers written without +country
  std::string fallback_language = "en";
  /// Per-language fallback chains, e.g. mix -> [es, en]; fallback_language ends every chain.
  std::map<std::string, std::vector<std::string>> language_fallbacks;
  std::map<std::string, ChannelConfig> channels;
  SenderConfig sender;
  RetentionConfig retention;
  OutreachConfig outreach;
  InboundConfig inbound;  ///< `inbound:`; listen empty when absent
  MetricsConfig metrics;  ///< `metrics:`; listen empty (no /metrics) when absent
  StatusPageConfig status_page;  ///< `status_page:`; listen empty (no page) when absent
  /// ISO 4217 code prices are in (`currency`, default USD).
  std::string currency = "USD";
  /// Environment variable holding the key of subject hashes (consent log,
  /// erased numbers); empty: a random key kept in Redis.
  std::string subject_key_env;

  // --- people and the partner calendar ---
  /// `staff:`, the people commands act for (config/staff.h); empty when absent.
  std::vector<Staff> staff;
  /// `approval:`, what an urgent campaign needs before it is sent.
  ApprovalConfig approval;
  /// Folder of partner calendar files (`calendar_dir`, default calendar/
  /// beside this file); absolute. It need not exist.
  std::filesystem::path calendar_dir;

  /// The chain of languages to try for `language`, itself first, without duplicates.
  std::vector<std::string> fallback_chain(const std::string& language) const;
};

/// Reads and checks `path`. Throws ConfigError (file:line:column) on any
/// mistake: unknown keys, wrong types, a channel without a type.
/// Also refuses what config::parse_yaml refuses (duplicate keys with both
/// positions, invalid UTF-8, oversized files and values).
Config load_config(const std::filesystem::path& path);

/// load_config for a file already read into `yaml`; `path` names it in
/// errors and anchors its relative paths.
Config parse_config(std::string_view yaml, const std::filesystem::path& path);

/// Reads an environment variable (nullopt if unset); the production EnvLookup.
std::optional<std::string> process_env(const std::string& name);

}  // namespace broadcaster::config
