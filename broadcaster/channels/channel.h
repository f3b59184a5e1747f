// The interface every delivery channel implements (SMS over Twilio and
// Kannel, console; later WhatsApp, email, Telegram).
// Design: a channel is pure translation. It turns an outbound message into an
// HTTP request and the provider's HTTP response into a result or a SendError;
// the sender performs the I/O, rate limiting and retries. A channel that
// delivers locally (console) does so in `deliver_locally` instead. Adding a
// provider is one folder under channels/ plus one line in registry.cpp
// (provider.h).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "channels/http_message.h"
#include "channels/provider_settings.h"  // ProviderSettings and EnvLookup, which constructors take
#include "util/address.h"
#include "util/errors.h"  // SendError and ConfigError, named in the contracts below

namespace broadcaster::channels {

/// One message to one subscriber, already rendered.
struct OutboundMessage {
  std::string campaign_id;
  util::Address to;      ///< of a kind the channel's medium reaches (medium.h)
  std::string language;  ///< BCP 47 tag of the variant used ("es", "hmn")
  std::string body;      ///< UTF-8 text; log only at debug level
};

/// What a provider said when it accepted a message.
struct SendResult {
  std::string provider_id;  ///< e.g. Twilio's "SM..." sid
  std::string status;       ///< provider status at acceptance, e.g. "queued"
};

/// One page of a provider's answer to "do you already have this message?",
/// asked about a message in doubt (a send whose answer never came).
struct LookupPage {
  /// Set when the provider has the message: its id and status.
  std::optional<SendResult> found;
  /// When not found on this page but older pages may still hold it: the
  /// request for the next page. Neither set: the provider does not have it.
  std::optional<HttpRequest> next;
};

class Channel {
 public:
  virtual ~Channel() = default;

  /// The configured name ("sms").
  virtual const std::string& name() const = 0;

  /// The longest a request of this channel may take (its timeout), or 0 for
  /// a channel that delivers locally. `serve` refuses a claim_idle that
  /// leaves no room for it.
  virtual std::chrono::milliseconds request_timeout() const { return std::chrono::milliseconds(0); }

  /// The HTTP request that hands `msg` to the provider, or nullopt if this
  /// channel delivers locally (then the sender calls `deliver_locally`).
  virtual std::optional<HttpRequest> build_request(const OutboundMessage& msg) const = 0;

  /// Reads the provider's answer to the request `build_request` made for
  /// `msg`. Returns the id the message is known by on acceptance (the
  /// provider's, or for a provider that answers with none, such as Kannel,
  /// the reference this channel put into the request); throws SendError
  /// otherwise, with `retryable` set for 429, 5xx and unreadable answers that
  /// may pass later.
  virtual SendResult interpret_response(const HttpResponse& response, const OutboundMessage& msg) const = 0;

  /// Delivers without HTTP. Only called when `build_request` returned nullopt.
  /// Throws SendError on failure.
  virtual SendResult deliver_locally(const OutboundMessage& msg) = 0;

  // --- messages in doubt -------------------------------------------------
  // A send whose answer never came (time-out, connection broken after the
  // request was written, a process killed mid-request) may or may not have
  // reached the provider. A channel that can be asked says so here; the
  // sender then asks before it sends such a message again. A channel that
  // cannot be asked keeps the old behaviour: the message is sent again.

  /// True when build_lookup/interpret_lookup can tell whether the provider
  /// has a message. Default: false.
  virtual bool can_look_up() const { return false; }

  /// The first request asking the provider for messages to `msg.to` created
  /// at or after `since` (the first attempt's start, minus clock skew).
  /// Only called when can_look_up(); the default throws a permanent SendError.
  virtual HttpRequest build_lookup(const OutboundMessage& msg, std::chrono::system_clock::time_point since) const;

  /// Reads one answer to a lookup request: found (same recipient and body,
  /// created at or after `since`), the next page to ask for, or neither (not
  /// there). Throws SendError (retryable for 429, 5xx, unreadable answers)
  /// when the answer says nothing either way.
  virtual LookupPage interpret_lookup(const HttpResponse& response, const OutboundMessage& msg,
                                      std::chrono::system_clock::time_point since) const;
};

}  // namespace broadcaster::channels
