// What broadcaster does with one delivery receipt: move the message's state
// forward in its campaign, count final states and error codes, and stop a
// subscriber the provider says opted out (21610) -- the receipt counterpart
// of keyword_responder.h, run on the webhook server's worker thread.
#pragma once

#include <optional>
#include <string>

#include "channels/delivery_receipt.h"
#include "config/config.h"
#include "store/delivery_receipts.h"
#include "store/redis_client.h"
#include "store/subscriber_store.h"

namespace broadcaster::inbound {

class ReceiptRecorder {
 public:
  ReceiptRecorder(const config::Config& cfg, store::RedisClient& redis, std::optional<std::string> subject_key);

  /// Applies `receipt`. A receipt for an unknown message (no campaign named,
  /// a number that is not a phone number, an id the campaign did not send
  /// with) is ignored and says so. Throws RedisError (the provider should
  /// retry: the script is idempotent).
  store::ReceiptResult handle(const channels::DeliveryReceipt& receipt);

 private:
  const config::Config& cfg_;
  store::RedisClient& redis_;
  store::SubscriberStore subscribers_;
};

}  // namespace broadcaster::inbound
