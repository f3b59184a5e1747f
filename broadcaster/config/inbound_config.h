// The `inbound:` section of broadcaster.yaml: where `serve` listens for
// provider webhooks, how subscribers' keywords are answered, the limits
// that keep an auto-reply flood from running up the bill, and the limits
// that keep one client from shutting the webhook door on the others.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
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

struct InboundConfig {
  /// "host:port" to listen on; empty: `serve` runs no webhook server.
  std::string listen;
  std::filesystem::path keywords_file;  ///< absolute; default keywords.yaml beside the config
  std::string program;                  ///< organization/program name, {program} in replies
  std::string contact;                  ///< phone or web address, {contact} in replies
  /// Language of a new subscriber whose keyword's language is unknown.
  std::string default_language = "en";
  bool double_opt_in = false;                           ///< default for every number of ours
  std::map<std::string, bool> double_opt_in_by_number;  ///< E.164 of our number -> override
  std::vector<std::string> reply_regions{"US"};         ///< libphonenumber regions that get auto-replies
  int replies_per_hour = 5;                             ///< auto-replies per subscriber number per hour
  std::chrono::seconds remember{7 * 24 * 3600};         ///< how long a webhook retry is recognised
  std::size_t max_pending = 1000;                       ///< requests waiting for the store; more get 503
  InboundLimits limits;
  /// Reverse proxies in front of `serve` whose X-Forwarded-For is believed
  /// (addresses or CIDR ranges); empty: the TCP peer is the client.
  std::vector<http::AddressRange> trusted_proxies;
  std::vector<channels::InboundSettings> endpoints;

  /// Whether a join through our number `to` must be confirmed with YES.
  bool needs_confirmation(const std::string& to) const;
};

/// Reads `inbound:`; `base` is the directory of the config file.
/// Throws ConfigError at the offending key.
InboundConfig read_inbound(YamlMap map, const std::filesystem::path& base);

}  // namespace broadcaster::config
