// broadcaster.yaml loading: values, defaults, and errors staff can act on.
#include "config/config.h"

#include <catch2/catch.hpp>

#include "config_error.h"
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
      {"claim_idle_ms of zero", "sender:\n  claim_idle_ms: 0\n", "2:18", "'claim_idle_ms' must be at least 1000"},
      {"in-doubt settle too short", "sender:\n  in_doubt_settle_ms: 5\n", "2:23",
       "'in_doubt_settle_ms' must be at least 100"},
      {"negative Retry-After cap", "sender:\n  retry_after_max_ms: -1\n", "2:23",
       "'retry_after_max_ms' must not be negative"},
      {"negative rate", "channels:\n  sms:\n    type: console\n    rate_limit: {per_second: -1}\n", "4:30",
       "'per_second' must be 0 (off) or more"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto failure = broadcaster::testing::config_failure(dir, c.yaml);
      CHECK_THAT(failure.message, Catch::StartsWith(failure.file + ":" + c.position + ": "));
      CHECK_THAT(failure.message, Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("segment settings belong to SMS channels, max_characters to plain-text ones") {
  struct Case {
    const char* label;
    const char* yaml;
    const char* position;  // expected "line:column", at the key that does not belong
    const char* fragment;
  };
  const Case cases[] = {
      {"max_segments on the console", "channels:\n  dry:\n    type: console\n    max_segments: 2\n", "4:5",
       "channel 'dry' (console) sends plain text, not SMS: 'max_segments' applies only to SMS channels (limit its "
       "length with 'max_characters')"},
      {"price_per_segment on the console", "channels:\n  dry: {type: console, price_per_segment: 0.01}\n", "2:24",
       "channel 'dry' (console) sends plain text, not SMS: 'price_per_segment' applies only to SMS channels"},
      {"max_characters on twilio", "channels:\n  sms:\n    type: twilio\n    max_characters: 500\n", "4:5",
       "channel 'sms' (twilio) sends SMS: 'max_characters' applies only to plain-text channels (limit an SMS with "
       "'max_segments')"},
      {"max_characters on kannel", "channels:\n  modem: {type: kannel, max_characters: 500}\n", "2:25",
       "channel 'modem' (kannel) sends SMS: 'max_characters'"},
      {"max_characters of zero", "channels:\n  dry:\n    type: console\n    max_characters: 0\n", "4:21",
       "'max_characters' must be at least 1"},
      {"max_characters not a number", "channels:\n  dry:\n    type: console\n    max_characters: many\n", "4:21",
       "'max_characters' must be a whole number"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto failure = broadcaster::testing::config_failure(dir, c.yaml);
      CHECK_THAT(failure.message, Catch::StartsWith(failure.file + ":" + c.position + ": "));
      CHECK_THAT(failure.message, Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("each channel's medium comes from its provider, with its length settings") {
  TempDir dir;
  const auto cfg = load_config(dir.write("broadcaster.yaml", R"(channels:
  sms: {type: twilio, max_segments: 2, price_per_segment: 0.01}
  dry: {type: console, max_characters: 500}
  open: {type: console}
  pager: {type: pager, max_segments: 3, max_characters: 9}
)"));
  const auto& sms = cfg.channels.at("sms");
  CHECK(sms.medium().is_sms());
  CHECK(sms.max_segments == 2);
  CHECK(sms.character_limit() == 0);
  const auto& dry = cfg.channels.at("dry");
  CHECK(dry.medium().kind() == broadcaster::channels::MediumKind::PlainText);
  CHECK(dry.max_characters == 500u);
  CHECK(dry.character_limit() == 500);
  CHECK(cfg.channels.at("open").character_limit() == 0);  // the console has no limit of its own
  // A type nobody knows is the registry's to refuse, naming the known ones
  // (`campaign validate` does); its settings are not judged here.
  CHECK(cfg.channels.at("pager").medium().is_sms());
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

TEST_CASE("what yaml-cpp would silently accept is refused with its position") {
  struct Case {
    const char* label;
    std::string yaml;
    const char* expected;
  };
  const Case cases[] = {
      {"a key given twice", "default_region: US\ncurrency: USD\ndefault_region: MX\n",
       "broadcaster.yaml:3:1: duplicate key 'default_region' (first at 1:1)"},
      {"a key given twice in a nested mapping", "redis:\n  host: a\n  port: 1\n  host: b\n",
       "broadcaster.yaml:4:3: duplicate key 'host' (first at 2:3)"},
      {"a key given twice in a flow mapping", "sender: {max_attempts: 2, max_attempts: 3}\n",
       "broadcaster.yaml:1:27: duplicate key 'max_attempts' (first at 1:10)"},
      {"a second document", "currency: USD\n---\ncurrency: EUR\n", "a second YAML document"},
      {"invalid UTF-8", "currency: USD\nfallback_language: \"\xE9s\"\n",
       "broadcaster.yaml:2:21: invalid UTF-8 at byte offset 34"},
      {"UTF-16",
       "\xFF\xFE"
       "c\0u\0",
       "the file is UTF-16"},
      {"a scalar over the limit", "description: " + std::string(65 * 1024, 'x') + "\n",
       "broadcaster.yaml:1:14: a value of 66560 bytes"},
      {"nesting deeper than the limit", std::string(100, '[') + std::string(100, ']') + "\n", "nested more than 64"},
      {"a long value is quoted as an excerpt", "redis: {port: " + std::string(60 * 1024, 'k') + "}\n",
       "broadcaster.yaml:1:15: 'port' must be a whole number, got 'kkkk"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto failure = broadcaster::testing::config_failure(dir, c.yaml);
      CHECK_THAT(failure.message, Catch::Contains(c.expected));
      CHECK(failure.message.size() < failure.file.size() + 200);
    }
  }
}

TEST_CASE("a file over the size limit is refused before it is parsed") {
  TempDir dir;
  const auto file = dir.write("broadcaster.yaml", "# " + std::string(2 * 1024 * 1024, 'x') + "\n");
  CHECK_THROWS_WITH(load_config(file), Catch::Contains("larger than 1024 KiB"));
}

TEST_CASE("inbound: a duplicate endpoint option names both positions") {
  TempDir dir;
  const auto file = dir.write("broadcaster.yaml", R"(inbound:
  program: Example
  contact: example.org
  endpoints:
    twilio:
      type: twilio
      public_url: https://sms.example.org/a
      public_url: https://sms.example.org/b
)");
  CHECK_THROWS_WITH(load_config(file),
                    Catch::Contains("broadcaster.yaml:8:7: duplicate key 'public_url' (first at 7:7)"));
}

TEST_CASE("a long key is refused at once, so no message quotes it whole") {
  TempDir dir;
  const auto file = dir.write("broadcaster.yaml", "channels:\n  \"" + std::string(1000, 'c') + "\": {type: console}\n");
  try {
    (void)load_config(file);
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("broadcaster.yaml:2:3: a key of 1000 bytes ('cccc"));
    CHECK(std::string(e.what()).size() < file.string().size() + 200);
  }
}

TEST_CASE("the calendar folder defaults to calendar/ beside the configuration") {
  TempDir dir;
  auto cfg = load_config(dir.write("config/broadcaster.yaml", "currency: USD\n"));
  CHECK(cfg.calendar_dir == (dir.path() / "config" / "calendar").lexically_normal());
  cfg = load_config(dir.write("config/broadcaster.yaml", "calendar_dir: ../partners/calendar\n"));
  CHECK(cfg.calendar_dir == (dir.path() / "partners" / "calendar").lexically_normal());
}
