// A campaign's per-message data (queue, enqueued set, outcomes: numbers and
// the texts sent to them): the script calls that start its retention clock
// and that erase one number from it.
// Design: the keys come from one list, Keys::campaign_message_keys, passed
// after meta and stats to every script that touches them
// (store/scripts/enqueue.lua, campaign_finish.lua, campaign_forget.lua), so a
// new per-message key is added in one place and expires, re-opens and
// forgets with the others. Keys of one campaign share a hash tag; erasing a
// number from every campaign is one script per campaign, pipelined, because
// one script cannot span hash slots on Redis Cluster. See keys.h for the
// lifetimes.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// One message to queue.
struct EnqueueMessage {
  std::string phone;  ///< the address, stored form (util::Address::canonical())
  std::string language;
  std::string_view body;  ///< its text; must outlive the EnqueueCall it is added to
  std::string time_zone = {};  ///< the subscriber's own zone, "" for none
  std::string region = {};     ///< their US state, "" for none
  std::string due_ms = {};     ///< "" to send now; else set aside until then
};

/// The reference under which the bodies hash keeps `text`
/// (queue/queued_message.h): 12 hex digits of its SHA-256, so the same text
/// always has the same reference and two texts of one campaign (at most a
/// few dozen) share one with odds far below 1 in 10^10; enqueue.lua refuses
/// a reference that already names another text.
[[nodiscard]] std::string body_ref(std::string_view text);

/// One enqueue.lua call of campaign `id` being built: its messages, and each
/// text they use once (the one place that knows the script's ARGV layout).
class EnqueueCall {
 public:
  EnqueueCall(const Keys& keys, const std::string& id);

  void add(const EnqueueMessage& m);
  [[nodiscard]] std::size_t size() const noexcept { return messages_; }
  /// KEYS and ARGV; the call is empty again afterwards.
  [[nodiscard]] RedisClient::ScriptCall take();

 private:
  std::vector<std::string> keys_;
  std::vector<std::pair<std::string, std::string_view>> texts_;  // reference, text
  std::vector<std::string> args_;  // six per message
  std::size_t messages_ = 0;
};

/// KEYS of every campaign script: meta, stats, then
/// Keys::campaign_message_keys(id).
[[nodiscard]] std::vector<std::string> campaign_script_keys(const Keys& keys, const std::string& id);

/// KEYS and ARGV of campaign_finish for campaign `id`, now, for callers that
/// run it on another client (the sender's AsyncRedis). The script replies 1
/// when the campaign is (now) done, 0 otherwise; on the transition to done it
/// sets the expiry of the per-message keys and meta.purge_at_ms.
[[nodiscard]] RedisClient::ScriptCall campaign_finish_call(const Keys& keys, const std::string& id);

/// One message's outcome, as record_outcome.lua stores it: `outcome`
/// ("sent:<id>", "failed:<code>", "skipped:stopped", or "already" to only
/// acknowledge) for `address` unless one is stored, with `language` (the message
/// variant's; "" counts as counters::kNoLanguage) and Redis's time;
/// `counters` are incremented when it is stored, and those of them counted by
/// language (counters::counted_by_language) for `language` too. The number's
/// send marker is deleted and `entry_id` acknowledged; nothing is written
/// about a number erased from the campaign meanwhile.
struct OutcomeRecord {
  std::string entry_id;
  std::string address;
  std::string outcome;
  std::string language;
  std::vector<std::string> counters = {};
};

/// KEYS and ARGV of record_outcome.lua recording `records`, all of campaign
/// `id`, in one call; its reply has one integer per record, in order.
[[nodiscard]] RedisClient::ScriptCall record_outcome_call(const Keys& keys, const std::string& id,
                                                          std::span<const OutcomeRecord> records);

/// The same for one message (a batch of one: the reply is a one-element array).
[[nodiscard]] RedisClient::ScriptCall record_outcome_call(const Keys& keys, const std::string& id,
                                                          const std::string& entry_id, const std::string& address,
                                                          const std::string& outcome, const std::string& language,
                                                          const std::vector<std::string>& counters);

/// One send about to start, for send_begin.lua: to `address`, with marker
/// `token`; `settled` is a marker token the caller knows is settled ('' for
/// none).
struct SendStart {
  std::string address;
  std::string token;
  std::string settled;
};

/// KEYS and ARGV of send_begin.lua for `starts`, all of campaign `id`,
/// starting at `now_ms`; its reply has one array per start, in order. See
/// the script for the answers.
[[nodiscard]] RedisClient::ScriptCall send_begin_call(const Keys& keys, const std::string& id, long long now_ms,
                                                      std::span<const SendStart> starts);

/// The same for one send (a batch of one: the reply is a one-element array).
[[nodiscard]] RedisClient::ScriptCall send_begin_call(const Keys& keys, const std::string& id,
                                                      const std::string& address, long long now_ms,
                                                      const std::string& token, const std::string& settled);

/// What erasing a number from campaign data removed.
struct CampaignErasure {
  long long campaigns = 0;      ///< campaigns whose data held the number
  long long queue_entries = 0;  ///< queued messages (number and text) deleted
};

/// Erases `address` from the per-message data of every campaign in
/// bc:campaigns:all: its queue entries (and their bytes: a queue that lost
/// entries is rewritten without them), enqueued member and outcome. Each
/// campaign's counters record it (stats.erased, skipped_erased) so the
/// campaign still finishes. Idempotent: a second call finds nothing. A queue
/// entry a sender had read but not acknowledged leaves the group's pending
/// list when that sender acknowledges it or XAUTOCLAIM next passes it.
/// Throws RedisError (campaigns processed before the error stay erased).
CampaignErasure forget_in_campaigns(RedisClient& redis, const Keys& keys, const std::string& address);

}  // namespace broadcaster::store
