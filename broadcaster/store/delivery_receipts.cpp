// delivery_receipt.lua with its keys and arguments.
#include "store/delivery_receipts.h"

#include "store/campaign_counters.h"
#include "store/scripts.h"

namespace broadcaster::store {

std::string final_counter(const std::string& state) {
  if (state == "delivered") return std::string(counters::kDelivered);
  if (state == "undelivered") return std::string(counters::kUndelivered);
  return std::string(counters::kDeliveryFailed);
}

ReceiptResult apply_receipt(RedisClient& redis, const Keys& keys, const ReceiptUpdate& u) {
  const std::string code_counter =
      u.final && !u.error_code.empty() ? std::string(counters::kErrorPrefix) + u.error_code : std::string();
  const auto r = redis.eval(
      scripts().delivery_receipt,
      {keys.campaign_outcome(u.campaign_id), keys.campaign_delivery(u.campaign_id), keys.campaign_stats(u.campaign_id),
       keys.campaign_sending(u.campaign_id), keys.campaign_early_receipts(u.campaign_id)},
      {u.phone, u.provider_id, u.state, std::to_string(u.rank), u.final ? "1" : "0", u.error_code,
       final_counter(u.state), code_counter});
  const std::string result = r.as_string();
  if (result == "final") return ReceiptResult::Final;
  if (result == "progress") return ReceiptResult::Progress;
  if (result == "stale") return ReceiptResult::Stale;
  if (result == "early") return ReceiptResult::Early;
  return ReceiptResult::Unknown;
}

}  // namespace broadcaster::store
