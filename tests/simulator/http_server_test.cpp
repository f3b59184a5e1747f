// The Beast server in-process: keep-alive, bounds, a delay that does not
// block the loop, the connection limit and stop().
#include "simulator/http_server.h"

#include <poll.h>

#include <boost/asio/connect.hpp>
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
    thread_ = std::thread([this] { io_.run(); });
  }
  ~InProcessSim() { stop(); }

  InProcessSim(const InProcessSim&) = delete;
  InProcessSim& operator=(const InProcessSim&) = delete;

  /// Stops the server on its own thread and waits for run() to return.
  void stop() {
    if (!thread_.joinable()) return;
    net::post(io_, [this] { server_.stop(); });
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string messages_url() const {
    return url("/2010-04-01/Accounts/" + std::string(kSid) + "/Messages.json");
  }
  unsigned short port() const noexcept { return port_; }
  /// Only after stop(): the simulator's state, no longer touched by the loop.
  const sim::Simulator& simulator() const noexcept { return simulator_; }
  const sim::HttpServer& server() const noexcept { return server_; }

 private:
  net::io_context io_{1};
  sim::Simulator simulator_;
  sim::HttpServer server_;
  unsigned short port_ = 0;
  std::thread thread_;
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
    CHECK(json::parse(r.body).at("status") == 413);
  }
  SECTION("headers") {
    // The path alone exceeds the header limit.
    const auto r = http_request("GET", s.url("/sim/" + std::string(2000, 'a')));
    CHECK(r.status == 431);
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

  s.stop();  // closes the held connection; run() returns
  const HttpResult r = held.get();
  CHECK(r.status == 0);  // no answer: the connection was closed
}

TEST_CASE("connections beyond max_connections are closed", "[simulator][http_server]") {
  sim::SimOptions o;
  o.max_connections = 1;
  InProcessSim s(o);

  net::io_context client_io;
  net::ip::tcp::socket occupant(client_io);
  occupant.connect({net::ip::make_address("127.0.0.1"), s.port()});
  // The occupant holds the only slot once the server has accepted it; until
  // then a request may still get through, so wait for the first refusal.
  CHECK(wait_for([&] { return http_request("GET", s.url("/sim/stats")).status == 0; }));

  occupant.close();
  CHECK(wait_for([&] { return http_request("GET", s.url("/sim/stats")).status == 200; }));
  s.stop();
  CHECK(s.server().refused_connections() >= 1);
}

TEST_CASE("an idle connection is closed after the read timeout", "[simulator][http_server]") {
  sim::SimOptions o;
  o.read_timeout_ms = 50;
  InProcessSim s(o);

  net::io_context client_io;
  net::ip::tcp::socket idle(client_io);
  idle.connect({net::ip::make_address("127.0.0.1"), s.port()});
  // The server gives up on the silent client: its end reads EOF. poll()
  // bounds the wait in case it does not.
  pollfd p{idle.native_handle(), POLLIN, 0};
  REQUIRE(poll(&p, 1, 20000) == 1);
  char byte = 0;
  boost::system::error_code ec;
  idle.read_some(net::buffer(&byte, 1), ec);
  CHECK(ec == net::error::eof);
}
