// A slowloris flood for tests: many connections from one loopback address
// that each send the start of an HTTP request and never finish it, and
// reconnect whenever the server closes them, as a misbehaving client (or
// an attacker) does to shut everyone else out of a server.
// Design: one io_context on its own thread drives every socket (connect,
// write the partial request, wait for the server to close, pause, repeat).
// The flood is bounded three ways: `connections` sockets at once, at most
// `max_attempts` connections in all, and `max_duration`; past either bound,
// or after stop(), no slot reconnects and the thread ends by itself. The
// destructor stops and joins. Counters are atomics, readable from any thread.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace broadcaster::testing {

class Slowloris {
 public:
  /// What each connection sends, then never completes.
  static constexpr const char* kPartialRequest = "POST /twilio/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

  /// Starts flooding 127.0.0.1:`port` from `source` (a 127.x.y.z address).
  /// `pause` is how long a slot waits before reconnecting after a close.
  Slowloris(unsigned short port, const std::string& source, std::size_t connections, std::size_t max_attempts,
            std::chrono::milliseconds max_duration, std::chrono::milliseconds pause = std::chrono::milliseconds(100))
      : target_(boost::asio::ip::make_address("127.0.0.1"), port),
        source_(boost::asio::ip::make_address(source), 0),
        max_attempts_(max_attempts),
        pause_(pause),
        deadline_(std::chrono::steady_clock::now() + max_duration),
        end_timer_(io_) {
    slots_.reserve(connections);
    for (std::size_t i = 0; i < connections; ++i) slots_.push_back(std::make_unique<Slot>(io_));
    end_timer_.expires_at(deadline_);
    end_timer_.async_wait([this](boost::system::error_code) { halt(); });
    for (std::size_t i = 0; i < slots_.size(); ++i) start(*slots_[i]);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Slowloris() {
    stop();
    thread_.join();
  }
  Slowloris(const Slowloris&) = delete;
  Slowloris& operator=(const Slowloris&) = delete;

  /// Stops reconnecting and closes every socket; the thread then ends.
  void stop() {
    boost::asio::post(io_, [this] { halt(); });
  }

  /// Connections attempted so far.
  std::size_t attempts() const noexcept { return attempts_.load(); }
  /// Connections whose TCP handshake completed (the server's kernel took them).
  std::size_t connected() const noexcept { return connected_.load(); }
  /// Whether it still reconnects: not stopped and neither bound reached.
  bool flooding() const noexcept {
    return !halted_.load() && attempts() < max_attempts_ && std::chrono::steady_clock::now() < deadline_;
  }

 private:
  struct Slot {
    explicit Slot(boost::asio::io_context& io) : socket(io), pause(io) {}
    boost::asio::ip::tcp::socket socket;
    boost::asio::steady_timer pause;
    std::array<char, 512> read_buffer{};
  };

  void start(Slot& slot) {
    if (halted_ || attempts_ >= max_attempts_ || std::chrono::steady_clock::now() >= deadline_) return;
    ++attempts_;
    boost::system::error_code ec;
    slot.socket = boost::asio::ip::tcp::socket(io_);
    slot.socket.open(boost::asio::ip::tcp::v4(), ec);
    if (!ec) slot.socket.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (!ec) slot.socket.bind(source_, ec);
    if (ec) return again(slot);
    slot.socket.async_connect(target_, [this, &slot](boost::system::error_code connect_ec) {
      if (connect_ec) return again(slot);
      ++connected_;
      boost::asio::async_write(slot.socket, boost::asio::buffer(std::string_view(kPartialRequest)),
                               [this, &slot](boost::system::error_code write_ec, std::size_t) {
                                 if (write_ec) return again(slot);
                                 wait_closed(slot);
                               });
    });
  }

  void wait_closed(Slot& slot) {
    slot.socket.async_read_some(boost::asio::buffer(slot.read_buffer),
                                [this, &slot](boost::system::error_code ec, std::size_t) {
                                  if (!ec) return wait_closed(slot);  // an answer: read on until closed
                                  again(slot);
                                });
  }

  void again(Slot& slot) {
    boost::system::error_code ec;
    slot.socket.close(ec);
    if (halted_) return;
    slot.pause.expires_after(pause_);
    slot.pause.async_wait([this, &slot](boost::system::error_code wait_ec) {
      if (!wait_ec) start(slot);
    });
  }

  void halt() {
    if (halted_.exchange(true)) return;
    end_timer_.cancel();
    for (auto& slot : slots_) {
      boost::system::error_code ec;
      slot->pause.cancel();
      slot->socket.close(ec);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::endpoint target_;
  boost::asio::ip::tcp::endpoint source_;
  std::size_t max_attempts_;
  std::chrono::milliseconds pause_;
  std::chrono::steady_clock::time_point deadline_;
  boost::asio::steady_timer end_timer_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<std::size_t> attempts_{0};
  std::atomic<std::size_t> connected_{0};
  std::atomic<bool> halted_{false};
  std::thread thread_;
};

}  // namespace broadcaster::testing
