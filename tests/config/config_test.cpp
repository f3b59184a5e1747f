// broadcaster.yaml loading: values, defaults, and errors staff can act on.
#include "config/config.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"
#include "util/errors.h"

using broadcaster::ConfigError;
using broadcaster::config::load_config;
using broadcaster::testing::TempDir;

TEST_CASE("a complete configuration is read with its channels and fallbacks") {
  TempDir dir;
  const auto file = dir.write("config/broadcaster.yaml", R"(redis:
  host: 127.0.0.1
  port: 6391
  prefix: "org1:"
templates_dir: ../templates
fallback_language: en
language_fallbacks:
  mix: [es]
channels:
  sms:
    type: twilio
    base_url: http://127.0.0.1:8089
    account_sid: AC00000000000000000000000000000000
    rate_limit: {per_second: 20, burst: 5}
    max_in_flight: 8
sender:
  claim_idle_ms: 1500
  max_attempts: 3
retention:
  campaign_days: 7
)");
  const auto cfg = load_config(file);
  CHECK(cfg.redis.port == 6391);
  CHECK(cfg.redis.prefix == "org1:");
  CHECK(cfg.templates_dir == (dir.path() / "templates").lexically_normal());
  REQUIRE(cfg.channels.count("sms") == 1);
  const auto& sms = cfg.channels.at("sms");
  CHECK(sms.settings.type == "twilio");
  CHECK(sms.settings.options.at("base_url") == "http://127.0.0.1:8089");
  CHECK(sms.settings.options.count("rate_limit") == 0);
  CHECK(sms.rate_limit.per_second == 20);
  CHECK(sms.rate_limit.burst == 5);
  CHECK(sms.max_in_flight == 8);
  CHECK(cfg.sender.claim_idle == std::chrono::milliseconds(1500));
  CHECK(cfg.sender.max_attempts == 3);
  CHECK(cfg.retention.campaign == std::chrono::days(7));
  CHECK(cfg.fallback_chain("mix") == std::vector<std::string>{"mix", "es", "en"});
  CHECK(cfg.fallback_chain("en") == std::vector<std::string>{"en"});
}

TEST_CASE("configuration mistakes are reported with file, line and column") {
  struct Case {
    const char* label;
    const char* yaml;
    const char* position;  // expected "line:column"
    const char* fragment;  // expected in the message
  };
  const Case cases[] = {
      {"misspelt top-level key", "redis:\n  port: 6390\nchanels:\n  sms: {type: console}\n", "3:1",
       "unknown key 'chanels' in the configuration (did you mean 'channels'?)"},
      {"port is not a number", "redis:\n  port: six\n", "2:9", "'port' must be a whole number, got 'six'"},
      {"password in the file", "redis:\n  password: hunter2\n", "2:13", "password_env"},
      {"channel without a type", "channels:\n  sms:\n    base_url: http://x\n", "3:5",
       "missing required key 'type' in channel 'sms'"},
      {"syntax error", "redis:\n  port: [6390\n", "3:1", "YAML syntax error"},
      {"retention of zero days", "retention:\n  campaign_days: 0\n", "2:18", "'campaign_days' must be 1-3650"},
      {"misspelt retention key", "retention:\n  campaign_day: 30\n", "2:3",
       "unknown key 'campaign_day' in 'retention' (did you mean 'campaign_days'?)"},
      {"negative rate", "channels:\n  sms:\n    type: console\n    rate_limit: {per_second: -1}\n", "4:30",
       "'per_second' must be 0 (off) or more"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto file = dir.write("broadcaster.yaml", c.yaml);
      try {
        (void)load_config(file);
        FAIL("expected a ConfigError");
      } catch (const ConfigError& e) {
        const std::string what = e.what();
        CHECK_THAT(what, Catch::StartsWith(file.string() + ":" + c.position + ": "));
        CHECK_THAT(what, Catch::Contains(c.fragment));
      }
    }
  }
}

TEST_CASE("campaign data is kept 30 days unless configured otherwise") {
  TempDir dir;
  const auto cfg = load_config(dir.write("broadcaster.yaml", "channels:\n  sms: {type: console}\n"));
  CHECK(cfg.retention.campaign == std::chrono::days(30));
}

TEST_CASE("a missing configuration file names the path") {
  try {
    (void)load_config("/nonexistent/broadcaster.yaml");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("/nonexistent/broadcaster.yaml: cannot open"));
  }
}
