// Remembering and routing keyword replies (see reply_dispatch.h).
#include "inbound/reply_dispatch.h"

#include <spdlog/spdlog.h>

#include "store/keyword_reply.h"
#include "util/address.h"

namespace broadcaster::inbound {

ReplyDispatch::ReplyDispatch(const config::Config& cfg, store::RedisClient& redis) : cfg_(cfg), redis_(redis) {}

std::optional<std::string> ReplyDispatch::decided(const channels::InboundMessage& message, const Outcome& outcome) {
  if (message.provider_id.empty() || outcome.result == "ignored") return outcome.reply;  // nothing to know a retry by
  const std::string key = store::Keys(cfg_.redis.prefix).answer(message.provider_id);
  const std::string remember = std::to_string(cfg_.inbound.remember.count());
  // A first attempt, or a retry that reconstructed what its first attempt
  // chose (which then died before remembering it): remember it, unless a
  // choice is remembered already.
  if (outcome.result != "duplicate" || outcome.repeated) {
    const store::RedisValue set = redis_.command({"SET", key, outcome.reply.value_or(""), "NX", "EX", remember});
    if (!set.is_nil()) return outcome.reply;
  }
  const store::RedisValue before = redis_.command({"GET", key});
  if (before.is_nil() || before.as_string().empty()) return std::nullopt;
  return before.as_string();
}

std::optional<std::string> ReplyDispatch::dispatch(const channels::InboundMessage& message, const Outcome& outcome) {
  std::optional<std::string> reply = decided(message, outcome);
  if (reply && outcome.stopped && !outcome.reply_to_stopped) {
    spdlog::info("inbound {}: {} has opted out since; the reply chosen earlier is not sent", message.endpoint,
                 util::mask_stored(outcome.to));
    reply.reset();
  }
  const config::ReplySettings settings = cfg_.inbound.reply_settings(message.endpoint);
  if (settings.mode == config::ReplyMode::InAnswer || !reply) return reply;
  const auto to = util::Address::from_stored(outcome.to);
  if (!to) return reply;  // a reply is chosen only for a sender that is an address
  const store::KeywordReply queued{
      message.endpoint, message.provider_id,     settings.channel, *to, outcome.reply_language,
      *reply,           outcome.reply_to_stopped};
  const auto retention = std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.retention.campaign);
  if (store::enqueue_reply(redis_, store::Keys(cfg_.redis.prefix), queued, retention)) {
    spdlog::info("inbound {}: reply to {} queued on channel {} ({})", message.endpoint, util::mask_stored(outcome.to),
                 settings.channel, store::reply_campaign_id(message.endpoint, message.provider_id));
  } else {
    spdlog::info("inbound {}: reply to {} was queued already (a retried webhook)", message.endpoint,
                 util::mask_stored(outcome.to));
  }
  return std::nullopt;
}

}  // namespace broadcaster::inbound
