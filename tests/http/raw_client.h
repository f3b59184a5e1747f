// A raw TCP client for server tests: sends exact bytes (garbage, half
// requests, pipelined requests) and reads responses back with Beast's parser.
// Design: a blocking Asio socket whose every read first waits in poll() under
// a deadline, so a server that never answers fails the test instead of
// hanging it. Bytes read past one response stay buffered for the next.
#pragma once

#include <poll.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace broadcaster::http::test {

/// A complete response as the client parsed it.
using ParsedResponse = boost::beast::http::response<boost::beast::http::string_body>;

/// One TCP connection to 127.0.0.1:port, from a chosen loopback address.
class RawClient {
 public:
  using Clock = std::chrono::steady_clock;
  /// Tag: open and bind the socket now, connect() later.
  struct Unconnected {};

  /// Connects from `source` (any 127.x.y.z is loopback on Linux, so tests
  /// can play several clients); throws boost::system::system_error when
  /// nothing listens.
  explicit RawClient(unsigned short port, const std::string& source = "127.0.0.1") : RawClient(Unconnected{}, source) {
    connect(port);
  }

  /// Opens a socket bound to `source` (port 0) without connecting: the
  /// descriptor exists before connect() is called.
  RawClient(Unconnected, const std::string& source) : socket_(io_) {
    socket_.open(boost::asio::ip::tcp::v4());
    socket_.bind({boost::asio::ip::make_address(source), 0});
  }

  /// Connects the socket to 127.0.0.1:port; opens no descriptor.
  void connect(unsigned short port) { socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port}); }

  /// Writes all of `bytes`. Returns false when the server already closed.
  bool send(std::string_view bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()), ec);
    return !ec;
  }

  /// The next complete response, or nullopt when the connection closed or
  /// `deadline` passed first.
  std::optional<ParsedResponse> read_response(std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
    const auto until = Clock::now() + deadline;
    for (;;) {
      if (auto response = take_response()) return response;
      if (closed_ || !fill(until)) return std::nullopt;
    }
  }

  /// Reads until the server closes the connection (EOF or reset); false when
  /// `deadline` passed first. What arrived meanwhile stays in unread().
  bool wait_closed(std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
    const auto until = Clock::now() + deadline;
    while (!closed_) {
      if (!fill(until)) return false;
    }
    return true;
  }

  /// Bytes received and not yet returned as a response.
  const std::string& unread() const noexcept { return pending_; }

  /// Our end's address, which the server sees as the peer.
  boost::asio::ip::tcp::endpoint local_endpoint() const { return socket_.local_endpoint(); }

  /// Closes our end.
  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  /// Parses one response off the front of pending_, if complete.
  std::optional<ParsedResponse> take_response() {
    if (pending_.empty()) return std::nullopt;
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.eager(true);
    std::size_t used = 0;
    while (!parser.is_done()) {
      boost::system::error_code ec;
      const std::size_t n = parser.put(boost::asio::buffer(pending_.data() + used, pending_.size() - used), ec);
      used += n;
      if (ec == boost::beast::http::error::need_more) return std::nullopt;
      if (ec) throw std::runtime_error("the server sent an unparsable response: " + ec.message());
      if (n == 0) return std::nullopt;
    }
    pending_.erase(0, used);
    return parser.release();
  }

  /// Waits until `until` for bytes and appends them. False on timeout; on
  /// EOF or reset sets closed_ and returns true.
  bool fill(Clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    pollfd p{socket_.native_handle(), POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 0))) <= 0) return false;
    char data[4096];
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(boost::asio::buffer(data), ec);
    if (ec) {
      closed_ = true;  // eof, connection_reset: the server is done with us
      return true;
    }
    pending_.append(data, n);
    return true;
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string pending_;
  bool closed_ = false;
};

/// A minimal HTTP/1.1 request with `extra` header lines ("Name: value\r\n").
inline std::string request_text(std::string_view method, std::string_view target, std::string_view extra = {},
                                std::string_view body = {}) {
  std::string text =
      std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra);
  if (!body.empty()) text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n";
  text += body;
  return text;
}

}  // namespace broadcaster::http::test
