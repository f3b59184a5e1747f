// Texts from subscribers through Kannel (an SMS gateway on an operator's own
// SMSC or modem): the HTTP request Kannel's smsbox makes for an
// `sms-service` with get-url or post-url, and the plain-text answer smsbox
// sends back to the subscriber as the reply SMS.
//
// Facts from Kannel's user guide and smsbox source (gw/smsbox.c,
// gw/urltrans.c, Kannel 1.4):
// - get-url: escape codes in the URL are filled in and URL-encoded: %p the
//   sender, %P the receiver (our number), %b the text as received, %a its
//   words joined by '+' (spaces squeezed), %t the time "YYYY-MM-DD HH:MM:SS"
//   (UTC), %I Kannel's message id (a UUID), %c the coding (0 7-bit, 1 8-bit,
//   2 UCS-2) and %C the charset ("UTF-8"; "UTF-16BE" for UCS-2 texts, unless
//   `mo-recode = true` in the smsbox group turned them into UTF-8).
// - post-url: the text is the body, with Content-Type text/plain (and
//   charset="UTF-16BE" for UCS-2, charset="UTF-8" after mo-recode) or
//   application/octet-stream for 8-bit data; headers X-Kannel-To (our
//   number), X-Kannel-Time, X-Kannel-Coding, X-Kannel-SMSC, X-Kannel-Service,
//   and X-Kannel-From (the sender) only with `send-sender = true`. Escape
//   codes work in the post-url too, which is where the secret and %I go.
// - The answer: only 200 and 202 count; any other status makes smsbox send
//   the subscriber its `reply-couldnotfetch` text. A text/plain body is the
//   reply SMS; an empty body sends `reply-emptymessage` ("<Empty reply from
//   service provider>") unless the service has `omit-empty = true`, which
//   sends nothing. `max-messages = 0` sends no reply at all; the default of
//   1 truncates a long reply to one SMS. X-Kannel-* answer headers (such as
//   X-Kannel-Coding: 2 for a UCS-2 reply) are obeyed only with
//   `accept-x-kannel-headers = true`.
//
// Authentication: Kannel cannot sign requests or add headers of our own, so
// a shared secret travels in the URL the operator writes (`secret=...`),
// compared in constant time; missing or wrong -> 403. Kannel writes URLs to
// its access log: protect that log, and never log a request target here.
//
// The Kannel configuration to use (kannel.conf; put the value of the
// variable named by secret_env where SECRET stands):
//
//   group = smsbox
//   ...
//   mo-recode = true              # UCS-2 texts arrive as UTF-8 when possible
//   reply-couldnotfetch = ""      # no canned text when broadcaster refuses
//   reply-requestfailed = ""
//   reply-emptymessage = ""
//   http-request-retry = 3        # retry when broadcaster answers 5xx
//   http-queue-delay = 10
//
//   group = sms-service
//   keyword = default
//   catch-all = true
//   get-url =
//   "https://sms.example.org/kannel/mo?secret=SECRET&from=%p&to=%P&text=%b&time=%t&id=%I&coding=%c&charset=%C"
//   omit-empty = true             # "no reply" sends nothing
//   max-messages = 3              # a reply may take up to three SMS
//   concatenation = true
//   accept-x-kannel-headers = true  # lets replies in other scripts go as UCS-2
//
// or, with POST (the text in the body, sender and receiver in headers):
//
//   post-url = "https://sms.example.org/kannel/mo?secret=SECRET&id=%I"
//   send-sender = true
//
// Request rules: GET or POST (else 405); the query must be a valid
// urlencoded form (else 400); then the secret (403). From the query `from`,
// `to`, `text` (GET), `time`, `id`, `coding`, `charset`; for POST, `from`,
// `to` and `time` may come from X-Kannel-From, X-Kannel-To and
// X-Kannel-Time instead, and the text's charset from Content-Type and
// X-Kannel-Coding. Texts in UTF-16BE (charset, or coding 2 without a
// charset) or ISO-8859-1 are converted to UTF-8; text that claims no charset
// and is not UTF-8 is read as ISO-8859-1 (older smsbox versions). Missing
// sender, receiver or text, a repeated field, 8-bit binary data, an unknown
// charset or undecodable text -> 400. Without `id` the provider id is
// "kannel-" + 32 hex digits of SHA-256 over (from, to, time, text), stable
// across Kannel's retries (two identical texts in the same second from the
// same number therefore count as one; put id=%I in the URL to avoid that).
// Should OpenSSL be unable to hash, the answer is 500.
//
// Reply: 200, Content-Type "text/plain; charset=UTF-8", the text as body,
// plus X-Kannel-Coding: 2 when it is not GSM-7 (templates/sms_encoding.h);
// no reply is an empty body (needs omit-empty = true, see above).
// Delivery reports: KannelChannel (kannel_channel.h) asks for them with a
// dlr-url of the form <dlr_url>&campaign=<id>&to=<E.164>&ref=<reference>
// &status=%d&answer=%A, where dlr_url names this endpoint's dlr_path (default
// "/kannel/dlr") and carries the same secret=... as the MO URL. smsbox fetches
// it with GET; %d, the DLR type, becomes the state: 1 delivered, 2
// undelivered, 4 buffered and 8 SMSC accepted -> sent, 16 SMSC rejected ->
// failed; any other value -> 400. For 2 and 16 the error code is the SMSC's
// "err:NNN" from the answer text (SMPP receipts), as "smsc-NNN", when it is
// not 000, else "kannel-2" / "kannel-16". Wrong or missing secret -> 403; another method
// -> 405; missing or malformed campaign, to, ref or status -> 400.
//
// Design: immutable after construction; the secret lives only in this object
// and is never logged or put into a reason.
#pragma once

#include <string>
#include <vector>

#include "channels/inbound.h"

namespace broadcaster::channels {

class KannelInboundEndpoint final : public InboundEndpoint {
 public:
  /// Reads options: path (default "/kannel/mo", must start with '/'),
  /// dlr_path (default "/kannel/dlr", likewise, not equal to path),
  /// secret_env (required; the variable must be set and non-empty). A
  /// `secret` option is refused. Throws ConfigError at settings.source.
  KannelInboundEndpoint(const ProviderSettings& settings, const EnvLookup& env);

  const std::string& name() const override { return name_; }
  const std::string& path() const override { return path_; }

  /// The MO path and the DLR path (option dlr_path, default "/kannel/dlr").
  std::vector<std::string> paths() const override { return {path_, dlr_path_}; }

  /// See the file comment for the rules and statuses.
  /// A request to dlr_path is a delivery report (see "Delivery reports"
  /// above) and gives InboundParse::receipt instead of a message.
  InboundParse parse(const InboundRequest& request) const override;

  /// 200 text/plain UTF-8 with `reply` as the body (empty for nullopt).
  HttpResponse reply(const std::optional<std::string>& reply) const override;

 private:
  InboundParse parse_dlr(const InboundRequest& request) const;

  std::string name_;
  std::string path_;
  std::string dlr_path_;
  std::string secret_;  // secret: only ever compared
};

}  // namespace broadcaster::channels
