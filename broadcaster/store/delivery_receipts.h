// Applying delivery receipts to a campaign's messages in Redis (see
// scripts/delivery_receipt.lua for why one script does it all).
#pragma once

#include <string>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// One receipt, in the store's terms.
struct ReceiptUpdate {
  std::string campaign_id;
  std::string phone;        ///< the address, stored form
  std::string provider_id;  ///< must match the id the message was recorded as sent with
  std::string state;        ///< "sent", "delivered", "undelivered", "failed"
  int rank = 0;             ///< channels::rank() of the state
  bool final = false;
  std::string error_code;  ///< "" when none
};

/// What a receipt did.
enum class ReceiptResult {
  Unknown,   ///< no message of that campaign was sent with that id: ignored
  Stale,     ///< the message is already there or further (a duplicate, late or out of order)
  Progress,  ///< moved forward, not final yet (queued -> sent)
  Final,     ///< reached its final state now, and was counted
  Early,     ///< came while the message's send is under way, before its outcome
             ///< was recorded: kept, and applied when it is recorded as sent
};

/// Applies `update`. Throws RedisError.
ReceiptResult apply_receipt(RedisClient& redis, const Keys& keys, const ReceiptUpdate& update);

/// The counter a final `state` increments ("delivered", "undelivered",
/// "delivery_failed"; campaign_counters.h).
std::string final_counter(const std::string& state);

}  // namespace broadcaster::store
