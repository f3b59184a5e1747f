// The inbox: texts from subscribers that were not keywords, kept for staff,
// and texts the keyword engine was not sure about, flagged for review.
// Design: a Redis stream, approximately capped (it is a working list, unlike
// the consent log); each text is added once however often the provider
// retries its webhook (inbox_add.lua remembers the provider's message id).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// One kept text.
struct InboxEntry {
  std::string id;       ///< stream id, also its order
  std::string at;       ///< ISO 8601 UTC
  std::string phone;    ///< sender, stored form of their address
  std::string subject;  ///< keyed hash of the sender (what `forget` matches)
  std::string text;
  std::string endpoint;  ///< inbound endpoint it came through
  std::string provider_id;
  /// Why staff should look at it ("probable opt-out: one letter away from
  /// the opt-out keyword 'stop'; stopped"), "" for a plain inbox text.
  std::string review = {};
};

class Inbox {
 public:
  /// Texts beyond about this many are dropped, oldest first.
  static constexpr std::size_t kCapacity = 100'000;

  Inbox(RedisClient& redis, Keys keys) : redis_(redis), keys_(std::move(keys)) {}

  /// Keeps `entry` (id and at are filled in). Returns false if a text with
  /// the same provider id was kept within `remember`. Throws RedisError.
  bool add(const InboxEntry& entry, std::chrono::seconds remember);

  /// Notes that the inbound message `provider_id` was acted on (for messages
  /// that change nothing in the store, such as HELP). Returns false if it
  /// already was within `remember`, true otherwise (also for an empty id,
  /// which cannot be recognised). Throws RedisError.
  bool mark_seen(const std::string& provider_id, std::chrono::seconds remember);

  /// The newest `limit` texts, oldest of them first; with `after` (a stream
  /// id), only texts newer than that; with `review_only`, only flagged ones.
  /// Throws RedisError.
  std::vector<InboxEntry> latest(std::size_t limit, const std::string& after = "", bool review_only = false);

 private:
  RedisClient& redis_;
  Keys keys_;
};

}  // namespace broadcaster::store
