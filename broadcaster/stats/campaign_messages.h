// Each message of one campaign and its fate, for `broadcaster messages`:
// what the sender recorded (sent with the provider's id, failed with a code,
// skipped and why) and, once receipts came, what the provider said became of
// it. Numbers are masked before they leave this file.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::stats {

/// One message.
struct MessageFate {
  std::string number;  ///< masked (+1559•••0142)
  /// The latest known state: delivered, undelivered or failed from a
  /// receipt, else sent / failed / skipped from the sender.
  std::string state;
  std::string provider_id;  ///< when sent
  std::string code;         ///< provider error code, "" when none
  /// Why, in words: the code's meaning, or the skip reason ("stopped").
  std::string reason;
  /// When the latest receipt moved it to `state` (UTC, "2026-12-02T10:04:05Z"),
  /// "" when no receipt came.
  std::string receipt_at = {};
  /// When the sender recorded its outcome (sent: the provider took it;
  /// failed or skipped: when it gave up), by Redis's clock, UTC; "" for an
  /// outcome recorded before the time was kept.
  std::string sent_at = {};
  /// The language of the message's variant; "" when not kept (as sent_at).
  std::string language = {};
};

/// The messages of campaign `id` with an outcome, in number order, at most
/// `limit` of those whose state is `state` (any state when empty). Reads the
/// outcome hash with HSCAN, so a large campaign does not block Redis.
/// Throws RedisError.
std::vector<MessageFate> campaign_messages(store::RedisClient& redis, const store::Keys& keys, const std::string& id,
                                           const std::string& state, std::size_t limit);

}  // namespace broadcaster::stats
