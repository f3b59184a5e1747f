// Subscribers in Redis: add/update in bulk, look up, stop, and find audiences.
// Design: all subscriber keys share the {subs} hash tag, so each change and
// its index updates run as one Lua script (see keys.h). Bulk work is
// pipelined: an import of thousands costs a handful of round trips per
// thousand rows, not one per row.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"
#include "store/subscriber.h"

namespace broadcaster::store {

enum class UpsertResult { Added, Updated, Suppressed };

class SubscriberStore {
 public:
  SubscriberStore(RedisClient& redis, Keys keys) : redis_(redis), keys_(std::move(keys)) {}

  /// Adds or updates `batch` (language and tags are replaced; consent of an
  /// existing subscriber is kept). A number that opted out is never
  /// re-activated: its result is Suppressed. Throws RedisError.
  std::vector<UpsertResult> upsert(const std::vector<Subscriber>& batch);

  /// The stored subscriber, or nullopt.
  std::optional<Subscriber> get(const util::Phone& phone);

  /// Marks `phone` opted out (stored or not). Returns true if that changed anything.
  bool stop(const util::Phone& phone, const std::string& reason);

  /// Numbers (E.164) of active subscribers whose language is one of
  /// `languages` (any when empty) and who have one of `tags` (any when empty).
  std::vector<std::string> audience(const std::vector<std::string>& languages,
                                    const std::vector<std::string>& tags);

  /// How many subscribers `audience` would return, counted inside Redis.
  long long count(const std::vector<std::string>& languages, const std::vector<std::string>& tags);

  /// The stored language of each number, in order (nullopt if unknown).
  std::vector<std::optional<std::string>> languages_of(const std::vector<std::string>& numbers);

  const Keys& keys() const noexcept { return keys_; }

 private:
  RedisValue run_audience(const std::vector<std::string>& languages,
                          const std::vector<std::string>& tags, const char* mode);
  RedisClient& redis_;
  Keys keys_;
};

/// Current UTC time as ISO 8601 ("2026-11-23T17:04:05Z").
std::string now_iso8601();

}  // namespace broadcaster::store
