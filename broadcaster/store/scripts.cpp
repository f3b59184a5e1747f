// Embedded Lua scripts.
#include "store/scripts.h"

#include <string>

#include "store_lua.h"  // generated from scripts/*.lua

namespace broadcaster::store {

namespace {

/// `body` with shared functions (`common`, a *_common.lua) in front of it.
std::string with_common(std::string_view common, std::string_view body) {
  std::string text(common);
  text += "\n";
  text += body;
  return text;
}

}  // namespace

const Scripts& scripts() {
  static const Scripts kScripts{
      Script("subscriber_change", lua::kSubscriberChange),
      Script("subscriber_stop", lua::kSubscriberStop),
      Script("subscriber_forget", lua::kSubscriberForget),
      Script("inbox_add", lua::kInboxAdd),
      Script("reply_quota", lua::kReplyQuota),
      Script("enqueue", lua::kEnqueue),
      Script("record_outcome", with_common(lua::kReceiptCommon, lua::kRecordOutcome)),
      Script("send_begin", lua::kSendBegin),
      Script("claim_hold", lua::kClaimHold),
      Script("consumer_prune", lua::kConsumerPrune),
      Script("dead_letter", lua::kDeadLetter),
      Script("campaign_finish", with_common(lua::kCampaignCommon, lua::kCampaignFinish)),
      Script("campaign_forget", lua::kCampaignForget),
      Script("gcra", lua::kGcra),
      Script("serve_heartbeat", lua::kServeHeartbeat),
      Script("subscriber_gate", lua::kSubscriberGate),
      Script("defer", lua::kDefer),
      Script("undefer", lua::kUndefer),
      Script("campaign_approve", lua::kCampaignApprove),
      Script("campaign_control", with_common(lua::kCampaignCommon, lua::kCampaignControl)),
      Script("schedule_claim", lua::kScheduleClaim),
      Script("schedule_complete", lua::kScheduleComplete),
      Script("delivery_receipt", with_common(lua::kReceiptCommon, lua::kDeliveryReceipt)),
      Script("reply_enqueue", lua::kReplyEnqueue),
  };
  return kScripts;
}

}  // namespace broadcaster::store
