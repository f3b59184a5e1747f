// A keyword reply sent as an ordinary outbound message (`replies: outbound`
// on an inbound endpoint): queued as a campaign of one message, so the
// sender gives it everything a campaign message gets (the channel's rate
// limit, retries, the in-doubt lookup, an outcome record, delivery receipts)
// with no second send path to keep in step.
// Design: the campaign's id names the inbound message it answers
// (reply-<endpoint>-<provider id>), and reply_enqueue.lua creates it only if
// it does not exist, so however often a provider retries the webhook, and
// whether or not the first attempt got as far as queuing, the reply is
// queued exactly once. Its meta says `priority: urgent` (ahead of any bulk
// backlog on the channel) and `reply: to_stopped | not_stopped`: the sender
// sends it at any hour, outside the frequency cap, and to a stopped number
// only when it is the reply to that number's own STOP or HELP
// (subscriber_gate.lua). Like every campaign it is in bc:campaigns:all, so
// `remove --forget` erases the number from it and retention purges it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "store/keys.h"
#include "store/redis_client.h"
#include "util/address.h"

namespace broadcaster::store {

struct KeywordReply {
  std::string endpoint;     ///< the inbound endpoint the text came in at
  std::string provider_id;  ///< the inbound text's id; "" if it had none
  std::string channel;      ///< the endpoint's reply_channel
  util::Address to;
  std::string language;  ///< of the reply
  std::string body;
  bool to_stopped = false;  ///< may go to an address that is opted out (the STOP confirmation)
};

/// The start of every keyword reply campaign's id (reply_campaign_id).
inline constexpr std::string_view kReplyCampaignPrefix = "reply-";

/// The campaign id of the reply to `provider_id` at `endpoint`: only
/// letters, digits, '.', '_' and '-' ({ and } would break the hash tag).
/// Without a provider id the id is random (nothing to recognise a retry by).
[[nodiscard]] std::string reply_campaign_id(const std::string& endpoint, const std::string& provider_id);

/// Queues `reply` unless its campaign exists already; returns true if it
/// was queued now. `retention` is retention.campaign, as for campaigns.
/// Throws RedisError.
bool enqueue_reply(RedisClient& redis, const Keys& keys, const KeywordReply& reply,
                   std::chrono::milliseconds retention);

}  // namespace broadcaster::store
