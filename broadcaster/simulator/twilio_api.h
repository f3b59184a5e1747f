// Twilio's 2010-04-01 Messages API as pure functions: request fields in,
// HTTP status and JSON out, so the wire format is testable without sockets.
// The shapes follow Twilio's OpenAPI description (shared/reference/
// twilio_api_v2010.json): operation `POST /2010-04-01/Accounts/{AccountSid}/
// Messages.json` (form-encoded request) and schema `api.v2010.account.message`
// (201 body). Errors use Twilio's REST error body
// {"code", "message", "more_info", "status"}.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "simulator/basic_auth.h"

namespace broadcaster::simulator {

/// The API version segment of every path and the `api_version` field.
inline constexpr std::string_view kApiVersion = "2010-04-01";
/// Twilio's limit on a message body, in characters.
inline constexpr std::size_t kMaxBodyCharacters = 1600;

// --- errors ------------------------------------------------------------------

/// A Twilio REST error: HTTP status plus Twilio's numeric error code.
struct TwilioError {
  unsigned status;      ///< HTTP status (400, 401, 404, 429, 500, ...)
  int code;             ///< Twilio error code (21211, 20003, ...)
  std::string message;  ///< Twilio's wording, may contain the request's number
};

/// The JSON error body Twilio sends: code, message, status and
/// more_info "https://www.twilio.com/docs/errors/<code>".
[[nodiscard]] nlohmann::json error_json(const TwilioError& error);

/// 401 code 20003, what Twilio answers to missing or wrong credentials.
[[nodiscard]] TwilioError authentication_error();
/// 404 code 20404 for a path the API does not have.
[[nodiscard]] TwilioError not_found_error(std::string_view path);
/// 405 code 20004 for a known path with an unsupported method.
[[nodiscard]] TwilioError method_not_allowed_error(std::string_view method);
/// 429 code 20429, the answer to too many requests.
[[nodiscard]] TwilioError too_many_requests_error();
/// 500 code 20500, Twilio's internal server error.
[[nodiscard]] TwilioError internal_error();

// --- routing and authentication ----------------------------------------------

/// Returns the AccountSid of a target "/2010-04-01/Accounts/{sid}/Messages.json"
/// (a query string is ignored), or nullopt if `target` is any other path. The
/// SID is returned as written, valid or not; authentication judges it.
[[nodiscard]] std::optional<std::string> match_messages_path(std::string_view target);

/// Checks Twilio's Basic auth: the user must equal both the AccountSid in the
/// path and `account_sid`, the password must equal `auth_token`. Returns the
/// 401 error when any of that fails (also for absent credentials).
[[nodiscard]] std::optional<TwilioError> check_auth(
    const std::optional<BasicCredentials>& credentials, std::string_view path_account_sid,
    std::string_view account_sid, std::string_view auth_token);

// --- create message ----------------------------------------------------------

/// The create-message parameters the simulator looks at, named as Twilio
/// names them in the form body. Other parameters are accepted and ignored.
struct CreateMessageRequest {
  std::optional<std::string> to;                     ///< `To`
  std::optional<std::string> from;                   ///< `From`
  std::optional<std::string> messaging_service_sid;  ///< `MessagingServiceSid`
  std::optional<std::string> body;                   ///< `Body`
  std::optional<std::string> status_callback;        ///< `StatusCallback`
  std::optional<std::string> content_sid;            ///< `ContentSid`
  std::vector<std::string> media_urls;               ///< every `MediaUrl`

  /// Picks the parameters out of decoded form fields. A field given twice
  /// keeps its first value, except `MediaUrl`, which may repeat. Empty values
  /// count as absent, as Twilio treats them.
  static CreateMessageRequest from_form(
      const std::vector<std::pair<std::string, std::string>>& fields);
};

/// Recipients whose outcome a test or demo has scripted.
struct RecipientRules {
  std::set<std::string, std::less<>> unsubscribed;  ///< 400 code 21610
  std::set<std::string, std::less<>> invalid;       ///< 400 code 21211
};

/// True for "+" followed by 8 to 15 digits: the plausible-E.164 test the
/// simulator applies to `To` (no per-country numbering plan).
[[nodiscard]] bool is_plausible_e164(std::string_view number);

/// Validates a create request like Twilio, first failure wins, in this order:
/// no To (400 21604); no Body, MediaUrl or ContentSid (400 21602); neither
/// From nor MessagingServiceSid (400 21603); To not plausible E.164 or listed
/// invalid (400 21211); Body over 1,600 characters (400 21617); To listed
/// unsubscribed (400 21610). Returns nullopt when the message is accepted.
[[nodiscard]] std::optional<TwilioError> validate_create(const CreateMessageRequest& request,
                                                         const RecipientRules& rules);

/// The `uri` of a Message resource, relative to https://api.twilio.com.
[[nodiscard]] std::string message_uri(std::string_view account_sid, std::string_view sid);

/// RFC 2822 date in GMT as Twilio writes it: "Thu, 24 Aug 2023 05:01:45 +0000".
/// Locale-independent.
[[nodiscard]] std::string rfc2822_date(std::chrono::system_clock::time_point when);

/// The 201 body for an accepted request, with exactly the properties of the
/// `api.v2010.account.message` schema: status "queued", direction
/// "outbound-api", num_segments computed from the body, num_media from the
/// MediaUrl count, date_created = date_updated = `created`, and date_sent,
/// error_code, error_message and price null.
[[nodiscard]] nlohmann::json message_json(const CreateMessageRequest& request,
                                          std::string_view account_sid, std::string_view sid,
                                          std::chrono::system_clock::time_point created);

}  // namespace broadcaster::simulator
