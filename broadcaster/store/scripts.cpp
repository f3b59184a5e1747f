// Embedded Lua scripts.
#include "store/scripts.h"

#include "store_lua.h"  // generated from scripts/*.lua

namespace broadcaster::store {

const Scripts& scripts() {
  static const Scripts kScripts{
      Script("subscriber_change", lua::kSubscriberChange),
      Script("subscriber_stop", lua::kSubscriberStop),
      Script("subscriber_forget", lua::kSubscriberForget),
      Script("inbox_add", lua::kInboxAdd),
      Script("reply_quota", lua::kReplyQuota),
      Script("audience", lua::kAudience),
      Script("enqueue", lua::kEnqueue),
      Script("record_outcome", lua::kRecordOutcome),
      Script("send_begin", lua::kSendBegin),
      Script("claim_hold", lua::kClaimHold),
      Script("consumer_prune", lua::kConsumerPrune),
      Script("dead_letter", lua::kDeadLetter),
      Script("campaign_finish", lua::kCampaignFinish),
      Script("campaign_forget", lua::kCampaignForget),
      Script("gcra", lua::kGcra),
      Script("serve_heartbeat", lua::kServeHeartbeat),
      Script("campaign_approve", lua::kCampaignApprove),
      Script("schedule_claim", lua::kScheduleClaim),
      Script("schedule_complete", lua::kScheduleComplete),
  };
  return kScripts;
}

}  // namespace broadcaster::store
