// http::Server over real loopback sockets: asynchronous answers, keep-alive
// and pipelining, the limits (413, 431, header, read, idle, handler and
// write deadlines, connections), malformed input, stop(), and the door
// staying open: per-client caps, fair share, trusted proxies, and accepts
// that fail for want of file descriptors.
#include "http/server.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "raw_client.h"
#include "server_harness.h"
#include "support/process.h"
#include "util/errors.h"

namespace bh = broadcaster::http;
namespace net = boost::asio;
using bh::test::RawClient;
using bh::test::request_text;
using bh::test::ServerHarness;
using Status = boost::beast::http::status;
using namespace std::chrono_literals;

namespace {

/// 200, text/plain, the request's target as the body.
bh::Response echo(const bh::Request& request, std::string body = {}) {
  if (body.empty()) body = std::string(request.target());
  return bh::make_response(Status::ok, "text/plain", std::move(body), request.keep_alive(), request.version());
}

/// What the handler saw, and the responds it kept for later; shared between
/// the loop's thread and the test's.
class Recorder {
 public:
  void note(const std::string& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void count_call() {
    std::lock_guard lock(mutex_);
    ++calls_;
  }
  void keep(bh::Respond respond) {
    {
      std::lock_guard lock(mutex_);
      kept_.push_back(std::move(respond));
    }
    changed_.notify_all();
  }
  /// The `index`th kept respond, waiting for it up to 20 s; throws if it
  /// never comes (the deadline only bounds failure).
  bh::Respond kept(std::size_t index) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, 20s, [&] { return kept_.size() > index; })) {
      throw std::runtime_error("the handler never kept a respond");
    }
    return kept_[index];
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  std::vector<bh::Respond> kept_;
  std::size_t calls_ = 0;
};

/// A handler that counts calls and answers echo() at once.
bh::Handler echo_handler(Recorder& recorder) {
  return [&recorder](bh::Request&& request, const net::ip::tcp::endpoint&, bh::Respond respond) {
    recorder.count_call();
    respond(echo(request));
  };
}

std::string body_of(const std::optional<bh::test::ParsedResponse>& response) {
  return response ? response->body() : std::string("<no response>");
}

}  // namespace

// --- asynchronous handlers ---------------------------------------------------

TEST_CASE("a handler may answer later, from a timer or from another thread", "[http][server]") {
  Recorder recorder;
  ServerHarness h;
  h.start([&](bh::Request&& request, const net::ip::tcp::endpoint&, bh::Respond respond) {
    if (request.target() == "/timer") {
      auto timer = std::make_shared<net::steady_timer>(h.io(), 20ms);
      timer->async_wait(
          [timer, respond, response = echo(request, "from the timer")](boost::system::error_code ec) mutable {
            if (!ec) respond(std::move(response));
          });
    } else if (request.target() == "/hold") {
      recorder.keep(std::move(respond));
    } else {
      respond(echo(request));
    }
  });

  SECTION("a timer") {
    RawClient client(h.port());
    REQUIRE(client.send(request_text("GET", "/timer")));
    const auto response = client.read_response();
    REQUIRE(response);
    CHECK(response->result() == Status::ok);
    CHECK(response->body() == "from the timer");
  }

  SECTION("another thread, while the loop serves other connections") {
    RawClient held(h.port());
    REQUIRE(held.send(request_text("GET", "/hold")));
    const bh::Respond respond = recorder.kept(0);

    RawClient other(h.port());
    REQUIRE(other.send(request_text("GET", "/other")));
    CHECK(body_of(other.read_response()) == "/other");

    bh::Request original{boost::beast::http::verb::get, "/hold", 11};
    respond(echo(original, "answered from the test thread"));
    CHECK(body_of(held.read_response()) == "answered from the test thread");
  }
}

// --- keep-alive and pipelining -----------------------------------------------

TEST_CASE("keep-alive: one connection serves several requests from the same peer", "[http][server]") {
  Recorder recorder;
  ServerHarness h;
  h.start([&](bh::Request&& request, const net::ip::tcp::endpoint& peer, bh::Respond respond) {
    recorder.note(std::to_string(peer.port()));
    respond(echo(request));
  });

  RawClient client(h.port());
  for (const std::string target : {"/a", "/b", "/c", "/d"}) {
    INFO(target);
    REQUIRE(client.send(request_text("GET", target)));
    const auto response = client.read_response();
    REQUIRE(response);
    CHECK(response->body() == target);
    CHECK(response->keep_alive());
  }
  const std::string our_port = std::to_string(client.local_endpoint().port());
  CHECK(recorder.events() == std::vector<std::string>(4, our_port));
}

TEST_CASE("pipelined requests are answered in order, the next handled after the last written", "[http][server]") {
  Recorder recorder;
  ServerHarness h;
  h.start([&](bh::Request&& request, const net::ip::tcp::endpoint&, bh::Respond respond) {
    const std::string target(request.target());
    recorder.note("call " + target);
    if (target == "/1") {
      // The slowest answer comes first; /2 must still wait for it.
      auto timer = std::make_shared<net::steady_timer>(h.io(), 30ms);
      timer->async_wait([&recorder, timer, respond, response = echo(request)](boost::system::error_code ec) mutable {
        if (ec) return;
        recorder.note("answer /1");
        respond(std::move(response));
      });
      return;
    }
    recorder.note("answer " + target);
    respond(echo(request));
  });

  RawClient client(h.port());
  REQUIRE(client.send(request_text("GET", "/1") + request_text("GET", "/2") +
                      request_text("GET", "/3", "Connection: close\r\n")));
  CHECK(body_of(client.read_response()) == "/1");
  CHECK(body_of(client.read_response()) == "/2");
  const auto last = client.read_response();
  CHECK(body_of(last) == "/3");
  REQUIRE(last);
  CHECK_FALSE(last->keep_alive());
  CHECK(client.wait_closed());
  CHECK(recorder.events() ==
        std::vector<std::string>{"call /1", "answer /1", "call /2", "answer /2", "call /3", "answer /3"});
}

// --- limits and malformed input ----------------------------------------------

TEST_CASE("oversized requests get 413 or 431 and the connection closes", "[http][server]") {
  struct Case {
    const char* label;
    std::string bytes;
    Status status;
    const char* says;
  };
  const std::string chunk(800, 'x');
  const Case cases[] = {
      {"Content-Length over the body limit",
       request_text("POST", "/", "Content-Type: text/plain\r\n", std::string(8192, 'x')), Status::payload_too_large,
       "request body exceeds 1024 bytes"},
      {"chunked body growing over the body limit",
       "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk + "\r\n320\r\n" +
           chunk + "\r\n0\r\n\r\n",
       Status::payload_too_large, "request body exceeds 1024 bytes"},
      {"a long header", request_text("GET", "/", "X-Pad: " + std::string(2000, 'p') + "\r\n"),
       Status::request_header_fields_too_large, "request headers exceed 1024 bytes"},
      {"a long target", request_text("GET", "/" + std::string(2000, 't')), Status::request_header_fields_too_large,
       "request headers exceed 1024 bytes"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Recorder recorder;
      bh::ServerLimits limits;
      limits.body_limit = 1024;
      limits.header_limit = 1024;
      ServerHarness h;
      h.start(echo_handler(recorder), limits);

      RawClient client(h.port());
      client.send(c.bytes);  // may fail part-way once the server answered and drains
      const auto response = client.read_response();
      REQUIRE(response);
      CHECK(response->result() == c.status);
      CHECK((*response)[boost::beast::http::field::content_type] == "text/plain; charset=utf-8");
      CHECK(response->body() == std::string(c.says) + "\n");
      CHECK_FALSE(response->keep_alive());
      CHECK(client.wait_closed());
      CHECK(recorder.calls() == 0);
    }
  }
}

TEST_CASE("a body just under the limit reaches the handler", "[http][server]") {
  ServerHarness h;
  bh::ServerLimits limits;
  limits.body_limit = 1024;
  h.start([](bh::Request&& request, const net::ip::tcp::endpoint&,
             bh::Respond respond) { respond(echo(request, std::to_string(request.body().size()))); },
          limits);
  RawClient client(h.port());
  REQUIRE(client.send(request_text("POST", "/", {}, std::string(1024, 'x'))));
  CHECK(body_of(client.read_response()) == "1024");
}

TEST_CASE("malformed requests get 400, the connection closes, the server keeps serving", "[http][server]") {
  struct Case {
    const char* label;
    std::string bytes;
  };
  const Case cases[] = {
      {"no version in the start line", "HELLO WORLD\r\n\r\n"},
      {"a bad version", "GET / HTTP/9.x\r\nHost: a\r\n\r\n"},
      {"a header without a colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n"},
      {"a Content-Length that is not a number", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: ten\r\n\r\nhello"},
      {"chunked garbage", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"},
      {"binary noise", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Recorder recorder;
      ServerHarness h;
      h.start(echo_handler(recorder));

      RawClient client(h.port());
      REQUIRE(client.send(c.bytes));
      const auto response = client.read_response();
      REQUIRE(response);
      CHECK(response->result() == Status::bad_request);
      CHECK(response->body().rfind("malformed request", 0) == 0);
      CHECK(client.wait_closed());
      CHECK(recorder.calls() == 0);

      RawClient next(h.port());
      REQUIRE(next.send(request_text("GET", "/still-here")));
      CHECK(body_of(next.read_response()) == "/still-here");
    }
  }
}

TEST_CASE("the server's own answers come from the ErrorResponder", "[http][server]") {
  Recorder recorder;
  bh::ServerLimits limits;
  limits.body_limit = 1024;
  ServerHarness h;
  h.start(echo_handler(recorder), limits, [](Status status, const std::string& message) {
    return bh::make_response(status, "application/json",
                             nlohmann::json{{"status", static_cast<unsigned>(status)}, {"message", message}}.dump());
  });

  RawClient client(h.port());
  client.send(request_text("POST", "/", {}, std::string(4096, 'x')));
  const auto response = client.read_response();
  REQUIRE(response);
  CHECK(response->result() == Status::payload_too_large);
  CHECK((*response)[boost::beast::http::field::content_type] == "application/json");
  CHECK(nlohmann::json::parse(response->body()) ==
        nlohmann::json{{"status", 413}, {"message", "request body exceeds 1024 bytes"}});
  // The server closes even though the responder asked for keep-alive.
  CHECK_FALSE(response->keep_alive());
  CHECK(client.wait_closed());
}

// --- deadlines ---------------------------------------------------------------

TEST_CASE("a client that stalls is disconnected unanswered, and the deadline is counted", "[http][server]") {
  struct Case {
    const char* label;
    std::string bytes;
    std::size_t bh::ServerCounters::*counter;  // which counter the deadline bumps; null: none
  };
  const Case cases[] = {
      {"nothing sent at all: header deadline", "", &bh::ServerCounters::header_timeouts},
      {"half a header line: header deadline", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow",
       &bh::ServerCounters::header_timeouts},
      {"half the start line: header deadline", "POST /twilio/s", &bh::ServerCounters::header_timeouts},
      {"the header but half the body: read deadline",
       "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhalf", &bh::ServerCounters::read_timeouts},
      {"an idle keep-alive connection after one request: idle deadline", request_text("GET", "/first"), nullptr},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Recorder recorder;
      bh::ServerLimits limits;
      // Each case trips one deadline; the others are long enough not to.
      limits.header_timeout = c.counter == &bh::ServerCounters::header_timeouts ? 100ms : 20s;
      limits.read_timeout = c.counter == &bh::ServerCounters::read_timeouts ? 100ms : 20s;
      limits.idle_timeout = c.counter == nullptr ? 100ms : 20s;
      ServerHarness h;
      h.start(echo_handler(recorder), limits);

      RawClient client(h.port());
      if (!c.bytes.empty()) REQUIRE(client.send(c.bytes));
      CHECK(client.wait_closed());
      // Only a complete request is answered; a partial one gets nothing.
      if (c.counter == nullptr) {
        CHECK(body_of(client.read_response()) == "/first");
        CHECK(h.server().counters().header_timeouts == 0);
      } else {
        CHECK(client.unread().empty());
        CHECK(recorder.calls() == 0);
        CHECK(broadcaster::testing::wait_for_condition([&] { return h.server().counters().*c.counter == 1; }, 20s));
      }
    }
  }
}

TEST_CASE("the header deadline does not cut off a slow body: read_timeout bounds that", "[http][server]") {
  Recorder recorder;
  bh::ServerLimits limits;
  limits.header_timeout = 50ms;
  limits.read_timeout = 20s;
  ServerHarness h;
  h.start([](bh::Request&& request, const net::ip::tcp::endpoint&,
             bh::Respond respond) { respond(echo(request, request.body())); },
          limits);

  RawClient client(h.port());
  REQUIRE(client.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\nslow "));
  // The scenario, not synchronisation: the rest of the body comes after the
  // header deadline has passed, whatever the machine's speed.
  std::this_thread::sleep_for(limits.header_timeout * 4);
  REQUIRE(client.send("body"));
  CHECK(body_of(client.read_response()) == "slow body");
  CHECK(h.server().counters().header_timeouts == 0);
}

TEST_CASE("a handler that never answers gets 503 after handler_timeout; a late answer is dropped", "[http][server]") {
  Recorder recorder;
  bh::ServerLimits limits;
  limits.handler_timeout = 100ms;
  ServerHarness h;
  h.start(
      [&](bh::Request&& request, const net::ip::tcp::endpoint&, bh::Respond respond) {
        if (request.target() == "/never") return recorder.keep(std::move(respond));
        respond(echo(request));
      },
      limits);

  RawClient client(h.port());
  REQUIRE(client.send(request_text("GET", "/never")));
  const auto response = client.read_response();
  REQUIRE(response);
  CHECK(response->result() == Status::service_unavailable);
  CHECK(client.wait_closed());

  // The handler answers after all: nothing else is sent, nothing breaks.
  bh::Request original{boost::beast::http::verb::get, "/never", 11};
  recorder.kept(0)(echo(original, "too late"));
  CHECK(client.unread().empty());
  RawClient next(h.port());
  REQUIRE(next.send(request_text("GET", "/fine")));
  CHECK(body_of(next.read_response()) == "/fine");
}

// --- handler misbehaviour ----------------------------------------------------

TEST_CASE("a handler that throws gets 500", "[http][server]") {
  ServerHarness h;
  h.start(
      [](bh::Request&&, const net::ip::tcp::endpoint&, bh::Respond) { throw broadcaster::Error("database on fire"); });
  RawClient client(h.port());
  REQUIRE(client.send(request_text("GET", "/")));
  const auto response = client.read_response();
  REQUIRE(response);
  CHECK(response->result() == Status::internal_server_error);
  CHECK(response->body().find("database") == std::string::npos);  // no internals leak
  CHECK(client.wait_closed());
}

TEST_CASE("a second respond for one request is ignored", "[http][server]") {
  ServerHarness h;
  h.start([](bh::Request&& request, const net::ip::tcp::endpoint&, bh::Respond respond) {
    respond(echo(request, "first " + std::string(request.target())));
    respond(echo(request, "second " + std::string(request.target())));
  });
  RawClient client(h.port());
  REQUIRE(client.send(request_text("GET", "/a")));
  CHECK(body_of(client.read_response()) == "first /a");
  REQUIRE(client.send(request_text("GET", "/b")));
  CHECK(body_of(client.read_response()) == "first /b");
}

TEST_CASE("a response without Content-Length gets one", "[http][server]") {
  ServerHarness h;
  h.start([](bh::Request&& request, const net::ip::tcp::endpoint&, bh::Respond respond) {
    bh::Response response{Status::ok, request.version()};
    response.body() = "no length set";
    respond(std::move(response));
  });
  RawClient client(h.port());
  REQUIRE(client.send(request_text("GET", "/") + request_text("GET", "/")));
  // Framed by Content-Length, so both arrive on the kept-alive connection.
  CHECK(body_of(client.read_response()) == "no length set");
  CHECK(body_of(client.read_response()) == "no length set");
}

// --- connections and stop() --------------------------------------------------

TEST_CASE("connections beyond max_connections are closed and counted", "[http][server]") {
  Recorder recorder;
  bh::ServerLimits limits;
  limits.max_connections = 1;
  ServerHarness h;
  h.start(echo_handler(recorder), limits);

  auto occupant = std::make_unique<RawClient>(h.port());
  // Once the occupant has been answered, the server holds its one session.
  REQUIRE(occupant->send(request_text("GET", "/occupant")));
  REQUIRE(body_of(occupant->read_response()) == "/occupant");

  RawClient refused(h.port());
  CHECK(refused.wait_closed());
  CHECK(refused.unread().empty());
  CHECK(broadcaster::testing::wait_for_condition([&] { return h.server().refused_connections() == 1; }, 20s));
  CHECK(h.server().counters().refused_total == 1);

  // When the occupant leaves, its slot frees up; the server notices its EOF
  // asynchronously, so retry under a deadline.
  occupant.reset();
  bool served = false;
  const auto until = std::chrono::steady_clock::now() + 20s;
  while (!served && std::chrono::steady_clock::now() < until) {
    RawClient next(h.port());
    next.send(request_text("GET", "/next"));
    served = body_of(next.read_response()) == "/next";
  }
  CHECK(served);
}

TEST_CASE("stop() closes every connection and io.run() returns", "[http][server]") {
  Recorder recorder;
  ServerHarness h;
  h.start([&](bh::Request&& request, const net::ip::tcp::endpoint&, bh::Respond respond) {
    if (request.target() == "/hold") return recorder.keep(std::move(respond));
    respond(echo(request));
  });

  RawClient idle(h.port());
  REQUIRE(idle.send(request_text("GET", "/idle")));
  REQUIRE(body_of(idle.read_response()) == "/idle");
  RawClient held(h.port());
  REQUIRE(held.send(request_text("GET", "/hold")));
  const bh::Respond respond = recorder.kept(0);

  CHECK(h.stop());  // run() returned by itself
  CHECK(idle.wait_closed());
  CHECK(held.wait_closed());
  CHECK(held.unread().empty());
  // The handler's answer after stop() goes nowhere (the loop no longer runs).
  bh::Request original{boost::beast::http::verb::get, "/hold", 11};
  respond(echo(original, "after stop"));
  CHECK_THROWS(RawClient(h.port()));  // nothing listens any more
}

TEST_CASE("listen() names the address when the port is taken", "[http][server]") {
  Recorder recorder;
  ServerHarness first;
  first.start(echo_handler(recorder));

  net::io_context io;
  bh::Server second(io, echo_handler(recorder), {});
  const std::string port = std::to_string(first.port());
  CHECK_THROWS_WITH(second.listen({net::ip::make_address("127.0.0.1"), first.port()}),
                    Catch::Contains("127.0.0.1:" + port));
}

// --- the door stays open: per-client caps, fair share, proxies, EMFILE ------

namespace {

/// A handler that answers at once with the client address it was given.
bh::Handler client_echo_handler() {
  return [](bh::Request&& request, const net::ip::tcp::endpoint& client, bh::Respond respond) {
    respond(echo(request, client.address().to_string()));
  };
}

/// Whether a fresh connection from `source` is served, retried under a
/// deadline: the server notices a departed client's EOF asynchronously.
bool eventually_served(unsigned short port, const std::string& source) {
  return broadcaster::testing::wait_for_condition(
      [&] {
        RawClient next(port, source);
        next.send(request_text("GET", "/next"));
        return body_of(next.read_response()) == source;
      },
      20s);
}

}  // namespace

TEST_CASE("one address is capped per client; another address still gets in", "[http][server][admission]") {
  bh::ServerLimits limits;
  limits.max_connections = 16;
  limits.max_connections_per_client = 2;
  ServerHarness h;
  h.start(client_echo_handler(), limits);

  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<RawClient>(h.port(), "127.0.0.1"));
    REQUIRE(held.back()->send(request_text("GET", "/held")));
    REQUIRE(body_of(held.back()->read_response()) == "127.0.0.1");  // now the server holds it
  }

  RawClient over(h.port(), "127.0.0.1");
  over.send(request_text("GET", "/over"));  // may fail: the server closes at once
  CHECK(over.wait_closed());
  CHECK(over.unread().empty());
  CHECK(broadcaster::testing::wait_for_condition([&] { return h.server().counters().refused_per_client == 1; }, 20s));

  RawClient other(h.port(), "127.0.0.2");
  REQUIRE(other.send(request_text("GET", "/other")));
  CHECK(body_of(other.read_response()) == "127.0.0.2");

  // A slot of 127.0.0.1 frees up when one of its connections leaves.
  held.pop_back();
  CHECK(eventually_served(h.port(), "127.0.0.1"));
  const bh::ServerCounters c = h.server().counters();
  CHECK(c.refused_total == 0);
  CHECK(c.refused_fair_share == 0);
}

TEST_CASE("near the total cap an address holding its share is refused, a newcomer is not",
          "[http][server][admission]") {
  bh::ServerLimits limits;
  limits.max_connections = 8;  // the last 2 are kept for light clients
  limits.max_connections_per_client = 8;
  ServerHarness h;
  h.start(client_echo_handler(), limits);

  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 6; ++i) {
    held.push_back(std::make_unique<RawClient>(h.port(), "127.0.0.1"));
    REQUIRE(held.back()->send(request_text("GET", "/held")));
    REQUIRE(body_of(held.back()->read_response()) == "127.0.0.1");
  }
  RawClient greedy(h.port(), "127.0.0.1");
  greedy.send(request_text("GET", "/greedy"));
  CHECK(greedy.wait_closed());
  CHECK(greedy.unread().empty());
  CHECK(broadcaster::testing::wait_for_condition([&] { return h.server().counters().refused_fair_share == 1; }, 20s));

  RawClient newcomer(h.port(), "127.0.0.2");
  REQUIRE(newcomer.send(request_text("GET", "/newcomer")));
  CHECK(body_of(newcomer.read_response()) == "127.0.0.2");
  CHECK(h.server().counters().refused_per_client == 0);
}

TEST_CASE("behind a trusted proxy the client is the one X-Forwarded-For names, capped per request",
          "[http][server][admission]") {
  Recorder recorder;
  bh::ServerLimits limits;
  limits.max_connections = 16;
  limits.max_connections_per_client = 1;
  limits.trusted_proxies = bh::TrustedProxies({bh::parse_address_range("127.0.0.1")});
  ServerHarness h;
  h.start(
      [&](bh::Request&& request, const net::ip::tcp::endpoint& client, bh::Respond respond) {
        if (request.target() == "/hold") return recorder.keep(std::move(respond));
        respond(echo(request, client.address().to_string()));
      },
      limits);

  // The proxy holds more connections than one client may: it is not capped.
  RawClient proxy_a(h.port(), "127.0.0.1");
  RawClient proxy_b(h.port(), "127.0.0.1");
  RawClient proxy_c(h.port(), "127.0.0.1");
  // A client's request is in progress on one proxy connection ...
  REQUIRE(proxy_a.send(request_text("GET", "/hold", "X-Forwarded-For: 6.6.6.6, 198.51.100.7\r\n")));
  const bh::Respond held = recorder.kept(0);
  // ... so the same client's second request at once is over its cap of 1,
  const std::string same_client = request_text("POST", "/again", "X-Forwarded-For: 198.51.100.7\r\n", "body");
  REQUIRE(proxy_b.send(same_client));
  const auto refused = proxy_b.read_response();
  REQUIRE(refused);
  CHECK(refused->result() == Status::too_many_requests);
  CHECK(proxy_b.wait_closed());
  CHECK(h.server().counters().refused_forwarded == 1);
  // ... while another client behind the same proxy is served.
  REQUIRE(proxy_c.send(request_text("GET", "/other", "X-Forwarded-For: 203.0.113.9\r\n")));
  CHECK(body_of(proxy_c.read_response()) == "203.0.113.9");

  // The header from a peer that is not a trusted proxy is ignored.
  RawClient spoofer(h.port(), "127.0.0.2");
  REQUIRE(spoofer.send(request_text("GET", "/spoof", "X-Forwarded-For: 198.51.100.7\r\n")));
  CHECK(body_of(spoofer.read_response()) == "127.0.0.2");

  // Once the first request is answered, the client may send another.
  bh::Request original{boost::beast::http::verb::get, "/hold", 11};
  held(echo(original, "held"));
  CHECK(body_of(proxy_a.read_response()) == "held");
  REQUIRE(proxy_a.send(request_text("GET", "/after", "X-Forwarded-For: 198.51.100.7\r\n")));
  CHECK(body_of(proxy_a.read_response()) == "198.51.100.7");
  CHECK(h.server().counters().refused_per_client == 0);
}

namespace {

/// Lowers the soft RLIMIT_NOFILE so that the next descriptor anyone opens
/// fails with EMFILE, and restores it in the destructor.
class NoMoreDescriptors {
 public:
  NoMoreDescriptors() {
    REQUIRE(getrlimit(RLIMIT_NOFILE, &saved_) == 0);
    const int lowest_free = ::open("/dev/null", O_RDONLY);  // the kernel hands out the lowest free number
    REQUIRE(lowest_free >= 0);
    ::close(lowest_free);
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(lowest_free);
    REQUIRE(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
  }
  ~NoMoreDescriptors() { restore(); }
  NoMoreDescriptors(const NoMoreDescriptors&) = delete;
  NoMoreDescriptors& operator=(const NoMoreDescriptors&) = delete;

  void restore() {
    if (restored_) return;
    restored_ = true;
    setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  rlimit saved_{};
  bool restored_ = false;
};

}  // namespace

TEST_CASE("an accept that fails for want of descriptors is retried, not fatal", "[http][server][admission]") {
  ServerHarness h;
  h.start(client_echo_handler());
  // The client sockets exist before descriptors run out; connecting them
  // needs none, so only the server's accept() fails.
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(std::make_unique<RawClient>(RawClient::Unconnected{}, "127.0.0.2"));
  {
    NoMoreDescriptors limit;
    for (auto& c : clients) {
      c->connect(h.port());  // the kernel completes it in the listen backlog
      REQUIRE(c->send(request_text("GET", "/waiting")));
    }
    const bool failed =
        broadcaster::testing::wait_for_condition([&] { return h.server().counters().accept_failures >= 1; }, 20s);
    limit.restore();
    REQUIRE(failed);
  }
  // Descriptors are back: every waiting connection is accepted and served.
  for (auto& c : clients) CHECK(body_of(c->read_response()) == "127.0.0.2");
  RawClient later(h.port(), "127.0.0.1");
  REQUIRE(later.send(request_text("GET", "/later")));
  CHECK(body_of(later.read_response()) == "127.0.0.1");
}
