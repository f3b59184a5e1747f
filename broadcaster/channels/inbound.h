// The interface every inbound provider implements: read one webhook request
// a provider made to us (a subscriber's text) and say how to answer it so the
// provider sends our reply back to the subscriber. Implementations:
// twilio/twilio_inbound.h (signed form posts, TwiML answers) and
// kannel/kannel_inbound.h (smsbox get-url/post-url, plain-text answers);
// registry.h builds them from broadcaster.yaml.
// Design: pure translation, as channel.h is for outbound messages. The
// webhook server (inbound/webhook_server.h) owns the sockets, limits and
// threads; an endpoint only authenticates and parses a request value and
// formats a response value, so every provider's wire format is testable
// without a network. Endpoints are immutable after construction and may be
// used from any thread.
#pragma once

#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "channels/channel.h"
#include "channels/delivery_receipt.h"
#include "channels/http_message.h"

namespace broadcaster::channels {

/// A header of our webhook answers saying why no reply was sent ("reply cap
/// of 5 per hour reached"), so that people texting in through
/// `broadcaster-sim text` see why; providers ignore unknown headers.
inline constexpr const char* kReplyWithheldHeader = "X-Broadcaster-Reply-Withheld";

/// One HTTP request as the webhook server received it.
struct InboundRequest {
  std::string method;   ///< "GET", "POST"
  std::string target;   ///< request-target as received: path plus optional "?query"
  HttpHeaders headers;  ///< as received (case-insensitive lookups)
  std::string body;

  /// Value of the first header named `name` (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;

  /// The path part of `target` (before any '?').
  std::string_view path() const;

  /// The query part of `target` (after the first '?'), or nullopt when the
  /// target has no '?' at all; "" when it ends in '?'.
  std::optional<std::string_view> query() const;
};

/// A text a subscriber sent us.
struct InboundMessage {
  std::string endpoint;  ///< configured endpoint name ("twilio")
  /// The sender's address as the provider wrote it ("+15595550142"; other
  /// kinds with their scheme, "telegram:42"); read with util::Address::parse.
  std::string from;
  std::string to;        ///< our number or account it was sent to
  std::string body;      ///< UTF-8 text
  /// Twilio MessageSid / Kannel %I or, if absent, a stable hash of
  /// (from,to,time,text) so retries dedupe.
  std::string provider_id;

  friend bool operator==(const InboundMessage&, const InboundMessage&) = default;
};

/// Outcome of reading a webhook request.
struct InboundParse {
  /// 200 when `message` is set; 400 malformed, 403 unauthenticated, 405 wrong method.
  /// (500 only when the endpoint cannot compute a digest: a broken OpenSSL.)
  int status = 200;
  std::optional<InboundMessage> message;
  /// Why it was refused, safe to log (no secrets, no full numbers).
  std::string reason;
  /// Set instead of `message` for a delivery receipt (status 200).
  std::optional<DeliveryReceipt> receipt = {};
};

/// Receives one provider's inbound webhooks.
class InboundEndpoint {
 public:
  virtual ~InboundEndpoint() = default;

  /// The configured endpoint name ("twilio").
  virtual const std::string& name() const = 0;

  /// Local path the webhook server routes texts to ("/twilio/sms").
  virtual const std::string& path() const = 0;

  /// Every local path of this provider's webhooks: texts, and delivery
  /// receipts where the provider sends them ("/twilio/status").
  virtual std::vector<std::string> paths() const { return {path()}; }

  /// Authenticates and parses `request`. Never throws for bad input.
  virtual InboundParse parse(const InboundRequest& request) const = 0;

  /// The HTTP answer that makes the provider send `reply` back to the sender
  /// (nullopt: no reply).
  virtual HttpResponse reply(const std::optional<std::string>& reply) const = 0;
};

// ---------------------------------------------------------------------------
// Helpers endpoints share
// ---------------------------------------------------------------------------

/// Decodes an application/x-www-form-urlencoded string ('+' is a space, %XX
/// a byte) into pairs, in order, keeping repeated names. Unlike form_decode
/// it refuses what no real provider sends: returns nullopt for a '%' not
/// followed by two hex digits. Empty parts ("a=1&&b=2") are skipped; a part
/// without '=' is a name with an empty value. Values are bytes: checking
/// that they are UTF-8 is the caller's business.
std::optional<std::vector<std::pair<std::string, std::string>>> form_decode_strict(
    std::string_view encoded);

/// The value of the only field named `name`: nullopt when absent; throws
/// nothing, but sets `repeated` when the name occurs more than once (then
/// the first value is returned).
std::optional<std::string> single_field(
    const std::vector<std::pair<std::string, std::string>>& fields, std::string_view name,
    bool& repeated);

/// Compares two secrets in time that depends on neither their contents nor
/// where they differ (both are hashed with SHA-256 first, so not even on
/// their lengths), using OpenSSL's CRYPTO_memcmp.
bool secrets_equal(std::string_view a, std::string_view b);

/// Appends code point `cp` (at most U+10FFFF, not a surrogate) to `out` as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);

/// Lowercase hex SHA-256 of `data`. Throws Error only if OpenSSL has no
/// SHA-256 (a broken installation).
std::string sha256_hex(std::string_view data);

}  // namespace broadcaster::channels
