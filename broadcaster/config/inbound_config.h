// The `inbound:` section of broadcaster.yaml: where `serve` listens for
// provider webhooks, how subscribers' keywords are answered, the limits
// that keep an auto-reply flood from running up the bill, and the limits
// that keep one client from shutting the webhook door on the others.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "channels/inbound.h"
#include "http/address_range.h"

namespace broadcaster::config {

class YamlMap;

/// Bounds on each webhook request and on the connections that carry them
/// (http::ServerLimits says what each does).
struct InboundLimits {
  std::size_t body_bytes = 16 * 1024;
  std::size_t header_bytes = 8 * 1024;
  std::chrono::milliseconds request_timeout{10'000};  ///< read, act and answer
  std::chrono::milliseconds header_timeout{5'000};    ///< start line + headers; <= request_timeout
  std::chrono::milliseconds idle_timeout{5'000};      ///< keep-alive wait between requests
  std::size_t max_connections = 256;                  ///< open at once, all clients together
  std::size_t max_connections_per_client = 32;        ///< open at once from one address; <= max_connections
};

/// Who a subscriber hears from when they text one of our numbers: several
/// programs may share one deployment, each with its own number.
struct NumberSettings {
  std::string program;           ///< {program} in replies
  std::string contact;           ///< {contact} in replies
  std::string default_language;  ///< language of a new subscriber whose keyword says none
  bool double_opt_in = false;    ///< whether a join must be confirmed with YES
};

/// How an endpoint's keyword replies reach the subscriber (`replies:` on
/// each entry of `inbound.endpoints`).
enum class ReplyMode {
  InAnswer,  ///< in the webhook's answer (TwiML, Kannel's body): the default
  Outbound,  ///< as an ordinary outbound message on `reply_channel` (queued,
             ///< rate-limited, retried, receipted), the answer left empty
};

struct ReplySettings {
  ReplyMode mode = ReplyMode::InAnswer;
  std::string channel = {};  ///< with Outbound: a name in `channels:`
};

struct InboundConfig {
  /// "host:port" to listen on; empty: `serve` runs no webhook server.
  std::string listen;
  std::filesystem::path keywords_file;  ///< absolute; default keywords.yaml beside the config
  std::string program;                  ///< organization/program name, {program} in replies
  std::string contact;                  ///< phone or web address, {contact} in replies
  /// Language of a new subscriber whose keyword's language is unknown.
  std::string default_language = "en";
  bool double_opt_in = false;  ///< default for every number of ours
  /// Per number of ours (keyed by its digits, "15595550100"): the settings
  /// above with that number's own program, contact, default_language and
  /// double_opt_in where it gives them.
  std::map<std::string, NumberSettings> numbers;
  std::vector<std::string> reply_regions{"US"};         ///< libphonenumber regions that get auto-replies
  int replies_per_hour = 5;                             ///< auto-replies per subscriber number per hour
  std::chrono::seconds remember{7 * 24 * 3600};         ///< how long a webhook retry is recognised
  std::size_t max_pending = 1000;                       ///< requests waiting for the store; more get 503
  InboundLimits limits;
  /// Reverse proxies in front of `serve` whose X-Forwarded-For is believed
  /// (addresses or CIDR ranges); empty: the TCP peer is the client.
  std::vector<http::AddressRange> trusted_proxies;
  std::vector<channels::ProviderSettings> endpoints;
  /// Per endpoint name: how its replies go out. An endpoint missing here
  /// answers in the webhook (reply_settings()).
  std::map<std::string, ReplySettings> replies;

  /// The settings for a text sent to our number `to` (E.164 or digits, as
  /// the provider wrote it): that number's, else the section's own.
  NumberSettings for_number(const std::string& to) const;

  /// How replies to texts that came in at endpoint `name` go out.
  ReplySettings reply_settings(const std::string& name) const;
};

/// Reads `inbound:`; `base` is the directory of the config file;
/// `channels` the names under `channels:` (an endpoint's reply_channel must
/// be one). Throws ConfigError at the offending key.
InboundConfig read_inbound(YamlMap map, const std::filesystem::path& base, const std::set<std::string>& channels);

}  // namespace broadcaster::config
