// Keyword replies as one-message campaigns (see keyword_reply.h).
#include "store/keyword_reply.h"

#include <random>

#include "store/scripts.h"
#include "store/subscriber_store.h"

namespace broadcaster::store {

namespace {

std::string safe(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                    ch == '_' || ch == '-';
    out += ok ? ch : '_';
  }
  return out;
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string reply_campaign_id(const std::string& endpoint, const std::string& provider_id) {
  std::string id = provider_id;
  if (id.empty()) {
    std::random_device random;
    static constexpr char kHex[] = "0123456789abcdef";
    id = "noid-";
    for (int i = 0; i < 16; ++i) id += kHex[random() % 16];
  }
  return std::string(kReplyCampaignPrefix) + safe(endpoint) + "-" + safe(id);
}

bool enqueue_reply(RedisClient& redis, const Keys& keys, const KeywordReply& reply,
                   std::chrono::milliseconds retention) {
  const std::string id = reply_campaign_id(reply.endpoint, reply.provider_id);
  const long long now = now_ms();
  const RedisValue r =
      redis.eval(scripts().reply_enqueue,
                 {keys.campaign_meta(id), keys.campaign_stats(id), keys.campaign_queue(id), keys.campaign_enqueued(id)},
                 {id, reply.channel, reply.to.canonical(), reply.language, reply.body,
                  reply.to_stopped ? "to_stopped" : "not_stopped", std::to_string(retention.count()), now_iso8601(),
                  std::to_string(now), std::string(kConsumerGroup)});
  const std::string status = r.as_array().at(0).as_string();
  // Indexed and made due after the script, and again on a retry (both are
  // idempotent), so a crash between them loses nothing. A done reply is
  // not made due again: the sender would only find it finished.
  (void)redis.command({"ZADD", keys.campaign_index(), "NX", std::to_string(now), id});
  if (status != "done" && status != "cancelled") {
    (void)redis.command({"ZADD", keys.campaigns(), "NX", std::to_string(now), id});
  }
  return status == "queued";
}

}  // namespace broadcaster::store
