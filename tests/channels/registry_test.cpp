// Provider registry: the list of types each side knows, and the configuration
// errors a user meets when setting up a channel or an inbound endpoint
// (unknown type, a type that cannot do that side, token in YAML, missing env
// var, malformed SIDs), each located in the config file.
#include "channels/registry.h"

#include <catch2/catch.hpp>

#include <map>
#include <type_traits>

#include "support/channel_harness.h"
#include "util/errors.h"

namespace broadcaster::channels {
namespace {

constexpr const char* kAccountSid = "AC0123456789abcdef0123456789abcdef";
constexpr const char* kToken = "fake-auth-token-5f2b9c0d7e1a4b3c";

ProviderSettings twilio(std::map<std::string, std::string> options) {
  return ProviderSettings{"sms", "twilio", std::move(options), "config/broadcaster.yaml:12:5"};
}

std::map<std::string, std::string> valid_options() {
  return {{"account_sid", kAccountSid}, {"from", "+15595550100"}};
}

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const EnvLookup kTokenEnv = env_of({{"TWILIO_AUTH_TOKEN", kToken}});

// The ConfigError make_channel throws; fails the test if it throws nothing.
ConfigError config_error(const ProviderSettings& settings, const EnvLookup& env) {
  try {
    (void)make_channel(settings, env);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected ConfigError");
  throw std::logic_error("unreachable");
}

EnvLookup env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "TWILIO_AUTH_TOKEN") return std::string("fake-auth-token-5f2b9c0d7e1a4b3c");
    if (name == "KANNEL_SECRET") return std::string("kannel-secret-9d41c7e2b6a85f30");
    return std::nullopt;
  };
}

ProviderSettings settings(std::string name, std::string type,
                         std::map<std::string, std::string> options) {
  return ProviderSettings{std::move(name), std::move(type), std::move(options),
                         "config/broadcaster.yaml:30:5", ProviderRole::Inbound};
}

std::string inbound_error(const ProviderSettings& s) {
  try {
    make_inbound_endpoint(s, env());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("registry: known types", "[channels][registry]") {
  CHECK(known_channel_types() == std::vector<std::string>{"console", "kannel", "twilio"});
}

TEST_CASE("registry: every provider declares the medium it carries", "[channels][registry]") {
  // Medium has no default, so a provider that leaves it out does not compile.
  STATIC_REQUIRE_FALSE(std::is_default_constructible_v<Medium>);
  // What each declares decides whether segments or characters limit its
  // channels' messages; a new provider must be added here on purpose.
  const std::map<std::string, MediumKind> expected = {
      {"console", MediumKind::PlainText},
      {"kannel", MediumKind::Sms},
      {"twilio", MediumKind::Sms},
  };
  std::map<std::string, MediumKind> declared;
  for (const Provider* p : providers()) declared.emplace(std::string(p->type), p->medium.kind());
  CHECK(declared == expected);
  CHECK(to_string(MediumKind::Sms) == "sms");
  CHECK(to_string(MediumKind::PlainText) == "text");
}

TEST_CASE("registry: builds each known type", "[channels][registry]") {
  testing::LogCapture log;
  const auto sms = make_channel(twilio(valid_options()), kTokenEnv);
  REQUIRE(sms);
  CHECK(sms->name() == "sms");
  const auto dry = make_channel(ProviderSettings{"dry-run", "console", {}, "b.yaml:3:3"}, kTokenEnv);
  REQUIRE(dry);
  CHECK_FALSE(dry->build_request(
      OutboundMessage{"c", util::Phone::from_trusted_e164("+15595550142"), "en", "hi"}));
  testing::check_no_leak(log.text(), {kToken}, "");
}

TEST_CASE("registry: configuration errors", "[channels][registry]") {
  SECTION("unknown type lists the known ones, at the channel's position") {
    const auto e = config_error(
        ProviderSettings{"sms", "twillio", {}, "config/broadcaster.yaml:12:5"}, kTokenEnv);
    CHECK(e.file() == "config/broadcaster.yaml");
    CHECK(e.line() == 12);
    CHECK(e.column() == 5);
    CHECK_THAT(e.what(),
               Catch::Matchers::StartsWith("config/broadcaster.yaml:12:5: channel 'sms'"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("unknown type 'twillio'"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("known types: console, kannel, twilio"));
  }
  SECTION("missing type") {
    const auto e = config_error(ProviderSettings{"sms", "", {}, "b.yaml:4:3"}, kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("has no 'type'"));
  }
  SECTION("auth_token in YAML is refused without echoing it") {
    auto options = valid_options();
    options["auth_token"] = kToken;
    const auto e = config_error(twilio(options), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("option 'auth_token'"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("environment variable TWILIO_AUTH_TOKEN"));
    testing::check_no_leak(e.what(), {kToken}, "");
  }
  SECTION("unset env var names the variable") {
    const auto e = config_error(twilio(valid_options()), env_of({}));
    CHECK_THAT(e.what(),
               Catch::Matchers::Contains("environment variable TWILIO_AUTH_TOKEN is not set"));
  }
  SECTION("empty env var") {
    const auto e = config_error(twilio(valid_options()), env_of({{"TWILIO_AUTH_TOKEN", ""}}));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("TWILIO_AUTH_TOKEN is empty"));
  }
  SECTION("auth_token_env names another variable") {
    auto options = valid_options();
    options["auth_token_env"] = "CLINIC_TOKEN";
    const auto e = config_error(twilio(options), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("environment variable CLINIC_TOKEN is not set"));
  }
  SECTION("missing account_sid") {
    const auto e = config_error(twilio({{"from", "+15595550100"}}), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("option 'account_sid' is required"));
  }
  SECTION("invalid account_sid") {
    for (const char* bad :
         {"AC123", "XX0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcdeg",
          "AC0123456789abcdef0123456789abcdef0"}) {
      auto options = valid_options();
      options["account_sid"] = bad;
      const auto e = config_error(twilio(options), kTokenEnv);
      CHECK_THAT(e.what(), Catch::Matchers::Contains(
                               "option 'account_sid' must be 'AC' followed by 32 hex digits"));
    }
  }
  SECTION("invalid messaging_service_sid") {
    auto options = valid_options();
    options["messaging_service_sid"] = "MG0123";
    const auto e = config_error(twilio(options), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("option 'messaging_service_sid'"));
  }
  SECTION("neither from nor messaging_service_sid") {
    const auto e = config_error(twilio({{"account_sid", kAccountSid}}), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("needs option 'from'"));
  }
  SECTION("plain http base_url off loopback") {
    auto options = valid_options();
    options["base_url"] = "http://api.twilio.com";
    const auto e = config_error(twilio(options), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("option 'base_url' must use https://"));
  }
  SECTION("bad timeout_ms") {
    for (const char* bad : {"0", "-5", "ten", "10s", "999999999"}) {
      auto options = valid_options();
      options["timeout_ms"] = bad;
      const auto e = config_error(twilio(options), kTokenEnv);
      CHECK_THAT(e.what(), Catch::Matchers::Contains("option 'timeout_ms'"));
    }
  }
  SECTION("status_callback must be a URL Twilio accepts (format: uri)") {
    struct Bad {
      const char* url;
      const char* why;
    };
    for (const Bad& bad : {Bad{"hooks.example.org", "is not an http:// or https:// URL"},
                           Bad{"https://hooks.example.org/twilio status", "has a space in it"},
                           Bad{"https://", "not a valid URL"},
                           Bad{"https://hooks.example.org/\t", "control character"}}) {
      DYNAMIC_SECTION(bad.url) {
        auto options = valid_options();
        options["status_callback"] = bad.url;
        const auto e = config_error(twilio(options), kTokenEnv);
        CHECK_THAT(e.what(), Catch::Matchers::Contains("option 'status_callback'"));
        CHECK_THAT(e.what(), Catch::Matchers::Contains(bad.why));
      }
    }
  }
  SECTION("source without a position is used as is") {
    const auto e = config_error(ProviderSettings{"sms", "nope", {}, "broadcaster.yaml"}, kTokenEnv);
    CHECK(e.file() == "broadcaster.yaml");
    CHECK(e.line() == 0);
    CHECK_THAT(e.what(), Catch::Matchers::StartsWith("broadcaster.yaml: channel 'sms'"));
  }
}

TEST_CASE("registry: unknown options are refused by key, never by value", "[channels][registry]") {
  SECTION("a misspelt optional key is named, with the nearest known key") {
    auto options = valid_options();
    options["status_calback"] = "https://hooks.example.org/status";
    const auto e = config_error(twilio(options), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains(
                             "unknown option 'status_calback' (did you mean 'status_callback'?)"));
  }
  SECTION("a missing required key asks about a near miss") {
    const auto e =
        config_error(twilio({{"acount_sid", kAccountSid}, {"from", "+15595550100"}}), kTokenEnv);
    CHECK_THAT(e.what(),
               Catch::Matchers::Contains(
                   "option 'account_sid' is required (your Twilio Account SID, 'AC' and 32 hex "
                   "digits); is 'acount_sid' a misspelling of it?"));
  }
  SECTION("the value of an unknown key is not echoed") {
    auto options = valid_options();
    options["token"] = kToken;
    const auto e = config_error(twilio(options), kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("unknown option 'token'"));
    testing::check_no_leak(e.what(), {kToken}, "");
  }
  SECTION("console refuses unknown keys too") {
    const auto e = config_error(
        ProviderSettings{"dry-run", "console", {{"pth", "/tmp/x"}}, "b.yaml:3:3"}, kTokenEnv);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("unknown option 'pth' (did you mean 'path'?)"));
  }
}

TEST_CASE("registry: inbound known types", "[channels][inbound][registry]") {
  CHECK(known_inbound_types() == std::vector<std::string>{"kannel", "twilio"});

  const auto twilio =
      make_inbound_endpoint(settings("sms-in", "twilio",
                                     {{"public_url", "https://sms.example.org/twilio/sms"},
                                      {"auth_token_env", "TWILIO_AUTH_TOKEN"}}),
                            env());
  CHECK(twilio->name() == "sms-in");
  CHECK(twilio->path() == "/twilio/sms");

  const auto kannel =
      make_inbound_endpoint(settings("modem", "kannel", {{"secret_env", "KANNEL_SECRET"}}), env());
  CHECK(kannel->name() == "modem");
  CHECK(kannel->path() == "/kannel/mo");
}

TEST_CASE("registry: inbound mistakes", "[channels][inbound][registry]") {
  CHECK(inbound_error(settings("sms-in", "twillio", {})) ==
        "config/broadcaster.yaml:30:5: inbound endpoint 'sms-in' (twillio): unknown type "
        "'twillio'; known types: kannel, twilio");
  CHECK(inbound_error(settings("sms-in", "", {})) ==
        "config/broadcaster.yaml:30:5: inbound endpoint 'sms-in': has no 'type'; known types: "
        "kannel, twilio");
  CHECK(inbound_error(
            settings("modem", "kannel", {{"secret_env", "KANNEL_SECRET"}, {"secret_envv", "X"}})) ==
        "config/broadcaster.yaml:30:5: inbound endpoint 'modem' (kannel): unknown option "
        "'secret_envv' (did you mean 'secret_env'?)");
}

TEST_CASE("registry: a provider that cannot do a side is refused for it", "[channels][inbound][registry]") {
  CHECK(inbound_error(settings("dry", "console", {})) ==
        "config/broadcaster.yaml:30:5: inbound endpoint 'dry' (console): this provider sends us nothing; known "
        "types: kannel, twilio");
}

}  // namespace broadcaster::channels
