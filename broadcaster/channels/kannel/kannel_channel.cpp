// Kannel sendsms: option checks, the GET request, and reading smsbox's
// plain-text answer.
#include "channels/kannel/kannel_channel.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "channels/inbound.h"  // sha256_hex
#include "channels/options.h"
#include "channels/web_url.h"
#include "templates/sms_encoding.h"

namespace broadcaster::channels {

namespace {

constexpr std::chrono::milliseconds kDefaultTimeout{10'000};
constexpr std::chrono::milliseconds kMaxTimeout{120'000};
constexpr int kAllDlrTypes = 31;  // 1 delivered | 2 undelivered | 4 buffered | 8 smsc ack | 16 smsc nack
constexpr std::size_t kMaxAnswerExcerpt = 80;

// smsbox's answer, trimmed and cut short, with control bytes replaced:
// it says what went wrong ("Missing receiver number") and holds no secret.
std::string answer_excerpt(std::string_view body) {
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
  std::string out;
  for (const char c : body.substr(0, kMaxAnswerExcerpt)) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte < 0x20 || byte == 0x7F || byte >= 0x80) ? '?' : c;
  }
  if (body.size() > kMaxAnswerExcerpt) out += "...";
  return out;
}

bool accepted_answer(std::string_view body) {
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
  return body.starts_with("0:") || body.starts_with("3:") || body.starts_with("Sent.");
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

KannelChannel::KannelChannel(const ProviderSettings& settings, const EnvLookup& env) : name_(settings.name) {
  OptionReader options(settings);
  // Checked first: never let a secret from YAML reach any other message.
  options.refuse_inline_secret("username", "username_env");
  options.refuse_inline_secret("password", "password_env");
  sendsms_url_ =
      options.required("sendsms_url", "the URL of Kannel's sendsms, e.g. http://127.0.0.1:13013/cgi-bin/sendsms");
  username_env_ = options.required("username_env", "the environment variable holding the sendsms-user username");
  password_env_ = options.required("password_env", "the environment variable holding the sendsms-user password");
  from_ = options.required("from", "the sender number or id, e.g. +15595550100");
  smsc_ = options.value_or("smsc", "");
  dlr_url_ = options.value_or("dlr_url", "");
  const std::string mask = options.value_or("dlr_mask", std::to_string(kAllDlrTypes));
  timeout_ = options.milliseconds("request_timeout_ms", kDefaultTimeout, kMaxTimeout);
  options.finish();

  if (const auto problem = web_url_problem(sendsms_url_)) {
    options.fail("sendsms_url", "'" + sendsms_url_ + "' " + *problem);
  }
  if (options.has("smsc") && smsc_.empty()) options.fail("smsc", "is empty (an smsc-id from kannel.conf)");
  if (options.has("dlr_url")) {
    if (const auto problem = web_url_problem(dlr_url_)) {
      // Not echoed: the URL carries the DLR endpoint's secret.
      options.fail("dlr_url", "is not usable: it " + *problem);
    }
  }
  const bool digits = !mask.empty() && mask.size() <= 2 && std::all_of(mask.begin(), mask.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  dlr_mask_ = digits ? std::stoi(mask) : 0;
  if (dlr_mask_ < 1 || dlr_mask_ > kAllDlrTypes) {
    options.fail("dlr_mask",
                 "must be a whole number from 1 to 31 (1 delivered, 2 undelivered, 4 buffered, 8 SMSC "
                 "accepted, 16 SMSC rejected, added up), got '" +
                     mask + "'");
  }
  if (options.has("dlr_mask") && dlr_url_.empty()) {
    options.fail("dlr_mask", "has no effect without option dlr_url (where Kannel sends the reports)");
  }

  // Last, so every mistake in the file is reported before the environment.
  username_ = options.secret_from_env("username_env", username_env_,
                                      "the username of a sendsms-user group in kannel.conf", env);
  password_ = options.secret_from_env("password_env", password_env_,
                                      "the password of that sendsms-user group", env);
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

std::string KannelChannel::reference(const OutboundMessage& msg) {
  return "kannel-" + sha256_hex(msg.campaign_id + '\x1f' + std::string(msg.to.without_scheme())).substr(0, 24);
}

std::optional<HttpRequest> KannelChannel::build_request(const OutboundMessage& msg) const {
  std::string ref;
  bool gsm7 = false;
  try {
    ref = reference(msg);
    gsm7 = templates::analyze_sms(msg.body).encoding == templates::SmsEncoding::Gsm7;
  } catch (const Error& e) {
    throw SendError("channel '" + name_ + "': cannot prepare the message: " + e.what(), false);
  }
  std::vector<std::pair<std::string, std::string>> query = {{"username", username_},
                                                            {"password", password_},
                                                            {"from", from_},
                                                            {"to", std::string(msg.to.without_scheme())},
                                                            {"text", msg.body},
                                                            {"charset", "UTF-8"},
                                                            {"coding", gsm7 ? "0" : "2"}};
  if (!smsc_.empty()) query.emplace_back("smsc", smsc_);
  if (!dlr_url_.empty()) {
    // Our reference rides in the dlr-url; %d and %A are Kannel's escape
    // codes for the DLR type and the SMSC's answer, filled in by smsbox.
    const char joiner = dlr_url_.find('?') == std::string::npos ? '?' : '&';
    const std::string dlr =
        dlr_url_ + joiner +
        form_encode({{"campaign", msg.campaign_id}, {"to", std::string(msg.to.without_scheme())}, {"ref", ref}}) +
        "&status=%d&answer=%A";
    query.emplace_back("dlr-mask", std::to_string(dlr_mask_));
    query.emplace_back("dlr-url", dlr);
  }

  HttpRequest request;
  request.method = "GET";
  request.url = sendsms_url_ + (sendsms_url_.find('?') == std::string::npos ? '?' : '&') + form_encode(query);
  request.timeout = timeout_;
  spdlog::debug("channel '{}': Kannel request {} for campaign {} to {} (coding {}, {} bytes of text)", name_, ref,
                msg.campaign_id, msg.to, gsm7 ? 0 : 2, msg.body.size());
  return request;
}

SendResult KannelChannel::interpret_response(const HttpResponse& response, const OutboundMessage& msg) const {
  const std::string prefix = "channel '" + name_ + "': ";
  const long status = response.status;
  if (status == 0) {
    throw SendError(prefix + "no answer from Kannel sendsms (connection failed or timed out); retryable", true);
  }
  const std::string said = answer_excerpt(response.body);
  const std::string quoted = said.empty() ? "an empty body" : "'" + said + "'";
  if (status >= 200 && status <= 299) {
    if (!accepted_answer(response.body)) {
      throw SendError(fmt::format("{}Kannel answered HTTP {} with {}, which is not an acceptance; not retried: the "
                                  "message may have been sent",
                                  prefix, status, quoted),
                      false);
    }
    std::string ref;
    try {
      ref = reference(msg);
    } catch (const Error& e) {
      throw SendError(prefix + "cannot compute the message reference: " + e.what() + "; the message was sent", false);
    }
    spdlog::debug("channel '{}': Kannel accepted message {} ({})", name_, ref, said);
    return SendResult{std::move(ref), "queued"};
  }
  if (status == 401 || status == 403) {
    throw SendError(fmt::format("{}Kannel refused the sendsms credentials (HTTP {}: {}): check the username and "
                                "password in {} and {} against the sendsms-user group in kannel.conf",
                                prefix, status, quoted, username_env_, password_env_),
                    false, std::string(kKannelAuthCode));
  }
  if (status >= 500 && status <= 599) {
    throw SendError(
        fmt::format("{}Kannel cannot take the message now (HTTP {}: {}); retryable", prefix, status, quoted), true);
  }
  throw SendError(fmt::format("{}Kannel refused the message (HTTP {}: {})", prefix, status, quoted), false);
}

SendResult KannelChannel::deliver_locally(const OutboundMessage& /*msg*/) {
  throw SendError(
      "channel '" + name_ + "': Kannel delivers over HTTP; deliver_locally was called by mistake (a bug in the sender)",
      false);
}

}  // namespace broadcaster::channels
