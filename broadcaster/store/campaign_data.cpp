// Retention and erasure of a campaign's per-message data.
#include "store/campaign_data.h"

#include <algorithm>
#include <iterator>

#include "store/campaign_counters.h"
#include "store/scripts.h"
#include "store/subscriber_store.h"
#include "util/errors.h"
#include "util/sha256.h"

namespace broadcaster::store {

std::string body_ref(std::string_view text) { return util::to_hex(util::sha256(text), 6); }

EnqueueCall::EnqueueCall(const Keys& keys, const std::string& id) : keys_(campaign_script_keys(keys, id)) {}

void EnqueueCall::add(const EnqueueMessage& m) {
  // A call holds a few texts (a campaign's languages, with and without the
  // footer), usually the renderer's own strings: a linear search, by address
  // first, finds the one in use without hashing it again.
  auto text = std::find_if(texts_.begin(), texts_.end(), [&](const auto& t) {
    return (t.second.data() == m.body.data() && t.second.size() == m.body.size()) || t.second == m.body;
  });
  if (text == texts_.end()) text = texts_.insert(texts_.end(), {body_ref(m.body), m.body});
  args_.insert(args_.end(), {m.phone, m.language, text->first, m.time_zone, m.region, m.due_ms});
  ++messages_;
}

RedisClient::ScriptCall EnqueueCall::take() {
  std::vector<std::string> args;
  args.reserve(1 + 2 * texts_.size() + args_.size());
  args.push_back(std::to_string(texts_.size()));
  for (const auto& [ref, text] : texts_) {
    args.push_back(ref);
    args.emplace_back(text);
  }
  std::move(args_.begin(), args_.end(), std::back_inserter(args));
  texts_.clear();
  args_.clear();
  messages_ = 0;
  return {keys_, std::move(args)};
}

namespace {

constexpr std::size_t kCampaignsPerPipeline = 50;  // campaign_forget calls per round trip

}  // namespace

std::vector<std::string> campaign_script_keys(const Keys& keys, const std::string& id) {
  std::vector<std::string> out{keys.campaign_meta(id), keys.campaign_stats(id)};
  for (auto& key : keys.campaign_message_keys(id)) out.push_back(std::move(key));
  return out;
}

RedisClient::ScriptCall campaign_finish_call(const Keys& keys, const std::string& id) {
  return {campaign_script_keys(keys, id), {now_iso8601()}};
}

RedisClient::ScriptCall record_outcome_call(const Keys& keys, const std::string& id,
                                            std::span<const OutcomeRecord> records) {
  std::vector<std::string> args{std::string(kConsumerGroup)};
  for (const auto& r : records) {
    const std::string lang = r.language.empty() ? std::string(counters::kNoLanguage) : r.language;
    const std::size_t fields_at = args.size() + 4;
    args.insert(args.end(), {r.entry_id, r.address, r.outcome, lang, ""});
    args.insert(args.end(), r.counters.begin(), r.counters.end());
    // Counted by language in the same call as the totals, so they add up.
    for (const auto& c : r.counters) {
      if (counters::counted_by_language(c)) args.push_back(counters::by_language(lang, c));
    }
    args[fields_at] = std::to_string(args.size() - fields_at - 1);
  }
  return {{keys.campaign_outcome(id), keys.campaign_stats(id), keys.campaign_queue(id), keys.campaign_sending(id),
           keys.campaign_enqueued(id), keys.campaign_early_receipts(id), keys.campaign_delivery(id)},
          std::move(args)};
}

RedisClient::ScriptCall record_outcome_call(const Keys& keys, const std::string& id, const std::string& entry_id,
                                            const std::string& address, const std::string& outcome,
                                            const std::string& language, const std::vector<std::string>& counters) {
  const OutcomeRecord one{entry_id, address, outcome, language, counters};
  return record_outcome_call(keys, id, std::span<const OutcomeRecord>(&one, 1));
}

RedisClient::ScriptCall send_begin_call(const Keys& keys, const std::string& id, long long now_ms,
                                        std::span<const SendStart> starts) {
  std::vector<std::string> args{std::to_string(now_ms)};
  args.reserve(1 + 3 * starts.size());
  for (const auto& s : starts) args.insert(args.end(), {s.address, s.token, s.settled});
  return {{keys.campaign_outcome(id), keys.campaign_sending(id), keys.campaign_stats(id), keys.campaign_enqueued(id),
           keys.campaign_meta(id)},
          std::move(args)};
}

RedisClient::ScriptCall send_begin_call(const Keys& keys, const std::string& id, const std::string& address,
                                        long long now_ms, const std::string& token, const std::string& settled) {
  const SendStart one{address, token, settled};
  return send_begin_call(keys, id, now_ms, std::span<const SendStart>(&one, 1));
}

CampaignErasure forget_in_campaigns(RedisClient& redis, const Keys& keys, const std::string& address) {
  CampaignErasure out;
  const RedisValue ids = redis.command({"ZRANGE", keys.campaign_index(), "0", "-1"});
  std::vector<RedisClient::ScriptCall> calls;
  auto flush = [&] {
    if (calls.empty()) return;
    for (const auto& r : redis.eval_pipeline(scripts().campaign_forget, calls)) {
      if (r.type == RedisValue::Type::Error) throw RedisReplyError("erasing a number from a campaign: " + r.str);
      out.queue_entries += r.as_array().at(0).as_integer();
      out.campaigns += r.as_array().at(1).as_integer();
    }
    calls.clear();
  };
  for (const auto& id : ids.as_array()) {
    std::vector<std::string> script_keys = campaign_script_keys(keys, id.as_string());
    script_keys.push_back(keys.campaign_scratch(id.as_string()));
    calls.push_back({std::move(script_keys), {address}});
    if (calls.size() >= kCampaignsPerPipeline) flush();
  }
  flush();
  return out;
}

}  // namespace broadcaster::store
