// Twilio channel: the Messages.json request it builds and how it reads
// Twilio's answers, as a table run through the channel harness.
#include "channels/twilio/twilio_channel.h"

#include <catch2/catch.hpp>

#include "support/channel_harness.h"

namespace broadcaster::channels {
namespace {

using testing::ExpectedError;
using testing::ExpectedRequest;
using testing::OutgoingCase;

constexpr const char* kAccountSid = "AC0123456789abcdef0123456789abcdef";
constexpr const char* kServiceSid = "MGfedcba9876543210fedcba9876543210";
constexpr const char* kToken = "fake-auth-token-5f2b9c0d7e1a4b3c";
constexpr const char* kFrom = "+15595550100";
constexpr const char* kTo = "+15595550142";
const std::string kPath = std::string("/2010-04-01/Accounts/") + kAccountSid + "/Messages.json";
const std::vector<std::string> kSecrets = {kToken};

// 2024-03-05 17:00:00 UTC, a Tuesday.
std::chrono::system_clock::time_point fixed_now() {
  using namespace std::chrono;
  return sys_days(year(2024) / March / 5) + hours(17);
}

ProviderSettings settings(std::map<std::string, std::string> options) {
  return ProviderSettings{"sms", "twilio", std::move(options), "config/broadcaster.yaml:12:5"};
}

std::map<std::string, std::string> from_only() {
  return {{"account_sid", kAccountSid}, {"from", kFrom}};
}

EnvLookup token_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "TWILIO_AUTH_TOKEN") return std::string(kToken);
    return std::nullopt;
  };
}

OutboundMessage message(std::string body, const char* to = kTo) {
  return OutboundMessage{"spring-clinic", util::Phone::from_trusted_e164(to), "es",
                         std::move(body)};
}

HttpResponse json_response(long status, std::string body, HttpHeaders extra = {}) {
  extra.emplace_back("Content-Type", "application/json; charset=utf-8");
  return HttpResponse{status, std::move(extra), std::move(body)};
}

// Twilio's error body: {"code","message","more_info","status"}.
HttpResponse twilio_error(long status, int code, const std::string& text, HttpHeaders extra = {}) {
  return json_response(status,
                       R"({"code": )" + std::to_string(code) + R"(, "message": ")" + text +
                           R"(", "more_info": "https://www.twilio.com/docs/errors/)" +
                           std::to_string(code) + R"(", "status": )" + std::to_string(status) + "}",
                       std::move(extra));
}

// A 201 shaped like the OpenAPI description's "create" example.
HttpResponse created(const std::string& status = "queued") {
  return json_response(201, R"({"account_sid": ")" + std::string(kAccountSid) +
                                R"(", "api_version": "2010-04-01", "body": "Hola",
      "direction": "outbound-api", "error_code": null, "error_message": null,
      "from": "+15595550100", "messaging_service_sid": null, "num_media": "0",
      "num_segments": "1", "price": null, "sid": "SM0123456789abcdef0123456789abcdef",
      "status": ")" + status + R"(", "to": "+15595550142"})");
}

ExpectedRequest post_form(std::vector<std::pair<std::string, std::string>> form) {
  return ExpectedRequest{"POST", kPath, std::move(form), std::string(kAccountSid),
                         std::chrono::milliseconds(10'000)};
}

ExpectedRequest from_request(const std::string& body, const char* to = kTo) {
  return post_form({{"To", to}, {"From", kFrom}, {"Body", body}});
}

constexpr const char* kSpanish = "¡Hola! Reunión mañana 6pm & cena = gratis 🎉 100% + café";
constexpr const char* kChinese = "社区会议：周二晚上7点 & 免费晚餐 = 欢迎 🙌";

}  // namespace

TEST_CASE("twilio: requests and answers", "[channels][twilio]") {
  TwilioChannel channel(settings(from_only()), token_env(), fixed_now);
  const std::vector<OutgoingCase> cases = {
      {.label = "201 queued",
       .message = message("Hola"),
       .request = from_request("Hola"),
       .response = created(),
       .result = SendResult{"SM0123456789abcdef0123456789abcdef", "queued"}},
      {.label = "200 accepted",
       .message = message("Hola"),
       .response = json_response(200, R"({"sid": "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                          "status": "accepted"})"),
       .result = SendResult{"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "accepted"}},
      {.label = "Spanish body with & = + % and emoji is form-encoded",
       .message = message(kSpanish),
       .request = from_request(kSpanish),
       .response = created(),
       .result = SendResult{"SM0123456789abcdef0123456789abcdef", "queued"}},
      {.label = "Chinese body with & = and emoji is form-encoded",
       .message = message(kChinese),
       .request = from_request(kChinese),
       .response = created(),
       .result = SendResult{"SM0123456789abcdef0123456789abcdef", "queued"}},
      {.label = "400 21211 invalid number, echoed number is masked",
       .message = message("Hola", "+15595550199"),
       .response =
           twilio_error(400, 21211, "The 'To' number +15595550199 is not a valid phone number."),
       .error = ExpectedError{false, "21211", std::nullopt, "invalid phone number"}},
      {.label = "400 21610 unsubscribed",
       .message = message("Hola"),
       .response = twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"),
       .error = ExpectedError{false, "21610", std::nullopt,
                              "recipient has unsubscribed (replied STOP)"}},
      {.label = "400 21408 region not enabled",
       .message = message("Hola"),
       .response = twilio_error(400, 21408,
                                "Permission to send an SMS has not been enabled "
                                "for the region indicated by the 'To' number: "
                                "+15595550142."),
       .error = ExpectedError{false, "21408", std::nullopt, "Geo permissions"}},
      {.label = "400 21614 not a mobile number",
       .message = message("Hola"),
       .response = twilio_error(400, 21614, "'To' number is not a valid mobile number"),
       .error = ExpectedError{false, "21614", std::nullopt, "not a mobile number"}},
      {.label = "400 unknown code keeps Twilio's words and link",
       .message = message("Hola"),
       .response = twilio_error(400, 21999, "Something new"),
       .error = ExpectedError{false, "21999", std::nullopt,
                              "Something new; see https://www.twilio.com/docs/errors/21999"}},
      {.label = "401 20003 authentication failed",
       .message = message("Hola"),
       .response = json_response(
           401, R"({"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.",
          "message": "Authenticate", "more_info":
          "https://www.twilio.com/docs/errors/20003", "status": 401})"),
       .error = ExpectedError{false, "20003", std::nullopt,
                              "check account_sid and the TWILIO_AUTH_TOKEN env var"}},
      {.label = "429 20429 with Retry-After seconds",
       .message = message("Hola"),
       .response = twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "1"}}),
       .error = ExpectedError{true, "20429", 1000, "rate limit"}},
      {.label = "429 without code or Retry-After",
       .message = message("Hola"),
       .response = json_response(429, R"({"message": "Too Many Requests", "status": 429})"),
       .error = ExpectedError{true, "", std::nullopt,
                              "rate limit reached [HTTP 429: Too Many Requests]; retryable"}},
      {.label = "429 with Retry-After HTTP date",
       .message = message("Hola"),
       .response = twilio_error(429, 20429, "Too Many Requests",
                                {{"retry-after", "Tue, 05 Mar 2024 17:00:30 GMT"}}),
       .error = ExpectedError{true, "20429", 30'000, ""}},
      {.label = "429 with unreadable Retry-After",
       .message = message("Hola"),
       .response = twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "soon"}}),
       .error = ExpectedError{true, "20429", std::nullopt, ""}},
      {.label = "500 JSON is retryable",
       .message = message("Hola"),
       .response = twilio_error(500, 20500, "Internal Server Error"),
       .error = ExpectedError{true, "20500", std::nullopt, "Twilio server error"}},
      {.label = "503 honours Retry-After",
       .message = message("Hola"),
       .response = twilio_error(503, 20503, "Service Unavailable", {{"Retry-After", "120"}}),
       .error = ExpectedError{true, "20503", 120'000, ""}},
      {.label = "502 HTML from a proxy is retryable",
       .message = message("Hola"),
       .response = HttpResponse{502,
                                {{"Content-Type", "text/html"}},
                                "<html><head><title>502 Bad Gateway</title></head></html>"},
       .error = ExpectedError{true, "", std::nullopt, "provider answered HTML instead of JSON"}},
      {.label = "502 HTML message names the status",
       .message = message("Hola"),
       .response = HttpResponse{502, {}, "\n  <!DOCTYPE html><html></html>"},
       .error = ExpectedError{true, "", std::nullopt, "(HTTP 502)"}},
      {.label = "403 HTML is permanent",
       .message = message("Hola"),
       .response = HttpResponse{403, {{"Content-Type", "text/html"}}, "<h1>Forbidden</h1>"},
       .error = ExpectedError{false, "", std::nullopt, "HTML"}},
      {.label = "401 non-JSON still says what to check",
       .message = message("Hola"),
       .response = HttpResponse{401, {}, "Unauthorized"},
       .error = ExpectedError{false, "", std::nullopt,
                              "(HTTP 401); Twilio authentication failed: check account_sid"}},
      {.label = "400 plain text is permanent",
       .message = message("Hola"),
       .response = HttpResponse{400, {}, "Bad Request"},
       .error = ExpectedError{false, "", std::nullopt, "provider answered non-JSON (HTTP 400)"}},
      {.label = "status 0: no answer is retryable",
       .message = message("Hola"),
       .response = HttpResponse{0, {}, ""},
       .error = ExpectedError{true, "", std::nullopt, "no answer from Twilio"}},
      {.label = "201 without sid is permanent",
       .message = message("Hola"),
       .response = json_response(201, R"({"status": "queued"})"),
       .error = ExpectedError{false, "", std::nullopt, "without a message sid"}},
      {.label = "201 that is not JSON is permanent",
       .message = message("Hola"),
       .response = HttpResponse{201, {}, "OK"},
       .error = ExpectedError{false, "", std::nullopt, "may have been sent"}},
  };
  testing::run_outgoing_cases(channel, cases, kSecrets);
}

TEST_CASE("twilio: sender settings", "[channels][twilio]") {
  SECTION("messaging_service_sid alone sends MessagingServiceSid and no From") {
    TwilioChannel channel(
        settings({{"account_sid", kAccountSid}, {"messaging_service_sid", kServiceSid}}),
        token_env());
    testing::check_outgoing_case(
        channel,
        {.label = "service",
         .message = message("Hola"),
         .request =
             post_form({{"To", kTo}, {"MessagingServiceSid", kServiceSid}, {"Body", "Hola"}}),
         .response = created(),
         .result = SendResult{"SM0123456789abcdef0123456789abcdef", "queued"}},
        kSecrets);
  }
  SECTION("from and messaging_service_sid are both sent") {
    TwilioChannel channel(settings({{"account_sid", kAccountSid},
                                    {"messaging_service_sid", kServiceSid},
                                    {"from", kFrom}}),
                          token_env());
    testing::check_outgoing_case(
        channel,
        {.label = "both",
         .message = message("Hola"),
         .request = post_form({{"To", kTo},
                               {"From", kFrom},
                               {"MessagingServiceSid", kServiceSid},
                               {"Body", "Hola"}}),
         .response = created(),
         .result = SendResult{"SM0123456789abcdef0123456789abcdef", "queued"}},
        kSecrets);
  }
  SECTION("status_callback, base_url, timeout_ms and auth_token_env") {
    TwilioChannel channel(settings({{"account_sid", kAccountSid},
                                    {"from", kFrom},
                                    {"status_callback", "https://hooks.example.org/twilio/status"},
                                    {"base_url", "http://127.0.0.1:8080/"},
                                    {"timeout_ms", "2500"},
                                    {"auth_token_env", "CLINIC_TWILIO_TOKEN"}}),
                          [](const std::string& name) -> std::optional<std::string> {
                            if (name == "CLINIC_TWILIO_TOKEN") return std::string(kToken);
                            return std::nullopt;
                          });
    const auto request = channel.build_request(message("Hola"));
    REQUIRE(request);
    CHECK(request->url == "http://127.0.0.1:8080" + kPath);
    CHECK(request->timeout == std::chrono::milliseconds(2500));
    REQUIRE(request->basic_auth);
    CHECK(request->basic_auth->first == kAccountSid);
    CHECK(request->basic_auth->second == kToken);
    CHECK(testing::detail::form_text(form_decode(request->body)) ==
          testing::detail::form_text(
              {{"To", kTo},
               {"From", kFrom},
               {"Body", "Hola"},
               {"StatusCallback", "https://hooks.example.org/twilio/status?campaign=spring-clinic"}}));
  }
}

TEST_CASE("twilio: the wire form escapes reserved characters", "[channels][twilio]") {
  TwilioChannel channel(settings(from_only()), token_env());
  const auto request = channel.build_request(message("a&b=c + d"));
  REQUIRE(request);
  CHECK(request->body == "To=%2B15595550142&From=%2B15595550100&Body=a%26b%3Dc+%2B+d");
  CHECK(request->headers == HttpHeaders{{"Content-Type", "application/x-www-form-urlencoded"},
                                        {"Accept", "application/json"}});
}

TEST_CASE("twilio: a Retry-After date in the past means no wait", "[channels][twilio]") {
  TwilioChannel channel(settings(from_only()), token_env(), fixed_now);
  try {
    (void)channel.interpret_response(twilio_error(
        429, 20429, "Too Many Requests", {{"Retry-After", "Tue, 05 Mar 2024 16:59:00 GMT"}}),
                                     message("Hola"));
    FAIL("expected SendError");
  } catch (const SendError& e) {
    CHECK(e.retryable());
    CHECK(e.retry_after_ms() == std::optional<long>(0));
  }
}

TEST_CASE("twilio: deliver_locally is refused", "[channels][twilio]") {
  TwilioChannel channel(settings(from_only()), token_env());
  CHECK_THROWS_AS(channel.deliver_locally(message("Hola")), SendError);
}

TEST_CASE("twilio: a misspelt option is refused with a suggestion", "[channels][twilio]") {
  auto options = from_only();
  options["timeout"] = "5000";
  CHECK_THROWS_WITH(
      TwilioChannel(settings(options), token_env()),
      Catch::Matchers::Contains("config/broadcaster.yaml:12:5: channel 'sms' (twilio): "
                                "unknown option 'timeout' (did you mean 'timeout_ms'?)"));
}

}  // namespace broadcaster::channels

// ---------------------------------------------------------------------------
// Asking Twilio about a message in doubt (the Messages list resource)
// ---------------------------------------------------------------------------

namespace broadcaster::channels {
namespace {

// One message of a list page, as the OpenAPI schema shapes it.
std::string listed(const std::string& sid, const std::string& to, const std::string& body,
                   const std::string& created, const std::string& direction = "outbound-api") {
  return R"({"sid": ")" + sid + R"(", "to": ")" + to + R"(", "from": "+15595550100", "body": ")" + body +
         R"(", "direction": ")" + direction + R"(", "status": "sent", "date_created": ")" + created +
         R"(", "date_sent": ")" + created + R"(", "account_sid": ")" + kAccountSid + R"("})";
}

HttpResponse list_page(const std::vector<std::string>& messages, const std::string& next = "null") {
  std::string joined;
  for (const auto& m : messages) joined += (joined.empty() ? "" : ",") + m;
  return json_response(200, R"({"messages": [)" + joined + R"(], "page": 0, "page_size": 50, "next_page_uri": )" +
                                next + "}");
}

}  // namespace

TEST_CASE("Twilio lookups ask the Messages list by To", "[twilio][in-doubt]") {
  TwilioChannel channel(settings(from_only()), token_env(), fixed_now);
  REQUIRE(channel.can_look_up());
  const auto request = channel.build_lookup(message("Hola"), fixed_now());
  CHECK(request.method == "GET");
  CHECK(request.url == "https://api.twilio.com" + kPath + "?To=%2B15595550142&PageSize=50");
  REQUIRE(request.basic_auth);
  CHECK(request.basic_auth->first == kAccountSid);
  CHECK(request.body.empty());
}

TEST_CASE("Twilio lookup pages are read by recipient, body and creation time", "[twilio][in-doubt]") {
  TwilioChannel channel(settings(from_only()), token_env(), fixed_now);
  const auto since = fixed_now() - std::chrono::seconds(30);  // 16:59:30
  const std::string before = "Tue, 05 Mar 2024 16:59:00 +0000";
  const std::string after = "Tue, 05 Mar 2024 17:00:01 +0000";
  const std::string next = R"("/2010-04-01/Accounts/)" + std::string(kAccountSid) +
                           R"(/Messages.json?To=%2B15595550142&PageSize=50&Page=1&PageToken=PA50")";
  struct Case {
    const char* label;
    HttpResponse response;
    std::optional<std::string> found;
    bool has_next;
  };
  const std::vector<Case> cases = {
      {"found", list_page({listed("SMa", kTo, "Hola", after)}), "SMa", false},
      {"same body, created before the first attempt", list_page({listed("SMa", kTo, "Hola", before)}), {}, false},
      {"other body", list_page({listed("SMa", kTo, "Hello", after)}), {}, false},
      {"inbound message with the same text", list_page({listed("SMa", kTo, "Hola", after, "inbound")}), {}, false},
      {"empty list", list_page({}), {}, false},
      {"not on this page, more pages, all recent", list_page({listed("SMb", kTo, "Other", after)}, next), {}, true},
      {"not on this page, and the page reaches back past since",
       list_page({listed("SMb", kTo, "Other", after), listed("SMc", kTo, "Old", before)}, next), {}, false},
      {"found on a page with a next page", list_page({listed("SMb", kTo, "x", after), listed("SMa", kTo, "Hola", after)}, next),
       "SMa", false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const LookupPage page = channel.interpret_lookup(c.response, message("Hola"), since);
      CHECK(page.found.has_value() == c.found.has_value());
      if (c.found && page.found) CHECK(page.found->provider_id == *c.found);
      CHECK(page.next.has_value() == c.has_next);
      if (page.next) {
        CHECK(page.next->method == "GET");
        CHECK(page.next->url == "https://api.twilio.com/2010-04-01/Accounts/" + std::string(kAccountSid) +
                                    "/Messages.json?To=%2B15595550142&PageSize=50&Page=1&PageToken=PA50");
      }
    }
  }
}

TEST_CASE("Twilio lookup errors say whether asking again may help", "[twilio][in-doubt]") {
  TwilioChannel channel(settings(from_only()), token_env(), fixed_now);
  struct Case {
    const char* label;
    HttpResponse response;
    bool retryable;
  };
  const std::vector<Case> cases = {
      {"429", twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "2"}}), true},
      {"500", twilio_error(500, 20500, "Internal Server Error"), true},
      {"HTML 502", HttpResponse{502, {{"Content-Type", "text/html"}}, "<html>Bad Gateway</html>"}, true},
      {"401", twilio_error(401, 20003, "Authenticate"), false},
      {"200 that is not a list", json_response(200, R"({"sid": "SMa"})"), true},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      try {
        (void)channel.interpret_lookup(c.response, message("Hola"), fixed_now());
        FAIL("no SendError");
      } catch (const SendError& e) {
        CHECK(e.retryable() == c.retryable);
        CHECK(std::string(e.what()).find(kToken) == std::string::npos);
      }
    }
  }
}

}  // namespace broadcaster::channels
