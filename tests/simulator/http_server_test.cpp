// The simulator on http::Server, in-process: keep-alive, its JSON answers to
// oversized requests, a delay that does not block the loop, and stop() with
// replies still held back. The server's generic behaviour (deadlines,
// connection limit, malformed input) is tested in tests/http.
#include "simulator/http_server.h"

#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "channels/http_message.h"
#include "http_client.h"

namespace sim = broadcaster::simulator;
namespace net = boost::asio;
using broadcaster::simulator::test::Client;
using broadcaster::simulator::test::http_request;
using broadcaster::simulator::test::HttpResult;
using broadcaster::simulator::test::RequestOptions;
using nlohmann::json;

namespace {

constexpr const char* kSid = "AC0123456789abcdef0123456789abcdef";

/// The simulator served on 127.0.0.1:<free port> by a background thread
/// running the io_context; the destructor stops it and joins.
class InProcessSim {
 public:
  explicit InProcessSim(const sim::SimOptions& options)
      : simulator_(options), server_(io_, simulator_, sim::limits_from(options)) {
    port_ = server_.listen({net::ip::make_address("127.0.0.1"), 0}).port();
    server_.start();
    running_ = std::async(std::launch::async, [this] { io_.run(); });
  }
  ~InProcessSim() { stop(); }

  InProcessSim(const InProcessSim&) = delete;
  InProcessSim& operator=(const InProcessSim&) = delete;

  /// Stops the server on its own thread and waits up to 20 s for run() to
  /// return. True if it did; false if the io_context had to be stopped.
  bool stop() {
    if (!running_.valid()) return stopped_by_itself_;
    net::post(io_, [this] { server_.stop(); });
    stopped_by_itself_ = running_.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
    if (!stopped_by_itself_) io_.stop();
    running_.get();
    return stopped_by_itself_;
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string messages_url() const {
    return url("/2010-04-01/Accounts/" + std::string(kSid) + "/Messages.json");
  }
  /// Only after stop(): the simulator's state, no longer touched by the loop.
  const sim::Simulator& simulator() const noexcept { return simulator_; }

 private:
  net::io_context io_{1};
  sim::Simulator simulator_;
  sim::HttpServer server_;
  unsigned short port_ = 0;
  std::future<void> running_;
  bool stopped_by_itself_ = false;
};

RequestOptions send_form(std::vector<std::pair<std::string, std::string>> form) {
  RequestOptions o;
  o.body = broadcaster::channels::form_encode(form);
  o.basic_auth = std::pair<std::string, std::string>{kSid, "sim-auth-token"};
  return o;
}

const std::vector<std::pair<std::string, std::string>> kGoodForm = {
    {"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", "Hi"}};

/// Polls `condition` until it holds or `deadline` passes; the deadline only
/// bounds failure.
bool wait_for(const std::function<bool()>& condition,
              std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

json stats(const InProcessSim& s) {
  return json::parse(http_request("GET", s.url("/sim/stats")).body);
}

}  // namespace

TEST_CASE("keep-alive: one connection serves many requests", "[simulator][http_server]") {
  InProcessSim s(sim::SimOptions{});
  Client client;
  const auto first = client.request("POST", s.messages_url(), send_form(kGoodForm));
  REQUIRE(first.status == 201);
  CHECK(first.new_connections == 1);
  for (int i = 0; i < 5; ++i) {
    const auto next = client.request("POST", s.messages_url(), send_form(kGoodForm));
    CHECK(next.status == 201);
    CHECK(next.new_connections == 0);
  }
  s.stop();
  CHECK(s.simulator().stats().accepted() == 6);
}

TEST_CASE("bodies and headers over the limits are refused", "[simulator][http_server]") {
  sim::SimOptions o;
  o.body_limit = 2048;
  o.header_limit = 1024;
  InProcessSim s(o);

  SECTION("body") {
    auto form = kGoodForm;
    form[2].second = std::string(4096, 'x');
    const auto r = http_request("POST", s.messages_url(), send_form(form));
    CHECK(r.status == 413);
    CHECK(r.header("Content-Type") == "application/json");
    CHECK(json::parse(r.body) ==
          json{{"status", 413}, {"message", "request body exceeds 2048 bytes"}});
  }
  SECTION("headers") {
    // The path alone exceeds the header limit.
    const auto r = http_request("GET", s.url("/sim/" + std::string(2000, 'a')));
    CHECK(r.status == 431);
    CHECK(r.header("Content-Type") == "application/json");
    CHECK(json::parse(r.body) ==
          json{{"status", 431}, {"message", "request headers exceed 1024 bytes"}});
  }
  SECTION("a body just under the limit is fine") {
    auto form = kGoodForm;
    form[2].second = std::string(1500, 'x');
    CHECK(http_request("POST", s.messages_url(), send_form(form)).status == 201);
  }
}

TEST_CASE("a delayed answer does not block other connections", "[simulator][http_server]") {
  sim::SimOptions o;
  o.delay_ms = 600000;  // held until stop() closes the connection
  InProcessSim s(o);

  auto held = std::async(std::launch::async, [&] {
    auto options = send_form(kGoodForm);
    options.timeout_ms = 60000;
    return http_request("POST", s.messages_url(), options);
  });
  // The loop keeps answering /sim/stats while the POST waits on its timer.
  CHECK(wait_for([&] { return stats(s).at("accepted") == 1; }));
  CHECK(held.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);

  CHECK(s.stop());  // drops the held reply, closes its connection; run() returns
  const HttpResult r = held.get();
  CHECK(r.status == 0);  // no answer: the connection was closed
}

TEST_CASE("the handler deadline leaves room for --delay-ms", "[simulator][http_server]") {
  struct Case {
    const char* label;
    unsigned delay_ms;
  };
  const Case cases[] = {{"no delay", 0}, {"one minute", 60000}, {"the largest delay", 600000}};
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      sim::SimOptions o;
      o.delay_ms = c.delay_ms;
      o.read_timeout_ms = 1234;
      const auto limits = sim::limits_from(o);
      CHECK(limits.handler_timeout >=
            std::chrono::milliseconds(c.delay_ms) + std::chrono::seconds(5));
      CHECK(limits.read_timeout == std::chrono::milliseconds(1234));
    }
  }
}
