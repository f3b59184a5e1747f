// Twilio incoming-message webhooks: signed and unsigned requests, tampering,
// other accounts, malformed forms, Unicode bodies, and the TwiML replies,
// through the channel harness.
#include "channels/twilio/twilio_inbound.h"

#include <catch2/catch.hpp>
#include <random>

#include "channels/twilio/twilio_signature.h"
#include "support/channel_harness.h"

namespace broadcaster::channels {
namespace {

using testing::InboundCase;
using testing::ReplyCase;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kToken = "fake-auth-token-5f2b9c0d7e1a4b3c";
constexpr const char* kAccountSid = "AC0123456789abcdef0123456789abcdef";
constexpr const char* kOtherAccount = "ACfedcba9876543210fedcba9876543210";
constexpr const char* kPublicUrl = "https://sms.example.org/twilio/sms";
constexpr const char* kSid = "SM0123456789abcdef0123456789abcdef";
constexpr const char* kFrom = "+15595550142";
constexpr const char* kTo = "+15595550100";
constexpr const char* kSpanish = "¡Hola! Quiero ÚNETE: reunión mañana & café = 100% + más";
constexpr const char* kChinese = "加入 社区会议 🙌";
const std::vector<std::string> kSecrets = {kToken};

ProviderSettings settings(std::map<std::string, std::string> options) {
  return ProviderSettings{"twilio", "twilio", std::move(options), "config/broadcaster.yaml:40:7", ProviderRole::Inbound};
}

std::map<std::string, std::string> base_options() {
  return {{"public_url", kPublicUrl}, {"auth_token_env", "TWILIO_AUTH_TOKEN"}, {"account_sid", kAccountSid}};
}

EnvLookup token_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "TWILIO_AUTH_TOKEN") return std::string(kToken);
    if (name == "EMPTY_TOKEN") return std::string();
    return std::nullopt;
  };
}

// The fields Twilio posts for an SMS, as its docs list them.
Params sms_fields(const std::string& body, const std::string& from = kFrom) {
  return {{"ToCountry", "US"},
          {"ToState", "CA"},
          {"SmsMessageSid", kSid},
          {"NumMedia", "0"},
          {"ToCity", "FRESNO"},
          {"FromZip", "93721"},
          {"SmsSid", kSid},
          {"FromState", "CA"},
          {"SmsStatus", "received"},
          {"FromCity", "FRESNO"},
          {"Body", body},
          {"FromCountry", "US"},
          {"To", kTo},
          {"MessagingServiceSid", "MGfedcba9876543210fedcba9876543210"},
          {"ToZip", "93721"},
          {"NumSegments", "1"},
          {"MessageSid", kSid},
          {"AccountSid", kAccountSid},
          {"From", from},
          {"ApiVersion", "2010-04-01"}};
}

Params without(Params fields, std::initializer_list<std::string_view> names) {
  std::erase_if(fields,
                [&](const auto& field) { return std::find(names.begin(), names.end(), field.first) != names.end(); });
  return fields;
}

Params with(Params fields, std::string name, std::string value) {
  for (auto& field : fields) {
    if (field.first == name) {
      field.second = std::move(value);
      return fields;
    }
  }
  fields.emplace_back(std::move(name), std::move(value));
  return fields;
}

// A POST as Twilio makes it: the form, signed over `signed_url` and `signed`
// (by default the same URL and fields), with `token`.
InboundRequest post(const Params& fields, const std::string& token = kToken, const std::string& signed_url = kPublicUrl,
                    std::optional<Params> signed_fields = std::nullopt, const std::string& target = "/twilio/sms") {
  InboundRequest request;
  request.method = "POST";
  request.target = target;
  request.body = form_encode(fields);
  request.headers = {{"Host", "127.0.0.1:8080"},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"X-Twilio-Signature", twilio_signature(signed_url, signed_fields.value_or(fields), token)},
                     {"I-Twilio-Idempotency-Token", "6e8f1c2a-0d43-4a8e-9b51-3b5c8f0d2e71"}};
  return request;
}

InboundMessage message(std::string body, std::string from = kFrom, std::string sid = kSid) {
  return InboundMessage{"twilio", std::move(from), kTo, std::move(body), std::move(sid)};
}

}  // namespace

TEST_CASE("twilio inbound: webhook requests", "[channels][twilio][inbound]") {
  const TwilioInboundEndpoint endpoint(settings(base_options()), token_env());
  CHECK(endpoint.name() == "twilio");
  CHECK(endpoint.path() == "/twilio/sms");

  InboundRequest unsigned_request = post(sms_fields("ALTO"));
  unsigned_request.headers.erase(unsigned_request.headers.begin() + 2);  // the signature
  InboundRequest blank_signature = post(sms_fields("ALTO"));
  blank_signature.headers[2].second = "  ";
  InboundRequest tampered = post(sms_fields("STOP"));
  tampered.body = form_encode(sms_fields("START"));
  InboundRequest lowercase_header = post(sms_fields("Hola"));
  lowercase_header.headers[2].first = "x-twilio-signature";
  InboundRequest put = post(sms_fields("Hola"));
  put.method = "PUT";

  // GET webhooks: the fields are in the query, signed as part of the URL.
  const std::string query = form_encode(sms_fields(kChinese));
  InboundRequest get;
  get.method = "GET";
  get.target = "/twilio/sms?" + query;
  get.headers = {{"X-Twilio-Signature", twilio_signature(std::string(kPublicUrl) + "?" + query, {}, kToken)}};
  InboundRequest get_tampered = get;
  get_tampered.target = "/twilio/sms?" + form_encode(sms_fields("JOIN"));

  // A query Twilio was told to call with is part of the signed URL.
  const Params fields = sms_fields("Hola");
  const InboundRequest with_query =
      post(fields, kToken, std::string(kPublicUrl) + "?site=fresno", std::nullopt, "/twilio/sms?site=fresno");
  const InboundRequest query_not_signed = post(fields, kToken, kPublicUrl, std::nullopt, "/twilio/sms?site=fresno");

  const std::vector<InboundCase> cases = {
      {.label = "signed SMS", .request = post(sms_fields("ALTO")), .message = message("ALTO")},
      {.label = "Spanish body with & = + % signed over the decoded values",
       .request = post(sms_fields(kSpanish)),
       .message = message(kSpanish)},
      {.label = "Chinese body with emoji",
       .request = post(sms_fields(kChinese, "+12095550123")),
       .message = message(kChinese, "+12095550123")},
      {.label = "empty Body (MMS with only media)",
       .request = post(with(with(sms_fields(""), "NumMedia", "1"), "MediaUrl0",
                            "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME")),
       .message = message("")},
      {.label = "only SmsMessageSid names the message",
       .request = post(without(sms_fields("JOIN"), {"MessageSid", "SmsSid"})),
       .message = message("JOIN")},
      {.label = "header name in lowercase", .request = lowercase_header, .message = message("Hola")},
      {.label = "signature over the URL with :443",
       .request = post(sms_fields("HELP"), kToken, "https://sms.example.org:443/twilio/sms"),
       .message = message("HELP")},
      {.label = "GET with the fields in the signed query", .request = get, .message = message(kChinese)},
      {.label = "query of the configured URL is signed", .request = with_query, .message = message("Hola")},
      {.label = "unsigned",
       .request = unsigned_request,
       .status = 403,
       .reason_contains = "missing X-Twilio-Signature",
       .sender = kFrom},
      {.label = "blank signature",
       .request = blank_signature,
       .status = 403,
       .reason_contains = "missing X-Twilio-Signature",
       .sender = kFrom},
      {.label = "signed with another token",
       .request = post(sms_fields("ALTO"), "another-token-1111111111111111"),
       .status = 403,
       .reason_contains = "does not match",
       .sender = kFrom},
      {.label = "tampered body", .request = tampered, .status = 403, .sender = kFrom},
      {.label = "signed over another URL",
       .request = post(sms_fields("ALTO"), kToken, "http://sms.example.org/twilio/sms"),
       .status = 403,
       .sender = kFrom},
      {.label = "signed over a non-default port",
       .request = post(sms_fields("ALTO"), kToken, "https://sms.example.org:8443/twilio/sms"),
       .status = 403,
       .sender = kFrom},
      {.label = "an added field not signed",
       .request = post(with(sms_fields("ALTO"), "Extra", "1"), kToken, kPublicUrl, sms_fields("ALTO")),
       .status = 403,
       .sender = kFrom},
      {.label = "request query not in the signature", .request = query_not_signed, .status = 403, .sender = kFrom},
      {.label = "GET query tampered", .request = get_tampered, .status = 403, .sender = kFrom},
      {.label = "another account, correctly signed",
       .request = post(with(sms_fields("ALTO"), "AccountSid", kOtherAccount)),
       .status = 403,
       .reason_contains = "AccountSid",
       .sender = kFrom},
      {.label = "no AccountSid while one is configured",
       .request = post(without(sms_fields("ALTO"), {"AccountSid"})),
       .status = 403,
       .sender = kFrom},
      {.label = "PUT", .request = put, .status = 405, .sender = kFrom},
      {.label = "missing From",
       .request = post(without(sms_fields("ALTO"), {"From"})),
       .status = 400,
       .reason_contains = "From"},
      {.label = "missing To",
       .request = post(without(sms_fields("ALTO"), {"To"})),
       .status = 400,
       .reason_contains = "To",
       .sender = kFrom},
      {.label = "missing Body",
       .request = post(without(sms_fields("ALTO"), {"Body"})),
       .status = 400,
       .reason_contains = "Body",
       .sender = kFrom},
      {.label = "no message id at all",
       .request = post(without(sms_fields("ALTO"), {"MessageSid", "SmsSid", "SmsMessageSid"})),
       .status = 400,
       .reason_contains = "MessageSid",
       .sender = kFrom},
      {.label = "From given twice",
       .request = post([] {
         Params p = sms_fields("ALTO");
         p.emplace_back("From", "+15595550143");
         return p;
       }()),
       .status = 400,
       .reason_contains = "more than once",
       .sender = kFrom},
      {.label = "malformed MessageSid",
       .request = post(with(sms_fields("ALTO"), "MessageSid", "SM01\n23")),
       .status = 400,
       .sender = kFrom},
      {.label = "Body that is not UTF-8",
       .request = post(sms_fields("caf\xE9")),
       .status = 400,
       .reason_contains = "UTF-8",
       .sender = kFrom},
  };
  testing::run_inbound_cases(endpoint, cases, kSecrets);
}

TEST_CASE("twilio inbound: malformed forms", "[channels][twilio][inbound]") {
  const TwilioInboundEndpoint endpoint(settings(base_options()), token_env());
  const auto raw = [](std::string body) {
    InboundRequest request;
    request.method = "POST";
    request.target = "/twilio/sms";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"X-Twilio-Signature", "COmRHVtRYyKYyZVU3nWn6+lBajg="}};
    request.body = std::move(body);
    return request;
  };
  InboundRequest bad_query = raw("");
  bad_query.method = "GET";
  bad_query.target = "/twilio/sms?From=%2";
  const std::vector<InboundCase> cases = {
      {.label = "bad percent escape", .request = raw("From=%ZZ&Body=x"), .status = 400, .reason_contains = "form"},
      {.label = "truncated percent escape", .request = raw("Body=ALTO%"), .status = 400},
      {.label = "escape cut after one digit", .request = raw("Body=%4"), .status = 400},
      {.label = "bad escape in a GET query", .request = bad_query, .status = 400},
      {.label = "JSON body: nothing is signed that way", .request = raw(R"({"From": "x"})"), .status = 403},
      {.label = "empty body, signature for something else", .request = raw(""), .status = 403},
  };
  testing::run_inbound_cases(endpoint, cases, kSecrets);
}

TEST_CASE("twilio inbound: without account_sid any account passes", "[channels][twilio][inbound]") {
  auto options = base_options();
  options.erase("account_sid");
  const TwilioInboundEndpoint endpoint(settings(options), token_env());
  testing::run_inbound_cases(endpoint,
                             {{.label = "another account",
                               .request = post(with(sms_fields("ALTO"), "AccountSid", kOtherAccount)),
                               .message = message("ALTO")}},
                             kSecrets);
}

TEST_CASE("twilio inbound: replies are TwiML", "[channels][twilio][inbound]") {
  const TwilioInboundEndpoint endpoint(settings(base_options()), token_env());
  const std::string decl = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  testing::run_reply_cases(
      endpoint, {{.label = "no reply",
                  .reply = std::nullopt,
                  .headers = {{"Content-Type", "text/xml"}},
                  .body = decl + "<Response/>"},
                 {.label = "empty reply is no reply",
                  .reply = std::string(),
                  .headers = {{"Content-Type", "text/xml"}},
                  .body = decl + "<Response/>"},
                 {.label = "Spanish reply, escaped",
                  .reply = std::string("Te uniste. Responde ALTO para salir & <AYUDA> \"ya\""),
                  .headers = {{"content-type", "text/xml"}},
                  .body = decl + "<Response><Message>Te uniste. Responde ALTO para salir &amp; &lt;AYUDA&gt; "
                                 "&quot;ya&quot;</Message></Response>"},
                 {.label = "Chinese reply stays UTF-8",
                  .reply = std::string("已加入。回复 STOP 退订 🙌"),
                  .headers = {{"Content-Type", "text/xml"}},
                  .body = decl + "<Response><Message>已加入。回复 STOP 退订 🙌</Message></Response>"}});
}

TEST_CASE("twilio inbound: settings", "[channels][twilio][inbound][config]") {
  SECTION("path defaults to the public URL's path, without its query") {
    auto options = base_options();
    options["public_url"] = "https://sms.example.org:8443/hooks/sms?site=fresno";
    const TwilioInboundEndpoint endpoint(settings(options), token_env());
    CHECK(endpoint.path() == "/hooks/sms");
    CHECK(endpoint.signing_base() == "https://sms.example.org:8443/hooks/sms");
  }
  SECTION("a host-only public URL serves /") {
    auto options = base_options();
    options["public_url"] = "https://sms.example.org";
    CHECK(TwilioInboundEndpoint(settings(options), token_env()).path() == "/");
  }
  SECTION("path can differ from the public path (a proxy rewrites it)") {
    auto options = base_options();
    options["path"] = "/twilio/sms";
    options["public_url"] = "https://example.org/outreach/sms";
    const TwilioInboundEndpoint endpoint(settings(options), token_env());
    CHECK(endpoint.path() == "/twilio/sms");
    CHECK(endpoint.signing_base() == "https://example.org/outreach/sms");
  }

  struct Case {
    const char* label;
    std::map<std::string, std::string> options;
    std::string message;
  };
  const auto changed = [](std::string key, std::optional<std::string> value) {
    auto options = base_options();
    if (value) {
      options[key] = *value;
    } else {
      options.erase(key);
    }
    return options;
  };
  const std::vector<Case> cases = {
      {"public_url missing", changed("public_url", std::nullopt), "option 'public_url' is required"},
      {"public_url not http(s)", changed("public_url", "sms.example.org/twilio"),
       "option 'public_url' must be the http(s) URL"},
      {"public_url with a fragment", changed("public_url", "https://sms.example.org/x#y"), "option 'public_url'"},
      {"auth_token_env missing", changed("auth_token_env", std::nullopt), "option 'auth_token_env' is required"},
      {"token variable unset", changed("auth_token_env", "NOT_SET_ANYWHERE"),
       "environment variable NOT_SET_ANYWHERE is not set"},
      {"token variable empty", changed("auth_token_env", "EMPTY_TOKEN"), "environment variable EMPTY_TOKEN is empty"},
      {"account_sid malformed", changed("account_sid", "AC123"),
       "option 'account_sid' must be 'AC' followed by 32 hex digits"},
      {"path without a slash", changed("path", "twilio/sms"), "option 'path' must be a local path"},
      {"misspelt option", changed("public_ulr", "https://x.example.org/sms"), "did you mean 'public_url'?"},
      {"token written in YAML", changed("auth_token", kToken),
       "option 'auth_token' must not be written in the config file"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      try {
        TwilioInboundEndpoint endpoint(settings(c.options), token_env());
        FAIL("expected a ConfigError");
      } catch (const ConfigError& e) {
        CHECK(e.file() == "config/broadcaster.yaml");
        CHECK(e.line() == 40);
        CHECK(e.column() == 7);
        CHECK_THAT(e.message(), Catch::Matchers::StartsWith("inbound endpoint 'twilio' (twilio): "));
        CHECK_THAT(e.message(), Catch::Matchers::Contains(c.message));
        CHECK_THAT(e.what(), !Catch::Matchers::Contains(kToken));
      }
    }
  }
}

}  // namespace broadcaster::channels

namespace broadcaster::channels {

TEST_CASE("twilio inbound: scrambled requests are refused, never thrown", "[channels][twilio][inbound]") {
  const TwilioInboundEndpoint endpoint(settings(base_options()), token_env());
  const std::vector<std::string> pieces = {"From=",  "%2B15595550142", "&",         "Body=", "%", "%ZZ",
                                           "%E4%B8", "MessageSid=",    "SM01",      "To=",   "=", "+",
                                           "%00",    "AccountSid=",    kAccountSid, "?"};
  std::mt19937 random(11);
  for (int i = 0; i < 3000; ++i) {
    std::string form;
    const int count = static_cast<int>(random() % 14);
    for (int j = 0; j < count; ++j) form += pieces[random() % pieces.size()];
    const bool post = random() % 2 == 0;
    InboundRequest request{post ? "POST" : "GET", post ? "/twilio/sms" : "/twilio/sms?" + form, {}, post ? form : ""};
    // Signed as Twilio would sign it when the form decodes, so the checks
    // after the signature are reached too.
    if (const auto fields = form_decode_strict(form); fields && random() % 4 != 0) {
      request.headers.emplace_back("X-Twilio-Signature",
                                   post ? twilio_signature(kPublicUrl, *fields, kToken)
                                        : twilio_signature(std::string(kPublicUrl) + "?" + form, {}, kToken));
    }
    INFO(request.method << " " << request.target << " " << request.body);
    InboundParse parsed;
    REQUIRE_NOTHROW(parsed = endpoint.parse(request));
    CHECK(parsed.message.has_value() == (parsed.status == 200));
    CHECK((parsed.status == 200 || parsed.status == 400 || parsed.status == 403));
  }
}

}  // namespace broadcaster::channels

namespace broadcaster::channels {

TEST_CASE("twilio inbound: status callbacks are signed receipts on their own path", "[channels][twilio][inbound]") {
  auto options = base_options();
  options["status_url"] = "https://sms.example.org/twilio/status";
  const TwilioInboundEndpoint endpoint(settings(options), token_env());
  CHECK(endpoint.paths() == std::vector<std::string>{"/twilio/sms", "/twilio/status"});
  const std::string url = "https://sms.example.org/twilio/status?campaign=workshop-dec";
  const Params fields = {{"MessageSid", kSid},
                         {"AccountSid", kAccountSid},
                         {"From", kTo},
                         {"To", kFrom},
                         {"MessageStatus", "undelivered"},
                         {"ErrorCode", "30003"},
                         {"ApiVersion", "2010-04-01"}};
  struct Case {
    const char* name;
    std::string status;
    DeliveryState state;
  };
  for (const Case& c :
       std::vector<Case>{{"undelivered", "undelivered", DeliveryState::Undelivered},
                         {"delivered", "delivered", DeliveryState::Delivered},
                         {"read counts as delivered", "read", DeliveryState::Delivered},
                         {"sending is on its way", "sending", DeliveryState::Sent},
                         {"canceled is failed", "canceled", DeliveryState::Failed},
                         {"a status Twilio adds later moves nothing", "frobnicated", DeliveryState::Queued}}) {
    DYNAMIC_SECTION(c.name) {
      Params f = fields;
      for (auto& [k, v] : f) {
        if (k == "MessageStatus") v = c.status;
      }
      const auto parsed = endpoint.parse(post(f, kToken, url, std::nullopt, "/twilio/status?campaign=workshop-dec"));
      REQUIRE(parsed.status == 200);
      CHECK_FALSE(parsed.message);
      REQUIRE(parsed.receipt);
      CHECK(parsed.receipt->campaign_id == "workshop-dec");
      CHECK(parsed.receipt->provider_id == kSid);
      CHECK(parsed.receipt->to == kFrom);
      CHECK(parsed.receipt->state == c.state);
      CHECK(parsed.receipt->error_code == "30003");
    }
  }
  SECTION("refused: unsigned, signed for another URL, a GET, a bad error code") {
    auto unsigned_request = post(fields, kToken, url, std::nullopt, "/twilio/status?campaign=workshop-dec");
    unsigned_request.headers.erase(unsigned_request.headers.begin() + 2);
    CHECK(endpoint.parse(unsigned_request).status == 403);
    // Signed without our reference: a forged campaign cannot be slipped in.
    CHECK(endpoint
              .parse(post(fields, kToken, "https://sms.example.org/twilio/status", std::nullopt,
                          "/twilio/status?campaign=workshop-dec"))
              .status == 403);
    auto get = post(fields, kToken, url, std::nullopt, "/twilio/status?campaign=workshop-dec");
    get.method = "GET";
    CHECK(endpoint.parse(get).status == 405);
    Params bad = fields;
    bad.back() = {"ErrorCode", "30003; DROP"};
    CHECK(endpoint.parse(post(bad, kToken, url, std::nullopt, "/twilio/status?campaign=workshop-dec")).status == 400);
  }
  SECTION("settings: status_path needs status_url, and differs from the texts' path") {
    auto o = base_options();
    o["status_path"] = "/twilio/status";
    CHECK_THROWS_WITH(TwilioInboundEndpoint(settings(o), token_env()), Catch::Matchers::Contains("needs status_url"));
    o = base_options();
    o["status_url"] = "https://sms.example.org/twilio/sms";
    CHECK_THROWS_WITH(TwilioInboundEndpoint(settings(o), token_env()),
                      Catch::Matchers::Contains("other than the texts' path"));
    CHECK(TwilioInboundEndpoint(settings(base_options()), token_env()).paths() ==
          std::vector<std::string>{"/twilio/sms"});
  }
}

}  // namespace broadcaster::channels
