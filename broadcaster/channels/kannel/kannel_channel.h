// SMS through Kannel's smsbox sendsms interface (an SMS gateway on an
// operator's own SMSC or modem): the GET /cgi-bin/sendsms request and how to
// read smsbox's plain-text answer.
//
// Facts from Kannel's user guide and smsbox source (gw/smsbox.c, Kannel 1.4):
// - sendsms takes username, password, from, to, text, charset, coding
//   (0 GSM 7-bit, 1 8-bit, 2 UCS-2), smsc, dlr-mask and dlr-url as query
//   parameters; with charset=UTF-8 smsbox converts the text to the coding
//   asked for.
// - It answers 202 "0: Accepted for delivery", or 202 "3: Queued for later
//   delivery" when bearerbox is away and the message is stored; 403
//   "Authorization failed for sendsms" for wrong credentials; 400 for a
//   malformed request (missing receiver, bad number, ...); 5xx ("Sending
//   failed.") when it cannot hand the message on now. It gives no message id.
// - dlr-url is fetched by smsbox when a delivery report arrives, with escape
//   codes filled in: %d the DLR type (1 delivered, 2 undelivered, 4 buffered,
//   8 SMSC accepted, 16 SMSC rejected) and %A the SMSC's answer text.
// - Checked by hand against Kannel 1.4.5 (bearerbox, smsbox, fakesmsc on
//   loopback): 202 "0: Accepted for delivery" for coding 0 and 2 (the UCS-2
//   text reached fakesmsc as ucs-2), 403 "Authorization failed for sendsms",
//   400 "Missing receiver number, rejected"; the dlr-url came back as
//   ...&to=%2B1559...&ref=...&status=8&answer=ACK%2F, then status=1.
//
// Because sendsms answers with no id, the channel makes its own reference,
// "kannel-" and 24 hex digits of SHA-256 over (campaign, recipient), puts it
// in the dlr-url (with the campaign and recipient) and returns it as the
// provider id; kannel_inbound.h reads it back from the DLR request.
// Design: pure translation, as every Channel; immutable after construction,
// so build_request and interpret_response may run on any thread. The sendsms
// username and password come from the environment, never from YAML; they
// live only in this object and leave it only inside a request URL, which is
// never logged or put into an error message.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "channels/channel.h"

namespace broadcaster::channels {

/// The provider code of a send Kannel refused for its credentials (HTTP 401
/// or 403 from sendsms): a configuration error (kannel_provider.cpp).
inline constexpr std::string_view kKannelAuthCode = "kannel-auth";

/// Sends SMS through Kannel's sendsms. Options (ProviderSettings::options):
/// - `sendsms_url` (required): http(s) URL of smsbox's sendsms, e.g.
///   http://127.0.0.1:13013/cgi-bin/sendsms;
/// - `username_env`, `password_env` (required): environment variables holding
///   the sendsms-user's username and password; `username` and `password`
///   options are refused;
/// - `from` (required): the sender number or id;
/// - `smsc`: the smsc-id to route through (optional);
/// - `dlr_url`: the public http(s) URL of our Kannel DLR endpoint, e.g.
///   https://sms.example.org/kannel/dlr?secret=...; without it no DLRs are
///   asked for;
/// - `dlr_mask`: the DLR types wanted (1..31, default 31: all);
/// - `request_timeout_ms`: whole-request deadline, default 10000, at most 120000.
class KannelChannel final : public Channel {
 public:
  /// Validates `settings` and reads the credentials through `env`. Throws
  /// ConfigError, located at settings.source and naming the option, when an
  /// option is missing, malformed or forbidden, or a variable is unset or empty.
  KannelChannel(const ProviderSettings& settings, const EnvLookup& env);

  /// The configured channel name ("sms").
  const std::string& name() const override { return name_; }

  /// The configured request_timeout_ms.
  std::chrono::milliseconds request_timeout() const override { return timeout_; }

  /// GET sendsms_url?username&password&from&to&text&charset=UTF-8&coding
  /// (0 for GSM-7 text, 2 otherwise) [&smsc] [&dlr-mask&dlr-url]. Never
  /// returns nullopt. Throws a permanent SendError only when the reference
  /// cannot be computed (OpenSSL without SHA-256).
  std::optional<HttpRequest> build_request(const OutboundMessage& msg) const override;

  /// 2xx "0: ..." or "3: ..." (or an old smsbox's "Sent."):
  /// SendResult{reference(msg), "queued"}. Otherwise throws SendError:
  /// status 0 (no answer) and 5xx are retryable; 403 (credentials), other
  /// 4xx and a 2xx that says something else are permanent.
  SendResult interpret_response(const HttpResponse& response, const OutboundMessage& msg) const override;

  /// Kannel always delivers over HTTP; throws a permanent SendError.
  SendResult deliver_locally(const OutboundMessage& msg) override;

  /// "kannel-" + the first 24 hex digits of SHA-256 over campaign id, 0x1f,
  /// E.164 recipient: the same for every attempt of one message. Throws
  /// Error if OpenSSL has no SHA-256.
  static std::string reference(const OutboundMessage& msg);

 private:
  std::string name_;
  std::string sendsms_url_;
  std::string username_env_;
  std::string password_env_;
  std::string username_;  // secret: only in request URLs
  std::string password_;  // secret: only in request URLs
  std::string from_;
  std::string smsc_;
  std::string dlr_url_;
  int dlr_mask_ = 31;
  std::chrono::milliseconds timeout_{10'000};
};

}  // namespace broadcaster::channels
