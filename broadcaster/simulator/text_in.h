// `broadcaster-sim text`: the simulator plays a subscriber texting in. It
// POSTs the incoming-message webhook to `broadcaster serve` exactly as Twilio
// would (the form fields of Twilio's "request to your incoming message
// Webhook URL", signed with X-Twilio-Signature) and prints the reply texts
// from the TwiML answer, so keyword flows (STOP, ALTO, JOIN, HELP...) can be
// tried end to end without a phone:
//
//   broadcaster-sim text --webhook-url http://127.0.0.1:8080/twilio/sms
//       --from +15595550142 --body ALTO      (one command line)
//   printf 'JOIN\nES\n' | broadcaster-sim text --webhook-url ... --from +15595550142
//
// One line per <Message> of the answer (XML-unescaped), or "(no reply)"
// with the reason broadcaster gave, if any ("(no reply: reply cap ...)");
// with --json one object per text: {"status":200,"replies":[...],
// "message_sid":"SM..."}. Exit status 0 when every answer was a 2xx TwiML
// document, 1 when one was an HTTP error or not TwiML, 2 when the server
// could not be reached (or did not answer in time).
//
// The signing URL is --webhook-url itself, so `serve` must be configured
// with that URL as its public_url. The auth token is read from the variable
// --auth-token-env names (default TWILIO_AUTH_TOKEN) and, when that is
// unset or empty, is "sim-auth-token", exactly as broadcaster-sim's server
// does (sim_options.h), so one token set-up serves both directions.
// Design: blocking libcurl easy interface (util::CurlEasy), one request per
// text with a short deadline; no state between texts except the SID
// generator. Nothing is logged: output goes to the streams passed in.
#pragma once

#include <CLI/App.hpp>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "simulator/sim_options.h"

namespace broadcaster::simulator {

/// Settings of `broadcaster-sim text`.
struct TextInOptions {
  std::string webhook_url;  ///< http(s) URL of serve's Twilio endpoint (also the signed URL)
  std::string from;         ///< the subscriber, E.164 ("+15595550142")
  std::string to = "+15595550100";  ///< our number the text is sent to
  /// The text; nullopt: one text per non-empty line of standard input.
  std::optional<std::string> body;
  std::string account_sid{kDefaultAccountSid};
  std::string messaging_service_sid;  ///< "MG..." to include, or empty
  std::string auth_token_env = "TWILIO_AUTH_TOKEN";
  /// Resolved from the environment by run_text_command; never a flag.
  std::string auth_token{kDefaultAuthToken};
  unsigned timeout_ms = 5000;  ///< whole-request deadline
  bool json = false;           ///< print JSON objects instead of reply lines
};

/// What serve answered to one text.
struct TextInResult {
  long status = 0;                   ///< HTTP status of the answer
  std::vector<std::string> replies;  ///< text of each <Message>, in order
  std::string message_sid;           ///< the MessageSid that was sent
  /// Why broadcaster sent no reply, when it said (channels::kReplyWithheldHeader).
  std::string reply_withheld;
  /// Empty when the answer was a 2xx TwiML document; else what was wrong
  /// ("HTTP 403: ..." with the start of the body, or "answer is not TwiML").
  std::string error;
};

/// The form fields Twilio posts for an incoming SMS `body` with
/// `message_sid`: MessageSid, SmsMessageSid, SmsSid, AccountSid,
/// MessagingServiceSid (when set), From, To, Body, NumMedia=0, NumSegments,
/// SmsStatus=received, ApiVersion=2010-04-01, FromCountry/ToCountry (from
/// the numbers) and empty From/To State, City and Zip.
std::vector<std::pair<std::string, std::string>> incoming_sms_fields(const TextInOptions& options,
                                                                     std::string_view body,
                                                                     std::string_view message_sid);

/// POSTs `options.body` (which must be set) as one signed webhook with a
/// fresh "SM" + 32 hex MessageSid and reads the answer. Throws Error when
/// the request cannot be made or no answer arrives within timeout_ms.
TextInResult send_text(const TextInOptions& options);

/// Registers the `text` subcommand and its options on `app`, filling
/// `options` when parsed (--webhook-url and --from required; --to, --body,
/// --account-sid, --messaging-service-sid, --auth-token-env, --timeout-ms,
/// --json). Returns the subcommand, so the caller can ask parsed().
/// `options` must outlive the parse.
CLI::App* add_text_command(CLI::App& app, TextInOptions& options);

/// Reads a variable of the environment; nullopt when unset.
using EnvReader = std::function<std::optional<std::string>(const std::string&)>;

/// Runs a parsed `text` command: resolves the auth token through `env`,
/// sends --body or each non-empty line of `in` (a trailing '\r' dropped),
/// prints replies (or JSON) to `out` and problems to `err`. Returns the
/// exit status described in the file comment. Does not throw for
/// connection failures; stops at the first one.
int run_text_command(TextInOptions options, std::istream& in, std::ostream& out, std::ostream& err,
                     const EnvReader& env = {});

}  // namespace broadcaster::simulator
