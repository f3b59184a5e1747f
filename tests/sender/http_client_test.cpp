// Tests of the sender's HTTP client against the scripted loopback server:
// what arrives at the provider, what comes back, connection reuse, failure
// kinds, and tearing the client down with requests in flight.
// Each test runs its own io_context until a condition holds; the deadline
// only bounds a failure, no assertion depends on timing.
#include "sender/http_client.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "channels/http_message.h"
#include "support/http_test_server.h"

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using broadcaster::channels::HttpHeaders;
using broadcaster::channels::HttpRequest;
using broadcaster::sender::HttpClient;
using broadcaster::sender::HttpClientOptions;
using broadcaster::sender::HttpFailure;
using broadcaster::sender::HttpOutcome;
using broadcaster::testing::HttpTestServer;
using broadcaster::testing::RecordedRequest;
using broadcaster::testing::ScriptedResponse;

/// Bounds a failing test; passing tests finish long before.
constexpr auto kDeadline = 30s;

/// Runs `io` until `done()` holds or kDeadline passes; returns done().
bool run_until(asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_one_until(deadline);
  }
  return done();
}

/// Outcomes of `n` requests by index, and how often each callback ran.
struct Results {
  explicit Results(std::size_t n) : calls(n, 0), outcomes(n) {}

  HttpClient::Callback callback(std::size_t i) {
    return [this, i](HttpOutcome outcome) {
      ++calls[i];
      outcomes[i] = std::move(outcome);
    };
  }
  bool all_done() const {
    return std::all_of(calls.begin(), calls.end(), [](int c) { return c > 0; });
  }
  std::size_t total_calls() const {
    std::size_t total = 0;
    for (int c : calls) total += static_cast<std::size_t>(c);
    return total;
  }

  std::vector<int> calls;
  std::vector<HttpOutcome> outcomes;
};

/// Performs `request` and runs `io` until its callback has run.
HttpOutcome perform_one(asio::io_context& io, HttpClient& client, HttpRequest request) {
  Results results(1);
  client.perform(std::move(request), results.callback(0));
  REQUIRE(results.calls[0] == 0);  // never inline from perform
  REQUIRE(run_until(io, [&] { return results.all_done(); }));
  io.restart();
  io.poll();  // anything still queued must not call back a second time
  REQUIRE(results.calls[0] == 1);
  CHECK(client.in_flight() == 0);
  return std::move(results.outcomes[0]);
}

HttpRequest make_request(std::string method, std::string url, std::string body = {},
                         HttpHeaders headers = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  request.headers = std::move(headers);
  request.timeout = 10s;
  return request;
}

std::string base64_decode(std::string_view text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const auto value = kAlphabet.find(c);
    if (value == std::string_view::npos) return "<not base64>";
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

/// A loopback port nothing listens on (bound once, then released).
unsigned short closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace

TEST_CASE("requests arrive at the server as sent", "[http_client]") {
  struct Case {
    const char* label;
    HttpRequest request;
    std::optional<std::pair<std::string, std::string>> basic_auth;
  };
  const std::string form = broadcaster::channels::form_encode(
      {{"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", "Hola, ¿qué tal? 100% & más"}});
  const HttpHeaders form_type = {{"Content-Type", "application/x-www-form-urlencoded"},
                                 {"X-Request-Id", "abc-123"}};
  std::vector<Case> cases = {
      {"form POST with Basic auth",
       make_request("POST", "/2010-04-01/Accounts/AC123/Messages.json", form, form_type),
       std::pair<std::string, std::string>{"AC123", "s3cret:with:colons"}},
      {"4 KiB POST goes out without waiting for 100-continue",
       make_request("POST", "/big", std::string(4096, 'x'), form_type), std::nullopt},
      {"PUT with a JSON body",
       make_request("PUT", "/things/7", R"({"a":1})", {{"Content-Type", "application/json"}}),
       std::nullopt},
      {"GET without a body", make_request("GET", "/status?x=1"), std::nullopt},
      {"DELETE without a body", make_request("DELETE", "/things/7"), std::nullopt},
  };

  for (auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      HttpTestServer server;
      asio::io_context io;
      HttpClient client(io, HttpClientOptions{});
      HttpRequest request = c.request;
      const std::string target = request.url;
      request.url = server.url(target);
      request.basic_auth = c.basic_auth;

      const HttpOutcome outcome = perform_one(io, client, request);
      REQUIRE(outcome.failure == HttpFailure::None);
      CHECK(outcome.error.empty());
      CHECK(outcome.response.status == 200);

      const std::vector<RecordedRequest> seen = server.requests();
      REQUIRE(seen.size() == 1);
      const RecordedRequest& got = seen[0];
      CHECK(got.method == request.method);
      CHECK(got.target == target);
      CHECK(got.body == request.body);
      for (const auto& [name, value] : request.headers) {
        INFO("header " << name);
        CHECK(got.header(name) == value);
      }
      CHECK(got.header("User-Agent") == "broadcaster/0.1");
      CHECK_FALSE(got.header("Expect").has_value());
      if (c.basic_auth) {
        const auto authorization = got.header("Authorization");
        REQUIRE(authorization.has_value());
        REQUIRE(authorization->starts_with("Basic "));
        CHECK(base64_decode(authorization->substr(6)) ==
              c.basic_auth->first + ":" + c.basic_auth->second);
      } else {
        CHECK_FALSE(got.header("Authorization").has_value());
      }
    }
  }
}

TEST_CASE("responses come back with status, headers and body", "[http_client]") {
  struct Case {
    const char* label;
    ScriptedResponse reply;
  };
  const std::vector<Case> cases = {
      {"201 JSON",
       {201, {{"Content-Type", "application/json"}}, R"({"sid":"SM123","status":"queued"})"}},
      {"400 with a provider error code",
       {400, {{"Content-Type", "application/json"}}, R"({"code":21211,"message":"bad To"})"}},
      {"429 with Retry-After", {429, {{"Retry-After", "7"}}, "slow down"}},
      {"503 HTML page", {503, {{"Content-Type", "text/html"}}, "<html>down</html>"}},
      {"204 without a body", {204, {{"X-Empty", ""}}, ""}},
  };

  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      HttpTestServer server;
      server.enqueue(c.reply);
      asio::io_context io;
      HttpClient client(io, HttpClientOptions{});

      const HttpOutcome outcome = perform_one(io, client, make_request("POST", server.url("/m")));
      REQUIRE(outcome.failure == HttpFailure::None);
      CHECK(outcome.response.status == static_cast<long>(c.reply.status));
      CHECK(outcome.response.body == c.reply.body);
      for (const auto& [name, value] : c.reply.headers) {
        INFO("header " << name);
        CHECK(outcome.response.header(name) == value);
      }
      // Header names compare case-insensitively, and no status line slips in.
      if (c.reply.status == 429) CHECK(outcome.response.header("retry-after") == "7");
      for (const auto& [name, value] : outcome.response.headers) {
        CHECK_FALSE(name.starts_with("HTTP/"));
      }
    }
  }
}

TEST_CASE("many concurrent requests share a few kept-alive connections", "[http_client]") {
  constexpr std::size_t kRequests = 200;
  HttpTestServer server;
  server.set_responder([](const RecordedRequest& r) {
    return ScriptedResponse{200, {}, r.target};
  });
  asio::io_context io;
  HttpClientOptions options;
  options.max_connections = 4;
  options.max_in_flight = 64;  // the other 136 wait in the client's queue
  HttpClient client(io, options);

  Results results(kRequests);
  for (std::size_t i = 0; i < kRequests; ++i) {
    client.perform(make_request("POST", server.url("/n/" + std::to_string(i)), "i=1"),
                   results.callback(i));
  }
  CHECK(results.total_calls() == 0);  // never inline from perform
  CHECK(client.in_flight() == kRequests);

  REQUIRE(run_until(io, [&] { return results.all_done(); }));
  io.restart();
  io.poll();

  CHECK(client.in_flight() == 0);
  CHECK(server.request_count() == kRequests);
  CHECK(server.connections_accepted() <= options.max_connections);
  for (std::size_t i = 0; i < kRequests; ++i) {
    INFO("request " << i);
    CHECK(results.calls[i] == 1);
    CHECK(results.outcomes[i].failure == HttpFailure::None);
    CHECK(results.outcomes[i].response.body == "/n/" + std::to_string(i));
  }

  SECTION("a later batch reuses the same connections") {
    const std::size_t before = server.connections_accepted();
    Results again(8);
    for (std::size_t i = 0; i < 8; ++i) {
      client.perform(make_request("GET", server.url("/again")), again.callback(i));
    }
    REQUIRE(run_until(io, [&] { return again.all_done(); }));
    CHECK(server.connections_accepted() == before);
  }
}

TEST_CASE("a callback can start the next request", "[http_client]") {
  HttpTestServer server;
  asio::io_context io;
  HttpClient client(io, HttpClientOptions{});
  std::vector<long> statuses;
  std::function<void(HttpOutcome)> next = [&](HttpOutcome outcome) {
    statuses.push_back(outcome.response.status);
    if (statuses.size() < 5) client.perform(make_request("GET", server.url("/again")), next);
  };
  client.perform(make_request("GET", server.url("/first")), next);
  REQUIRE(run_until(io, [&] { return statuses.size() == 5; }));
  CHECK(statuses == std::vector<long>(5, 200));
  CHECK(server.connections_accepted() == 1);
  CHECK(client.in_flight() == 0);
}

TEST_CASE("failures are sorted for the retry decision", "[http_client]") {
  struct Case {
    const char* label;
    std::function<HttpRequest(HttpTestServer&)> request;
    HttpFailure expected;
  };
  const std::string password = "hunter2-do-not-log";
  const std::string header_secret = "Bearer tok-do-not-log";
  const std::vector<Case> cases = {
      {"nothing listens on the port: Connect",
       [](HttpTestServer&) {
         return make_request("POST", "http://127.0.0.1:" + std::to_string(closed_port()) + "/m");
       },
       HttpFailure::Connect},
      {"the server answers after the request timeout: Timeout",
       [](HttpTestServer& server) {
         server.enqueue(ScriptedResponse{200, {}, "late", 20s});
         HttpRequest r = make_request("POST", server.url("/slow"), "a=1");
         r.timeout = 300ms;
         return r;
       },
       HttpFailure::Timeout},
      {"the body is larger than the limit: Other",
       [](HttpTestServer& server) {
         server.enqueue(ScriptedResponse{200, {}, std::string(4096, 'b')});
         return make_request("GET", server.url("/big"));
       },
       HttpFailure::Other},
      {"a scheme other than HTTP(S): Other",
       [](HttpTestServer&) { return make_request("GET", "file:///etc/passwd"); },
       HttpFailure::Other},
      {"CR LF in a header value: Other",
       [](HttpTestServer& server) {
         return make_request("POST", server.url("/m"), "", {{"X-Injected", "a\r\nX-Evil: 1"}});
       },
       HttpFailure::Other},
      {"a timeout of zero: Other",
       [](HttpTestServer& server) {
         HttpRequest r = make_request("POST", server.url("/m"));
         r.timeout = 0ms;
         return r;
       },
       HttpFailure::Other},
  };

  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      HttpTestServer server;
      asio::io_context io;
      HttpClientOptions options;
      options.max_response_body = 1024;
      HttpClient client(io, options);
      HttpRequest request = c.request(server);
      request.basic_auth = std::pair<std::string, std::string>{"user", password};
      request.headers.emplace_back("Authorization-Extra", header_secret);

      const HttpOutcome outcome = perform_one(io, client, request);
      INFO("error: " << outcome.error);
      CHECK(outcome.failure == c.expected);
      CHECK_FALSE(outcome.error.empty());
      CHECK(outcome.error.find(password) == std::string::npos);
      CHECK(outcome.error.find(header_secret) == std::string::npos);
      CHECK(outcome.response.status == 0);
      CHECK(outcome.response.body.empty());
    }
  }
}

TEST_CASE("destroying the client with requests in flight is safe", "[http_client]") {
  HttpTestServer server;
  server.set_responder([](const RecordedRequest& r) {
    if (r.target == "/fast") return ScriptedResponse{200, {}, "fast"};
    return ScriptedResponse{200, {}, "slow", 20s};
  });
  asio::io_context io;
  HttpClientOptions options;
  options.max_in_flight = 4;
  auto client = std::make_unique<HttpClient>(io, options);

  SECTION("from outside: no callback runs, nothing is left in the io_context") {
    Results results(10);  // 4 at the server, 6 queued in the client
    for (std::size_t i = 0; i < 10; ++i) {
      client->perform(make_request("POST", server.url("/slow")), results.callback(i));
    }
    REQUIRE(run_until(io, [&] { return server.request_count() == 4; }));
    client.reset();
    io.restart();
    io.run_for(kDeadline);  // returns at once when no work is left
    CHECK(io.stopped());
    CHECK(results.total_calls() == 0);
  }

  SECTION("from inside a callback: the other requests are dropped") {
    Results results(3);
    client->perform(make_request("POST", server.url("/slow")), results.callback(0));
    client->perform(make_request("POST", server.url("/slow")), results.callback(1));
    REQUIRE(run_until(io, [&] { return server.request_count() == 2; }));
    client->perform(make_request("POST", server.url("/fast")), [&](HttpOutcome outcome) {
      results.callback(2)(std::move(outcome));
      client.reset();
    });
    REQUIRE(run_until(io, [&] { return results.calls[2] > 0; }));
    io.restart();
    io.run_for(kDeadline);
    CHECK(io.stopped());
    CHECK(results.calls == std::vector<int>{0, 0, 1});
    CHECK(results.outcomes[2].response.body == "fast");
  }
}

TEST_CASE("a host name goes through curl's resolver", "[http_client]") {
  // Real host names (api.twilio.com) are resolved on curl's resolver thread,
  // whose wake-up descriptor the client watches without owning it. The
  // machine's own name is the one name that resolves without a network.
  const std::string host = asio::ip::host_name();
  std::optional<HttpTestServer> server;
  try {
    asio::io_context resolve_io;
    asio::ip::tcp::resolver resolver(resolve_io);
    for (const auto& entry : resolver.resolve(asio::ip::tcp::v4(), host, "0")) {
      server.emplace(entry.endpoint().address().to_string());
      break;
    }
  } catch (const boost::system::system_error& e) {
    WARN("skipped: cannot listen on an address of '" << host << "': " << e.what());
  }
  if (!server) return;
  server->enqueue(ScriptedResponse{200, {}, "by name"});
  asio::io_context io;
  HttpClient client(io, HttpClientOptions{});
  const HttpOutcome outcome = perform_one(
      io, client,
      make_request("GET", "http://" + host + ":" + std::to_string(server->port()) + "/"));
  INFO("error: " << outcome.error);
  REQUIRE(outcome.failure == HttpFailure::None);
  CHECK(outcome.response.body == "by name");
}

TEST_CASE("a request that never gets a connection times out as Connect", "[http_client]") {
  // The first request holds the only slot until long after the test ends.
  struct Case {
    const char* label;
    std::size_t max_connections;
    std::size_t max_in_flight;
  };
  const std::vector<Case> cases = {
      {"waiting inside curl for a free connection", 1, 256},
      {"waiting in the client's queue", 32, 1},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      HttpTestServer server;
      server.set_responder([](const RecordedRequest&) {
        return ScriptedResponse{200, {}, "slow", 20s};
      });
      asio::io_context io;
      HttpClientOptions options;
      options.max_connections = c.max_connections;
      options.max_in_flight = c.max_in_flight;
      HttpClient client(io, options);

      Results results(2);
      client.perform(make_request("POST", server.url("/holds-the-slot")), results.callback(0));
      REQUIRE(run_until(io, [&] { return server.request_count() == 1; }));
      HttpRequest waiting = make_request("POST", server.url("/waits"));
      waiting.timeout = 300ms;
      client.perform(waiting, results.callback(1));
      REQUIRE(run_until(io, [&] { return results.calls[1] > 0; }));

      INFO("error: " << results.outcomes[1].error);
      CHECK(results.outcomes[1].failure == HttpFailure::Connect);
      CHECK(results.calls[0] == 0);  // the slot holder is still running
      CHECK(server.request_count() == 1);
      CHECK(client.in_flight() == 1);
    }
  }
}
