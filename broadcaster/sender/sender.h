// The send loop of `broadcaster serve`: campaign queues -> channels.
// Design: one Sender per process, on the process's one io_context thread.
// It reads due campaigns' Redis streams through the consumer group shared by
// every `serve` process, so processes on several machines split the work.
//
// One message: wait for a rate-limit slot; then, in one round trip, check
// that the subscriber is still active (a STOP that arrived meanwhile wins)
// and run send_begin.lua, which refuses a message that has an outcome and
// otherwise stores a marker saying a send is starting; send; store the
// outcome, delete the marker and acknowledge the entry in one script.
//
// In doubt: a send whose answer never came (time-out, connection broken
// after the request was written), or a marker left by a process that died,
// means the provider may have the message. Such a message is never simply
// sent again: after `in_doubt_settle` the channel is asked (Twilio: the
// Messages list); found -> recorded as sent with the provider's id; not
// found -> sent again. A channel that cannot be asked sends again.
//
// Claims: every message this process holds, whatever it waits for (a slot,
// a retry, an answer, Redis), has its entry's idle time reset every third of
// `claim_idle` (claim_hold.lua, only for entries still ours), so no peer
// takes it over; entries idle longer than `claim_idle` belong to a process
// that is gone and are taken over with XAUTOCLAIM. What a process holds is
// sized from its measured share of the rate (RateShare). On drain (SIGTERM)
// the messages not on the wire are handed back at once (their idle time is
// set far past `claim_idle`, so a peer's next XAUTOCLAIM takes them), sends
// on the wire finish and are recorded, and the consumer removes itself from
// each group it emptied; consumers of gone processes that hold nothing are
// pruned by whoever is alive.
//
// Redis away: work that needs Redis waits (it is not dropped, and an outcome
// the provider accepted is never turned into a resend); outcomes recorded in
// the last seconds before an outage are recorded again after it (record_
// outcome.lua is idempotent), since Redis may have lost its last writes;
// this process's own pending entries are read again from the start.
//
// Everything is bounded: in-flight messages per channel, read batch sizes,
// retries, lookup pages; every wait has a deadline.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "channels/channel.h"
#include "channels/medium.h"
#include "channels/provider_code.h"
#include "config/config.h"
#include "queue/queued_message.h"
#include "schedule/quiet_hours_memo.h"
#include "sender/http_client.h"
#include "sender/rate_limit.h"
#include "sender/rate_share.h"
#include "store/async_commands.h"
#include "store/campaign_data.h"
#include "store/keys.h"
#include "store/send_marker.h"
#include "store/subject_hasher.h"

namespace broadcaster::metrics {
struct ServeMetrics;
}

namespace broadcaster::sender {

/// A configured channel as the sender uses it.
struct ChannelRuntime {
  std::unique_ptr<channels::Channel> channel;
  /// What its provider carries and which addresses it reaches (serve sets
  /// it from the provider's declaration); a message to an address it cannot
  /// reach is set aside, never handed to the provider.
  channels::Medium medium = channels::Medium::sms();
  std::shared_ptr<RateLimiter> limiter;
  /// When urgent.rate_share < 1: bulk messages also take a slot here, at
  /// (1 - share) of the limit, while an urgent campaign has work, so the
  /// urgent one is sure of its share across every process.
  std::shared_ptr<RateLimiter> bulk_lane;
  std::size_t max_in_flight = 64;  ///< messages held at once by this process
  double per_second = 0;           ///< the rate limit, 0 when off
  std::size_t in_flight = 0;
  RateShare share;  ///< slots this process got lately
};

/// Totals since start, for logs and tests.
struct SenderCounters {
  std::size_t sent = 0;
  std::size_t failed = 0;
  std::size_t skipped_stopped = 0;
  std::size_t retried = 0;
  std::size_t duplicates_acked = 0;  ///< redelivered entries that already had an outcome
  std::size_t in_doubt = 0;          ///< messages found in doubt
  std::size_t in_doubt_found = 0;    ///< ... that the provider had
  std::size_t in_doubt_resent = 0;   ///< ... that it did not have: sent again
  std::size_t handed_back = 0;       ///< given back to peers on drain
  std::size_t claims_lost = 0;       ///< taken over by a peer while held here
  std::size_t dead_letters = 0;      ///< unreadable entries set aside
  std::size_t deferred = 0;          ///< set aside for quiet hours or the frequency cap
  std::size_t skipped_cap = 0;       ///< not sent: over the frequency cap (over_cap: skip)
  std::size_t expired = 0;           ///< not sent: past the campaign's valid_until
};

class Sender : public std::enable_shared_from_this<Sender> {
 public:
  /// `consumer` names this process in the consumer group (host:pid);
  /// `subjects` hashes numbers for the consent log (provider opt-outs).
  Sender(boost::asio::io_context& io, std::shared_ptr<store::AsyncCommands> redis, HttpClient& http,
         std::map<std::string, ChannelRuntime> channels, store::Keys keys, store::SubjectHasher subjects,
         config::SenderConfig config, config::OutreachConfig outreach, std::string consumer);

  /// Starts the loop; it works while Redis is up (see redis_up/redis_down).
  /// `on_stopped` runs once, after drain() completes.
  void start(std::function<void()> on_stopped);

  /// Redis is reachable (first time, or again after an outage).
  void redis_up();

  /// Redis went away: work that needs it waits until redis_up().
  void redis_down();

  /// Stops reading new work; messages not on the wire are handed back to
  /// peers at once; sends on the wire finish and are recorded (waiting for
  /// Redis at most `kDrainRedisWait`); then `on_stopped` runs.
  void drain();

  const SenderCounters& counters() const noexcept { return counters_; }

  /// Counts sends, retries, in-doubt messages and rate-limit waits in
  /// `metrics` from now on (null: not counted). `metrics` must outlive the
  /// sender's work. Call before start().
  void set_metrics(metrics::ServeMetrics* metrics) noexcept { metrics_ = metrics; }

  /// Messages held now, by channel name (for the held-messages gauge).
  [[nodiscard]] std::map<std::string, std::size_t> held_by_channel() const;

  /// How long drain() waits for Redis to record outcomes of sends that
  /// finished while it was away. After that the process leaves their
  /// markers behind: whoever takes the entries over asks the provider.
  static constexpr std::chrono::seconds kDrainRedisWait{10};

 private:
  struct Campaign;
  struct Job;
  enum class Release { Done, HandBack, Drop };

  // polling
  void tick();
  void refresh_campaigns();
  void read_meta(const std::string& id);
  bool may_take(const Campaign& c) const;
  void undefer(const std::shared_ptr<Campaign>& c);
  void read(const std::shared_ptr<Campaign>& c);
  void claim(const std::shared_ptr<Campaign>& c);
  void hold_claims(const std::shared_ptr<Campaign>& c);
  void prune_consumers(const std::shared_ptr<Campaign>& c, const std::string& self, std::function<void()> done);
  void maybe_finish(const std::shared_ptr<Campaign>& c);
  std::size_t capacity(Campaign& c);
  // Entries read or claimed (an array of XREADGROUP/XAUTOCLAIM entries);
  // returns how many are messages not held already.
  std::size_t take_entries(const std::shared_ptr<Campaign>& c, const store::RedisValue& entries);
  void take_entry(const std::shared_ptr<Campaign>& c, queue::ParsedEntry parsed);
  /// Sets an entry that cannot be sent aside in the dead-letter stream, with `problem`.
  void dead_letter(const std::shared_ptr<Campaign>& c, const std::string& entry_id, const std::string& problem);
  // one message
  void dispatch(const std::shared_ptr<Campaign>& c, queue::QueuedMessage msg);
  void wait_for_slot(const std::shared_ptr<Job>& job);
  void check_then_send(const std::shared_ptr<Job>& job);
  void send(const std::shared_ptr<Job>& job);
  void begin_send(const std::shared_ptr<Job>& job);
  // The batched steps: each gathers a campaign's messages ready for it and
  // runs its script once for all of them (at most kScriptBatch per call).
  enum class Step { Gate, Begin, Record };
  void gather(Step step, const std::shared_ptr<Job>& job);
  void post_flush(Step step, const std::shared_ptr<Campaign>& c);
  std::vector<std::shared_ptr<Job>> take_batch(Step step, const std::shared_ptr<Campaign>& c);
  void flush_gate(const std::shared_ptr<Campaign>& c);
  void flush_begin(const std::shared_ptr<Campaign>& c);
  void flush_record(const std::shared_ptr<Campaign>& c);
  void on_gate(const std::shared_ptr<Job>& job, const store::RedisValue& verdict);
  void on_begin(const std::shared_ptr<Job>& job, long long started, const store::RedisValue& verdict);
  void on_recorded(const std::shared_ptr<Job>& job, const std::exception_ptr& error);
  void release_cap_place(const std::shared_ptr<Job>& job);
  // A check before the send failed: wait for Redis, or leave the entry to a peer.
  void check_failed(const std::shared_ptr<Job>& job, const std::exception_ptr& error);
  // Sets the message aside until `due_ms` (defer.lua), counting `counter`;
  // past the campaign's valid_until it is recorded as expired instead.
  void defer(const std::shared_ptr<Job>& job, long long due_ms, std::string_view counter, const char* why);
  // When quiet hours in the subscriber's zone end, if they are on now.
  std::optional<long long> quiet_until(const Job& job);
  void on_sent(const std::shared_ptr<Job>& job, const channels::SendResult& result);
  void on_failure(const std::shared_ptr<Job>& job, const SendError& error);
  // The provider says our account or sender is misconfigured (a
  // CodeKind::Configuration code): every message would fail the same way,
  // so the campaign is paused, for every serve process, and this message
  // handed back unsent, instead of spending the whole audience on failures.
  void pause_for_configuration(const std::shared_ptr<Job>& job, const SendError& error,
                               const channels::ProviderCode& code);
  void on_in_doubt(const std::shared_ptr<Job>& job, const std::string& why);
  void resolve(const std::shared_ptr<Job>& job, store::SendMarker marker);
  void look_up(const std::shared_ptr<Job>& job, channels::HttpRequest request, int page);
  void lookup_failed(const std::shared_ptr<Job>& job, const std::string& why, bool retryable);
  void not_found(const std::shared_ptr<Job>& job);
  void record(const std::shared_ptr<Job>& job, std::string outcome, std::vector<std::string> counters, int attempt = 0);
  void release(const std::shared_ptr<Job>& job, Release how);
  void stall(const std::shared_ptr<Job>& job, std::function<void()> resume);
  void after(std::chrono::milliseconds delay, std::function<void(bool cancelled)> fn);
  void count(const std::shared_ptr<Campaign>& c, const std::string& field);
  // Says this process is alive (store/serve_presence.h), or gone; `done` after.
  void heartbeat(bool leaving, std::function<void()> done);
  // shutdown
  void flush_handback(const std::shared_ptr<Campaign>& c);
  void check_drained();
  void finish_drain();

  channels::OutboundMessage outbound(const Job& job) const;

  boost::asio::io_context& io_;
  std::shared_ptr<store::AsyncCommands> redis_;
  HttpClient& http_;
  std::map<std::string, ChannelRuntime> channels_;
  store::Keys keys_;
  store::SubjectHasher subjects_;
  config::SenderConfig config_;
  config::OutreachConfig outreach_;
  schedule::QuietHoursMemo quiet_hours_{outreach_.quiet_hours};  // asked before every message
  std::string consumer_;
  boost::asio::steady_timer tick_timer_;
  std::map<std::string, std::shared_ptr<Campaign>> campaigns_;
  std::set<std::shared_ptr<boost::asio::steady_timer>> timers_;
  std::vector<std::pair<std::shared_ptr<Job>, std::function<void()>>> stalled_;
  // Outcomes recorded lately, re-recorded after an outage (Redis may have lost them).
  struct Recorded {
    std::string campaign;
    store::OutcomeRecord record;
    std::chrono::steady_clock::time_point at;
  };
  std::deque<Recorded> journal_;
  std::chrono::steady_clock::time_point next_refresh_{};
  std::chrono::steady_clock::time_point next_hold_{};
  std::chrono::steady_clock::time_point next_heartbeat_{};
  std::uint64_t attempt_seq_ = 0;
  bool refreshing_ = false;
  bool urgent_waiting_ = false;  // an urgent campaign has work: bulk takes nothing new
  bool redis_up_ = false;
  bool was_down_ = false;
  bool draining_ = false;
  bool drain_finishing_ = false;
  std::size_t handbacks_in_flight_ = 0;
  std::size_t in_flight_ = 0;
  std::function<void()> on_stopped_;
  std::mt19937_64 rng_;
  SenderCounters counters_;
  metrics::ServeMetrics* metrics_ = nullptr;  // not owned; may be null
};

}  // namespace broadcaster::sender
