// The webhook server in process, on loopback, with a real Redis: provider
// authentication, routing, replies and limits as a provider would meet them,
// and the door staying open while one client floods it.
#include "inbound/webhook_server.h"

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "channels/http_message.h"
#include "channels/registry.h"
#include "channels/twilio/twilio_signature.h"
#include "inbound/inbound_fixture.h"
#include "store/subscriber_store.h"
#include "support/http_get.h"
#include "support/process.h"
#include "support/slowloris.h"

using namespace broadcaster;

namespace {

constexpr const char* kToken = "test-auth-token-0123456789";
constexpr const char* kSecret = "kannel-shared-secret";

/// A webhook server running on its own io thread; `limits` is the flow
/// mapping of inbound.limits.
struct Running {
  explicit Running(const std::string& limits = "{body_bytes: 2048}")
      : cfg(testing::inbound_config(
            dir, server,
            "  listen: 127.0.0.1:0\n"
            "  limits: " +
                limits +
                "\n"
                "  endpoints:\n"
                "    twilio: {type: twilio, public_url: \"https://sms.example.org/twilio/sms\", "
                "auth_token_env: TOKEN}\n"
                "    kannel: {type: kannel, secret_env: SECRET}\n")) {
    std::vector<std::unique_ptr<channels::InboundEndpoint>> endpoints;
    const channels::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "TOKEN") return kToken;
      if (name == "SECRET") return kSecret;
      return std::nullopt;
    };
    for (const auto& s : cfg.inbound.endpoints) endpoints.push_back(channels::make_inbound_endpoint(s, env));
    webhooks = std::make_unique<inbound::WebhookServer>(io, cfg, server.endpoint(), std::move(endpoints),
                                                        testing::shipped_keywords(), std::nullopt);
    base = "http://127.0.0.1:" + std::to_string(webhooks->start().port());
    thread = std::thread([this] { io.run(); });
  }
  ~Running() {
    boost::asio::post(io, [this] { webhooks->stop(); });
    thread.join();
  }

  /// POSTs a Twilio inbound-SMS webhook from `source`; `signature`
  /// overrides the right one.
  testing::HttpAnswer twilio(const std::string& from, const std::string& body, const std::string& sid,
                             std::optional<std::string> signature = std::nullopt,
                             const std::string& source = "127.0.0.1") {
    const std::vector<std::pair<std::string, std::string>> form{
        {"MessageSid", sid}, {"SmsSid", sid},        {"AccountSid", "ACa0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0"},
        {"From", from},      {"To", "+15595550100"}, {"Body", body},
        {"NumMedia", "0"}};
    const std::string sig =
        signature.value_or(channels::twilio_signature("https://sms.example.org/twilio/sms", form, kToken));
    std::vector<std::string> headers{"Content-Type: application/x-www-form-urlencoded"};
    if (!sig.empty()) headers.push_back("X-Twilio-Signature: " + sig);
    return testing::http_request("POST", base + "/twilio/sms", headers, channels::form_encode(form), source);
  }

  unsigned short port() const { return static_cast<unsigned short>(std::stoi(base.substr(base.rfind(':') + 1))); }

  store::SubscriberStore subscribers() { return store::SubscriberStore(redis, store::Keys("in:")); }

  testing::TempDir dir;
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  config::Config cfg;
  boost::asio::io_context io;
  std::unique_ptr<inbound::WebhookServer> webhooks;
  std::string base;
  std::thread thread;
};

util::Phone phone(const char* number) { return *util::Phone::parse(number, "US"); }

/// Raises this process's soft open-file limit to the hard one: the flood's
/// client sockets live in the test process too.
void raise_open_file_limit() {
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  limit.rlim_cur = limit.rlim_max;
  REQUIRE(setrlimit(RLIMIT_NOFILE, &limit) == 0);
}

}  // namespace

TEST_CASE("a signed Twilio webhook is acted on and answered with TwiML") {
  Running r;
  const auto answer = r.twilio("+15595550142", "ÚNETE", "SM00000000000000000000000000000001");
  CHECK(answer.status == 200);
  CHECK(answer.body.find("<Response><Message>") != std::string::npos);
  CHECK(answer.body.find("ALTO") != std::string::npos);
  CHECK(r.subscribers().get(phone("+15595550142"))->status == "active");

  // The provider retries the same message (it never got the first answer):
  // acted on once, and answered with the same reply, which is then the only
  // one delivered (inbound/reply_dispatch.h).
  const auto retry = r.twilio("+15595550142", "ÚNETE", "SM00000000000000000000000000000001");
  CHECK(retry.status == 200);
  CHECK(retry.body == answer.body);
}

TEST_CASE("an answer without a reply says why the reply was withheld") {
  Running r;
  // The cap is 5 replies per number per hour: the sixth HELP gets none.
  for (int i = 1; i <= 5; ++i) {
    const auto answer = r.twilio("+15595550143", "HELP", "SM0000000000000000000000000000010" + std::to_string(i));
    CHECK(answer.body.find("<Message>") != std::string::npos);
    CHECK(answer.headers.find("X-Broadcaster-Reply-Withheld") == std::string::npos);
  }
  const auto sixth = r.twilio("+15595550143", "HELP", "SM00000000000000000000000000000106");
  CHECK(sixth.status == 200);
  CHECK(sixth.body.find("<Message>") == std::string::npos);
  CHECK_THAT(sixth.headers, Catch::Contains("X-Broadcaster-Reply-Withheld: reply cap of 5 per hour reached"));
  // The opt-out confirmation is never withheld.
  const auto stop = r.twilio("+15595550143", "STOP", "SM00000000000000000000000000000107");
  CHECK(stop.body.find("<Message>") != std::string::npos);
}

TEST_CASE("unsigned or wrongly signed Twilio webhooks get 403 and change nothing") {
  Running r;
  CHECK(r.twilio("+15595550143", "STOP", "SM00000000000000000000000000000002", "").status == 403);
  CHECK(r.twilio("+15595550143", "STOP", "SM00000000000000000000000000000003", "bm90IHRoZSByaWdodCBvbmU=").status ==
        403);
  CHECK_FALSE(r.subscribers().opted_out(phone("+15595550143")));
  // Signed for another URL (a replay against another deployment) is wrong too.
  const std::vector<std::pair<std::string, std::string>> form{{"From", "+15595550143"}, {"Body", "STOP"}};
  CHECK(r.twilio("+15595550143", "STOP", "SM00000000000000000000000000000004",
                 channels::twilio_signature("https://elsewhere.example.org/twilio/sms", form, kToken))
            .status == 403);
  CHECK_FALSE(r.subscribers().opted_out(phone("+15595550143")));
}

TEST_CASE("Kannel MO with the shared secret is acted on; without it, refused") {
  Running r;
  const std::string query = "from=%2B15595550144&to=%2B15595550100&text=ALTO&time=1764000000&id=k-1";
  CHECK(testing::http_request("GET", r.base + "/kannel/mo?secret=wrong&" + query).status == 403);
  CHECK(testing::http_request("GET", r.base + "/kannel/mo?" + query).status == 403);
  CHECK_FALSE(r.subscribers().opted_out(phone("+15595550144")));
  const auto ok = testing::http_request("GET", r.base + "/kannel/mo?secret=" + std::string(kSecret) + "&" + query);
  CHECK(ok.status == 200);
  CHECK_FALSE(ok.body.empty());  // the one opt-out confirmation, as the reply SMS
  CHECK(r.subscribers().opted_out(phone("+15595550144")));
}

TEST_CASE("malformed, oversized and misrouted requests get 4xx and the server keeps serving") {
  Running r;
  CHECK(testing::http_request("POST", r.base + "/nowhere", {}, "x").status == 404);
  CHECK(testing::http_request("POST", r.base + "/twilio/sms", {"Content-Type: application/x-www-form-urlencoded"},
                              std::string(4096, 'a'))
            .status == 413);
  CHECK(testing::http_request("POST", r.base + "/twilio/sms", {"Content-Type: application/x-www-form-urlencoded"},
                              "%%%=&&=")
            .status >= 400);
  CHECK(testing::http_request("GET", r.base + "/healthz").status == 200);
  CHECK(r.twilio("+15595550145", "HELP", "SM00000000000000000000000000000005").status == 200);
}

TEST_CASE("a missing reply template stops the webhook server at start, not at the first text") {
  testing::TempDir dir;
  testing::RedisServer server;
  config::Config cfg = testing::inbound_config(dir, server);
  cfg.inbound.listen = "127.0.0.1:0";
  cfg.templates_dir = dir.path();  // holds no keyword-* templates
  boost::asio::io_context io;
  inbound::WebhookServer webhooks(io, cfg, server.endpoint(), {}, testing::shipped_keywords(), std::nullopt);
  CHECK_THROWS_AS(webhooks.start(), ConfigError);
}

TEST_CASE("a 2,000-connection slowloris from one address does not shut out another's webhooks", "[flood]") {
  constexpr std::size_t kFlood = 2000;
  constexpr int kWebhooks = 200;
  raise_open_file_limit();
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  REQUIRE(limit.rlim_cur > kFlood + 500);  // the flood's sockets, the server's, Redis's, curl's

  // The shipped caps (256 in all, 32 per client); a short header deadline so
  // the flood's held connections are cut and retaken during the test.
  Running r("{header_timeout_ms: 1000, max_connections: 256, max_connections_per_client: 32}");
  const std::size_t per_client = r.cfg.inbound.limits.max_connections_per_client;

  testing::Slowloris flood(r.port(), "127.0.0.1", kFlood, /*max_attempts=*/400000, std::chrono::minutes(3));
  // Every flood socket has reached the server at least once.
  REQUIRE(testing::wait_for_condition([&] { return flood.connected() >= kFlood; }, std::chrono::seconds(60)));

  int answered = 0;
  for (int i = 0; i < kWebhooks; ++i) {
    const std::string from = "+155955501" + std::to_string(10 + i % 90);  // +1 559 555 0110..0199
    const std::string n = std::to_string(i);
    const std::string sid = "SM" + std::string(32 - n.size(), '0') + n;
    const auto answer = r.twilio(from, i % 2 == 0 ? "STOP" : "HELP", sid, std::nullopt, "127.0.0.2");
    if (answer.status == 200) ++answered;
  }
  // The flood kept going the whole time, its held connections cut by the
  // header deadline and retaken.
  CHECK(flood.flooding());
  CHECK(testing::wait_for_condition([&] { return r.webhooks->counters().header_timeouts >= per_client; },
                                    std::chrono::seconds(30)));
  flood.stop();

  INFO("answered " << answered << " of " << kWebhooks << "; flood made " << flood.attempts() << " connections");
  CHECK(answered * 100 >= kWebhooks * 99);
  const http::ServerCounters c = r.webhooks->counters();
  CHECK(c.refused_per_client >= kFlood - per_client);  // all but its cap refused at accept
  CHECK(c.refused_total == 0);                         // the cap per client kept the flood below the total
  CHECK(c.refused_fair_share == 0);                    // and below the crowded quarter
  CHECK(c.accept_failures == 0);
}

TEST_CASE("two inbound endpoints on one path are refused when serve starts") {
  testing::TempDir dir;
  testing::RedisServer server;
  const config::Config cfg = testing::inbound_config(
      dir, server,
      "  listen: 127.0.0.1:0\n"
      "  endpoints:\n"
      "    twilio: {type: twilio, public_url: \"https://sms.example.org/hooks/in\", auth_token_env: TOKEN, "
      "status_url: \"https://sms.example.org/hooks/mo\"}\n"
      "    kannel: {type: kannel, secret_env: SECRET, path: /hooks/mo}\n");
  const channels::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "TOKEN") return kToken;
    if (name == "SECRET") return kSecret;
    return std::nullopt;
  };
  std::vector<std::unique_ptr<channels::InboundEndpoint>> endpoints;
  for (const auto& s : cfg.inbound.endpoints) endpoints.push_back(channels::make_inbound_endpoint(s, env));
  boost::asio::io_context io;
  CHECK_THROWS_WITH(inbound::WebhookServer(io, cfg, server.endpoint(), std::move(endpoints),
                                           testing::shipped_keywords(), std::nullopt),
                    Catch::Matchers::Contains("both use the path /hooks/mo"));
}
