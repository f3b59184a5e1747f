// The `inbound:` section (webhooks, keyword replies, abuse limits) and the
// per-channel cost settings: values, defaults, and located errors.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "config_error.h"
#include "support/temp_dir.h"
#include "util/errors.h"

using broadcaster::ConfigError;
using broadcaster::config::load_config;
using broadcaster::testing::TempDir;

TEST_CASE("the inbound section is read with its endpoints, overrides and limits") {
  TempDir dir;
  const auto file = dir.write("config/broadcaster.yaml", R"(inbound:
  listen: 127.0.0.1:8088
  keywords: keywords.yaml
  program: Valley Immigrant Legal Network
  contact: "(559) 555-0100"
  default_language: es
  double_opt_in: false
  numbers:
    "+15595550100": {double_opt_in: true}
    "+1 559 555 0111": {program: Centro Legal de Merced, contact: "(209) 555-0123", default_language: hmn}
  reply_regions: [US, MX]
  replies_per_hour: 3
  remember_hours: 48
  limits: {body_bytes: 4096, request_timeout_ms: 2000}
  endpoints:
    twilio:
      type: twilio
      public_url: https://sms.example.org/twilio/sms
      auth_token_env: TWILIO_AUTH_TOKEN
channels:
  sms:
    type: twilio
    max_segments: 3
    price_per_segment: 0.0079
)");
  const auto cfg = load_config(file);
  const auto& in = cfg.inbound;
  CHECK(in.listen == "127.0.0.1:8088");
  CHECK(in.keywords_file == (dir.path() / "config" / "keywords.yaml").lexically_normal());
  CHECK(in.program == "Valley Immigrant Legal Network");
  CHECK(in.contact == "(559) 555-0100");
  CHECK(in.default_language == "es");
  CHECK(in.for_number("+15595550100").double_opt_in);
  CHECK(in.for_number("+15595550100").program == "Valley Immigrant Legal Network");  // the section's
  CHECK_FALSE(in.for_number("+15595550101").double_opt_in);
  // Each number speaks for its own program; Kannel writes it without '+'.
  const auto merced = in.for_number("15595550111");
  CHECK(merced.program == "Centro Legal de Merced");
  CHECK(merced.contact == "(209) 555-0123");
  CHECK(merced.default_language == "hmn");
  CHECK_FALSE(merced.double_opt_in);
  CHECK(in.for_number("+15595550199").default_language == "es");
  CHECK(in.reply_regions == std::vector<std::string>{"US", "MX"});
  CHECK(in.replies_per_hour == 3);
  CHECK(in.remember == std::chrono::hours(48));
  CHECK(in.limits.body_bytes == 4096);
  CHECK(in.limits.header_bytes == 8 * 1024);  // default kept
  CHECK(in.limits.request_timeout == std::chrono::milliseconds(2000));
  REQUIRE(in.endpoints.size() == 1);
  CHECK(in.endpoints[0].name == "twilio");
  CHECK(in.endpoints[0].type == "twilio");
  CHECK(in.endpoints[0].options.at("public_url") == "https://sms.example.org/twilio/sms");
  CHECK_THAT(in.endpoints[0].source, Catch::EndsWith("broadcaster.yaml:17:7"));
  CHECK(cfg.channels.at("sms").max_segments == 3);
  CHECK(cfg.channels.at("sms").price_per_segment == Approx(0.0079));
  CHECK(cfg.currency == "USD");
}

TEST_CASE("the webhook door's limits and trusted proxies are read, with defaults") {
  TempDir dir;
  SECTION("defaults") {
    const auto cfg = load_config(dir.write("broadcaster.yaml", "inbound:\n  program: P\n  contact: C\n"));
    const auto& limits = cfg.inbound.limits;
    CHECK(limits.header_timeout == std::chrono::milliseconds(5000));
    CHECK(limits.idle_timeout == std::chrono::milliseconds(5000));
    CHECK(limits.max_connections == 256);
    CHECK(limits.max_connections_per_client == 32);
    CHECK(cfg.inbound.trusted_proxies.empty());
  }
  SECTION("a short request deadline shortens the default header deadline with it") {
    const auto cfg = load_config(
        dir.write("broadcaster.yaml", "inbound:\n  program: P\n  contact: C\n  limits: {request_timeout_ms: 2000}\n"));
    CHECK(cfg.inbound.limits.header_timeout == std::chrono::milliseconds(2000));
  }
  SECTION("set") {
    const auto cfg = load_config(dir.write("broadcaster.yaml", R"(inbound:
  program: P
  contact: C
  limits:
    request_timeout_ms: 8000
    header_timeout_ms: 2000
    idle_timeout_ms: 1500
    max_connections: 512
    max_connections_per_client: 16
  trusted_proxies: [127.0.0.1, 10.0.0.0/8, "fd00::/8"]
)"));
    const auto& limits = cfg.inbound.limits;
    CHECK(limits.request_timeout == std::chrono::milliseconds(8000));
    CHECK(limits.header_timeout == std::chrono::milliseconds(2000));
    CHECK(limits.idle_timeout == std::chrono::milliseconds(1500));
    CHECK(limits.max_connections == 512);
    CHECK(limits.max_connections_per_client == 16);
    std::vector<std::string> proxies;
    for (const auto& range : cfg.inbound.trusted_proxies) proxies.push_back(range.to_string());
    CHECK(proxies == std::vector<std::string>{"127.0.0.1/32", "10.0.0.0/8", "fd00::/8"});
  }
  SECTION("a single proxy may be written without a list") {
    const auto cfg = load_config(
        dir.write("broadcaster.yaml", "inbound:\n  program: P\n  contact: C\n  trusted_proxies: 192.0.2.10\n"));
    REQUIRE(cfg.inbound.trusted_proxies.size() == 1);
    CHECK(cfg.inbound.trusted_proxies[0].to_string() == "192.0.2.10/32");
  }
}

TEST_CASE("without an inbound section serve runs no webhook server") {
  TempDir dir;
  const auto cfg = load_config(dir.write("broadcaster.yaml", "channels:\n  sms: {type: console}\n"));
  CHECK(cfg.inbound.listen.empty());
  CHECK(cfg.inbound.endpoints.empty());
}

TEST_CASE("inbound and cost mistakes are reported with file, line and column") {
  struct Case {
    const char* label;
    const char* yaml;
    const char* position;  // expected "line:column"
    const char* fragment;  // expected in the message
  };
  const Case cases[] = {
      {"misspelt key", "inbound:\n  program: P\n  contact: C\n  replies_per_huor: 3\n", "4:3",
       "did you mean 'replies_per_hour'?"},
      {"no program", "inbound:\n  contact: C\n", "2:3", "'program'"},
      {"listen without endpoints", "inbound:\n  program: P\n  contact: C\n  listen: 127.0.0.1:8088\n", "4:11",
       "no 'endpoints'"},
      {"negative reply cap", "inbound:\n  program: P\n  contact: C\n  replies_per_hour: -1\n", "4:21",
       "'replies_per_hour' must be 0"},
      {"endpoint option that is a list",
       "inbound:\n  program: P\n  contact: C\n  endpoints:\n    twilio:\n      type: twilio\n      public_url: [a]\n",
       "7:19", "must be a single value"},
      {"endpoint without a type", "inbound:\n  program: P\n  contact: C\n  endpoints:\n    twilio:\n      path: /x\n",
       "6:7", "missing required key 'type'"},
      {"tiny body limit", "inbound:\n  program: P\n  contact: C\n  limits: {body_bytes: 10}\n", "4:24",
       "'body_bytes' must be at least 1024"},
      {"header deadline longer than the request's",
       "inbound:\n  program: P\n  contact: C\n  limits: {request_timeout_ms: 1000, header_timeout_ms: 2000}\n", "4:57",
       "at most 'request_timeout_ms' (1000)"},
      {"per-client cap above the total",
       "inbound:\n  program: P\n  contact: C\n  limits: {max_connections: 10, max_connections_per_client: 11}\n",
       "4:61", "at most 'max_connections' (10)"},
      {"per-client cap of zero", "inbound:\n  program: P\n  contact: C\n  limits: {max_connections_per_client: 0}\n",
       "4:40", "'max_connections_per_client' must be at least 1"},
      {"misspelt limit", "inbound:\n  program: P\n  contact: C\n  limits: {header_timout_ms: 1000}\n", "4:12",
       "did you mean 'header_timeout_ms'?"},
      {"a trusted proxy that is not an address",
       "inbound:\n  program: P\n  contact: C\n  trusted_proxies:\n    - 127.0.0.1\n    - proxy.example.org\n", "6:7",
       "'proxy.example.org' is not an IP address"},
      {"a trusted range with host bits", "inbound:\n  program: P\n  contact: C\n  trusted_proxies: [10.1.0.0/8]\n",
       "4:21", "did you mean 10.0.0.0/8?"},
      {"trusted proxies as a mapping", "inbound:\n  program: P\n  contact: C\n  trusted_proxies: {a: 1}\n", "4:20",
       "must be a list of addresses"},
      {"negative price", "channels:\n  sms:\n    type: twilio\n    price_per_segment: -1\n", "4:24",
       "must not be negative"},
      {"currency not ISO 4217", "currency: dollars\n", "1:11", "three-letter ISO 4217"},
      {"reply mode misspelt",
       "inbound:\n  program: P\n  contact: C\n  endpoints:\n    twilio: {type: twilio, replies: outbund}\n", "5:37",
       "'replies' must be in_answer"},
      {"outbound replies without a channel",
       "inbound:\n  program: P\n  contact: C\n  endpoints:\n    twilio: {type: twilio, replies: outbound}\n", "5:37",
       "needs 'reply_channel'"},
      {"reply channel that is not configured",
       "channels:\n  sms: {type: console}\ninbound:\n  program: P\n  contact: C\n  endpoints:\n    twilio:\n"
       "      type: twilio\n      replies: outbound\n      reply_channel: smss\n",
       "10:22", "names no channel in 'channels:' (sms)"},
      {"reply channel in answer mode",
       "channels:\n  sms: {type: console}\ninbound:\n  program: P\n  contact: C\n  endpoints:\n"
       "    twilio: {type: twilio, reply_channel: sms}\n",
       "7:43", "only used with 'replies: outbound'"},
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

TEST_CASE("the shipped broadcaster.yaml spells out the inbound defaults") {
  const auto cfg = load_config(BC_SOURCE_DIR "/config/broadcaster.yaml");
  const auto& limits = cfg.inbound.limits;
  const broadcaster::config::InboundLimits defaults;
  CHECK(limits.header_timeout == defaults.header_timeout);
  CHECK(limits.idle_timeout == defaults.idle_timeout);
  CHECK(limits.max_connections == defaults.max_connections);
  CHECK(limits.max_connections_per_client == defaults.max_connections_per_client);
  CHECK(cfg.inbound.trusted_proxies.empty());  // commented out: providers connect directly
}

TEST_CASE("each endpoint says how its keyword replies go out, and keeps those keys out of its own options") {
  TempDir dir;
  const auto cfg = load_config(dir.write("broadcaster.yaml", R"(channels:
  sms: {type: console}
inbound:
  program: P
  contact: C
  endpoints:
    twilio: {type: twilio, public_url: "https://sms.example.org/twilio/sms", replies: outbound, reply_channel: sms}
    kannel: {type: kannel, replies: in_answer}
    other: {type: kannel, path: /other}
)"));
  using broadcaster::config::ReplyMode;
  CHECK(cfg.inbound.reply_settings("twilio").mode == ReplyMode::Outbound);
  CHECK(cfg.inbound.reply_settings("twilio").channel == "sms");
  CHECK(cfg.inbound.reply_settings("kannel").mode == ReplyMode::InAnswer);
  CHECK(cfg.inbound.reply_settings("other").mode == ReplyMode::InAnswer);  // the default
  for (const auto& e : cfg.inbound.endpoints) {
    CHECK(e.options.count("replies") == 0);
    CHECK(e.options.count("reply_channel") == 0);
  }
}
