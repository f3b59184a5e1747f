// Per-channel rate limit shared by every `serve` process.
// Design: GCRA in one Lua script (store/scripts/gcra.lua), so all processes
// on all machines share one limit; this side queues the messages waiting for
// a slot and asks Redis, in one round trip, for as many slots as are
// waiting, each at the earliest time the limit allows it up to kHorizon
// ahead. A reserved slot is held on a timer until its time; whoever waits
// first then (urgent first) gets it. Reserving ahead is what keeps the rate:
// if a slot could only be taken once free, the round trip and the timer's
// lateness would be lost on every slot (about 8% at 200/s); the bound is the
// same, since reserved slots are as far apart as granted ones. Time is
// Redis's own clock unless a clock is injected (tests), so machines with
// skewed clocks still share one limit.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "config/config.h"
#include "store/async_commands.h"

namespace broadcaster::sender {

class RateLimiter : public std::enable_shared_from_this<RateLimiter> {
 public:
  /// Current time in microseconds since the epoch, or nullopt for Redis's clock.
  using Clock = std::function<std::optional<std::int64_t>()>;
  /// Called once per acquire(): true when the slot is granted, false when
  /// the wait was cancelled (shutdown).
  using Grant = std::function<void(bool granted)>;

  RateLimiter(boost::asio::io_context& io, std::shared_ptr<store::AsyncCommands> redis, std::string key,
              config::RateLimitConfig limit, Clock clock = {});

  /// Queues for one slot; `grant` runs on the io_context thread. Immediate
  /// when the limit is off (per_second == 0). `urgent` waiters (rapid-
  /// response campaigns) get slots before every waiter that is not, so bulk
  /// messages a process already holds do not delay an alert.
  void acquire(Grant grant, bool urgent = false);

  /// Fails every queued acquire with false and stops asking Redis.
  void cancel_all();

  /// Messages waiting for a slot.
  std::size_t waiting() const noexcept { return waiters_.size() + urgent_waiters_.size(); }

  /// How far ahead of its time a slot is reserved: far more than a round
  /// trip to Redis, small enough that a slot reserved by a process that then
  /// stops is a small loss.
  static constexpr std::chrono::milliseconds kHorizon{50};

  /// Slots are spaced (1 s + kJitterAllowance) / rate apart, 0.5% more than
  /// the rate alone asks: between the slot and the provider a send passes
  /// two script calls, the HTTP client and the network, whose delays vary;
  /// with this much room, a few milliseconds of such jitter do not put more
  /// than rate + burst into any one-second window at the provider.
  static constexpr std::chrono::milliseconds kJitterAllowance{5};

 private:
  void pump();
  void on_reply(std::exception_ptr error, const store::RedisValue& value);
  // A reserved slot's time has come: the first waiter gets it.
  void use_slot();

  boost::asio::io_context& io_;
  std::shared_ptr<store::AsyncCommands> redis_;
  std::string key_;
  config::RateLimitConfig limit_;
  Clock clock_;
  boost::asio::steady_timer timer_;
  std::deque<Grant> waiters_;
  std::deque<Grant> urgent_waiters_;  // served first
  std::size_t reserved_ = 0;          // slots granted whose time has not come
  std::set<std::shared_ptr<boost::asio::steady_timer>> slot_timers_;
  bool asking_ = false;   // a script call is in flight
  bool sleeping_ = false; // the timer is armed
  bool cancelled_ = false;
};

}  // namespace broadcaster::sender
