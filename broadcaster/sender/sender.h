// The send loop of `broadcaster serve`: campaign queues -> channels.
// Design: one Sender per process, on the process's one io_context thread.
// It reads due campaigns' Redis streams through the consumer group shared by
// every `serve` process, so processes on several machines split the work;
// entries a dead process had claimed are taken over with XAUTOCLAIM once
// idle for `claim_idle`. For each message: wait for a rate-limit slot, check
// (right then) that no outcome is stored yet and the subscriber is still
// active, send, then record the outcome and acknowledge the entry in one
// script. The only duplicate window left is a crash between the provider
// accepting a message and that script running (see README).
// Everything is bounded: in-flight messages per channel, read batch sizes,
// retries; every wait has a deadline.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "channels/channel.h"
#include "config/config.h"
#include "queue/queued_message.h"
#include "sender/http_client.h"
#include "sender/rate_limit.h"
#include "store/async_redis.h"
#include "store/keys.h"
#include "store/subject_hasher.h"

namespace broadcaster::sender {

/// A configured channel as the sender uses it.
struct ChannelRuntime {
  std::unique_ptr<channels::Channel> channel;
  std::shared_ptr<RateLimiter> limiter;
  std::size_t max_in_flight = 64;  ///< messages held at once by this process
  double per_second = 0;           ///< the rate limit, 0 when off
  std::size_t in_flight = 0;
};

/// Totals since start, for logs and tests.
struct SenderCounters {
  std::size_t sent = 0;
  std::size_t failed = 0;
  std::size_t skipped_stopped = 0;
  std::size_t retried = 0;
  std::size_t duplicates_acked = 0;  ///< redelivered entries that already had an outcome
};

class Sender : public std::enable_shared_from_this<Sender> {
 public:
  /// `consumer` names this process in the consumer group (host:pid);
  /// `subjects` hashes numbers for the consent log (provider opt-outs).
  Sender(boost::asio::io_context& io, std::shared_ptr<store::AsyncRedis> redis, HttpClient& http,
         std::map<std::string, ChannelRuntime> channels, store::Keys keys, store::SubjectHasher subjects,
         config::SenderConfig config, std::string consumer);

  /// Starts polling for due campaigns. `on_stopped(ok)` runs once, after
  /// drain() completes (ok) or after the Redis connection was lost (not ok).
  void start(std::function<void(bool ok)> on_stopped);

  /// Stops reading new work; messages waiting for a slot or a retry are left
  /// in the queue for others (or the next start) to take over; sends already
  /// on the wire finish and are recorded; then `on_stopped` runs.
  void drain();

  const SenderCounters& counters() const noexcept { return counters_; }

 private:
  struct Campaign;
  struct Job;

  // polling
  void tick();
  void refresh_campaigns();
  void read(const std::shared_ptr<Campaign>& c);
  void claim(const std::shared_ptr<Campaign>& c);
  void maybe_finish(const std::shared_ptr<Campaign>& c);
  std::size_t capacity(const Campaign& c) const;
  // one message
  void dispatch(const std::shared_ptr<Campaign>& c, queue::QueuedMessage msg);
  void wait_for_slot(const std::shared_ptr<Job>& job);
  void check_then_send(const std::shared_ptr<Job>& job);
  void send(const std::shared_ptr<Job>& job);
  void on_failure(const std::shared_ptr<Job>& job, const SendError& error);
  void record(const std::shared_ptr<Job>& job, std::string outcome, std::vector<std::string> counters,
              int attempt = 0);
  void release(const std::shared_ptr<Job>& job);
  void fatal(const std::string& what);
  void check_drained();

  boost::asio::io_context& io_;
  std::shared_ptr<store::AsyncRedis> redis_;
  HttpClient& http_;
  std::map<std::string, ChannelRuntime> channels_;
  store::Keys keys_;
  store::SubjectHasher subjects_;
  config::SenderConfig config_;
  std::string consumer_;
  boost::asio::steady_timer tick_timer_;
  std::map<std::string, std::shared_ptr<Campaign>> campaigns_;
  std::set<std::shared_ptr<boost::asio::steady_timer>> retry_timers_;
  std::chrono::steady_clock::time_point next_refresh_{};
  bool refreshing_ = false;
  bool draining_ = false;
  bool failed_ = false;
  std::size_t in_flight_ = 0;
  std::function<void(bool)> on_stopped_;
  std::mt19937_64 rng_;
  SenderCounters counters_;
};

}  // namespace broadcaster::sender
