// Kannel channel: the sendsms request it builds (query fields, coding, the
// dlr-url carrying our reference), how it reads smsbox's answers, and the
// option errors staff meet, as tables run through the channel harness.
#include "channels/kannel/kannel_channel.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "support/channel_harness.h"

namespace broadcaster::channels {
namespace {

using testing::ExpectedError;
using testing::ExpectedRequest;
using testing::OutgoingCase;

constexpr const char* kUser = "bcsend-user-7f3a";
constexpr const char* kPassword = "kannel-pass-9c2e4b1d";
constexpr const char* kFrom = "+15595550100";
constexpr const char* kTo = "+15595550142";
constexpr const char* kSendsms = "http://127.0.0.1:13013/cgi-bin/sendsms";
constexpr const char* kDlrUrl = "https://sms.example.org/kannel/dlr?secret=dlr-secret-0123456789";
const std::vector<std::string> kSecrets = {kUser, kPassword};

using Fields = std::vector<std::pair<std::string, std::string>>;

ProviderSettings settings(std::map<std::string, std::string> options) {
  return ProviderSettings{"sms", "kannel", std::move(options), "config/broadcaster.yaml:12:5"};
}

std::map<std::string, std::string> basic_options() {
  return {
      {"sendsms_url", kSendsms}, {"username_env", "KANNEL_USER"}, {"password_env", "KANNEL_PASSWORD"}, {"from", kFrom}};
}

std::map<std::string, std::string> dlr_options() {
  auto options = basic_options();
  options["dlr_url"] = kDlrUrl;
  options["smsc"] = "modem1";
  return options;
}

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

EnvLookup credentials() { return env_of({{"KANNEL_USER", kUser}, {"KANNEL_PASSWORD", kPassword}}); }

OutboundMessage message(std::string body) {
  return OutboundMessage{"spring-clinic", util::Phone::from_trusted_e164(kTo), "es", std::move(body)};
}

HttpResponse answer(long status, std::string body) {
  return HttpResponse{status, {{"Content-Type", "text/html"}}, std::move(body)};
}

// Sorted "key=value" lines, so a failed comparison prints readably.
std::string sorted(Fields fields) {
  std::sort(fields.begin(), fields.end());
  std::string out;
  for (const auto& [key, value] : fields) out += key + "=" + value + "\n";
  return out;
}

std::string sorted_query(const HttpRequest& request) {
  const auto q = request.url.find('?');
  REQUIRE(q != std::string::npos);
  return sorted(form_decode(std::string_view(request.url).substr(q + 1)));
}

std::string config_error(const ProviderSettings& s, const EnvLookup& env) {
  try {
    KannelChannel channel(s, env);
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("no ConfigError");
  return {};
}

const ExpectedRequest kGet{"GET", "/cgi-bin/sendsms", {}, std::nullopt, std::chrono::milliseconds(10'000)};

}  // namespace

TEST_CASE("kannel: answers", "[channels][kannel]") {
  KannelChannel channel(settings(basic_options()), credentials());
  const std::string ref = KannelChannel::reference(message("Hola"));
  const std::vector<OutgoingCase> cases = {
      {.label = "202 accepted",
       .message = message("Hola"),
       .request = kGet,
       .response = answer(202, "0: Accepted for delivery"),
       .result = SendResult{ref, "queued"}},
      {.label = "202 queued for later delivery",
       .message = message("Hola"),
       .response = answer(202, "3: Queued for later delivery"),
       .result = SendResult{ref, "queued"}},
      {.label = "403 authorization failed is permanent and names the variables",
       .message = message("Hola"),
       .response = answer(403, "Authorization failed for sendsms"),
       .error = ExpectedError{false, "kannel-auth", std::nullopt, "KANNEL_PASSWORD"}},
      {.label = "400 missing receiver is permanent",
       .message = message("Hola"),
       .response = answer(400, "Missing receiver number, rejected"),
       .error = ExpectedError{false, "", std::nullopt, "Missing receiver number"}},
      {.label = "404 wrong path is permanent",
       .message = message("Hola"),
       .response = answer(404, "Unknown service"),
       .error = ExpectedError{false, "", std::nullopt, "HTTP 404"}},
      {.label = "503 is retryable",
       .message = message("Hola"),
       .response = answer(503, "Sending failed."),
       .error = ExpectedError{true, "", std::nullopt, "retryable"}},
      {.label = "500 is retryable",
       .message = message("Hola"),
       .response = answer(500, "Sending failed."),
       .error = ExpectedError{true, "", std::nullopt, "Sending failed."}},
      {.label = "no answer is retryable",
       .message = message("Hola"),
       .response = HttpResponse{},
       .error = ExpectedError{true, "", std::nullopt, "no answer"}},
      {.label = "202 with an unknown body is permanent: it may have been sent",
       .message = message("Hola"),
       .response = answer(202, "<html>proxy</html>"),
       .error = ExpectedError{false, "", std::nullopt, "may have been sent"}},
  };
  testing::run_outgoing_cases(channel, cases, kSecrets);
}

TEST_CASE("kannel: sendsms query", "[channels][kannel]") {
  struct Case {
    const char* label;
    std::string body;
    const char* coding;
  };
  const std::vector<Case> cases = {
      {"GSM-7 text goes as coding 0", "Clinic Tuesday 6pm & dinner = free, 100% + {info}", "0"},
      {"Spanish with only GSM-7 letters (ñ ¡ é) goes as coding 0", "¡Mañana! Niños y café", "0"},
      {"Spanish with ó goes as coding 2 (ó is not GSM-7)", "Reunión mañana", "2"},
      {"Chinese goes as coding 2", "社区会议：周二晚上7点 & 免费晚餐", "2"},
      {"emoji goes as coding 2", "Meeting tonight 🎉", "2"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      SECTION("without dlr_url") {
        KannelChannel channel(settings(basic_options()), credentials());
        const auto request = channel.build_request(message(c.body));
        REQUIRE(request.has_value());
        CHECK(request->method == "GET");
        CHECK(request->url.starts_with(std::string(kSendsms) + "?"));
        CHECK(request->body.empty());
        CHECK_FALSE(request->basic_auth.has_value());
        CHECK(sorted_query(*request) == sorted({{"username", kUser},
                                                {"password", kPassword},
                                                {"from", kFrom},
                                                {"to", kTo},
                                                {"text", c.body},
                                                {"charset", "UTF-8"},
                                                {"coding", c.coding}}));
      }
      SECTION("with dlr_url and smsc") {
        KannelChannel channel(settings(dlr_options()), credentials());
        const auto msg = message(c.body);
        const auto request = channel.build_request(msg);
        REQUIRE(request.has_value());
        const std::string dlr = std::string(kDlrUrl) +
                                "&campaign=spring-clinic&to=%2B15595550142&ref=" + KannelChannel::reference(msg) +
                                "&status=%d&answer=%A";
        CHECK(sorted_query(*request) == sorted({{"username", kUser},
                                                {"password", kPassword},
                                                {"from", kFrom},
                                                {"to", kTo},
                                                {"text", c.body},
                                                {"charset", "UTF-8"},
                                                {"coding", c.coding},
                                                {"smsc", "modem1"},
                                                {"dlr-mask", "31"},
                                                {"dlr-url", dlr}}));
        // The escape codes reach Kannel as %d and %A only after it decodes
        // the query once: in the URL they are %25d and %25A.
        CHECK(request->url.find("%25d") != std::string::npos);
        CHECK(request->url.find("status%3D%25d") != std::string::npos);
      }
    }
  }
}

TEST_CASE("kannel: reference", "[channels][kannel]") {
  const auto a = KannelChannel::reference(message("one"));
  CHECK(a == KannelChannel::reference(message("another body, same campaign and recipient")));
  CHECK(a.starts_with("kannel-"));
  CHECK(a.size() == 7 + 24);
  auto other = message("one");
  other.campaign_id = "fall-clinic";
  CHECK(KannelChannel::reference(other) != a);
  other = message("one");
  other.to = util::Phone::from_trusted_e164("+15595550143");
  CHECK(KannelChannel::reference(other) != a);
}

TEST_CASE("kannel: option errors", "[channels][kannel]") {
  struct Case {
    const char* label;
    std::map<std::string, std::string> options;
    EnvLookup env;
    const char* contains;
  };
  auto with = [](std::map<std::string, std::string> changes, std::vector<std::string> removed = {}) {
    auto options = basic_options();
    for (auto& [k, v] : changes) options[k] = v;
    for (const auto& k : removed) options.erase(k);
    return options;
  };
  const std::vector<Case> cases = {
      {"inline password refused", with({{"password", kPassword}}), credentials(), "option 'password'"},
      {"inline username refused", with({{"username", kUser}}), credentials(), "option 'username'"},
      {"missing sendsms_url", with({}, {"sendsms_url"}), credentials(), "sendsms_url"},
      {"sendsms_url not a URL", with({{"sendsms_url", "127.0.0.1:13013/cgi-bin/sendsms"}}), credentials(),
       "option 'sendsms_url'"},
      {"missing from", with({}, {"from"}), credentials(), "'from'"},
      {"missing password_env", with({}, {"password_env"}), credentials(), "password_env"},
      {"dlr_mask out of range", with({{"dlr_url", kDlrUrl}, {"dlr_mask", "32"}}), credentials(), "option 'dlr_mask'"},
      {"dlr_mask not a number", with({{"dlr_url", kDlrUrl}, {"dlr_mask", "all"}}), credentials(), "1 to 31"},
      {"dlr_mask without dlr_url", with({{"dlr_mask", "3"}}), credentials(), "without option dlr_url"},
      {"dlr_url with a space", with({{"dlr_url", "https://sms.example.org/kannel/dlr?secret=a b"}}), credentials(),
       "option 'dlr_url'"},
      {"misspelt option", with({{"dlr_urll", kDlrUrl}}), credentials(), "dlr_urll"},
      {"password variable unset", basic_options(), env_of({{"KANNEL_USER", kUser}}), "KANNEL_PASSWORD is not set"},
      {"username variable empty", basic_options(), env_of({{"KANNEL_USER", ""}, {"KANNEL_PASSWORD", kPassword}}),
       "KANNEL_USER is empty"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const std::string what = config_error(settings(c.options), c.env);
      CHECK_THAT(what, Catch::Matchers::StartsWith("config/broadcaster.yaml:12:5:"));
      CHECK_THAT(what, Catch::Matchers::Contains(c.contains));
      CHECK(what.find(kPassword) == std::string::npos);
      CHECK(what.find(kUser) == std::string::npos);
      CHECK(what.find("dlr-secret-0123456789") == std::string::npos);
    }
  }
}

TEST_CASE("kannel: timeout and local delivery", "[channels][kannel]") {
  auto options = basic_options();
  options["request_timeout_ms"] = "2500";
  KannelChannel channel(settings(options), credentials());
  CHECK(channel.request_timeout() == std::chrono::milliseconds(2500));
  CHECK(channel.build_request(message("Hola"))->timeout == std::chrono::milliseconds(2500));
  CHECK_THROWS_AS(channel.deliver_locally(message("Hola")), SendError);
}

}  // namespace broadcaster::channels
