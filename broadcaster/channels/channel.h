// The interface every delivery channel implements (SMS over Twilio, console,
// later Kannel, WhatsApp, email, Telegram).
// Design: a channel is pure translation. It turns an outbound message into an
// HTTP request and the provider's HTTP response into a result or a SendError;
// the sender performs the I/O, rate limiting and retries. A channel that
// delivers locally (console) does so in `deliver_locally` instead. Adding a
// channel is one folder under channels/ plus one line in registry.cpp.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "channels/http_message.h"
#include "util/errors.h"  // SendError and ConfigError, named in the contracts below
#include "util/phone.h"

namespace broadcaster::channels {

/// One message to one subscriber, already rendered.
struct OutboundMessage {
  std::string campaign_id;
  util::Phone to;
  std::string language;  ///< BCP 47 tag of the variant used ("es", "hmn")
  std::string body;      ///< UTF-8 text; log only at debug level
};

/// What a provider said when it accepted a message.
struct SendResult {
  std::string provider_id;  ///< e.g. Twilio's "SM..." sid
  std::string status;       ///< provider status at acceptance, e.g. "queued"
};

/// Settings of one configured channel: `channels.<name>` in broadcaster.yaml.
struct ChannelSettings {
  std::string name;                            ///< key in the config, e.g. "sms"
  std::string type;                            ///< implementation, e.g. "twilio"
  std::map<std::string, std::string> options;  ///< scalar options as written
  std::string source;                          ///< "file:line:col" for errors
};

/// Reads an environment variable; injected so tests need not touch the real
/// environment. Returns nullopt when the variable is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

class Channel {
 public:
  virtual ~Channel() = default;

  /// The configured name ("sms").
  virtual const std::string& name() const = 0;

  /// The HTTP request that hands `msg` to the provider, or nullopt if this
  /// channel delivers locally (then the sender calls `deliver_locally`).
  virtual std::optional<HttpRequest> build_request(const OutboundMessage& msg) const = 0;

  /// Reads the provider's answer to a request from `build_request`.
  /// Returns the provider's id on acceptance; throws SendError otherwise, with
  /// `retryable` set for 429, 5xx and unreadable answers that may pass later.
  virtual SendResult interpret_response(const HttpResponse& response) const = 0;

  /// Delivers without HTTP. Only called when `build_request` returned nullopt.
  /// Throws SendError on failure.
  virtual SendResult deliver_locally(const OutboundMessage& msg) = 0;
};

}  // namespace broadcaster::channels
