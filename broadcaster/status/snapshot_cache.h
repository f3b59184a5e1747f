// The status page's data, read off the event loop and shared by viewers.
// Design: reading a snapshot takes a few blocking Redis round trips, which
// must not run on `serve`'s io_context (it sends messages and answers
// webhooks). One worker thread with its own connection does the reading.
// A snapshot younger than kFreshFor is handed out as it is, so ten phones
// polling every two seconds cost what one does; requests that arrive while
// a read is under way wait for that read instead of starting another. When
// Redis cannot be reached the waiters get the error, and the next read
// connects anew.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "status/status_snapshot.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "store/redis_endpoint.h"

namespace broadcaster::status {

/// How long one snapshot serves every viewer.
inline constexpr std::chrono::milliseconds kFreshFor{1000};

/// A snapshot, or why there is none.
struct SnapshotResult {
  std::optional<nlohmann::json> snapshot;  ///< nullopt on failure
  std::string error;                       ///< what went wrong, for people; "" on success
};

class SnapshotCache {
 public:
  using Done = std::function<void(const SnapshotResult&)>;

  /// Starts the worker; nothing is read until the first get().
  SnapshotCache(store::RedisEndpoint endpoint, store::Keys keys, SnapshotScope scope);
  /// Stops the worker; waiters still queued get an error.
  ~SnapshotCache();

  SnapshotCache(const SnapshotCache&) = delete;
  SnapshotCache& operator=(const SnapshotCache&) = delete;

  /// Calls `done` with a snapshot at most kFreshFor old: at once (on the
  /// caller's thread) when the last one is fresh, else on the worker's
  /// thread after the next read. Any thread.
  void get(Done done);

 private:
  void run();
  SnapshotResult read();

  store::RedisEndpoint endpoint_;
  store::Keys keys_;
  SnapshotScope scope_;
  std::optional<store::RedisClient> redis_;  ///< the worker's; reset after an I/O error

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Done> waiting_;
  std::optional<nlohmann::json> last_;
  std::chrono::steady_clock::time_point last_at_{};
  bool stopping_ = false;
  std::thread worker_;  ///< last: starts after everything it uses exists
};

}  // namespace broadcaster::status
