// Delivery receipts into the campaign store (see receipt_recorder.h).
#include "inbound/receipt_recorder.h"

#include <spdlog/spdlog.h>

#include "channels/provider_codes.h"
#include "util/address.h"

namespace broadcaster::inbound {

ReceiptRecorder::ReceiptRecorder(const config::Config& cfg, store::RedisClient& redis,
                                 std::optional<std::string> subject_key)
    : cfg_(cfg), redis_(redis), subscribers_(redis, store::Keys(cfg.redis.prefix), std::move(subject_key)) {}

store::ReceiptResult ReceiptRecorder::handle(const channels::DeliveryReceipt& r) {
  const auto address = util::Address::parse(r.to, cfg_.default_region);
  if (r.campaign_id.empty() || !address) {
    spdlog::info("receipt {} from {} for {}: not one of our campaign messages; ignored", r.provider_id, r.endpoint,
                 util::mask_phone(r.to));
    return store::ReceiptResult::Unknown;
  }
  const store::ReceiptUpdate update{
      r.campaign_id,           address->canonical(),        r.provider_id, std::string(channels::to_string(r.state)),
      channels::rank(r.state), channels::is_final(r.state), r.error_code};
  const store::ReceiptResult result = store::apply_receipt(redis_, store::Keys(cfg_.redis.prefix), update);
  switch (result) {
    case store::ReceiptResult::Unknown:
      spdlog::info("receipt {} for campaign {}: no message to {} was sent with that id; ignored", r.provider_id,
                   r.campaign_id, *address);
      break;
    case store::ReceiptResult::Stale:
      spdlog::debug("receipt {} ({}) for campaign {}: already there or further", r.provider_id, r.provider_status,
                    r.campaign_id);
      break;
    case store::ReceiptResult::Early:
      spdlog::debug("receipt {} ({}) for campaign {}: came before the send was recorded; kept for it",
                    r.provider_id, r.provider_status, r.campaign_id);
      if (channels::is_final(r.state) && channels::is_opt_out_code(r.error_code)) {
        // The carrier's word on the subscriber does not wait for our record.
        const store::ConsentContext context{"provider", "", r.provider_id, r.endpoint, std::chrono::seconds(0)};
        subscribers_.stop(*address, "provider error " + r.error_code, context);
      }
      break;
    case store::ReceiptResult::Progress:
      spdlog::debug("receipt {} for campaign {}: {}", r.provider_id, r.campaign_id, r.provider_status);
      break;
    case store::ReceiptResult::Final: {
      const std::string_view meaning = channels::code_meaning(r.error_code);
      if (r.error_code.empty()) {
        spdlog::debug("campaign {}: message to {} {}", r.campaign_id, *address, r.provider_status);
      } else {
        spdlog::info("campaign {}: message to {} {} ({}{}{})", r.campaign_id, *address, r.provider_status, r.error_code,
                     meaning.empty() ? "" : ": ", meaning);
      }
      if (channels::is_opt_out_code(r.error_code)) {
        // The carrier says they opted out: never again, as at send time.
        const store::ConsentContext context{"provider", "", r.provider_id, r.endpoint, std::chrono::seconds(0)};
        subscribers_.stop(*address, "provider error " + r.error_code, context);
      }
      break;
    }
  }
  return result;
}

}  // namespace broadcaster::inbound
