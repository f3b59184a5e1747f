// Runs the scheduler inside `serve`: Scheduler::tick once a second, on a
// thread of its own.
// Design: the scheduler talks to Redis with the blocking client and submits
// runs (pipelined, possibly thousands of commands), which must not block the
// event loop, so it gets one std::thread that owns its own store::RedisClient
// (as inbound/webhook_server.cpp's worker does). After a RedisError it drops
// the connection, logs, and connects again at the next tick; whatever it had
// claimed is retried after its lease, by it or by another `serve`. It waits
// between ticks on a condition variable, so request_stop() ends it at once
// (a tick in progress is finished first). Every `serve` runs one; the
// registry hands each occurrence to one of them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "campaign/scheduler.h"
#include "store/keys.h"
#include "store/redis_endpoint.h"

namespace broadcaster::campaign {

/// How a ScheduleRunner runs.
struct ScheduleRunnerOptions {
  std::chrono::milliseconds period{1000};  ///< between the end of one tick and the next
  std::chrono::minutes late_limit = kDefaultLateLimit;
  std::chrono::milliseconds lease = kDefaultLease;
  /// Where "now" comes from (tests inject one); system_clock::now when empty.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// A thread that ticks a Scheduler until stopped. Starts in the constructor,
/// stops and joins in the destructor. Not copyable or movable.
class ScheduleRunner {
 public:
  /// Starts the thread; it connects to `redis` at its first tick (not here,
  /// so a Redis still starting does not stop `serve`). `default_zone` is the
  /// organization's `time_zone`. Throws std::system_error if the thread
  /// cannot be started.
  ScheduleRunner(store::RedisEndpoint redis, store::Keys keys, std::string default_zone, RunSubmitter submit,
                 ScheduleRunnerOptions options = {});
  ScheduleRunner(const ScheduleRunner&) = delete;
  ScheduleRunner& operator=(const ScheduleRunner&) = delete;
  /// request_stop(), then waits for the thread.
  ~ScheduleRunner();

  /// Asks the thread to stop after the tick in progress, if any; returns at
  /// once. Safe from any thread (a signal handler on the io_context), any
  /// number of times.
  void request_stop() noexcept;

  /// request_stop(), then waits for the thread to end. Idempotent.
  void stop();

  /// Ticks completed so far (for tests and metrics). Any thread.
  [[nodiscard]] std::size_t ticks() const noexcept { return ticks_.load(); }
  /// Ticks that failed with a RedisError (each dropped the connection). Any thread.
  [[nodiscard]] std::size_t redis_failures() const noexcept { return redis_failures_.load(); }

 private:
  void work();

  store::RedisEndpoint endpoint_;
  store::Keys keys_;
  std::string default_zone_;
  RunSubmitter submit_;
  ScheduleRunnerOptions options_;
  std::atomic<std::size_t> ticks_{0};
  std::atomic<std::size_t> redis_failures_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;     // last: started once everything above exists
};

}  // namespace broadcaster::campaign
