// Twilio wire format of the simulator: validation codes, authentication,
// routing and the shape of the 201 Message body.
#include "simulator/twilio_api.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

namespace sim = broadcaster::simulator;
using Fields = std::vector<std::pair<std::string, std::string>>;

namespace {
constexpr const char* kSid = "AC0123456789abcdef0123456789abcdef";
constexpr const char* kToken = "sim-auth-token";
}  // namespace

TEST_CASE("validate_create answers Twilio's error codes in order", "[simulator][twilio_api]") {
  sim::RecipientRules rules;
  rules.unsubscribed.insert("+15595550199");
  rules.invalid.insert("+15595550198");

  struct Case {
    const char* label;
    Fields form;
    int code;  // 0 = accepted
  };
  const std::string long_body(1601, 'a');
  const std::vector<Case> cases = {
      {"accepted with From", {{"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", "hi"}}, 0},
      {"accepted with MessagingServiceSid",
       {{"To", "+15595550142"},
        {"MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"},
        {"Body", "hi"}},
       0},
      {"accepted with media only",
       {{"To", "+15595550142"},
        {"From", "+15595550100"},
        {"MediaUrl", "https://example.org/a.png"}},
       0},
      {"accepted with ContentSid only",
       {{"To", "+15595550142"}, {"From", "+15595550100"}, {"ContentSid", "HX0123"}},
       0},
      {"accepted at 1600 characters",
       {{"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", std::string(1600, 'a')}},
       0},
      {"missing To", {{"From", "+15595550100"}, {"Body", "hi"}}, 21604},
      {"empty To", {{"To", ""}, {"From", "+15595550100"}, {"Body", "hi"}}, 21604},
      {"missing To wins over missing Body", {{"From", "+15595550100"}}, 21604},
      {"missing Body", {{"To", "+15595550142"}, {"From", "+15595550100"}}, 21602},
      {"empty Body", {{"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", ""}}, 21602},
      {"missing Body wins over missing From", {{"To", "+15595550142"}}, 21602},
      {"missing From and MessagingServiceSid", {{"To", "+15595550142"}, {"Body", "hi"}}, 21603},
      {"missing From wins over invalid To", {{"To", "12"}, {"Body", "hi"}}, 21603},
      {"To without plus", {{"To", "15595550142"}, {"From", "+15595550100"}, {"Body", "hi"}}, 21211},
      {"To too short", {{"To", "+1234567"}, {"From", "+15595550100"}, {"Body", "hi"}}, 21211},
      {"To too long",
       {{"To", "+1234567890123456"}, {"From", "+15595550100"}, {"Body", "hi"}},
       21211},
      {"To with letters",
       {{"To", "+1559555O142"}, {"From", "+15595550100"}, {"Body", "hi"}},
       21211},
      {"To listed invalid",
       {{"To", "+15595550198"}, {"From", "+15595550100"}, {"Body", "hi"}},
       21211},
      {"Body over 1600 characters",
       {{"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", long_body}},
       21617},
      {"To unsubscribed",
       {{"To", "+15595550199"}, {"From", "+15595550100"}, {"Body", "hi"}},
       21610},
  };

  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto error = sim::validate_create(sim::CreateMessageRequest::from_form(c.form), rules);
      if (c.code == 0) {
        CHECK_FALSE(error.has_value());
      } else {
        REQUIRE(error.has_value());
        CHECK(error->code == c.code);
        CHECK(error->status == 400u);
      }
    }
  }
}

TEST_CASE("21211 and 21610 carry Twilio's wording", "[simulator][twilio_api]") {
  sim::RecipientRules rules;
  rules.unsubscribed.insert("+15595550199");
  const auto invalid =
      sim::validate_create(sim::CreateMessageRequest::from_form(
                               {{"To", "+12"}, {"From", "+15595550100"}, {"Body", "x"}}),
                           rules);
  REQUIRE(invalid);
  CHECK(invalid->message == "The 'To' number +12 is not a valid phone number.");
  const auto unsubscribed =
      sim::validate_create(sim::CreateMessageRequest::from_form(
                               {{"To", "+15595550199"}, {"From", "+15595550100"}, {"Body", "x"}}),
                           rules);
  REQUIRE(unsubscribed);
  CHECK(unsubscribed->message == "Attempt to send to unsubscribed recipient");
}

TEST_CASE("error_json has Twilio's REST error shape", "[simulator][twilio_api]") {
  const auto j = sim::error_json({400, 21211, "The 'To' number +12 is not a valid phone number."});
  CHECK(j.size() == 4);
  CHECK(j.at("code") == 21211);
  CHECK(j.at("status") == 400);
  CHECK(j.at("message") == "The 'To' number +12 is not a valid phone number.");
  CHECK(j.at("more_info") == "https://www.twilio.com/docs/errors/21211");

  struct Case {
    const char* label;
    sim::TwilioError error;
    unsigned status;
    int code;
  };
  const std::vector<Case> cases = {
      {"authentication", sim::authentication_error(), 401, 20003},
      {"rate limited", sim::too_many_requests_error(), 429, 20429},
      {"internal", sim::internal_error(), 500, 20500},
      {"not found", sim::not_found_error("/x"), 404, 20404},
      {"method", sim::method_not_allowed_error("PUT"), 405, 20004},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK(c.error.status == c.status);
      CHECK(c.error.code == c.code);
    }
  }
}

TEST_CASE("check_auth wants the path's AccountSid and the token", "[simulator][twilio_api]") {
  struct Case {
    const char* label;
    std::optional<sim::BasicCredentials> credentials;
    std::string path_sid;
    bool ok;
  };
  const std::string other = "ACffffffffffffffffffffffffffffffff";
  const std::vector<Case> cases = {
      {"right credentials", sim::BasicCredentials{kSid, kToken}, kSid, true},
      {"no credentials", std::nullopt, kSid, false},
      {"wrong token", sim::BasicCredentials{kSid, "nope"}, kSid, false},
      {"empty token", sim::BasicCredentials{kSid, ""}, kSid, false},
      {"wrong user", sim::BasicCredentials{other, kToken}, kSid, false},
      {"path names another account", sim::BasicCredentials{kSid, kToken}, other, false},
      {"both name another account", sim::BasicCredentials{other, kToken}, other, false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto error = sim::check_auth(c.credentials, c.path_sid, kSid, kToken);
      CHECK(error.has_value() == !c.ok);
      if (error) {
        CHECK(error->status == 401u);
        CHECK(error->code == 20003);
      }
    }
  }
}

TEST_CASE("match_messages_path finds the AccountSid", "[simulator][twilio_api]") {
  struct Case {
    const char* label;
    const char* target;
    std::optional<std::string> sid;
  };
  const std::vector<Case> cases = {
      {"plain", "/2010-04-01/Accounts/AC1/Messages.json", "AC1"},
      {"query ignored", "/2010-04-01/Accounts/AC1/Messages.json?x=1", "AC1"},
      {"other version", "/2011-04-01/Accounts/AC1/Messages.json", std::nullopt},
      {"no sid", "/2010-04-01/Accounts//Messages.json", std::nullopt},
      {"nested", "/2010-04-01/Accounts/AC1/x/Messages.json", std::nullopt},
      {"single message", "/2010-04-01/Accounts/AC1/Messages/SM1.json", std::nullopt},
      {"xml suffix", "/2010-04-01/Accounts/AC1/Messages", std::nullopt},
      {"root", "/", std::nullopt},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(sim::match_messages_path(c.target) == c.sid); }
  }
}

TEST_CASE("from_form keeps first values, all MediaUrls, ignores the rest",
          "[simulator][twilio_api]") {
  const auto r = sim::CreateMessageRequest::from_form({{"To", "+15595550142"},
                                                       {"To", "+15595550143"},
                                                       {"Body", "a b"},
                                                       {"MediaUrl", "https://example.org/1"},
                                                       {"MediaUrl", "https://example.org/2"},
                                                       {"StatusCallback", "http://127.0.0.1/cb"},
                                                       {"ValidityPeriod", "60"}});
  CHECK(r.to == "+15595550142");
  CHECK(r.body == "a b");
  CHECK(r.media_urls.size() == 2);
  CHECK(r.status_callback == "http://127.0.0.1/cb");
  CHECK_FALSE(r.from.has_value());
}

TEST_CASE("rfc2822_date writes GMT like Twilio", "[simulator][twilio_api]") {
  // 2023-08-24T05:01:45Z, the date of the OpenAPI description's example.
  const auto t = std::chrono::system_clock::from_time_t(1692853305);
  CHECK(sim::rfc2822_date(t) == "Thu, 24 Aug 2023 05:01:45 +0000");
  CHECK(sim::rfc2822_date(std::chrono::system_clock::from_time_t(0)) ==
        "Thu, 01 Jan 1970 00:00:00 +0000");
}

// Property names of the `api.v2010.account.message` schema in Twilio's
// OpenAPI description (shared/reference/twilio_api_v2010.json, twilio-oai
// 2.6.7). The schema declares no `required` list, so the simulator sends
// every one of them, and nothing else.
const std::set<std::string> kMessageSchemaProperties = {"account_sid",
                                                        "api_version",
                                                        "body",
                                                        "date_created",
                                                        "date_sent",
                                                        "date_updated",
                                                        "direction",
                                                        "error_code",
                                                        "error_message",
                                                        "from",
                                                        "messaging_service_sid",
                                                        "num_media",
                                                        "num_segments",
                                                        "price",
                                                        "price_unit",
                                                        "sid",
                                                        "status",
                                                        "subresource_uris",
                                                        "to",
                                                        "uri"};

TEST_CASE("message_json matches the Message schema", "[simulator][twilio_api]") {
  const auto request = sim::CreateMessageRequest::from_form(
      {{"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", "Hello"}});
  const std::string sid = "SM0123456789abcdef0123456789abcdef";
  const auto created = std::chrono::system_clock::from_time_t(1692853305);
  const auto j = sim::message_json(request, kSid, sid, created);

  std::set<std::string> keys;
  for (const auto& item : j.items()) keys.insert(item.key());
  CHECK(keys == kMessageSchemaProperties);

  CHECK(j.at("sid") == sid);
  CHECK(j.at("account_sid") == kSid);
  CHECK(j.at("api_version") == "2010-04-01");
  CHECK(j.at("to") == "+15595550142");
  CHECK(j.at("from") == "+15595550100");
  CHECK(j.at("body") == "Hello");
  CHECK(j.at("status") == "queued");
  CHECK(j.at("direction") == "outbound-api");
  CHECK(j.at("num_segments") == "1");  // strings, per the schema
  CHECK(j.at("num_media") == "0");
  CHECK(j.at("date_created") == "Thu, 24 Aug 2023 05:01:45 +0000");
  CHECK(j.at("date_updated") == j.at("date_created"));
  CHECK(j.at("date_sent").is_null());
  CHECK(j.at("error_code").is_null());
  CHECK(j.at("error_message").is_null());
  CHECK(j.at("price").is_null());
  CHECK(j.at("messaging_service_sid").is_null());
  CHECK(j.at("price_unit") == "USD");
  CHECK(j.at("uri") == "/2010-04-01/Accounts/" + std::string(kSid) + "/Messages/" + sid + ".json");
  CHECK(j.at("subresource_uris").at("media") ==
        "/2010-04-01/Accounts/" + std::string(kSid) + "/Messages/" + sid + "/Media.json");
}

TEST_CASE("message_json with a Messaging Service and no From", "[simulator][twilio_api]") {
  const auto request = sim::CreateMessageRequest::from_form(
      {{"To", "+15595550142"},
       {"MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"},
       {"Body", std::string(161, 'x')}});
  const auto j = sim::message_json(request, kSid, "SM0123456789abcdef0123456789abcdef",
                                   std::chrono::system_clock::now());
  CHECK(j.at("from").is_null());
  CHECK(j.at("messaging_service_sid") == "MG0123456789abcdef0123456789abcdef");
  CHECK(j.at("num_segments") == "2");
}
