// Twilio Messages API request checks and response bodies.
#include "simulator/twilio_api.h"

#include <fmt/format.h>

#include <array>
#include <ctime>

#include "simulator/segments.h"

namespace broadcaster::simulator {

// --- errors ------------------------------------------------------------------

nlohmann::json error_json(const TwilioError& error) {
  return nlohmann::json{
      {"code", error.code},
      {"message", error.message},
      {"more_info", fmt::format("https://www.twilio.com/docs/errors/{}", error.code)},
      {"status", error.status},
  };
}

TwilioError authentication_error() { return {401, 20003, "Authenticate"}; }

TwilioError not_found_error(std::string_view path) {
  return {404, 20404, fmt::format("The requested resource {} was not found", path)};
}

TwilioError method_not_allowed_error(std::string_view method) {
  return {405, 20004, fmt::format("Method not allowed: {}", method)};
}

TwilioError too_many_requests_error() { return {429, 20429, "Too Many Requests"}; }

TwilioError internal_error() { return {500, 20500, "Internal Server Error"}; }

// --- routing and authentication ----------------------------------------------

std::optional<std::string> match_messages_path(std::string_view target) {
  const auto query = target.find('?');
  if (query != std::string_view::npos) target = target.substr(0, query);
  constexpr std::string_view kPrefix = "/2010-04-01/Accounts/";
  constexpr std::string_view kSuffix = "/Messages.json";
  if (target.size() <= kPrefix.size() + kSuffix.size()) return std::nullopt;
  if (target.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  if (target.substr(target.size() - kSuffix.size()) != kSuffix) return std::nullopt;
  const auto sid = target.substr(kPrefix.size(), target.size() - kPrefix.size() - kSuffix.size());
  if (sid.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(sid);
}

std::optional<TwilioError> check_auth(const std::optional<BasicCredentials>& credentials,
                                      std::string_view path_account_sid,
                                      std::string_view account_sid, std::string_view auth_token) {
  if (!credentials || credentials->user != account_sid || path_account_sid != account_sid ||
      credentials->password != auth_token) {
    return authentication_error();
  }
  return std::nullopt;
}

// --- create message ----------------------------------------------------------

CreateMessageRequest CreateMessageRequest::from_form(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  CreateMessageRequest r;
  const auto take = [](std::optional<std::string>& slot, const std::string& value) {
    if (!slot && !value.empty()) slot = value;
  };
  for (const auto& [key, value] : fields) {
    if (key == "To") {
      take(r.to, value);
    } else if (key == "From") {
      take(r.from, value);
    } else if (key == "MessagingServiceSid") {
      take(r.messaging_service_sid, value);
    } else if (key == "Body") {
      take(r.body, value);
    } else if (key == "StatusCallback") {
      take(r.status_callback, value);
    } else if (key == "ContentSid") {
      take(r.content_sid, value);
    } else if (key == "MediaUrl" && !value.empty()) {
      r.media_urls.push_back(value);
    }
  }
  return r;
}

bool is_plausible_e164(std::string_view number) {
  if (number.size() < 9 || number.size() > 16 || number.front() != '+') return false;
  for (char c : number.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<TwilioError> validate_create(const CreateMessageRequest& r,
                                           const RecipientRules& rules) {
  if (!r.to) return TwilioError{400, 21604, "A 'To' phone number is required."};
  if (!r.body && r.media_urls.empty() && !r.content_sid) {
    return TwilioError{400, 21602, "Message body is required."};
  }
  if (!r.from && !r.messaging_service_sid) {
    return TwilioError{400, 21603, "A 'From' phone number is required."};
  }
  if (!is_plausible_e164(*r.to) || rules.invalid.contains(*r.to)) {
    return TwilioError{400, 21211,
                       fmt::format("The 'To' number {} is not a valid phone number.", *r.to)};
  }
  if (r.body && count_characters(*r.body) > kMaxBodyCharacters) {
    return TwilioError{400, 21617,
                       "The concatenated message body exceeds the 1600 character limit."};
  }
  if (rules.unsubscribed.contains(*r.to)) {
    return TwilioError{400, 21610, "Attempt to send to unsubscribed recipient"};
  }
  return std::nullopt;
}

std::string message_uri(std::string_view account_sid, std::string_view sid) {
  return fmt::format("/{}/Accounts/{}/Messages/{}.json", kApiVersion, account_sid, sid);
}

std::string rfc2822_date(std::chrono::system_clock::time_point when) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays.at(tm.tm_wday), tm.tm_mday,
                     kMonths.at(tm.tm_mon), tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

nlohmann::json message_json(const CreateMessageRequest& r, std::string_view account_sid,
                            std::string_view sid, std::chrono::system_clock::time_point created) {
  const auto or_null = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  const std::string date = rfc2822_date(created);
  return nlohmann::json{
      {"account_sid", account_sid},
      {"api_version", kApiVersion},
      {"body", r.body.value_or("")},
      {"date_created", date},
      {"date_sent", nullptr},
      {"date_updated", date},
      {"direction", "outbound-api"},
      {"error_code", nullptr},
      {"error_message", nullptr},
      {"from", or_null(r.from)},
      {"messaging_service_sid", or_null(r.messaging_service_sid)},
      {"num_media", std::to_string(r.media_urls.size())},
      {"num_segments", std::to_string(count_segments(r.body.value_or("")))},
      {"price", nullptr},
      {"price_unit", "USD"},
      {"sid", sid},
      {"status", "queued"},
      {"subresource_uris",
       {{"media",
         fmt::format("/{}/Accounts/{}/Messages/{}/Media.json", kApiVersion, account_sid, sid)}}},
      {"to", or_null(r.to)},
      {"uri", message_uri(account_sid, sid)},
  };
}

}  // namespace broadcaster::simulator
