// SMS through Twilio's Programmable Messaging REST API, version 2010-04-01
// (the `Messages.json` create operation in /work/shared/reference's
// twilio_api_v2010.json).
// Design: pure translation, as every Channel: build_request describes one
// `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` and
// interpret_response classifies Twilio's answer; the sender does the I/O.
// Settings are validated once, in the constructor, so a bad configuration
// fails at startup and not at the first send. The auth token comes from the
// environment, never from YAML; it lives only in this object and leaves it
// only as the Basic-auth password of a request. Nothing here logs it, and
// error messages mask any phone number Twilio echoes back. Retry-After dates
// are measured against an injected clock.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "channels/channel.h"

namespace broadcaster::channels {

/// Sends SMS through Twilio. Options (ProviderSettings::options):
/// - `account_sid` (required): "AC" and 32 hex digits;
/// - `auth_token_env`: the environment variable holding the auth token,
///   default TWILIO_AUTH_TOKEN; an `auth_token` option is refused;
/// - `from` and/or `messaging_service_sid` ("MG" and 32 hex digits): at least
///   one; with both, Twilio sends from `from`, which must be in the service's
///   sender pool, and applies the service's other features;
/// - `status_callback`: http(s) URL for delivery status webhooks;
/// - `base_url`: default https://api.twilio.com; plain http:// only for
///   localhost, 127.0.0.1 or [::1] (a fake provider), since the request
///   carries the auth token;
/// - `timeout_ms`: whole-request deadline, default 10000, at most 120000.
/// build_request and interpret_response are const and keep no state, so they
/// may be called from any thread.
class TwilioChannel final : public Channel {
 public:
  /// Wall-clock source, used to turn a Retry-After date into a wait.
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// Validates `settings` and reads the auth token through `env`.
  /// Throws ConfigError, located at settings.source and naming the option,
  /// when an option is missing, malformed or forbidden, or when the token's
  /// environment variable is unset or empty. `now` defaults to the system
  /// clock.
  TwilioChannel(const ProviderSettings& settings, const EnvLookup& env, Clock now = {});

  /// The configured channel name ("sms").
  const std::string& name() const override { return name_; }

  /// The configured timeout_ms.
  std::chrono::milliseconds request_timeout() const override { return timeout_; }

  /// A form-encoded POST to Messages.json with To, From and/or
  /// MessagingServiceSid, Body and StatusCallback when configured; Basic auth
  /// AccountSid:AuthToken; the configured timeout. Never returns nullopt.
  std::optional<HttpRequest> build_request(const OutboundMessage& msg) const override;

  /// 2xx with a JSON `sid`: SendResult{sid, status} ("unknown" if Twilio
  /// gave no status). Otherwise throws SendError whose provider_code is
  /// Twilio's `code` (empty when none):
  /// - status 0 (no answer), 429 and 5xx are retryable, with retry_after_ms
  ///   from a Retry-After header (seconds or HTTP date) when present;
  /// - other 4xx (21211 invalid number, 21610 opted out, 20003 bad
  ///   credentials, ...) and anything else are permanent;
  /// - a 2xx without a sid, or that is not JSON, is permanent: the message
  ///   may have gone out, and a retry could send it twice;
  /// - a body that is not a JSON object (a proxy's HTML page) says so, and is
  ///   retryable exactly when its status is.
  SendResult interpret_response(const HttpResponse& response, const OutboundMessage& msg) const override;

  /// Twilio always delivers over HTTP, so this is never called; if it is,
  /// it throws a non-retryable SendError saying so.
  SendResult deliver_locally(const OutboundMessage& msg) override;

  /// Twilio can be asked: its Messages list resource.
  bool can_look_up() const override { return true; }

  /// `GET .../Messages.json?To=<msg.to>&PageSize=50`, Basic auth, the
  /// configured timeout. Not filtered by DateSent: Twilio sets `date_sent`
  /// only once it has handed the message on, so a message still queued at
  /// Twilio would be missed; the list is newest first instead, and paging
  /// stops at the first page that reaches back past `since`.
  HttpRequest build_lookup(const OutboundMessage& msg, std::chrono::system_clock::time_point since) const override;

  /// Found: an outbound message to msg.to whose body equals msg.body and
  /// whose `date_created` is at or after `since`. Next: `next_page_uri`
  /// while every message on this page was created at or after `since`.
  /// Errors are read as for sends (401, 404 permanent; 429, 5xx retryable).
  LookupPage interpret_lookup(const HttpResponse& response, const OutboundMessage& msg,
                              std::chrono::system_clock::time_point since) const override;

 private:
  std::string describe_failure(long status, const std::string& code) const;

  std::string name_;
  SendError describe_error(const HttpResponse& response, const std::string& what) const;

  std::string base_url_;  // without a trailing slash
  std::string url_;       // base_url + the Messages.json path
  std::string account_sid_;
  std::string auth_token_;      // secret: only ever the Basic-auth password
  std::string auth_token_env_;  // the variable's name, safe to print
  std::string from_;
  std::string messaging_service_sid_;
  std::string status_callback_;
  std::chrono::milliseconds timeout_;
  Clock now_;
};

}  // namespace broadcaster::channels
