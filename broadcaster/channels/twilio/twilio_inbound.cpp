// Twilio incoming-message webhook: settings, signature check, field reading
// and the TwiML answer.
#include "channels/twilio/twilio_inbound.h"

#include <spdlog/spdlog.h>

#include <cctype>

#include "channels/options.h"
#include "channels/twilio/twilio_signature.h"
#include "channels/twilio/twiml.h"
#include "templates/sms_encoding.h"
#include "util/excerpt.h"
#include "util/phone.h"

namespace broadcaster::channels {

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

InboundParse refuse(int status, std::string reason) { return InboundParse{status, std::nullopt, std::move(reason)}; }

// "AC" followed by exactly 32 hex digits.
bool is_account_sid(std::string_view value) {
  if (value.size() != 34 || !value.starts_with("AC")) return false;
  for (char c : value.substr(2)) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Twilio SIDs are a two-letter prefix and hex digits; accept any short run
// of letters and digits, so the id is safe in logs and Redis keys.
bool is_sid_text(std::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool is_utf8(std::string_view text) {
  try {
    templates::check_utf8(text);
    return true;
  } catch (const templates::InvalidUtf8Error&) {
    return false;  // the caller refuses the request, naming the field
  }
}

// Parts of an http(s) URL, as far as this endpoint needs them.
struct UrlParts {
  std::string base;  // everything before '?'
  std::string path;  // "/" when the URL has none
};

std::optional<UrlParts> split_url(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return std::nullopt;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '#' || c == 0x7F) return std::nullopt;
  }
  const std::size_t authority_start = url.find("://") + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?", authority_start), url.size());
  if (authority_end == authority_start) return std::nullopt;
  const std::string_view base = url.substr(0, url.find('?'));
  std::string path(base.substr(authority_end));
  if (path.empty()) path = "/";
  return UrlParts{std::string(base), std::move(path)};
}

// The only value of field `name`: refuses when it is missing or repeated.
std::optional<std::string> required_field(const Fields& fields, std::string_view name, std::string& reason) {
  bool repeated = false;
  auto value = single_field(fields, name, repeated);
  if (!value) {
    reason = "field " + std::string(name) + " is missing";
  } else if (repeated) {
    reason = "field " + std::string(name) + " is given more than once";
    value.reset();
  }
  return value;
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

TwilioInboundEndpoint::TwilioInboundEndpoint(const ProviderSettings& settings, const EnvLookup& env)
    : name_(settings.name) {
  OptionReader options(settings);
  // Checked first: never let a token from YAML reach any other message.
  options.refuse_inline_secret("auth_token", "auth_token_env");

  const std::string public_url = options.required(
      "public_url", "the exact webhook URL configured at Twilio, e.g. https://sms.example.org/twilio/sms");
  const auto path = options.optional("path");
  const auto status_url = options.optional("status_url");
  const auto status_path = options.optional("status_path");
  account_sid_ = options.value_or("account_sid", "");
  const std::string token_env =
      options.required("auth_token_env", "the name of the environment variable holding your Twilio auth token");
  options.finish();

  const auto url = split_url(public_url);
  if (!url) {
    options.fail("public_url",
                 "must be the http(s) URL Twilio calls, without spaces or a '#fragment', e.g. "
                 "https://sms.example.org/twilio/sms; got '" +
                     util::excerpt(public_url) + "'");
  }
  signing_base_ = url->base;
  path_ = path ? *path : url->path;
  if (!path_.starts_with('/') || path_.find_first_of("?# ") != std::string::npos) {
    options.fail("path",
                 "must be a local path starting with '/', without '?' or '#', got '" + util::excerpt(path_) + "'");
  }
  if (status_url) {
    const auto parts = split_url(*status_url);
    if (!parts) {
      options.fail("status_url",
                   "must be the http(s) URL set as the channel's status_callback, without spaces or "
                   "a '#fragment'; got '" +
                       util::excerpt(*status_url) + "'");
    }
    status_signing_base_ = parts->base;
    status_path_ = status_path ? *status_path : parts->path;
    if (!status_path_.starts_with('/') || status_path_.find_first_of("?# ") != std::string::npos ||
        status_path_ == path_) {
      options.fail(status_path ? "status_path" : "status_url",
                   "the status callback path must be a local path starting with '/', other than the texts' path '" +
                       path_ + "', got '" + util::excerpt(status_path_) + "'");
    }
  } else if (status_path) {
    options.fail("status_path", "needs status_url (the channel's status_callback URL, which Twilio signs)");
  }
  if (options.has("account_sid") && !is_account_sid(account_sid_)) {
    options.fail("account_sid", "must be 'AC' followed by 32 hex digits (see Twilio Console > Account Info)");
  }
  // Last, so every mistake in the file is reported before the environment.
  auth_token_ = options.secret_from_env("auth_token_env", token_env, "your Twilio auth token", env);
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

std::vector<std::string> TwilioInboundEndpoint::paths() const {
  if (status_path_.empty()) return {path_};
  return {path_, status_path_};
}

std::optional<InboundParse> TwilioInboundEndpoint::refuse_unsigned(const InboundRequest& request,
                                                                   const std::string& base,
                                                                   const Fields& signed_params) const {
  const auto signature = request.header("X-Twilio-Signature");
  if (!signature || signature->find_first_not_of(" \t") == std::string::npos) {
    return refuse(403, "missing X-Twilio-Signature header");
  }
  std::string url = base;
  if (const auto query = request.query()) {
    url += '?';
    url += *query;
  }
  bool valid = false;
  try {
    for (const auto& candidate : twilio_signing_urls(url)) {
      // No early exit: every candidate is checked.
      valid = twilio_signature_valid(candidate, signed_params, auth_token_, *signature) || valid;
    }
  } catch (const Error& e) {
    return refuse(500, std::string("cannot verify the signature: ") + e.what());
  }
  if (!valid) {
    return refuse(403,
                  "X-Twilio-Signature does not match (check public_url / status_url is exactly the URL set at "
                  "Twilio, and the auth token)");
  }
  return std::nullopt;
}

InboundParse TwilioInboundEndpoint::parse(const InboundRequest& request) const {
  if (!status_path_.empty() && request.path() == status_path_) return parse_status(request);
  // 1. Method, and the fields as they arrived (signed exactly so).
  Fields fields;
  Fields signed_params;  // POST form fields; a GET signs its query in the URL
  if (request.method == "POST") {
    auto form = form_decode_strict(request.body);
    if (!form) return refuse(400, "body is not a valid application/x-www-form-urlencoded form");
    fields = *form;
    signed_params = std::move(*form);
  } else if (request.method == "GET") {
    auto form = form_decode_strict(request.query().value_or(""));
    if (!form) return refuse(400, "query is not a valid urlencoded form");
    fields = std::move(*form);
  } else {
    return refuse(405, "method not allowed: Twilio webhooks use POST or GET");
  }

  // 2. The signature, before any field is believed.
  if (auto refused = refuse_unsigned(request, signing_base_, signed_params)) return std::move(*refused);

  // 3. The account, when one is configured.
  std::string reason;
  if (!account_sid_.empty()) {
    const auto account = required_field(fields, "AccountSid", reason);
    if (!account || *account != account_sid_) {
      return refuse(403, "AccountSid is not the configured account_sid");
    }
  }

  // 4. The message.
  auto from = required_field(fields, "From", reason);
  if (!from) return refuse(400, reason);
  auto to = required_field(fields, "To", reason);
  if (!to) return refuse(400, reason);
  auto body = required_field(fields, "Body", reason);
  if (!body) return refuse(400, reason);
  std::optional<std::string> sid;
  for (const char* name : {"MessageSid", "SmsMessageSid", "SmsSid"}) {
    bool repeated = false;
    sid = single_field(fields, name, repeated);
    if (sid && repeated) return refuse(400, "field " + std::string(name) + " is given more than once");
    if (sid) break;
  }
  if (!sid || sid->empty()) return refuse(400, "field MessageSid is missing");
  if (!is_sid_text(*sid)) return refuse(400, "field MessageSid is malformed");
  if (from->empty()) return refuse(400, "field From is empty");
  if (to->empty()) return refuse(400, "field To is empty");
  if (!is_utf8(*from) || !is_utf8(*to)) return refuse(400, "From or To is not valid UTF-8");
  if (!is_utf8(*body)) return refuse(400, "field Body is not valid UTF-8");

  spdlog::debug("inbound '{}': Twilio message {} from {} to {} ({} bytes)", name_, *sid, util::mask_phone(*from),
                util::mask_phone(*to), body->size());
  return InboundParse{200, InboundMessage{name_, std::move(*from), std::move(*to), std::move(*body), std::move(*sid)},
                      ""};
}

namespace {

// Twilio's MessageStatus values (Message resource, "status" enum in
// twilio_api_v2010.json) as delivery states. Unknown future values are read
// as "queued", which never moves a message.
DeliveryState state_of(std::string_view status) {
  if (status == "sending" || status == "sent") return DeliveryState::Sent;
  if (status == "delivered" || status == "read") return DeliveryState::Delivered;
  if (status == "undelivered") return DeliveryState::Undelivered;
  if (status == "failed" || status == "canceled") return DeliveryState::Failed;
  return DeliveryState::Queued;  // accepted, scheduled, queued, and anything new
}

bool is_digits(std::string_view s) {
  if (s.empty() || s.size() > 8) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

InboundParse TwilioInboundEndpoint::parse_status(const InboundRequest& request) const {
  if (request.method != "POST") return refuse(405, "method not allowed: Twilio status callbacks use POST");
  auto form = form_decode_strict(request.body);
  if (!form) return refuse(400, "body is not a valid application/x-www-form-urlencoded form");
  if (auto refused = refuse_unsigned(request, status_signing_base_, *form)) return std::move(*refused);
  std::string reason;
  if (!account_sid_.empty()) {
    const auto account = required_field(*form, "AccountSid", reason);
    if (!account || *account != account_sid_) return refuse(403, "AccountSid is not the configured account_sid");
  }
  auto sid = required_field(*form, "MessageSid", reason);
  if (!sid) return refuse(400, reason);
  if (!is_sid_text(*sid)) return refuse(400, "field MessageSid is malformed");
  auto status = required_field(*form, "MessageStatus", reason);
  if (!status) return refuse(400, reason);
  auto to = required_field(*form, "To", reason);
  if (!to) return refuse(400, reason);
  if (!is_utf8(*to) || !is_utf8(*status)) return refuse(400, "To or MessageStatus is not valid UTF-8");
  bool repeated = false;
  std::string code = single_field(*form, "ErrorCode", repeated).value_or("");
  if (repeated) return refuse(400, "field ErrorCode is given more than once");
  if (!code.empty() && !is_digits(code)) return refuse(400, "field ErrorCode is not a number");
  // Our reference: the campaign, in the query of the StatusCallback URL the
  // channel gave Twilio (signed with it).
  std::string campaign;
  if (const auto query = request.query()) {
    if (const auto q = form_decode_strict(*query)) {
      campaign = single_field(*q, "campaign", repeated).value_or("");
    }
  }
  DeliveryReceipt receipt{name_,           std::move(campaign), std::move(*to),
                          std::move(*sid), state_of(*status),   std::move(*status),
                          std::move(code)};
  spdlog::debug("inbound '{}': Twilio status {} for {} to {}", name_, receipt.provider_status, receipt.provider_id,
                util::mask_phone(receipt.to));
  InboundParse out;
  out.receipt = std::move(receipt);
  return out;
}

HttpResponse TwilioInboundEndpoint::reply(const std::optional<std::string>& reply) const {
  std::vector<std::string> messages;
  if (reply && !reply->empty()) messages.push_back(*reply);
  return HttpResponse{200, {{"Content-Type", "text/xml"}}, twiml_response(messages)};
}

}  // namespace broadcaster::channels
