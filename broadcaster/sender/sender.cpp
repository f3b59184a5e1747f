// The send loop of `broadcaster serve`.
#include "sender/sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <span>
#include <boost/asio/post.hpp>

#include "channels/provider_codes.h"
#include "metrics/serve_metrics.h"
#include "sender/retry.h"
#include "store/campaign_approval.h"
#include "store/campaign_control.h"
#include "store/campaign_counters.h"
#include "store/campaign_data.h"
#include "store/campaign_meta.h"
#include "store/scripts.h"
#include "store/serve_presence.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::sender {

using store::RedisValue;
namespace counters = store::counters;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kRefreshPeriod = std::chrono::seconds(1);
constexpr auto kFinishCheckPeriod = std::chrono::seconds(1);
constexpr auto kPrunePeriod = std::chrono::seconds(60);
constexpr int kRecordAttempts = 5;
constexpr int kMaxLookupPages = 20;
constexpr std::size_t kHoldBatch = 200;  // entry ids per claim_hold call
// Messages per gate, begin or record script call: large enough that a busy
// sender makes few calls, small enough that one call holds Redis for well
// under a millisecond.
constexpr std::size_t kScriptBatch = 128;
// Provider and our clocks may disagree by this much; a lookup reaches back
// this far before the first attempt.
constexpr std::chrono::milliseconds kLookupSkew{120'000};
// Outcomes re-recorded after an outage: Redis with appendfsync everysec
// loses at most about two seconds of writes when it dies.
constexpr auto kJournalAge = std::chrono::seconds(10);
constexpr std::size_t kJournalMax = 50'000;
// Idle time set on entries handed back: far past any claim_idle.
constexpr long long kHandBackIdleMs = 1'000'000'000'000LL;

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// One campaign this process works on.
struct Sender::Campaign {
  std::string id;
  std::string channel;
  // From the meta hash, re-read every kRefreshPeriod (store/campaign_meta.h).
  std::string status{store::meta::kSending};
  bool urgent = false;
  bool skip_over_cap = false;
  // A keyword reply (store/keyword_reply.h): "to_stopped" or "not_stopped";
  // "" for a campaign. Sent at any hour, outside the frequency cap.
  std::string reply;
  long long valid_until_ms = 0;  // 0: no limit
  bool approved = true;          // the two-person rule allows sending
  // May messages of this campaign start now? (Paused, cancelled or waiting
  // for approval: no; send_begin.lua checks status again atomically.)
  bool sendable() const { return status == store::meta::kSending && approved; }
  bool reading = false;
  bool read_posted = false;  // a read after releases is posted
  bool claiming = false;
  bool finishing = false;
  bool holding = false;
  std::string claim_cursor = "0-0";
  // Set: this process's own pending entries are (re)read from this id first
  // (at start and after a Redis outage); unset: new entries (">").
  std::optional<std::string> own_cursor = std::string("0");
  Clock::time_point next_claim{};
  Clock::time_point next_finish_check{};
  Clock::time_point next_prune{};
  Clock::time_point next_undefer{};
  std::map<std::string, std::shared_ptr<Job>> held;  // by entry id
  std::map<std::string, std::string> bodies;         // body_ref -> text, as read
  std::vector<std::string> handback;                 // ids to hand back on drain
  // Messages waiting for the next script of their step, gathered while the
  // io loop works through what is ready and sent as one call per step
  // (gate, begin, record) when it is done: a batch costs one round trip and
  // one script run, not one per message.
  struct StepBatch {
    std::vector<std::shared_ptr<Job>> jobs;
    bool posted = false;  // its flush is posted
  };
  std::array<StepBatch, 3> steps{};  // by Step
};

// One message from read to acknowledgement.
struct Sender::Job {
  Job(queue::QueuedMessage m, std::shared_ptr<Campaign> c, ChannelRuntime* ch)
      : msg(std::move(m)), campaign(std::move(c)), channel(ch) {}
  enum class Stage { Waiting, Checking, OnWire, Settling, LookingUp, Backoff, Recording, Stalled };
  queue::QueuedMessage msg;
  std::shared_ptr<Campaign> campaign;
  ChannelRuntime* channel = nullptr;
  Stage stage = Stage::Waiting;
  std::string token;                       // marker token of the latest attempt
  std::string settled;                     // a marker token known to be settled
  std::optional<store::SendMarker> doubt;  // the marker being resolved
  std::optional<long long> first_ms;       // earliest attempt that may have reached the provider
  std::string last_code;                   // of the latest failure
  int lookups = 0;
  // What record() stores, kept until a record_outcome batch takes it.
  std::string outcome;
  std::vector<std::string> outcome_counters;
  int record_attempt = 0;
  bool lost = false;               // a peer owns the entry now
  bool through_bulk_lane = false;  // took its bulk-lane slot (urgent.rate_share < 1)
};

Sender::Sender(boost::asio::io_context& io, std::shared_ptr<store::AsyncCommands> redis, HttpClient& http,
               std::map<std::string, ChannelRuntime> channels, store::Keys keys, store::SubjectHasher subjects,
               config::SenderConfig config, config::OutreachConfig outreach, std::string consumer)
    : io_(io),
      redis_(std::move(redis)),
      http_(http),
      channels_(std::move(channels)),
      keys_(std::move(keys)),
      subjects_(std::move(subjects)),
      config_(config),
      outreach_(std::move(outreach)),
      consumer_(std::move(consumer)),
      tick_timer_(io),
      rng_(std::random_device{}()) {}

void Sender::start(std::function<void()> on_stopped) {
  on_stopped_ = std::move(on_stopped);
  spdlog::info("sender {} started: channels {}, claim idle {} ms, in-doubt settle {} ms", consumer_, channels_.size(),
               config_.claim_idle.count(), config_.in_doubt_settle.count());
  boost::asio::post(io_, [self = shared_from_this()] { self->tick(); });
}

// ---------------------------------------------------------------------------
// Redis coming and going
// ---------------------------------------------------------------------------

void Sender::redis_down() {
  if (!redis_up_) return;
  redis_up_ = false;
  was_down_ = true;
  spdlog::warn("sender {}: Redis away; {} messages held wait for it", consumer_, in_flight_);
}

void Sender::redis_up() {
  if (redis_up_) return;
  redis_up_ = true;
  if (was_down_) {
    // Redis may have lost its last writes: record them again (idempotent),
    // ahead of everything else on the connection.
    const auto cutoff = Clock::now() - kJournalAge;
    std::size_t replayed = 0;
    std::map<std::string, std::vector<store::OutcomeRecord>> by_campaign;
    for (const auto& r : journal_) {
      if (r.at < cutoff) continue;
      by_campaign[r.campaign].push_back(r.record);
      ++replayed;
    }
    for (const auto& [id, records] : by_campaign) {
      for (std::size_t i = 0; i < records.size(); i += kScriptBatch) {
        const std::span<const store::OutcomeRecord> part(records.data() + i,
                                                        std::min(kScriptBatch, records.size() - i));
        auto call = store::record_outcome_call(keys_, id, part);
        redis_->eval(store::scripts().record_outcome, std::move(call.first), std::move(call.second), {});
      }
    }
    if (replayed > 0) spdlog::info("sender {}: re-recorded {} recent outcomes after the outage", consumer_, replayed);
    for (auto& [id, c] : campaigns_) c->own_cursor = std::string("0");
  }
  auto stalled = std::move(stalled_);
  stalled_.clear();
  for (auto& [job, resume] : stalled) boost::asio::post(io_, std::move(resume));
  next_hold_ = Clock::now();
}

void Sender::stall(const std::shared_ptr<Job>& job, std::function<void()> resume) {
  job->stage = Job::Stage::Stalled;
  if (redis_up_) {
    // The failure came before the link noticed; try again shortly.
    return after(std::chrono::milliseconds(200), [resume = std::move(resume)](bool) { resume(); });
  }
  stalled_.emplace_back(job, std::move(resume));
  if (draining_) check_drained();
}

void Sender::after(std::chrono::milliseconds delay, std::function<void(bool cancelled)> fn) {
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
  timers_.insert(timer);
  timer->async_wait([self = shared_from_this(), timer, fn = std::move(fn)](const boost::system::error_code& ec) {
    self->timers_.erase(timer);
    fn(static_cast<bool>(ec));
  });
}

void Sender::heartbeat(bool leaving, std::function<void()> done) {
  auto call = store::serve_heartbeat_call(keys_, consumer_, leaving);
  redis_->eval(store::scripts().serve_heartbeat, std::move(call.first), std::move(call.second),
               [leaving, done = std::move(done)](std::exception_ptr error, RedisValue) {
                 if (error)
                   spdlog::warn("{} the serve presence set: {}", leaving ? "leaving" : "writing",
                                store::describe(error));
                 if (done) done();
               });
}

void Sender::count(const std::shared_ptr<Campaign>& c, const std::string& field) {
  redis_->command({"HINCRBY", keys_.campaign_stats(c->id), field, "1"}, [field](std::exception_ptr error, RedisValue) {
    if (error) spdlog::warn("counting {}: {}", field, store::describe(error));
  });
}

// ---------------------------------------------------------------------------
// Polling: which campaigns are due, and reading their queues
// ---------------------------------------------------------------------------

void Sender::tick() {
  if (draining_) return;
  const auto now = Clock::now();
  if (redis_up_) {
    if (now >= next_refresh_) {
      next_refresh_ = now + kRefreshPeriod;
      refresh_campaigns();
    }
    if (now >= next_heartbeat_) {
      next_heartbeat_ = now + store::kHeartbeatPeriod;
      heartbeat(false, {});
    }
    const bool hold_now = now >= next_hold_;
    if (hold_now) next_hold_ = now + config_.claim_idle / 3;
    urgent_waiting_ = false;
    for (const auto& [id, c] : campaigns_) {
      if (c->urgent && c->sendable()) urgent_waiting_ = true;
    }
    for (const auto& [id, c] : campaigns_) {
      if (hold_now) hold_claims(c);
      if (now >= c->next_undefer && c->sendable()) {
        c->next_undefer = now + kRefreshPeriod;
        undefer(c);
      }
      read(c);
      if (now >= c->next_claim) claim(c);
      if (now >= c->next_prune) {
        c->next_prune = now + kPrunePeriod;
        prune_consumers(c, "", {});
      }
    }
  }
  tick_timer_.expires_after(config_.poll_interval);
  tick_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->tick();
  });
}

void Sender::refresh_campaigns() {
  if (refreshing_) return;
  refreshing_ = true;
  redis_->command({"ZRANGEBYSCORE", keys_.campaigns(), "-inf", std::to_string(now_ms())},
                  [self = shared_from_this()](std::exception_ptr error, RedisValue value) {
                    self->refreshing_ = false;
                    if (error) {
                      if (!store::is_unavailable(error))
                        spdlog::error("listing due campaigns: {}", store::describe(error));
                      return;
                    }
                    std::set<std::string> due;
                    for (const auto& v : value.as_array()) due.insert(v.as_string());
                    for (auto it = self->campaigns_.begin(); it != self->campaigns_.end();) {
                      if (!due.count(it->first) && it->second->held.empty() && it->second->handback.empty()) {
                        it = self->campaigns_.erase(it);
                      } else {
                        ++it;
                      }
                    }
                    for (const auto& id : due) self->read_meta(id);
                  });
}

void Sender::read_meta(const std::string& id) {
  namespace m = store::meta;
  redis_->command(
      {"HMGET", keys_.campaign_meta(id), std::string(m::kChannel), std::string(m::kStatus), std::string(m::kPriority),
       std::string(m::kOverCap), std::string(m::kValidUntilMs), std::string(store::approval_fields::kApproval),
       std::string(m::kReply)},
      [self = shared_from_this(), id](std::exception_ptr err, RedisValue value) {
        if (err || value.type != RedisValue::Type::Array || value.elements.size() != 7) return;
        const auto& f = value.elements;
        if (f[0].is_nil()) return;
        std::shared_ptr<Campaign> c;
        if (auto it = self->campaigns_.find(id); it != self->campaigns_.end()) {
          c = it->second;
        } else {
          const std::string name = f[0].as_string();
          if (!self->channels_.count(name)) {
            spdlog::warn("campaign {} uses channel '{}', which this process does not have; left for others", id, name);
            return;
          }
          c = std::make_shared<Campaign>();
          c->id = id;
          c->channel = name;
          self->campaigns_[id] = c;
          spdlog::info("campaign {}: sending on channel {}", id, name);
        }
        const std::string before = c->status;
        c->status = f[1].is_nil() ? std::string(m::kSending) : f[1].as_string();
        c->urgent = !f[2].is_nil() && f[2].as_string() == "urgent";
        c->skip_over_cap = !f[3].is_nil() && f[3].as_string() == "skip";
        c->valid_until_ms = f[4].is_nil() ? 0 : std::atoll(f[4].as_string().c_str());
        c->approved = store::may_send(store::parse_approval(f[5].is_nil() ? std::nullopt : f[5].as_optional_string()));
        c->reply = f[6].is_nil() ? std::string() : f[6].as_string();
        if (before != c->status) spdlog::info("campaign {}: {}", id, c->status);
        self->read(c);
      });
}

bool Sender::may_take(const Campaign& c) const {
  // An urgent campaign with work goes ahead of any bulk backlog: bulk
  // campaigns take no new messages until it is done, unless the urgent
  // lane has only a share of the limit (then bulk goes through the bulk
  // lane's narrower limit meanwhile, in wait_for_slot).
  return c.sendable() && (c.urgent || !urgent_waiting_ || outreach_.urgent_rate_share < 1);
}

void Sender::undefer(const std::shared_ptr<Campaign>& c) {
  redis_->eval(store::scripts().undefer,
               {keys_.campaign_queue(c->id), keys_.campaign_deferred(c->id), keys_.campaign_deferred_messages(c->id)},
               {std::to_string(now_ms()), "500"}, [id = c->id](std::exception_ptr error, RedisValue value) {
                 if (error) {
                   if (!store::is_unavailable(error))
                     spdlog::warn("campaign {}: undeferring: {}", id, store::describe(error));
                   return;
                 }
                 if (value.as_integer() > 0)
                   spdlog::info("campaign {}: {} deferred messages are due again", id, value.as_integer());
               });
}

void Sender::defer(const std::shared_ptr<Job>& job, long long due_ms, std::string_view counter, const char* why) {
  auto& c = job->campaign;
  if (c->valid_until_ms > 0 && due_ms > c->valid_until_ms) {
    // It could only go out after the campaign stops being worth sending.
    ++counters_.expired;
    return record(job, "skipped:expired", {std::string(counters::kSkippedExpired)});
  }
  spdlog::debug("campaign {}: {} to {} waits until {} ms ({})", c->id, job->msg.entry_id, job->msg.to, due_ms, why);
  ++counters_.deferred;
  redis_->eval(store::scripts().defer,
               {keys_.campaign_queue(c->id), keys_.campaign_deferred(c->id), keys_.campaign_deferred_messages(c->id),
                keys_.campaign_stats(c->id)},
               {std::string(store::kConsumerGroup), job->msg.entry_id, job->msg.to.canonical(), std::to_string(due_ms),
                queue::entry_json(job->msg), std::string(counter)},
               [self = shared_from_this(), job, due_ms, counter = std::string(counter), why](std::exception_ptr error,
                                                                                             RedisValue) {
                 if (!error) return self->release(job, Release::Done);
                 if (store::is_unavailable(error)) {
                   return self->stall(job,
                                      [self, job, due_ms, counter, why] { self->defer(job, due_ms, counter, why); });
                 }
                 spdlog::error("campaign {}: deferring a message: {}", job->campaign->id, store::describe(error));
                 self->release(job, Release::Drop);
               });
}

std::optional<long long> Sender::quiet_until(const Job& job) {
  if (job.campaign->urgent && outreach_.urgent_ignores_quiet_hours) return std::nullopt;
  // A keyword reply answers the subscriber's own text, now.
  if (!job.campaign->reply.empty()) return std::nullopt;
  auto local = outreach_.zone_for(job.msg.to.canonical(), job.msg.time_zone);
  if (!job.msg.region.empty()) local.state = job.msg.region;
  const std::string& zone = local.zone;
  const std::string& region = local.state;
  const auto now = std::chrono::system_clock::now();
  const auto next = quiet_hours_.next_allowed(now, zone, region);
  if (next <= now) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(next.time_since_epoch()).count();
}

std::size_t Sender::capacity(Campaign& c) {
  ChannelRuntime& ch = channels_.at(c.channel);
  std::size_t limit = ch.max_in_flight;
  if (ch.per_second > 0) {
    // Hold no more than this process can send within a quarter of
    // claim_idle at the share of the rate it actually gets.
    limit = ch.share.hold(Clock::now(), ch.per_second, config_.claim_idle / 4, ch.max_in_flight);
  }
  if (ch.bulk_lane && !c.urgent && urgent_waiting_) {
    // Bulk holds at most its share of what this process may hold, counted
    // apart from the urgent messages: otherwise bulk messages queued at the
    // bulk lane would keep the urgent campaign from taking any, or urgent
    // ones would keep bulk from its part of the rate.
    const auto bulk_limit = std::max<std::size_t>(
        1, static_cast<std::size_t>(static_cast<double>(limit) * (1 - outreach_.urgent_rate_share)));
    std::size_t bulk_held = 0;
    for (const auto& [id, other] : campaigns_) {
      if (!other->urgent && other->channel == c.channel) bulk_held += other->held.size();
    }
    if (bulk_held >= bulk_limit || ch.in_flight >= limit) return 0;
    return std::min(bulk_limit - bulk_held, limit - ch.in_flight);
  }
  return ch.in_flight >= limit ? 0 : limit - ch.in_flight;
}

std::size_t Sender::take_entries(const std::shared_ptr<Campaign>& c, const RedisValue& entries) {
  std::vector<queue::ParsedEntry> parsed;
  parsed.reserve(entries.elements.size());
  std::vector<std::string> missing;  // texts this process has not read yet
  std::size_t messages = 0;
  for (const auto& entry : entries.as_array()) {
    parsed.push_back(queue::parse_entry(entry, c->id));
    const auto& p = parsed.back();
    if (p.message && !c->held.count(p.entry_id)) ++messages;
    if (p.needs_body() && !c->bodies.count(p.message->body_ref) &&
        std::find(missing.begin(), missing.end(), p.message->body_ref) == missing.end()) {
      missing.push_back(p.message->body_ref);
    }
  }
  if (missing.empty()) {
    for (auto& p : parsed) take_entry(c, std::move(p));
    return messages;
  }
  // The campaign's texts are read once per process: a reference always
  // names the same text (store::body_ref), so they are kept as long as the
  // campaign is.
  std::vector<std::string> command{"HMGET", keys_.campaign_bodies(c->id)};
  command.insert(command.end(), missing.begin(), missing.end());
  redis_->command(std::move(command), [self = shared_from_this(), c, parsed = std::move(parsed),
                                       missing](std::exception_ptr error, RedisValue texts) mutable {
    if (error) {
      // Left pending: read again after the outage (own_cursor) or taken
      // over once idle.
      if (!store::is_unavailable(error))
        spdlog::error("campaign {}: reading its texts: {}", c->id, store::describe(error));
      return;
    }
    const auto& found = texts.as_array();
    for (std::size_t i = 0; i < missing.size() && i < found.size(); ++i) {
      if (!found[i].is_nil()) c->bodies[missing[i]] = found[i].str;
    }
    for (auto& p : parsed) self->take_entry(c, std::move(p));
  });
  return messages;
}

void Sender::take_entry(const std::shared_ptr<Campaign>& c, queue::ParsedEntry parsed) {
  if (parsed.entry_id.empty()) return;
  if (c->held.count(parsed.entry_id)) return;  // ours, still being worked on
  if (parsed.needs_body()) {
    if (auto text = c->bodies.find(parsed.message->body_ref); text != c->bodies.end()) {
      parsed.message->body = text->second;
    } else {
      parsed.problem = "'body_ref' names no text of the campaign";
      parsed.message.reset();
    }
  }
  if (parsed.message) return dispatch(c, std::move(*parsed.message));
  if (parsed.deleted()) {
    // Deleted while pending (erasure): nothing to send, nothing to count.
    redis_->command({"XACK", keys_.campaign_queue(c->id), std::string(store::kConsumerGroup), parsed.entry_id}, {});
    return;
  }
  dead_letter(c, parsed.entry_id, parsed.problem);
}

void Sender::dead_letter(const std::shared_ptr<Campaign>& c, const std::string& entry_id, const std::string& problem) {
  ++counters_.dead_letters;
  spdlog::error("campaign {}: queue entry {} cannot be sent ({}); set aside in the dead-letter stream", c->id, entry_id,
                problem);
  redis_->eval(store::scripts().dead_letter,
               {keys_.campaign_queue(c->id), keys_.campaign_dead(c->id), keys_.campaign_stats(c->id)},
               {std::string(store::kConsumerGroup), entry_id, problem, store::now_iso8601()},
               [id = c->id](std::exception_ptr error, RedisValue) {
                 if (error) spdlog::error("campaign {}: setting an entry aside: {}", id, store::describe(error));
               });
}

void Sender::read(const std::shared_ptr<Campaign>& c) {
  if (draining_ || c->reading || !redis_up_ || !may_take(*c)) return;
  const std::size_t count = std::min(capacity(*c), config_.read_batch);
  if (count == 0) return;
  c->reading = true;
  const bool own = c->own_cursor.has_value();
  const std::string from = own ? *c->own_cursor : std::string(">");
  redis_->command({"XREADGROUP", "GROUP", std::string(store::kConsumerGroup), consumer_, "COUNT", std::to_string(count),
                   "STREAMS", keys_.campaign_queue(c->id), from},
                  [self = shared_from_this(), c, count, own](std::exception_ptr error, RedisValue value) {
                    c->reading = false;
                    if (error) {
                      if (!store::is_unavailable(error)) {
                        spdlog::error("campaign {}: reading its queue: {}", c->id, store::describe(error));
                      }
                      return;
                    }
                    std::size_t got = 0;
                    std::string last;
                    if (!value.is_nil()) {
                      for (const auto& stream : value.as_array()) {
                        const RedisValue& entries = stream.as_array().at(1);
                        got += entries.as_array().size();
                        if (!entries.elements.empty() && !entries.elements.back().elements.empty())
                          last = entries.elements.back().elements[0].str;
                        self->take_entries(c, entries);
                      }
                    }
                    if (own) {
                      // Own pending entries come back in id order; go on after the last.
                      if (got < count || last.empty()) {
                        c->own_cursor.reset();
                      } else {
                        c->own_cursor = last;
                      }
                      return self->read(c);
                    }
                    if (got == 0) {
                      self->maybe_finish(c);
                    } else if (got == count) {
                      self->read(c);  // more may be waiting: do not wait for the next tick
                    }
                  });
}

void Sender::claim(const std::shared_ptr<Campaign>& c) {
  if (draining_ || c->claiming || !redis_up_ || !may_take(*c)) return;
  const std::size_t count = std::min(capacity(*c), config_.read_batch);
  if (count == 0) return;
  c->claiming = true;
  // Scan often enough that entries handed back on SIGTERM are taken within
  // 2 s; XAUTOCLAIM only takes entries idle longer than claim_idle anyway.
  c->next_claim =
      Clock::now() + std::clamp<std::chrono::milliseconds>(config_.claim_idle / 4, std::chrono::milliseconds(250),
                                                           std::chrono::milliseconds(2000));
  redis_->command({"XAUTOCLAIM", keys_.campaign_queue(c->id), std::string(store::kConsumerGroup), consumer_,
                   std::to_string(config_.claim_idle.count()), c->claim_cursor, "COUNT", std::to_string(count)},
                  [self = shared_from_this(), c](std::exception_ptr error, RedisValue value) {
                    c->claiming = false;
                    if (error) {
                      if (!store::is_unavailable(error)) {
                        spdlog::error("campaign {}: taking over idle messages: {}", c->id, store::describe(error));
                      }
                      return;
                    }
                    const auto& parts = value.as_array();
                    c->claim_cursor = parts.at(0).as_string();
                    const std::size_t taken = self->take_entries(c, parts.at(1));
                    if (taken > 0) spdlog::info("campaign {}: took over {} idle messages", c->id, taken);
                    if (c->claim_cursor != "0-0") c->next_claim = Clock::now();  // more to scan
                  });
}

void Sender::hold_claims(const std::shared_ptr<Campaign>& c) {
  if (c->holding || c->held.empty() || !redis_up_) return;
  c->holding = true;
  std::vector<std::string> ids;
  for (const auto& [id, job] : c->held) ids.push_back(id);
  auto remaining = std::make_shared<std::size_t>((ids.size() + kHoldBatch - 1) / kHoldBatch);
  for (std::size_t start = 0; start < ids.size(); start += kHoldBatch) {
    std::vector<std::string> args{std::string(store::kConsumerGroup), consumer_, "0"};
    for (std::size_t i = start; i < std::min(ids.size(), start + kHoldBatch); ++i) args.push_back(ids[i]);
    redis_->eval(store::scripts().claim_hold, {keys_.campaign_queue(c->id)}, std::move(args),
                 [self = shared_from_this(), c, remaining](std::exception_ptr error, RedisValue lost) {
                   if (--*remaining == 0) c->holding = false;
                   if (error) {
                     if (!store::is_unavailable(error)) {
                       spdlog::error("campaign {}: renewing claims: {}", c->id, store::describe(error));
                     }
                     return;
                   }
                   for (const auto& v : lost.as_array()) {
                     auto it = c->held.find(v.as_string());
                     if (it == c->held.end() || it->second->lost) continue;
                     it->second->lost = true;
                     ++self->counters_.claims_lost;
                     spdlog::warn("campaign {}: message {} was taken over by another process; leaving it to them",
                                  c->id, it->first);
                   }
                 });
  }
}

void Sender::prune_consumers(const std::shared_ptr<Campaign>& c, const std::string& self_name,
                             std::function<void()> done) {
  const long long min_idle = std::max<long long>(config_.claim_idle.count() * 2, 60'000);
  redis_->eval(store::scripts().consumer_prune, {keys_.campaign_queue(c->id)},
               {std::string(store::kConsumerGroup), std::to_string(min_idle), self_name},
               [id = c->id, done = std::move(done)](std::exception_ptr error, RedisValue removed) {
                 if (error) {
                   if (!store::is_unavailable(error))
                     spdlog::warn("campaign {}: pruning consumers: {}", id, store::describe(error));
                 } else if (removed.as_integer() > 0) {
                   spdlog::info("campaign {}: removed {} consumers of processes that are gone", id,
                                removed.as_integer());
                 }
                 if (done) done();
               });
}

void Sender::maybe_finish(const std::shared_ptr<Campaign>& c) {
  const auto now = Clock::now();
  if (c->finishing || now < c->next_finish_check) return;
  c->finishing = true;
  c->next_finish_check = now + kFinishCheckPeriod;
  auto call = store::campaign_finish_call(keys_, c->id);
  redis_->eval(
      store::scripts().campaign_finish, std::move(call.first), std::move(call.second),
      [self = shared_from_this(), c](std::exception_ptr error, RedisValue value) {
        c->finishing = false;
        if (error || value.as_integer() != 1) return;
        // Done: drop it from the due set, unless a new submission
        // re-opened it meanwhile (its status is then "sending" again).
        self->redis_->command(
            {"ZREM", self->keys_.campaigns(), c->id}, [self, id = c->id](std::exception_ptr, RedisValue removed) {
              if (removed.is_nil() || removed.as_integer() == 0) return;
              self->redis_->command(
                  {"HGET", self->keys_.campaign_meta(id), "status"}, [self, id](std::exception_ptr err, RedisValue s) {
                    if (!err && !s.is_nil() && s.as_string() != "done") {
                      self->redis_->command({"ZADD", self->keys_.campaigns(), std::to_string(now_ms()), id},
                                            [](std::exception_ptr, RedisValue) {});
                      return;
                    }
                    spdlog::info("campaign {}: every queued message has an outcome; done", id);
                  });
            });
      });
}

// ---------------------------------------------------------------------------
// One message: slot -> check and mark -> send -> record
// ---------------------------------------------------------------------------

std::map<std::string, std::size_t> Sender::held_by_channel() const {
  std::map<std::string, std::size_t> held;
  for (const auto& [name, ch] : channels_) held[ch.channel->name()] = ch.in_flight;
  return held;
}

channels::OutboundMessage Sender::outbound(const Job& job) const {
  return channels::OutboundMessage{job.msg.campaign, job.msg.to, job.msg.language, job.msg.body};
}

void Sender::dispatch(const std::shared_ptr<Campaign>& c, queue::QueuedMessage msg) {
  if (msg.channel.empty()) msg.channel = c->channel;  // a campaign's entries name none
  auto it = channels_.find(msg.channel);
  if (it == channels_.end()) it = channels_.find(c->channel);
  if (!it->second.medium.reaches(msg.to.kind())) {
    // Submit queues only the addresses a campaign's channel reaches; this
    // is an entry written some other way (a keyword reply to a Telegram
    // chat on an SMS channel, a hand-made entry).
    return dead_letter(c, msg.entry_id,
                       "channel '" + it->first + "' cannot reach this kind of address (" +
                           std::string(util::to_string(msg.to.kind())) + ")");
  }
  auto job = std::make_shared<Job>(std::move(msg), c, &it->second);
  ++job->channel->in_flight;
  ++in_flight_;
  c->held[job->msg.entry_id] = job;
  spdlog::debug("campaign {}: message {} to {} queued for a slot", c->id, job->msg.entry_id, job->msg.to);
  wait_for_slot(job);
}

void Sender::wait_for_slot(const std::shared_ptr<Job>& job) {
  if (job->lost) return release(job, Release::Drop);
  if (draining_) return release(job, Release::HandBack);
  if (job->campaign->valid_until_ms > 0 && now_ms() > job->campaign->valid_until_ms) {
    // Not worth a rate-limit slot: send_begin.lua would refuse it anyway.
    ++counters_.expired;
    return record(job, "skipped:expired", {std::string(counters::kSkippedExpired)});
  }
  job->stage = Job::Stage::Waiting;
  if (!job->channel->limiter) return check_then_send(job);
  if (job->channel->bulk_lane && !job->campaign->urgent && urgent_waiting_ && !job->through_bulk_lane) {
    job->through_bulk_lane = true;
    return job->channel->bulk_lane->acquire([self = shared_from_this(), job](bool granted) {
      if (job->lost) return self->release(job, Release::Drop);
      if (!granted || self->draining_) return self->release(job, Release::HandBack);
      self->wait_for_slot(job);
    });
  }
  job->channel->limiter->acquire(
      [self = shared_from_this(), job, asked = Clock::now()](bool granted) {
        job->through_bulk_lane = false;  // a retry queues in the bulk lane again
        if (granted) job->channel->share.granted(Clock::now());
        if (granted && self->metrics_)
          self->metrics_->rate_limit_waited(job->channel->channel->name(), Clock::now() - asked);
        if (job->lost) return self->release(job, Release::Drop);
        if (!granted || self->draining_) return self->release(job, Release::HandBack);
        self->check_then_send(job);
      },
      // With a bulk lane, the bulk lane's own limit is what keeps bulk to
      // its share: here every message queues in turn, or urgent ones would
      // starve the bulk messages this process already holds.
      job->campaign->urgent || job->channel->bulk_lane != nullptr);
}

void Sender::check_then_send(const std::shared_ptr<Job>& job) {
  // Everything here happens after the slot is granted, right before the
  // send: a STOP, a pause or the end of the day that came while the message
  // waited is honoured. First the campaign's state and the subscriber's
  // local time, then the subscriber's side in Redis (still active, under the
  // frequency cap: subscriber_gate.lua takes the place), then the campaign's
  // side (send_begin.lua: no outcome yet, not paused or expired; writes the
  // marker).
  job->stage = Job::Stage::Checking;
  if (!job->campaign->sendable()) return release(job, Release::HandBack);
  if (const auto quiet = quiet_until(*job)) {
    return defer(job, *quiet, counters::kDeferredQuietHours, "quiet hours");
  }
  gather(Step::Gate, job);
}

void Sender::gather(Step step, const std::shared_ptr<Job>& job) {
  auto& batch = job->campaign->steps[static_cast<std::size_t>(step)];
  batch.jobs.push_back(job);
  if (!batch.posted) post_flush(step, job->campaign);
}

void Sender::post_flush(Step step, const std::shared_ptr<Campaign>& c) {
  c->steps[static_cast<std::size_t>(step)].posted = true;
  // Posted behind whatever is ready now (the rest of a read's messages,
  // answers that came in together), so they join this batch.
  boost::asio::post(io_, [self = shared_from_this(), step, c] {
    switch (step) {
      case Step::Gate:
        return self->flush_gate(c);
      case Step::Begin:
        return self->flush_begin(c);
      case Step::Record:
        return self->flush_record(c);
    }
  });
}

std::vector<std::shared_ptr<Sender::Job>> Sender::take_batch(Step step, const std::shared_ptr<Campaign>& c) {
  auto& batch = c->steps[static_cast<std::size_t>(step)];
  batch.posted = false;
  std::vector<std::shared_ptr<Job>> out;
  if (batch.jobs.size() <= kScriptBatch) {
    out.swap(batch.jobs);
    return out;
  }
  out.assign(batch.jobs.begin(), batch.jobs.begin() + kScriptBatch);
  batch.jobs.erase(batch.jobs.begin(), batch.jobs.begin() + kScriptBatch);
  post_flush(step, c);
  return out;
}

void Sender::flush_gate(const std::shared_ptr<Campaign>& c) {
  auto batch = take_batch(Step::Gate, c);
  if (batch.empty()) return;
  // A keyword reply is not a campaign message: outside the frequency cap,
  // and it goes to anyone who is not opted out (a HELP from a stranger, a
  // JOIN awaiting YES), or, for a STOP's confirmation, to them too.
  const std::string& reply = c->reply;
  const bool capped =
      reply.empty() && outreach_.cap_messages > 0 && !(c->urgent && outreach_.urgent_ignores_cap);
  const long long window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(outreach_.cap_window).count();
  std::vector<std::string> keys{reply.empty() ? keys_.active() : keys_.stopped()};
  std::vector<std::string> args{c->id, std::to_string(now_ms()), std::to_string(capped ? outreach_.cap_messages : 0),
                                std::to_string(window_ms), reply.empty() ? std::string("active") : reply};
  keys.reserve(1 + batch.size());
  args.reserve(5 + batch.size());
  for (const auto& job : batch) {
    keys.push_back(keys_.recent_messages(job->msg.to.canonical()));
    args.push_back(job->msg.to.canonical());
  }
  redis_->eval(store::scripts().subscriber_gate, std::move(keys), std::move(args),
               [self = shared_from_this(), batch = std::move(batch)](std::exception_ptr error, RedisValue value) {
                 const auto* verdicts = error ? nullptr : &value.as_array();
                 for (std::size_t i = 0; i < batch.size(); ++i) {
                   if (error) {
                     self->check_failed(batch[i], error);
                   } else {
                     self->on_gate(batch[i], verdicts->at(i));
                   }
                 }
               });
}

void Sender::on_gate(const std::shared_ptr<Job>& job, const RedisValue& value) {
  const auto& parts = value.as_array();
  const std::string& verdict = parts.at(0).as_string();
  if (verdict == "inactive") {
    spdlog::debug("campaign {}: {} is not active; skipped", job->campaign->id, job->msg.to);
    ++counters_.skipped_stopped;
    return record(job, "skipped:stopped", {std::string(counters::kSkippedStopped)});
  }
  if (verdict == "capped") {
    if (job->campaign->skip_over_cap) {
      ++counters_.skipped_cap;
      return record(job, "skipped:cap", {std::string(counters::kSkippedCap)});
    }
    return defer(job, std::atoll(parts.at(1).as_string().c_str()), counters::kDeferredCap, "frequency cap");
  }
  begin_send(job);
}

void Sender::check_failed(const std::shared_ptr<Job>& job, const std::exception_ptr& error) {
  if (store::is_unavailable(error)) {
    return stall(job, [self = shared_from_this(), job] { self->wait_for_slot(job); });
  }
  spdlog::error("campaign {}: checking {} before sending: {}", job->campaign->id, job->msg.to, store::describe(error));
  release(job, Release::Drop);  // left pending; taken over later
}

void Sender::release_cap_place(const std::shared_ptr<Job>& job) {
  redis_->command({"ZREM", keys_.recent_messages(job->msg.to.canonical()), job->campaign->id}, {});
}

void Sender::begin_send(const std::shared_ptr<Job>& job) {
  job->token = consumer_ + "#" + std::to_string(++attempt_seq_);
  gather(Step::Begin, job);
}

void Sender::flush_begin(const std::shared_ptr<Campaign>& c) {
  auto batch = take_batch(Step::Begin, c);
  if (batch.empty()) return;
  const long long started = now_ms();
  std::vector<store::SendStart> starts;
  starts.reserve(batch.size());
  for (const auto& job : batch) starts.push_back({job->msg.to.canonical(), job->token, job->settled});
  auto call = store::send_begin_call(keys_, c->id, started, starts);
  redis_->eval(store::scripts().send_begin, std::move(call.first), std::move(call.second),
               [self = shared_from_this(), batch = std::move(batch), started](std::exception_ptr error,
                                                                              RedisValue value) {
                 const auto* verdicts = error ? nullptr : &value.as_array();
                 for (std::size_t i = 0; i < batch.size(); ++i) {
                   if (error) {
                     self->check_failed(batch[i], error);
                   } else {
                     self->on_begin(batch[i], started, verdicts->at(i));
                   }
                 }
               });
}

void Sender::on_begin(const std::shared_ptr<Job>& job, long long started, const RedisValue& value) {
  const auto& parts = value.as_array();
  const std::string& verdict = parts.at(0).as_string();
  if (verdict == "erased") {
    // Erased on request since it was queued: never sent, nothing written back.
    release_cap_place(job);
    redis_->command(
        {"XACK", keys_.campaign_queue(job->campaign->id), std::string(store::kConsumerGroup), job->msg.entry_id}, {});
    return release(job, Release::Done);
  }
  if (verdict == "paused" || verdict == "cancelled") {
    // Staff stopped it after this message was read: not sent, its cap place given back.
    release_cap_place(job);
    job->campaign->status = verdict;
    return release(job, verdict == "paused" ? Release::HandBack : Release::Drop);
  }
  if (verdict == "expired") {
    release_cap_place(job);
    ++counters_.expired;
    return record(job, "skipped:expired", {std::string(counters::kSkippedExpired)});
  }
  if (verdict == "done") {
    ++counters_.duplicates_acked;
    return record(job, "already", {});
  }
  if (verdict == "doubt") {
    ++counters_.in_doubt;
    if (metrics_) metrics_->in_doubt.add({job->channel->channel->name()});
    auto marker = store::parse_send_marker(parts.at(1).as_string()).value_or(store::SendMarker{0, 0, ""});
    spdlog::info("campaign {}: message to {} is in doubt (an earlier send got no answer); asking the provider",
                 job->campaign->id, job->msg.to);
    return resolve(job, std::move(marker));
  }
  // "new": our marker is stored.
  if (!job->first_ms) job->first_ms = started;
  send(job);
}

void Sender::send(const std::shared_ptr<Job>& job) {
  job->stage = Job::Stage::OnWire;
  ++job->msg.attempts;
  const channels::OutboundMessage out = outbound(*job);
  channels::Channel& channel = *job->channel->channel;
  spdlog::debug("campaign {}: sending to {} (attempt {}): {}", job->campaign->id, job->msg.to, job->msg.attempts,
                job->msg.body);
  std::optional<channels::HttpRequest> request;
  try {
    request = channel.build_request(out);
    if (!request) return on_sent(job, channel.deliver_locally(out));
  } catch (const SendError& e) {
    return on_failure(job, e);
  }
  http_.perform(std::move(*request), [self = shared_from_this(), job](HttpOutcome outcome) {
    if (outcome.failure == HttpFailure::Timeout || outcome.failure == HttpFailure::Other) {
      // The request may have reached the provider: in doubt, not "failed".
      job->last_code = std::string("http_") + std::string(to_string(outcome.failure));
      return self->on_in_doubt(job, std::string(to_string(outcome.failure)) + ": " + outcome.error);
    }
    if (outcome.failure == HttpFailure::Connect) {
      // Nothing reached the provider: an ordinary retryable failure.
      return self->on_failure(job, SendError("connect: " + outcome.error, true, "http_connect"));
    }
    try {
      self->on_sent(job, job->channel->channel->interpret_response(outcome.response, self->outbound(*job)));
    } catch (const SendError& e) {
      self->on_failure(job, e);
    }
  });
}

void Sender::on_sent(const std::shared_ptr<Job>& job, const channels::SendResult& result) {
  ++counters_.sent;
  record(job, "sent:" + result.provider_id, {std::string(counters::kSent)});
}

void Sender::on_failure(const std::shared_ptr<Job>& job, const SendError& error) {
  const std::string code = error.provider_code().empty() ? "unknown" : error.provider_code();
  job->last_code = code;
  if (const channels::ProviderCode* known = channels::find_code(code);
      known != nullptr && known->kind == channels::CodeKind::Configuration) {
    return pause_for_configuration(job, error, *known);
  }
  if (error.retryable() && job->msg.attempts < config_.max_attempts) {
    // A definite answer: our marker is settled, the next attempt may replace it.
    job->settled = job->token;
    if (draining_) return release(job, Release::HandBack);
    std::optional<std::chrono::milliseconds> retry_after;
    if (error.retry_after_ms()) {
      retry_after = std::min(std::chrono::milliseconds(*error.retry_after_ms()), config_.retry_after_max);
    }
    const auto delay =
        backoff_delay(job->msg.attempts, config_.backoff_initial, config_.backoff_max, retry_after, rng_);
    ++counters_.retried;
    if (metrics_) metrics_->retries.add({job->channel->channel->name()});
    spdlog::warn("campaign {}: send to {} failed ({}), retry {} of {} in {} ms", job->campaign->id, job->msg.to,
                 error.what(), job->msg.attempts, config_.max_attempts - 1, delay.count());
    job->stage = Job::Stage::Backoff;
    return after(delay, [self = shared_from_this(), job](bool cancelled) {
      if (cancelled) return self->release(job, Release::HandBack);
      self->wait_for_slot(job);
    });
  }
  ++counters_.failed;
  spdlog::warn("campaign {}: send to {} failed for good: {}", job->campaign->id, job->msg.to, error.what());
  if (channels::is_opt_out_code(code)) {
    // The provider says the number opted out with the carrier: never again.
    const store::ConsentContext context{"provider", "", "", job->msg.channel, std::chrono::seconds(0)};
    auto call = store::subscriber_stop_call(keys_, job->msg.to, subjects_.subject(job->msg.to),
                                            "provider error " + code, context);
    redis_->eval(store::scripts().subscriber_stop, std::move(call.first), std::move(call.second),
                 [to = job->msg.to](std::exception_ptr err, RedisValue) {
                   if (err)
                     spdlog::error("marking {} stopped: {}", to, store::describe(err));
                   else
                     spdlog::info("{} marked stopped: the provider reports an opt-out", to);
                 });
  }
  record(job, "failed:" + code, {std::string(counters::kFailed), counters::failed_with(code)});
}

void Sender::pause_for_configuration(const std::shared_ptr<Job>& job, const SendError& error,
                                     const channels::ProviderCode& code) {
  // A definite answer: nothing was sent.
  job->settled = job->token;
  const std::string id = job->campaign->id;
  spdlog::error("campaign {}: {}; pausing the campaign so no more messages fail this way", id, error.what());
  const std::string detail =
      fmt::format("paused by serve: channel '{}' answered {} ({}); fix the channel's configuration, then resume",
                  job->msg.channel, code.code, code.meaning);
  auto call = store::control_campaign_call(keys_, id, store::ControlAction::Pause, "serve", detail,
                                           std::chrono::system_clock::now());
  redis_->eval(store::scripts().campaign_control, std::move(call.first), std::move(call.second),
               [id](std::exception_ptr err, RedisValue) {
                 if (err) {
                   spdlog::error("campaign {}: pausing it: {}", id, store::describe(err));
                 } else {
                   spdlog::warn("campaign {}: paused (run 'broadcaster campaign resume {}' once fixed)", id, id);
                 }
               });
  job->campaign->status = std::string(store::meta::kPaused);
  release_cap_place(job);
  release(job, Release::HandBack);
}

// ---------------------------------------------------------------------------
// In doubt: ask the provider before sending again
// ---------------------------------------------------------------------------

void Sender::on_in_doubt(const std::shared_ptr<Job>& job, const std::string& why) {
  ++counters_.in_doubt;
  if (metrics_) metrics_->in_doubt.add({job->channel->channel->name()});
  count(job->campaign, std::string(counters::kInDoubt));
  spdlog::warn("campaign {}: no answer to the send to {} ({}); in doubt, will ask the provider", job->campaign->id,
               job->msg.to, why);
  const long long started = job->first_ms.value_or(now_ms());
  resolve(job, store::SendMarker{started, now_ms(), job->token});
}

void Sender::resolve(const std::shared_ptr<Job>& job, store::SendMarker marker) {
  if (job->lost) return release(job, Release::Drop);
  if (draining_) return release(job, Release::HandBack);
  job->first_ms = std::min<long long>(job->first_ms.value_or(marker.first_ms), marker.first_ms);
  marker.first_ms = *job->first_ms;
  job->doubt = marker;
  job->lookups = 0;
  if (!job->channel->channel->can_look_up()) {
    // The console cannot be asked: send again, as before.
    return not_found(job);
  }
  job->stage = Job::Stage::Settling;
  const long long wait = std::max<long long>(0, store::lookup_due_ms(marker, config_.in_doubt_settle) - now_ms());
  after(std::chrono::milliseconds(wait), [self = shared_from_this(), job](bool cancelled) {
    if (cancelled || self->draining_) return self->release(job, Release::HandBack);
    if (job->lost) return self->release(job, Release::Drop);
    const auto since = store::lookup_since(*job->doubt, kLookupSkew);
    self->look_up(job, job->channel->channel->build_lookup(self->outbound(*job), since), 1);
  });
}

void Sender::look_up(const std::shared_ptr<Job>& job, channels::HttpRequest request, int page) {
  job->stage = Job::Stage::LookingUp;
  http_.perform(std::move(request), [self = shared_from_this(), job, page](HttpOutcome outcome) {
    if (outcome.failure != HttpFailure::None) {
      return self->lookup_failed(job, std::string(to_string(outcome.failure)) + ": " + outcome.error, true);
    }
    channels::LookupPage found;
    try {
      found = job->channel->channel->interpret_lookup(outcome.response, self->outbound(*job),
                                                      store::lookup_since(*job->doubt, kLookupSkew));
    } catch (const SendError& e) {
      return self->lookup_failed(job, e.what(), e.retryable());
    }
    if (found.found) {
      ++self->counters_.in_doubt_found;
      ++self->counters_.sent;
      spdlog::info("campaign {}: the provider has the message to {} ({}); recorded as sent, not sent again",
                   job->campaign->id, job->msg.to, found.found->provider_id);
      return self->record(job, "sent:" + found.found->provider_id,
                          {std::string(counters::kSent), std::string(counters::kInDoubtFound)});
    }
    if (found.next && page < kMaxLookupPages) return self->look_up(job, std::move(*found.next), page + 1);
    self->not_found(job);
  });
}

void Sender::lookup_failed(const std::shared_ptr<Job>& job, const std::string& why, bool retryable) {
  ++job->lookups;
  if (retryable && job->lookups < config_.max_attempts && !draining_) {
    const auto delay = backoff_delay(job->lookups, config_.backoff_initial, config_.backoff_max, std::nullopt, rng_);
    spdlog::warn("campaign {}: asking the provider about the message to {} failed ({}); asking again in {} ms",
                 job->campaign->id, job->msg.to, why, delay.count());
    job->stage = Job::Stage::Backoff;
    return after(delay, [self = shared_from_this(), job](bool cancelled) {
      if (cancelled || self->draining_) return self->release(job, Release::HandBack);
      if (job->lost) return self->release(job, Release::Drop);
      const auto since = store::lookup_since(*job->doubt, kLookupSkew);
      self->look_up(job, job->channel->channel->build_lookup(self->outbound(*job), since), 1);
    });
  }
  if (draining_) return release(job, Release::HandBack);
  // Neither sent again (it may have arrived) nor counted as sent.
  ++counters_.failed;
  spdlog::error(
      "campaign {}: cannot tell whether the provider has the message to {} ({}); counted as failed "
      "(in_doubt), not sent again",
      job->campaign->id, job->msg.to, why);
  record(job, "failed:in_doubt", {std::string(counters::kFailed), counters::failed_with("in_doubt")});
}

void Sender::not_found(const std::shared_ptr<Job>& job) {
  job->settled = job->doubt ? job->doubt->token : std::string();
  job->doubt.reset();
  if (job->msg.attempts >= config_.max_attempts) {
    ++counters_.failed;
    const std::string code = job->last_code.empty() ? "in_doubt" : job->last_code;
    spdlog::warn("campaign {}: the provider does not have the message to {} after {} attempts; failed ({})",
                 job->campaign->id, job->msg.to, job->msg.attempts, code);
    return record(job, "failed:" + code, {std::string(counters::kFailed), counters::failed_with(code)});
  }
  ++counters_.in_doubt_resent;
  count(job->campaign, std::string(counters::kInDoubtResent));
  spdlog::info("campaign {}: the provider does not have the message to {}; sending it again", job->campaign->id,
               job->msg.to);
  wait_for_slot(job);
}

// ---------------------------------------------------------------------------
// Recording and releasing
// ---------------------------------------------------------------------------

void Sender::record(const std::shared_ptr<Job>& job, std::string outcome, std::vector<std::string> counters,
                    int attempt) {
  job->stage = Job::Stage::Recording;
  job->outcome = std::move(outcome);
  job->outcome_counters = std::move(counters);
  job->record_attempt = attempt;
  gather(Step::Record, job);
}

void Sender::flush_record(const std::shared_ptr<Campaign>& c) {
  auto batch = take_batch(Step::Record, c);
  if (batch.empty()) return;
  std::vector<store::OutcomeRecord> records;
  records.reserve(batch.size());
  for (const auto& job : batch) {
    records.push_back(
        {job->msg.entry_id, job->msg.to.canonical(), job->outcome, job->msg.language, job->outcome_counters});
  }
  auto call = store::record_outcome_call(keys_, c->id, records);
  redis_->eval(store::scripts().record_outcome, std::move(call.first), std::move(call.second),
               [self = shared_from_this(), batch = std::move(batch), records = std::move(records)](
                   std::exception_ptr error, RedisValue) mutable {
                 for (std::size_t i = 0; i < batch.size(); ++i) {
                   if (!error && batch[i]->outcome != "already") {
                     self->journal_.push_back(Recorded{batch[i]->campaign->id, std::move(records[i]), Clock::now()});
                   }
                   self->on_recorded(batch[i], error);
                 }
                 const auto cutoff = Clock::now() - kJournalAge;
                 while (!self->journal_.empty() &&
                        (self->journal_.front().at < cutoff || self->journal_.size() > kJournalMax)) {
                   self->journal_.pop_front();
                 }
               });
}

void Sender::on_recorded(const std::shared_ptr<Job>& job, const std::exception_ptr& error) {
  if (!error) {
    if (metrics_) metrics_->message_recorded(job->channel->channel->name(), job->outcome);
    return release(job, Release::Done);
  }
  auto again = [self = shared_from_this(), job](int attempt) {
    self->record(job, std::move(job->outcome), std::move(job->outcome_counters), attempt);
  };
  if (store::is_unavailable(error)) {
    // The provider's answer is in hand: keep it until Redis takes it.
    return stall(job, [again, attempt = job->record_attempt] { again(attempt); });
  }
  spdlog::error("campaign {}: recording the outcome for {}: {}", job->campaign->id, job->msg.to,
                store::describe(error));
  // Left pending with its marker: whoever takes it over asks the provider.
  const int attempt = job->record_attempt;
  if (attempt + 1 >= kRecordAttempts) return release(job, Release::Drop);
  after(std::chrono::milliseconds(200 * (attempt + 1)), [again, attempt](bool) { again(attempt + 1); });
}

void Sender::release(const std::shared_ptr<Job>& job, Release how) {
  auto& c = job->campaign;
  if (c->held.erase(job->msg.entry_id) == 0) return;  // released already
  --job->channel->in_flight;
  --in_flight_;
  if (how == Release::HandBack) {
    c->handback.push_back(job->msg.entry_id);
    ++counters_.handed_back;
    boost::asio::post(io_, [self = shared_from_this(), c] { self->flush_handback(c); });
  }
  if (draining_) return check_drained();
  // Read once after everything that finished together is released (a
  // record batch releases up to kScriptBatch at once): one XREADGROUP for
  // all the room they made, not one for the first and another for the rest.
  if (c->read_posted) return;
  c->read_posted = true;
  boost::asio::post(io_, [self = shared_from_this(), c] {
    c->read_posted = false;
    self->read(c);
  });
}

// ---------------------------------------------------------------------------
// Shutdown
// ---------------------------------------------------------------------------

void Sender::flush_handback(const std::shared_ptr<Campaign>& c) {
  if (c->handback.empty()) return;
  std::vector<std::string> args{std::string(store::kConsumerGroup), consumer_, std::to_string(kHandBackIdleMs)};
  for (auto& id : c->handback) args.push_back(std::move(id));
  c->handback.clear();
  ++handbacks_in_flight_;
  redis_->eval(store::scripts().claim_hold, {keys_.campaign_queue(c->id)}, std::move(args),
               [self = shared_from_this(), c](std::exception_ptr error, RedisValue) {
                 --self->handbacks_in_flight_;
                 if (error) {
                   // They stay ours until idle for claim_idle: taken over then.
                   spdlog::warn("campaign {}: handing messages back: {}", c->id, store::describe(error));
                 }
                 if (self->draining_) self->check_drained();
               });
}

void Sender::drain() {
  if (draining_) return;
  draining_ = true;
  spdlog::info("sender {}: draining, {} messages held", consumer_, in_flight_);
  tick_timer_.cancel();
  for (auto& [name, ch] : channels_) {
    if (ch.limiter) ch.limiter->cancel_all();
    if (ch.bulk_lane) ch.bulk_lane->cancel_all();
  }
  for (const auto& t : timers_) t->cancel();
  // Work waiting for Redis gets it for kDrainRedisWait at most.
  after(kDrainRedisWait, [self = shared_from_this()](bool) {
    if (self->stalled_.empty()) return;
    spdlog::warn("sender {}: Redis still away; leaving {} messages pending for whoever takes them over",
                 self->consumer_, self->stalled_.size());
    auto stalled = std::move(self->stalled_);
    self->stalled_.clear();
    for (auto& [job, resume] : stalled) self->release(job, Release::Drop);
    self->check_drained();
  });
  check_drained();
}

void Sender::check_drained() {
  if (!draining_ || drain_finishing_ || in_flight_ > 0 || handbacks_in_flight_ > 0 || !on_stopped_) return;
  for (const auto& [id, c] : campaigns_) {
    if (!c->handback.empty()) return;  // a flush is posted
  }
  drain_finishing_ = true;
  finish_drain();
}

void Sender::finish_drain() {
  // Leave no consumer behind in groups this process emptied, and say this
  // process is gone (one more step to wait for).
  auto remaining = std::make_shared<std::size_t>(campaigns_.size() + 1);
  auto finish = [self = shared_from_this()] {
    for (const auto& t : self->timers_) t->cancel();
    auto done = std::move(self->on_stopped_);
    self->on_stopped_ = nullptr;
    const auto& n = self->counters_;
    spdlog::info(
        "sender {}: drained; sent {}, failed {}, skipped {} (stopped), retries {}, in doubt {} (found {}, "
        "resent {}), handed back {}",
        self->consumer_, n.sent, n.failed, n.skipped_stopped, n.retried, n.in_doubt, n.in_doubt_found,
        n.in_doubt_resent, n.handed_back);
    if (done) done();
  };
  if (!redis_up_) return finish();
  heartbeat(true, [remaining, finish] {
    if (--*remaining == 0) finish();
  });
  for (const auto& [id, c] : campaigns_) {
    prune_consumers(c, consumer_, [remaining, finish] {
      if (--*remaining == 0) finish();
    });
  }
}

}  // namespace broadcaster::sender
