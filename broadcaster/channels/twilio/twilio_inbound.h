// Twilio's incoming-message webhook: the form Twilio POSTs (or GETs) to our
// URL when a subscriber texts one of our numbers, checked against its
// X-Twilio-Signature, and the TwiML we answer with.
//
// Request (Twilio docs, "Twilio's request to your incoming message Webhook
// URL"): application/x-www-form-urlencoded fields MessageSid (also sent as
// SmsSid and SmsMessageSid), AccountSid, MessagingServiceSid, From, To,
// Body, NumMedia, NumSegments, FromCountry/State/City/Zip, To..., SmsStatus,
// ApiVersion, MediaUrl0..., with a GET the same fields in the query. Twilio
// may add fields without notice; all of them are signed, so the signature is
// computed over whatever arrived.
//
// Checks, in order:
//   1. method GET or POST, else 405;
//   2. the signature, before the fields are looked at: missing or wrong
//      X-Twilio-Signature -> 403 with no message. The signing URL is the
//      configured public_url (without its query) plus the request's own
//      "?query" if it had one; the Host header is not trusted, since the
//      server may sit behind a proxy. Both default-port forms of the URL are
//      accepted (twilio_signature.h). A POST body that is not a valid
//      urlencoded form -> 400 (there is nothing to verify); should OpenSSL
//      fail to compute HMAC-SHA1 the answer is 500, which Twilio retries;
//   3. AccountSid must equal account_sid when that option is set -> 403;
//   4. From, To, Body and a message id (MessageSid, else SmsMessageSid, else
//      SmsSid) must each be present exactly once, and From, To and Body must
//      be UTF-8 -> else 400. Body may be empty (an MMS with only media).
//
// Reply: 200, Content-Type text/xml, TwiML with one <Message> (twiml.h), or
// an empty <Response/> for no reply. Twilio sends the reply to the sender
// from the number the text came to.
// Design: immutable after construction; the auth token lives only in this
// object and is never logged or put into a reason.
#pragma once

#include <string>

#include "channels/inbound.h"

namespace broadcaster::channels {

class TwilioInboundEndpoint final : public InboundEndpoint {
 public:
  /// Reads options (with OptionReader, options.h):
  /// public_url (http or https URL without fragment), path (must start with
  /// '/'), auth_token_env, account_sid ("AC" + 32 hex), and for delivery
  /// receipts status_url (the channel's status_callback: the URL Twilio
  /// posts status callbacks to, which they are signed over) and status_path
  /// (the local path, default status_url's). An `auth_token` option is
  /// refused. Throws ConfigError at settings.source.
  TwilioInboundEndpoint(const ProviderSettings& settings, const EnvLookup& env);

  const std::string& name() const override { return name_; }
  const std::string& path() const override { return path_; }
  std::vector<std::string> paths() const override;

  /// See the file comment for the checks and statuses.
  InboundParse parse(const InboundRequest& request) const override;

  /// 200 text/xml TwiML replying `reply`, or <Response/> for nullopt or "".
  HttpResponse reply(const std::optional<std::string>& reply) const override;

  /// The configured public URL without its query: the base of signing URLs.
  const std::string& signing_base() const { return signing_base_; }

 private:
  std::string name_;
  std::string path_;
  std::string signing_base_;
  std::string auth_token_;  // secret: only ever an HMAC key
  std::string account_sid_;
  std::string status_path_;          // "" when status callbacks are off
  std::string status_signing_base_;  // status_url without its query

  InboundParse parse_status(const InboundRequest& request) const;
  /// Checks X-Twilio-Signature over `base` + the request's query + `signed_params`.
  std::optional<InboundParse> refuse_unsigned(
      const InboundRequest& request, const std::string& base,
      const std::vector<std::pair<std::string, std::string>>& signed_params) const;
};

}  // namespace broadcaster::channels
