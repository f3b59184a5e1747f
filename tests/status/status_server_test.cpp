// The status page's listener over loopback, with a real redis-server
// behind it: the page and its assets are small, self-contained and
// hardened; the data needs the token; a Redis that is away is said, not
// hung on.
#include "status/status_server.h"

#include <catch2/catch.hpp>

#include "support/http_get.h"
#include "support/io_loop.h"
#include "support/process.h"
#include "support/redis_server.h"

using namespace broadcaster;

namespace {

constexpr const char* kToken = "status-server-test-token-42";

channels::EnvLookup token_env() {
  return [](const std::string&) -> std::optional<std::string> { return kToken; };
}

/// A StatusServer on a loopback port, reading `endpoint`.
struct Page {
  testing::IoLoop loop;
  std::shared_ptr<status::SnapshotCache> cache;
  std::unique_ptr<status::StatusServer> server;
  std::string base;

  explicit Page(const store::RedisEndpoint& endpoint)
      : cache(std::make_shared<status::SnapshotCache>(endpoint, store::Keys("t:"),
                                                      status::SnapshotScope{"America/Los_Angeles", "test:1"})) {
    server = std::make_unique<status::StatusServer>(loop.io, status::AccessToken::from_environment("T", token_env()),
                                                    cache);
    const auto bound = loop.on_loop([&] { return server->listen({boost::asio::ip::make_address("127.0.0.1"), 0}); });
    base = "http://127.0.0.1:" + std::to_string(bound.port());
  }
  ~Page() {
    loop.on_loop([&] {
      server->stop();
      return 0;
    });
  }
};

}  // namespace

TEST_CASE("the page is a few KB, takes nothing from elsewhere, and forbids framing and outside scripts",
          "[status][status_server]") {
  testing::RedisServer redis;
  Page page(redis.endpoint());
  std::size_t total = 0;
  for (const char* path : {"/", "/status.css", "/status.js"}) {
    const auto a = testing::http_request("GET", page.base + path);
    INFO(path);
    REQUIRE(a.status == 200);
    total += a.body.size();
    CHECK_THAT(a.body, !Catch::Contains("http://") && !Catch::Contains("https://") && !Catch::Contains("\"//"));
    CHECK_THAT(a.headers, Catch::Contains("Content-Security-Policy: default-src 'none'; script-src 'self'") &&
                              Catch::Contains("frame-ancestors 'none'"));
    CHECK_THAT(a.headers, Catch::Contains("X-Content-Type-Options: nosniff"));
  }
  CHECK(total < 16 * 1024);
  const auto html = testing::http_request("GET", page.base + "/");
  CHECK_THAT(html.headers, Catch::Contains("text/html; charset=utf-8"));
  CHECK_THAT(html.body, Catch::Contains("name=\"viewport\""));  // readable on a phone
  CHECK(testing::http_request("GET", page.base + "/index.html").body == html.body);
  CHECK(testing::http_request("GET", page.base + "/metrics").status == 404);
  CHECK(testing::http_request("POST", page.base + "/status.json", {}, "x").status == 405);
}

TEST_CASE("status.json needs the bearer token and is not cached", "[status][status_server]") {
  testing::RedisServer redis;
  Page page(redis.endpoint());
  const auto none = testing::http_request("GET", page.base + "/status.json");
  CHECK(none.status == 401);
  CHECK_THAT(none.headers, Catch::Contains("WWW-Authenticate: Bearer"));
  CHECK_THAT(none.body, !Catch::Contains("campaigns"));
  CHECK(testing::http_request("GET", page.base + "/status.json", {"Authorization: Bearer not-it"}).status == 401);
  CHECK(testing::http_request("GET", page.base + "/status.json?token=" + std::string(kToken)).status == 401);

  const auto ok =
      testing::http_request("GET", page.base + "/status.json", {"Authorization: Bearer " + std::string(kToken)});
  REQUIRE(ok.status == 200);
  CHECK_THAT(ok.headers, Catch::Contains("Cache-Control: no-store"));
  const auto body = nlohmann::json::parse(ok.body);
  CHECK(body["campaigns"].empty());
  CHECK(body["today"]["opt_outs"] == 0);
  CHECK(body["answered_by"] == "test:1");
}

TEST_CASE("with Redis away the data route answers 503 saying so, and recovers when it is back",
          "[status][status_server]") {
  testing::RedisServer redis;
  Page page(redis.endpoint());
  const std::vector<std::string> auth{"Authorization: Bearer " + std::string(kToken)};
  REQUIRE(testing::http_request("GET", page.base + "/status.json", auth).status == 200);
  redis.kill9();
  std::this_thread::sleep_for(status::kFreshFor + std::chrono::milliseconds(100));  // past the cached snapshot
  const auto away = testing::http_request("GET", page.base + "/status.json", auth);
  CHECK(away.status == 503);
  CHECK_THAT(away.body, Catch::Contains("cannot reach Redis"));
  // The page itself is still served, so it can say that serve is cut off.
  CHECK(testing::http_request("GET", page.base + "/").status == 200);
  redis.restart();
  CHECK(testing::wait_for_condition(
      [&] { return testing::http_request("GET", page.base + "/status.json", auth).status == 200; },
      std::chrono::seconds(10)));
}
