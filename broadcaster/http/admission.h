// Who may open one more connection (or, through a trusted proxy, start one
// more request) on http::Server: the per-client cap, the fair-share rule
// near the total cap, and the total cap itself.
// Design: a client is an address (normalized, see address_range.h). The
// table counts what each client holds right now: its direct connections,
// plus the requests in progress that trusted proxies forwarded for it. One
// address may hold at most max_per_client. The total cap alone would let a
// few addresses take every slot, so the last quarter of max_connections is
// kept for light clients: once that many connections are open, an address
// that already holds at least the average per counted address is refused,
// while a newcomer (holding nothing) still gets in until the server is
// really full. A single address therefore tops out at three quarters of the
// total, and a flood from many addresses leaves room for one more. Trusted
// proxies are exempt at accept (they speak for many clients, so their own
// address is not counted); the clients behind them are counted per request.
// max_per_client 0 turns both per-address rules off (only the total cap
// applies): the provider simulator, whose only clients are our own senders
// on one loopback address, runs that way. Not thread-safe: the server uses
// it on its io_context's one thread.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <map>
#include <optional>

namespace broadcaster::http {

/// Why a connection or request was refused.
enum class Refusal {
  per_client,  ///< the client already holds max_per_client
  fair_share,  ///< the server is crowded and the client holds at least its share
  total,       ///< max_connections are open
};

/// The admission table of one server.
class Admission {
 public:
  /// `max_connections` >= 1; `max_per_client` 0 means no per-address rules.
  Admission(std::size_t max_connections, std::size_t max_per_client)
      : max_connections_(max_connections), max_per_client_(max_per_client) {}

  /// Whether a new connection from `client` may be accepted while `live`
  /// connections are open; nullopt: yes. `exempt` (a trusted proxy) is only
  /// subject to the total cap. Does not count it: call add() if kept.
  [[nodiscard]] std::optional<Refusal> check_connection(const boost::asio::ip::address& client, std::size_t live,
                                                        bool exempt) const;

  /// Whether a request forwarded by a trusted proxy for `client` may start;
  /// only the per-client cap applies (the connection is already open).
  [[nodiscard]] std::optional<Refusal> check_request(const boost::asio::ip::address& client) const;

  /// Whether the per-address rules are on (max_per_client > 0).
  [[nodiscard]] bool per_client_enabled() const noexcept { return max_per_client_ > 0; }

  /// Counts one more connection or request held by `client`.
  void add(const boost::asio::ip::address& client);
  /// Releases one add(); `client` must have been added.
  void remove(const boost::asio::ip::address& client) noexcept;

  /// What `client` holds now.
  [[nodiscard]] std::size_t count(const boost::asio::ip::address& client) const;
  /// Addresses holding anything, and the sum of what they hold.
  [[nodiscard]] std::size_t clients() const noexcept { return held_.size(); }
  [[nodiscard]] std::size_t counted() const noexcept { return counted_; }

 private:
  std::size_t max_connections_;
  std::size_t max_per_client_;
  std::map<boost::asio::ip::address, std::size_t> held_;  // only entries > 0
  std::size_t counted_ = 0;
};

/// "per_client", "fair_share", "total": for logs and metric labels.
[[nodiscard]] const char* to_string(Refusal refusal) noexcept;

}  // namespace broadcaster::http
