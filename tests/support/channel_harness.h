// Table-driven checks every channel's tests share. An outgoing case is one
// outbound message, the HTTP request the channel must build for it, a
// scripted provider answer and the SendResult or SendError the channel must
// make of it. An inbound case is one webhook request a provider makes and the
// status and InboundMessage the endpoint must make of it (or the refusal);
// a reply case is the HTTP answer an endpoint gives for a reply text. Every
// outgoing and inbound case also checks that no secret and no full phone
// number reaches the log or the refusal reason.
// Design: header-only, on top of Catch2 v2. Each case runs in its own
// DYNAMIC_SECTION(label) under a LogCapture that swaps spdlog's default
// logger for one writing, at trace level, into a string. A SendError is
// logged into the capture as the sender would log it, so error messages are
// held to the same rule as log lines. Channels must log through spdlog's
// default logger (spdlog::debug(...)) for the check to see their output.
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "channels/channel.h"
#include "channels/http_message.h"
#include "channels/inbound.h"
#include "util/errors.h"

namespace broadcaster::testing {

// ---------------------------------------------------------------------------
// Log capture
// ---------------------------------------------------------------------------

/// While alive, everything logged through spdlog's default logger, at every
/// level, goes to a string instead; the previous default logger comes back
/// in the destructor. Not thread-safe with respect to other captures: use
/// one at a time.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_, /*force_flush=*/true);
    sink->set_pattern("%l %v");
    logger_ = std::make_shared<spdlog::logger>(kName, std::move(sink));
    logger_->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger_);
  }
  ~LogCapture() {
    spdlog::set_default_logger(previous_);
    spdlog::drop(kName);  // the registry must not keep a logger into stream_
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  /// Everything logged so far, one "level message" line per record.
  std::string text() const { return stream_.str(); }

 private:
  static constexpr const char* kName = "bc-test-log-capture";
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::logger> logger_;
};

/// Asserts that `text` (captured log, error message) contains none of
/// `secrets` and neither the E.164 form of `phone` nor its bare digits.
inline void check_no_leak(const std::string& text, const std::vector<std::string>& secrets,
                          const std::string& phone_e164) {
  for (const auto& secret : secrets) {
    REQUIRE_FALSE(secret.empty());  // an empty secret would match everything
    INFO("a secret reached the log or an error message:\n" << text);
    CHECK(text.find(secret) == std::string::npos);
  }
  if (!phone_e164.empty()) {
    const std::string digits = phone_e164.substr(phone_e164.front() == '+' ? 1 : 0);
    INFO("a full phone number reached the log or an error message:\n" << text);
    CHECK(text.find(digits) == std::string::npos);
  }
}

// ---------------------------------------------------------------------------
// Outgoing cases
// ---------------------------------------------------------------------------

/// The request a channel must build. Form fields compare as a multiset
/// (order-insensitive); a form also requires the form Content-Type.
struct ExpectedRequest {
  std::string method = "POST";
  std::string path;  ///< URL path without scheme, host and query
  std::vector<std::pair<std::string, std::string>> form;  ///< every field sent
  std::optional<std::string> basic_auth_user;             ///< nullopt: no Basic auth expected
  std::optional<std::chrono::milliseconds> timeout;       ///< nullopt: not checked
};

/// The SendError a channel must throw.
struct ExpectedError {
  bool retryable = false;
  std::string provider_code;           ///< "" when the provider gave none
  std::optional<long> retry_after_ms;  ///< compared exactly, nullopt included
  std::string message_contains;        ///< substring of what(); "" skips the check
};

/// One outgoing case. Exactly one of `result` and `error` must be set.
/// HTTP channels: the request is checked against `request` (when set), then
/// `response` is fed to interpret_response. Local channels (build_request
/// returns nullopt): `request` must be unset and deliver_locally runs.
struct OutgoingCase {
  std::string label;
  channels::OutboundMessage message;
  std::optional<ExpectedRequest> request = std::nullopt;
  channels::HttpResponse response = {};  ///< the provider's scripted answer
  std::optional<channels::SendResult> result = std::nullopt;
  std::optional<ExpectedError> error = std::nullopt;
};

namespace detail {

inline std::string url_path(const std::string& url) {
  const auto scheme = url.find("://");
  const auto start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (start == std::string::npos) return "/";
  return url.substr(start, url.find_first_of("?#", start) - start);
}

inline std::optional<std::string> request_header(const channels::HttpRequest& request,
                                                 std::string_view name) {
  const auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (const auto& [key, value] : request.headers) {
    if (lower(key) == lower(name)) return value;
  }
  return std::nullopt;
}

// Sorted "key=value" lines, so a failed comparison prints readably.
inline std::string form_text(std::vector<std::pair<std::string, std::string>> fields) {
  std::sort(fields.begin(), fields.end());
  std::string out;
  for (const auto& [key, value] : fields) out += key + "=" + value + "\n";
  return out;
}

inline std::string optional_text(const std::optional<long>& value) {
  return value ? std::to_string(*value) : "nullopt";
}

inline void check_request(const channels::HttpRequest& actual, const ExpectedRequest& expected) {
  CHECK(actual.method == expected.method);
  CHECK(url_path(actual.url) == expected.path);
  CHECK(form_text(channels::form_decode(actual.body)) == form_text(expected.form));
  if (!expected.form.empty()) {
    CHECK(request_header(actual, "Content-Type") ==
          std::optional<std::string>("application/x-www-form-urlencoded"));
  }
  if (expected.basic_auth_user) {
    REQUIRE(actual.basic_auth.has_value());
    CHECK(actual.basic_auth->first == *expected.basic_auth_user);
    CHECK_FALSE(actual.basic_auth->second.empty());
  } else {
    CHECK_FALSE(actual.basic_auth.has_value());
  }
  if (expected.timeout) CHECK(actual.timeout == *expected.timeout);
}

}  // namespace detail

/// Runs one case against `channel` (see OutgoingCase) and checks that none
/// of `secrets` (auth tokens, passwords) nor the recipient's full number
/// appears in what was logged meanwhile or in the error message.
inline void check_outgoing_case(channels::Channel& channel, const OutgoingCase& c,
                                const std::vector<std::string>& secrets) {
  REQUIRE(c.result.has_value() != c.error.has_value());
  LogCapture log;
  std::optional<channels::SendResult> result;
  std::optional<SendError> error;
  const auto request = channel.build_request(c.message);
  try {
    if (request) {
      if (c.request) detail::check_request(*request, *c.request);
      result = channel.interpret_response(c.response, c.message);
    } else {
      CHECK_FALSE(c.request.has_value());  // the case expected an HTTP request
      result = channel.deliver_locally(c.message);
    }
  } catch (const SendError& e) {
    error = e;
    spdlog::warn("send failed: {}", e.what());  // as the sender reports it
  }

  if (c.result) {
    if (error) FAIL_CHECK("unexpected SendError: " << error->what());
    REQUIRE(result.has_value());
    CHECK(result->provider_id == c.result->provider_id);
    CHECK(result->status == c.result->status);
  } else {
    if (result) FAIL_CHECK("expected a SendError, got provider id " << result->provider_id);
    REQUIRE(error.has_value());
    INFO("SendError: " << error->what());
    CHECK(error->retryable() == c.error->retryable);
    CHECK(error->provider_code() == c.error->provider_code);
    CHECK(detail::optional_text(error->retry_after_ms()) ==
          detail::optional_text(c.error->retry_after_ms));
    if (!c.error->message_contains.empty()) {
      CHECK_THAT(error->what(), Catch::Matchers::Contains(c.error->message_contains));
    }
  }
  check_no_leak(log.text(), secrets, c.message.to.canonical());
}

/// Runs every case in its own DYNAMIC_SECTION(label).
inline void run_outgoing_cases(channels::Channel& channel, const std::vector<OutgoingCase>& cases,
                               const std::vector<std::string>& secrets) {
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_outgoing_case(channel, c, secrets); }
  }
}

// ---------------------------------------------------------------------------
// Inbound cases
// ---------------------------------------------------------------------------

/// One inbound case: `request` must give `status`, and, for 200, exactly
/// `message` (every field compared); for any other status no message and a
/// reason containing `reason_contains` (when not empty).
struct InboundCase {
  std::string label;
  channels::InboundRequest request;
  int status = 200;
  std::optional<channels::InboundMessage> message = std::nullopt;
  std::string reason_contains = {};
  /// The sender's number, which must not appear unmasked in the log or the
  /// reason; defaults to message->from when a message is expected.
  std::string sender = {};
};

namespace detail {

inline std::string describe(const channels::InboundMessage& m) {
  return "endpoint=" + m.endpoint + "\nfrom=" + m.from + "\nto=" + m.to + "\nbody=" + m.body +
         "\nprovider_id=" + m.provider_id + "\n";
}

}  // namespace detail

/// Runs one case against `endpoint` (see InboundCase) and checks that none
/// of `secrets` nor the sender's full number appears in what was logged
/// meanwhile or in the reason, which is logged as the webhook server does.
inline void check_inbound_case(const channels::InboundEndpoint& endpoint, const InboundCase& c,
                               const std::vector<std::string>& secrets) {
  REQUIRE((c.status == 200) == c.message.has_value());
  LogCapture log;
  const channels::InboundParse parsed = endpoint.parse(c.request);
  if (!parsed.message) {
    spdlog::warn("inbound {}: refused with {}: {}", endpoint.name(), parsed.status, parsed.reason);
  }
  INFO("reason: " << parsed.reason);
  CHECK(parsed.status == c.status);
  if (c.message) {
    REQUIRE(parsed.message.has_value());
    CHECK(detail::describe(*parsed.message) == detail::describe(*c.message));
  } else {
    if (parsed.message) FAIL_CHECK("expected a refusal, got:\n" << detail::describe(*parsed.message));
    CHECK_FALSE(parsed.reason.empty());
    if (!c.reason_contains.empty()) {
      CHECK_THAT(parsed.reason, Catch::Matchers::Contains(c.reason_contains));
    }
  }
  const std::string sender = !c.sender.empty() ? c.sender : (c.message ? c.message->from : "");
  check_no_leak(log.text() + parsed.reason, secrets, sender);
}

/// Runs every case in its own DYNAMIC_SECTION(label).
inline void run_inbound_cases(const channels::InboundEndpoint& endpoint,
                              const std::vector<InboundCase>& cases,
                              const std::vector<std::string>& secrets) {
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_inbound_case(endpoint, c, secrets); }
  }
}

// ---------------------------------------------------------------------------
// Reply cases
// ---------------------------------------------------------------------------

/// One reply case: endpoint.reply(`reply`) must answer `status` with exactly
/// `body`, and every header in `headers` (names case-insensitive; others may
/// be present unless listed in `absent_headers`).
struct ReplyCase {
  std::string label;
  std::optional<std::string> reply;
  long status = 200;
  channels::HttpHeaders headers = {};
  std::string body = {};
  std::vector<std::string> absent_headers = {};
};

/// Runs every case in its own DYNAMIC_SECTION(label).
inline void run_reply_cases(const channels::InboundEndpoint& endpoint,
                            const std::vector<ReplyCase>& cases) {
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const channels::HttpResponse response = endpoint.reply(c.reply);
      CHECK(response.status == c.status);
      CHECK(response.body == c.body);
      for (const auto& [name, value] : c.headers) {
        INFO("header " << name);
        CHECK(response.header(name) == std::optional<std::string>(value));
      }
      for (const auto& name : c.absent_headers) {
        INFO("header " << name);
        CHECK_FALSE(response.header(name).has_value());
      }
    }
  }
}

}  // namespace broadcaster::testing
