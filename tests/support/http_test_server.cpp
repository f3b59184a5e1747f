// A scripted HTTP/1.1 server on a loopback port, for testing HTTP clients.
// Design: see http_test_server.h. Sessions follow Beast's
// http_server_async.cpp (shared_from_this, do_x / on_x pairs); the shared
// script and records sit behind one mutex because tests read them from
// their own thread.
#include "support/http_test_server.h"

#include <strings.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace broadcaster::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kBodyLimit = 1024 * 1024;
constexpr std::size_t kMaxRecorded = 10'000;
constexpr std::chrono::seconds kIdleTimeout{30};
}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return std::nullopt;
}

// === Shared state ===========================================================

struct HttpTestServer::State {
  mutable std::mutex mutex;
  std::deque<ScriptedResponse> script;
  Responder responder = [](const RecordedRequest&) {
    return ScriptedResponse{200, {{"Content-Type", "text/plain"}}, "ok"};
  };
  std::vector<RecordedRequest> recorded;
  std::size_t requests = 0;
  std::size_t connections = 0;

  /// Records `request` and picks its answer.
  ScriptedResponse answer(const RecordedRequest& request) {
    Responder fallback;
    {
      std::lock_guard lock(mutex);
      ++requests;
      if (recorded.size() < kMaxRecorded) recorded.push_back(request);
      if (!script.empty()) {
        ScriptedResponse next = std::move(script.front());
        script.pop_front();
        return next;
      }
      fallback = responder;
    }
    try {
      return fallback(request);
    } catch (const std::exception& e) {
      return ScriptedResponse{500, {}, e.what()};
    }
  }
};

// === One connection =========================================================

class HttpTestServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<State> state, std::size_t number)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        state_(std::move(state)),
        number_(number) {}

  void start() { do_read(); }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return;  // closed by the client, idle too long or malformed: drop it
    http::request<http::string_body> request = parser_->release();
    RecordedRequest recorded;
    recorded.method = std::string(request.method_string());
    recorded.target = std::string(request.target());
    for (const auto& field : request) {
      recorded.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    recorded.body = request.body();
    recorded.connection = number_;
    const ScriptedResponse scripted = state_->answer(recorded);

    response_ = {};
    response_.version(request.version());
    response_.result(scripted.status);
    for (const auto& [name, value] : scripted.headers) response_.insert(name, value);
    response_.body() = scripted.body;
    response_.keep_alive(request.keep_alive() && !scripted.close_connection);
    response_.prepare_payload();

    if (scripted.delay.count() > 0) {
      timer_.expires_after(scripted.delay);
      timer_.async_wait(beast::bind_front_handler(&Session::on_delay, shared_from_this()));
    } else {
      do_write();
    }
  }

  void on_delay(beast::error_code ec) {
    if (ec) return;
    do_write();
  }

  void do_write() {
    stream_.expires_after(kIdleTimeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (!response_.keep_alive()) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;  // the client sees EOF; ec is of no interest to a test
    }
    do_read();
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::shared_ptr<State> state_;
  std::size_t number_;
};

// === The listening loop =====================================================

struct HttpTestServer::Loop {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::shared_ptr<State> state;
  std::thread thread;

  void do_accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // the acceptor was closed
      std::size_t number = 0;
      {
        std::lock_guard lock(state->mutex);
        number = ++state->connections;
      }
      std::make_shared<Session>(std::move(socket), state, number)->start();
      do_accept();
    });
  }

  ~Loop() {
    io.stop();
    if (thread.joinable()) thread.join();
  }
};

HttpTestServer::HttpTestServer(const std::string& address)
    : address_(address), state_(std::make_shared<State>()), loop_(std::make_unique<Loop>()) {
  loop_->state = state_;
  const tcp::endpoint endpoint(asio::ip::make_address(address), 0);
  loop_->acceptor.open(endpoint.protocol());
  loop_->acceptor.set_option(asio::socket_base::reuse_address(true));
  loop_->acceptor.bind(endpoint);
  loop_->acceptor.listen();
  port_ = loop_->acceptor.local_endpoint().port();
  loop_->do_accept();
  loop_->thread = std::thread([loop = loop_.get()] { loop->io.run(); });
}

HttpTestServer::~HttpTestServer() = default;

std::string HttpTestServer::url(std::string_view target) const {
  const bool v6 = address_.find(':') != std::string::npos;
  std::string host = v6 ? "[" + address_ + "]" : address_;
  return "http://" + host + ":" + std::to_string(port_) + std::string(target);
}

void HttpTestServer::enqueue(ScriptedResponse response) {
  std::lock_guard lock(state_->mutex);
  state_->script.push_back(std::move(response));
}

void HttpTestServer::set_responder(Responder responder) {
  std::lock_guard lock(state_->mutex);
  state_->responder = std::move(responder);
}

std::vector<RecordedRequest> HttpTestServer::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->recorded;
}

std::size_t HttpTestServer::request_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t HttpTestServer::connections_accepted() const {
  std::lock_guard lock(state_->mutex);
  return state_->connections;
}

}  // namespace broadcaster::testing
