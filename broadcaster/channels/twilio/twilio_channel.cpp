// Twilio SMS channel: settings validation, the Messages.json request, and the
// reading of Twilio's answers (success JSON, error JSON, Retry-After, proxy
// pages).
#include "channels/twilio/twilio_channel.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "channels/http_date.h"
#include "channels/options.h"
#include "channels/retry_after.h"
#include "channels/web_url.h"
#include "util/errors.h"
#include "util/phone.h"

namespace broadcaster::channels {

namespace {

constexpr std::string_view kDefaultBaseUrl = "https://api.twilio.com";
constexpr std::string_view kDefaultTokenEnv = "TWILIO_AUTH_TOKEN";
constexpr std::chrono::milliseconds kDefaultTimeout{10'000};
constexpr std::chrono::milliseconds kMaxTimeout{120'000};

// ---------------------------------------------------------------------------
// Settings validation
// ---------------------------------------------------------------------------

// "AC" / "MG" followed by exactly 32 hex digits, as Twilio's OpenAPI patterns.
bool is_sid(std::string_view value, std::string_view prefix) {
  if (value.size() != prefix.size() + 32 || value.substr(0, prefix.size()) != prefix) return false;
  for (char c : value.substr(prefix.size())) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool starts_with_http(std::string_view url) { return url.starts_with("https://") || url.starts_with("http://"); }

// The host of an http(s) URL, without port ("[::1]" keeps its brackets).
std::string_view url_host(std::string_view url) {
  const auto scheme_end = url.find("://");
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.starts_with("[")) return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

bool is_loopback_host(std::string_view host) { return host == "localhost" || host == "127.0.0.1" || host == "[::1]"; }

// ---------------------------------------------------------------------------
// Reading answers
// ---------------------------------------------------------------------------

// Masks every phone-number-like run ("+15595550142", "15595550142") in text
// Twilio wrote, which often echoes the 'To' number. A run is an optional '+'
// and at least 7 digits not glued to letters or digits (so SIDs and error
// codes stay readable).
std::string mask_numbers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto is_alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  std::size_t i = 0;
  while (i < text.size()) {
    const bool at_boundary = i == 0 || !is_alnum(text[i - 1]);
    std::size_t j = i + (text[i] == '+' ? 1 : 0);
    const std::size_t digits_start = j;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    const std::size_t digits = j - digits_start;
    if (at_boundary && digits >= 7 && (j == text.size() || !is_alnum(text[j]))) {
      out += util::mask_phone(text.substr(i, j - i));
      i = j;
    } else {
      // Copy the scanned prefix (or one character) unchanged.
      const std::size_t end = std::max(j, i + 1);
      out.append(text.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

// Twilio sends `code` as a number; accept a string too. Empty when absent.
std::string code_field(const nlohmann::json& body) {
  const auto it = body.find("code");
  if (it == body.end()) return {};
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  if (it->is_string()) return it->get<std::string>();
  return {};
}

std::optional<std::string> string_field(const nlohmann::json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The top-level "sid" and "status" of a Message resource, read without
// building the document: the sender reads one per message sent, and the
// whole tree (two dozen fields, subresource_uris) is most of the cost.
class MessageFields final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::optional<std::string> sid;
  std::optional<std::string> status;
  bool object = false;  // the document is a JSON object

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& value) override {
    if (depth_ == 1 && key_ == "sid") sid = std::move(value);
    if (depth_ == 1 && key_ == "status") status = std::move(value);
    return true;
  }
  bool start_object(std::size_t) override {
    if (depth_++ == 0) object = true;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == 1) key_ = std::move(name);
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  int depth_ = 0;
  std::string key_;  // the current top-level key
};

// How to describe a body that is not a JSON object.
std::string describe_non_json(const HttpResponse& response) {
  const auto first = response.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "an empty body instead of JSON";
  const auto type = response.header("Content-Type").value_or("");
  if (response.body[first] == '<' || type.find("html") != std::string::npos) {
    return "HTML instead of JSON, probably a proxy or outage page";
  }
  return "non-JSON";
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

TwilioChannel::TwilioChannel(const ProviderSettings& settings, const EnvLookup& env, Clock now)
    : name_(settings.name), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::system_clock::now(); };
  OptionReader options(settings);

  // Checked first: never let a token from YAML reach any other message.
  if (options.has("auth_token")) {
    const std::string variable =
        options.has("auth_token_env") ? "named by option auth_token_env" : std::string(kDefaultTokenEnv);
    options.fail("auth_token",
                 "must not be written in the config file: secrets stay out of YAML. Remove it "
                 "(and rotate the token if the file was shared), then put the token in the "
                 "environment variable " +
                     variable);
  }

  // Read every option first, so a misspelt key is reported as such rather
  // than as the missing value it was meant to supply.
  std::string base_url = options.value_or("base_url", kDefaultBaseUrl);
  account_sid_ = options.required("account_sid", "your Twilio Account SID, 'AC' and 32 hex digits");
  auth_token_env_ = options.value_or("auth_token_env", kDefaultTokenEnv);
  from_ = options.value_or("from", "");
  messaging_service_sid_ = options.value_or("messaging_service_sid", "");
  status_callback_ = options.value_or("status_callback", "");
  timeout_ = options.milliseconds("timeout_ms", kDefaultTimeout, kMaxTimeout);
  options.finish();

  while (base_url.ends_with('/')) base_url.pop_back();
  if (!starts_with_http(base_url) || url_host(base_url).empty()) {
    options.fail("base_url",
                 "must be an http(s) URL such as " + std::string(kDefaultBaseUrl) + ", got '" + base_url + "'");
  }
  if (base_url.starts_with("http://") && !is_loopback_host(url_host(base_url))) {
    options.fail("base_url",
                 "must use https:// (requests carry the auth token); plain http:// is allowed "
                 "only for localhost, 127.0.0.1 or [::1]");
  }
  if (!is_sid(account_sid_, "AC")) {
    // The value is not echoed: a token pasted here by mistake must not be printed.
    options.fail("account_sid", "must be 'AC' followed by 32 hex digits (see Twilio Console > Account Info)");
  }
  base_url_ = base_url;
  url_ = base_url + "/2010-04-01/Accounts/" + account_sid_ + "/Messages.json";

  if (options.has("from") && from_.empty()) {
    options.fail("from", "is empty (a Twilio phone number such as +15595550100, or a sender ID)");
  }
  if (options.has("messaging_service_sid") && !is_sid(messaging_service_sid_, "MG")) {
    options.fail("messaging_service_sid",
                 "must be 'MG' followed by 32 hex digits (see Twilio Console > Messaging > "
                 "Services)");
  }
  if (from_.empty() && messaging_service_sid_.empty()) {
    throw settings_error(settings,
                               "needs option 'from' (a Twilio number such as +15595550100) or "
                               "option 'messaging_service_sid' (MG...), or both");
  }
  if (options.has("status_callback")) {
    // Twilio's API takes StatusCallback as `format: uri` and refuses the
    // message otherwise: refused here, before any message is queued.
    if (const auto problem = web_url_problem(status_callback_)) {
      options.fail("status_callback", "'" + status_callback_ + "' " + *problem);
    }
  }

  // Last, so every mistake in the file is reported before the environment.
  if (auth_token_env_.empty()) {
    options.fail("auth_token_env", "is empty (an environment variable name)");
  }
  auth_token_ = options.secret_from_env("auth_token_env", auth_token_env_, "your Twilio auth token", env);
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

std::optional<HttpRequest> TwilioChannel::build_request(const OutboundMessage& msg) const {
  std::vector<std::pair<std::string, std::string>> form;
  form.emplace_back("To", msg.to.without_scheme());
  if (!from_.empty()) form.emplace_back("From", from_);
  if (!messaging_service_sid_.empty()) form.emplace_back("MessagingServiceSid", messaging_service_sid_);
  form.emplace_back("Body", msg.body);
  if (!status_callback_.empty()) {
    // Our reference rides in the callback URL (Twilio signs the URL with
    // it): the receipt names its campaign without a lookup table.
    const char joiner = status_callback_.find('?') == std::string::npos ? '?' : '&';
    form.emplace_back("StatusCallback",
                      status_callback_ + joiner + form_encode({{"campaign", msg.campaign_id}}));
  }

  HttpRequest request;
  request.method = "POST";
  request.url = url_;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = form_encode(form);
  request.basic_auth = std::make_pair(account_sid_, auth_token_);
  request.timeout = timeout_;
  spdlog::debug("channel '{}': Twilio request for campaign {} to {} ({} bytes of body)", name_, msg.campaign_id, msg.to,
                msg.body.size());
  return request;
}

std::string TwilioChannel::describe_failure(long status, const std::string& code) const {
  // The codes staff meet most, in words that say what to do.
  if (code == "21211")
    return "invalid phone number: Twilio cannot send to this 'To' number; "
           "correct or remove the subscriber's number";
  if (code == "21610")
    return "recipient has unsubscribed (replied STOP); they must text START "
           "before they can receive messages again";
  if (code == "21408")
    return "no permission to send to this region: enable the recipient's "
           "country in Twilio Console > Messaging > Settings > Geo permissions";
  if (code == "21614") return "not a mobile number: the 'To' number cannot receive SMS";
  if (code == "21612") return "Twilio cannot route SMS from this sender to this 'To' number";
  if (code == "21606" || code == "21659") {
    return "the 'from' number is not an SMS-capable sender of this Twilio account: check option "
           "'from'";
  }
  if (code == "21602") return "the message body is empty";
  if (code == "21617") return "the message body exceeds Twilio's 1600-character limit";
  if (code == "20003" || (code.empty() && status == 401)) {
    return "Twilio authentication failed: check account_sid and the " + auth_token_env_ + " env var";
  }
  if (code == "20404" || (code.empty() && status == 404)) {
    return "Twilio has no such resource: check account_sid and base_url";
  }
  if (status == 429) return "Twilio rate limit reached";
  if (status >= 500) return "Twilio server error";
  if (status >= 300 && status < 400) return "unexpected redirect from Twilio: check base_url";
  return "Twilio refused the message";
}

// A non-2xx answer (or a 2xx that is not a JSON object) as a SendError;
// `what` says what was asked ("" for a send).
SendError TwilioChannel::describe_error(const HttpResponse& response, const std::string& what) const {
  const std::string prefix = "channel '" + name_ + "': " + what;
  const long status = response.status;
  const bool success = status >= 200 && status <= 299;
  const bool retryable = status == 0 || status == 429 || (status >= 500 && status <= 599);
  std::optional<long> retry_after_ms;
  if (retryable) {
    if (const auto header = response.header("Retry-After")) {
      if (const auto wait = parse_retry_after(*header, now_())) retry_after_ms = wait->count();
    }
  }
  if (status == 0) {
    return SendError(prefix + "no answer from Twilio (connection failed or timed out); retryable", true);
  }
  const char* const outcome =
      retryable ? "; retryable" : (success ? "; not retried: the message may have been sent" : "");

  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) {
    const std::string hint = success ? std::string() : "; " + describe_failure(status, "");
    return SendError(
        fmt::format("{}provider answered {} (HTTP {}){}{}", prefix, describe_non_json(response), status, hint, outcome),
        retryable, std::string{}, retry_after_ms);
  }
  const std::string code = code_field(body);
  std::string text = prefix + describe_failure(status, code) + " [HTTP " + std::to_string(status);
  if (!code.empty()) text += ", Twilio error " + code;
  if (const auto said = string_field(body, "message"); said && !said->empty()) {
    text += ": " + mask_numbers(*said);
  }
  if (const auto more = string_field(body, "more_info"); more && !more->empty()) {
    text += "; see " + *more;
  }
  text += "]";
  text += outcome;
  return SendError(std::move(text), retryable, code, retry_after_ms);
}

SendResult TwilioChannel::interpret_response(const HttpResponse& response, const OutboundMessage& /*msg*/) const {
  const long status = response.status;
  if (status < 200 || status > 299) throw describe_error(response, "");
  MessageFields fields;
  if (!nlohmann::json::sax_parse(response.body, &fields) || !fields.object) throw describe_error(response, "");
  const auto& sid = fields.sid;
  if (!sid || sid->empty()) {
    throw SendError(fmt::format("channel '{}': Twilio answered HTTP {} without a message sid; not retried: the "
                                "message may have been sent",
                                name_, status),
                    false);
  }
  std::string message_status = fields.status.value_or("unknown");
  spdlog::debug("channel '{}': Twilio accepted message {} ({})", name_, *sid, message_status);
  return SendResult{*sid, std::move(message_status)};
}

// ---------------------------------------------------------------------------
// Asking about a message in doubt: the Messages list resource
// ---------------------------------------------------------------------------

namespace {

constexpr int kLookupPageSize = 50;

HttpRequest list_request(std::string url, const std::string& account_sid, const std::string& token,
                         std::chrono::milliseconds timeout) {
  HttpRequest request;
  request.method = "GET";
  request.url = std::move(url);
  request.headers = {{"Accept", "application/json"}};
  request.basic_auth = std::make_pair(account_sid, token);
  request.timeout = timeout;
  return request;
}

}  // namespace

HttpRequest TwilioChannel::build_lookup(const OutboundMessage& msg,
                                        std::chrono::system_clock::time_point /*since*/) const {
  return list_request(
      url_ + "?" +
          form_encode({{"To", std::string(msg.to.without_scheme())}, {"PageSize", std::to_string(kLookupPageSize)}}),
      account_sid_, auth_token_, timeout_);
}

LookupPage TwilioChannel::interpret_lookup(const HttpResponse& response, const OutboundMessage& msg,
                                           std::chrono::system_clock::time_point since) const {
  const std::string what = "asking Twilio whether it has the message: ";
  if (response.status != 200) throw describe_error(response, what);
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  const auto messages = body.is_object() ? body.find("messages") : body.end();
  if (!body.is_object() || messages == body.end() || !messages->is_array()) {
    throw SendError("channel '" + name_ + "': " + what + "the answer is not a Messages list page; retryable", true);
  }
  LookupPage page;
  bool reached_back = false;  // a message on this page is older than `since`
  for (const auto& m : *messages) {
    if (!m.is_object()) continue;
    const auto created = parse_http_date(string_field(m, "date_created").value_or(""));
    if (!created) continue;
    if (*created < since) {
      reached_back = true;
      continue;
    }
    if (string_field(m, "to") != msg.to.without_scheme() || string_field(m, "body") != msg.body) continue;
    if (!string_field(m, "direction").value_or("").starts_with("outbound")) continue;
    const auto sid = string_field(m, "sid");
    if (!sid || sid->empty()) continue;
    page.found = SendResult{*sid, string_field(m, "status").value_or("unknown")};
    return page;
  }
  const auto next = string_field(body, "next_page_uri");
  if (!reached_back && next && next->starts_with("/")) {
    page.next = list_request(base_url_ + *next, account_sid_, auth_token_, timeout_);
  }
  return page;
}

SendResult TwilioChannel::deliver_locally(const OutboundMessage& /*msg*/) {
  throw SendError("channel '" + name_ +
                      "': Twilio delivers over HTTP; deliver_locally was called by mistake "
                      "(a bug in the sender)",
                  false);
}

}  // namespace broadcaster::channels
