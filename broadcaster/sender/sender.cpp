// The send loop of `broadcaster serve`.
#include "sender/sender.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "channels/provider_codes.h"
#include "sender/retry.h"
#include "store/scripts.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::sender {

using store::RedisValue;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kRefreshPeriod = std::chrono::seconds(1);
constexpr auto kFinishCheckPeriod = std::chrono::seconds(1);
constexpr int kRecordAttempts = 5;

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  }
}

bool is_io_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const RedisIoError&) {
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// One campaign this process works on.
struct Sender::Campaign {
  std::string id;
  std::string channel;
  bool reading = false;
  bool claiming = false;
  bool finishing = false;
  std::string claim_cursor = "0-0";
  Clock::time_point next_claim{};
  Clock::time_point next_finish_check{};
  std::set<std::string> held;  // entry ids this process holds right now
};

// One message from read to acknowledgement.
struct Sender::Job {
  queue::QueuedMessage msg;
  std::shared_ptr<Campaign> campaign;
  ChannelRuntime* channel = nullptr;
};

Sender::Sender(boost::asio::io_context& io, std::shared_ptr<store::AsyncRedis> redis, HttpClient& http,
               std::map<std::string, ChannelRuntime> channels, store::Keys keys, store::SubjectHasher subjects,
               config::SenderConfig config, std::string consumer)
    : io_(io),
      redis_(std::move(redis)),
      http_(http),
      channels_(std::move(channels)),
      keys_(std::move(keys)),
      subjects_(std::move(subjects)),
      config_(config),
      consumer_(std::move(consumer)),
      tick_timer_(io),
      rng_(std::random_device{}()) {}

void Sender::start(std::function<void(bool ok)> on_stopped) {
  on_stopped_ = std::move(on_stopped);
  spdlog::info("sender {} started: channels {}, claim idle {} ms", consumer_, channels_.size(),
               config_.claim_idle.count());
  boost::asio::post(io_, [self = shared_from_this()] { self->tick(); });
}

// ---------------------------------------------------------------------------
// Polling: which campaigns are due, and reading their queues
// ---------------------------------------------------------------------------

void Sender::tick() {
  if (draining_) return;
  const auto now = Clock::now();
  if (now >= next_refresh_) {
    next_refresh_ = now + kRefreshPeriod;
    refresh_campaigns();
  }
  for (const auto& [id, c] : campaigns_) {
    read(c);
    if (now >= c->next_claim) claim(c);
  }
  tick_timer_.expires_after(config_.poll_interval);
  tick_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->tick();
  });
}

void Sender::refresh_campaigns() {
  if (refreshing_) return;
  refreshing_ = true;
  redis_->command(
      {"ZRANGEBYSCORE", keys_.campaigns(), "-inf", std::to_string(now_ms())},
      [self = shared_from_this()](std::exception_ptr error, RedisValue value) {
        self->refreshing_ = false;
        if (error) {
          if (is_io_error(error)) return self->fatal(describe(error));
          spdlog::error("listing due campaigns: {}", describe(error));
          return;
        }
        std::set<std::string> due;
        for (const auto& v : value.as_array()) due.insert(v.as_string());
        for (auto it = self->campaigns_.begin(); it != self->campaigns_.end();) {
          if (!due.count(it->first) && it->second->held.empty()) {
            it = self->campaigns_.erase(it);
          } else {
            ++it;
          }
        }
        for (const auto& id : due) {
          if (self->campaigns_.count(id)) continue;
          self->redis_->command({"HGET", self->keys_.campaign_meta(id), "channel"},
                                [self, id](std::exception_ptr err, RedisValue channel) {
                                  if (err || channel.is_nil() || self->campaigns_.count(id)) return;
                                  const std::string name = channel.as_string();
                                  if (!self->channels_.count(name)) {
                                    spdlog::warn("campaign {} uses channel '{}', which this process does not have; "
                                                 "left for others",
                                                 id, name);
                                    return;
                                  }
                                  auto c = std::make_shared<Campaign>();
                                  c->id = id;
                                  c->channel = name;
                                  self->campaigns_[id] = c;
                                  spdlog::info("campaign {}: sending on channel {}", id, name);
                                  self->read(c);
                                });
        }
      });
}

std::size_t Sender::capacity(const Campaign& c) const {
  const ChannelRuntime& ch = channels_.at(c.channel);
  std::size_t limit = ch.max_in_flight;
  if (ch.per_second > 0) {
    // Hold no more than can go out within a quarter of claim_idle, so
    // entries waiting here for a slot are never mistaken for a dead
    // process's and taken over while we still hold them.
    const double seconds = std::chrono::duration<double>(config_.claim_idle).count() / 4;
    limit = std::min(limit, std::max<std::size_t>(1, static_cast<std::size_t>(ch.per_second * seconds)));
  }
  return ch.in_flight >= limit ? 0 : limit - ch.in_flight;
}

void Sender::read(const std::shared_ptr<Campaign>& c) {
  if (draining_ || c->reading) return;
  const std::size_t count = std::min(capacity(*c), config_.read_batch);
  if (count == 0) return;
  c->reading = true;
  redis_->command({"XREADGROUP", "GROUP", std::string(store::kConsumerGroup), consumer_, "COUNT",
                   std::to_string(count), "STREAMS", keys_.campaign_queue(c->id), ">"},
                  [self = shared_from_this(), c, count](std::exception_ptr error, RedisValue value) {
                    c->reading = false;
                    if (error) {
                      if (is_io_error(error)) return self->fatal(describe(error));
                      spdlog::error("campaign {}: reading its queue: {}", c->id, describe(error));
                      return;
                    }
                    std::size_t got = 0;
                    if (!value.is_nil()) {
                      for (const auto& stream : value.as_array()) {
                        for (const auto& entry : stream.as_array().at(1).as_array()) {
                          if (auto msg = queue::parse_entry(entry)) {
                            ++got;
                            self->dispatch(c, std::move(*msg));
                          }
                        }
                      }
                    }
                    if (got == 0) {
                      self->maybe_finish(c);
                    } else if (got == count) {
                      self->read(c);  // more may be waiting: do not wait for the next tick
                    }
                  });
}

void Sender::claim(const std::shared_ptr<Campaign>& c) {
  if (draining_ || c->claiming) return;
  const std::size_t count = std::min(capacity(*c), config_.read_batch);
  if (count == 0) return;
  c->claiming = true;
  c->next_claim = Clock::now() + std::max<std::chrono::milliseconds>(config_.claim_idle / 4, std::chrono::milliseconds(250));
  redis_->command({"XAUTOCLAIM", keys_.campaign_queue(c->id), std::string(store::kConsumerGroup), consumer_,
                   std::to_string(config_.claim_idle.count()), c->claim_cursor, "COUNT", std::to_string(count)},
                  [self = shared_from_this(), c](std::exception_ptr error, RedisValue value) {
                    c->claiming = false;
                    if (error) {
                      if (is_io_error(error)) return self->fatal(describe(error));
                      spdlog::error("campaign {}: taking over idle messages: {}", c->id, describe(error));
                      return;
                    }
                    const auto& parts = value.as_array();
                    c->claim_cursor = parts.at(0).as_string();
                    std::size_t taken = 0;
                    for (const auto& entry : parts.at(1).as_array()) {
                      auto msg = queue::parse_entry(entry);
                      if (!msg || c->held.count(msg->entry_id)) continue;  // ours, still being worked on
                      ++taken;
                      self->dispatch(c, std::move(*msg));
                    }
                    if (taken > 0) spdlog::info("campaign {}: took over {} idle messages", c->id, taken);
                    if (c->claim_cursor != "0-0") c->next_claim = Clock::now();  // more to scan
                  });
}

void Sender::maybe_finish(const std::shared_ptr<Campaign>& c) {
  const auto now = Clock::now();
  if (c->finishing || now < c->next_finish_check) return;
  c->finishing = true;
  c->next_finish_check = now + kFinishCheckPeriod;
  const std::string& id = c->id;
  redis_->eval(store::scripts().campaign_finish,
               {keys_.campaign_meta(id), keys_.campaign_outcome(id), keys_.campaign_stats(id)}, {store::now_iso8601()},
               [self = shared_from_this(), c](std::exception_ptr error, RedisValue value) {
                 c->finishing = false;
                 if (error || value.as_integer() != 1) return;
                 // Done: drop it from the due set, unless a new submission
                 // re-opened it meanwhile (its status is then "sending" again).
                 self->redis_->command({"ZREM", self->keys_.campaigns(), c->id}, [self, id = c->id](std::exception_ptr, RedisValue removed) {
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
// One message: slot -> check -> send -> record
// ---------------------------------------------------------------------------

void Sender::dispatch(const std::shared_ptr<Campaign>& c, queue::QueuedMessage msg) {
  auto it = channels_.find(msg.channel.empty() ? c->channel : msg.channel);
  if (it == channels_.end()) it = channels_.find(c->channel);
  auto job = std::make_shared<Job>(Job{std::move(msg), c, &it->second});
  ++job->channel->in_flight;
  ++in_flight_;
  c->held.insert(job->msg.entry_id);
  spdlog::debug("campaign {}: message {} to {} queued for a slot", c->id, job->msg.entry_id, job->msg.to);
  wait_for_slot(job);
}

void Sender::wait_for_slot(const std::shared_ptr<Job>& job) {
  if (draining_) return release(job);
  if (!job->channel->limiter) return check_then_send(job);
  job->channel->limiter->acquire([self = shared_from_this(), job](bool granted) {
    if (!granted || self->draining_) return self->release(job);
    self->check_then_send(job);
  });
}

void Sender::check_then_send(const std::shared_ptr<Job>& job) {
  // Both checks happen after the slot is granted, right before the send, so
  // a STOP that arrived while the message waited is honoured.
  struct Checks {
    int replies = 0;
    bool failed = false;
    bool has_outcome = false;
    bool active = false;
  };
  auto checks = std::make_shared<Checks>();
  auto done = [self = shared_from_this(), job, checks](std::exception_ptr error) {
    if (error) {
      checks->failed = true;
      spdlog::error("campaign {}: checking {} before sending: {}", job->campaign->id, job->msg.to, describe(error));
    }
    if (++checks->replies < 2) return;
    if (checks->failed) return self->release(job);  // left pending; taken over later
    if (checks->has_outcome) {
      ++self->counters_.duplicates_acked;
      return self->record(job, "already", {});
    }
    if (!checks->active) {
      spdlog::debug("campaign {}: {} is not active; skipped", job->campaign->id, job->msg.to);
      ++self->counters_.skipped_stopped;
      return self->record(job, "skipped:stopped", {"skipped_stopped"});
    }
    self->send(job);
  };
  redis_->command({"HEXISTS", keys_.campaign_outcome(job->campaign->id), job->msg.to.e164()},
                  [checks, done](std::exception_ptr error, RedisValue value) {
                    if (!error) checks->has_outcome = value.as_integer() == 1;
                    done(error);
                  });
  redis_->command({"SISMEMBER", keys_.active(), job->msg.to.e164()},
                  [checks, done](std::exception_ptr error, RedisValue value) {
                    if (!error) checks->active = value.as_integer() == 1;
                    done(error);
                  });
}

void Sender::send(const std::shared_ptr<Job>& job) {
  ++job->msg.attempts;
  const channels::OutboundMessage out{job->msg.campaign, job->msg.to, job->msg.language, job->msg.body};
  channels::Channel& channel = *job->channel->channel;
  spdlog::debug("campaign {}: sending to {} (attempt {}): {}", job->campaign->id, job->msg.to, job->msg.attempts,
                job->msg.body);
  auto on_sent = [self = shared_from_this(), job](const channels::SendResult& result) {
    ++self->counters_.sent;
    self->record(job, "sent:" + result.provider_id, {"sent"});
  };
  std::optional<channels::HttpRequest> request;
  try {
    request = channel.build_request(out);
    if (!request) return on_sent(channel.deliver_locally(out));
  } catch (const SendError& e) {
    return on_failure(job, e);
  }
  http_.perform(std::move(*request), [self = shared_from_this(), job, on_sent](HttpOutcome outcome) {
    if (outcome.failure != HttpFailure::None) {
      // No answer: the provider may or may not have the message. Retrying
      // risks a duplicate; not retrying risks a loss. We retry, as providers
      // recommend for time-outs, and the README says so.
      return self->on_failure(job, SendError(std::string(to_string(outcome.failure)) + ": " + outcome.error, true,
                                             std::string("http_") + std::string(to_string(outcome.failure))));
    }
    try {
      on_sent(job->channel->channel->interpret_response(outcome.response));
    } catch (const SendError& e) {
      self->on_failure(job, e);
    }
  });
}

void Sender::on_failure(const std::shared_ptr<Job>& job, const SendError& error) {
  const std::string code = error.provider_code().empty() ? "unknown" : error.provider_code();
  if (error.retryable() && job->msg.attempts < config_.max_attempts && !draining_) {
    const auto retry_after = error.retry_after_ms()
                                 ? std::optional<std::chrono::milliseconds>(*error.retry_after_ms())
                                 : std::nullopt;
    const auto delay = backoff_delay(job->msg.attempts, config_.backoff_initial, config_.backoff_max, retry_after, rng_);
    ++counters_.retried;
    spdlog::warn("campaign {}: send to {} failed ({}), retry {} of {} in {} ms", job->campaign->id, job->msg.to,
                 error.what(), job->msg.attempts, config_.max_attempts - 1, delay.count());
    // Reset the entry's idle time so no other process takes it over while we wait.
    redis_->command({"XCLAIM", keys_.campaign_queue(job->campaign->id), std::string(store::kConsumerGroup), consumer_,
                     "0", job->msg.entry_id, "JUSTID"},
                    [](std::exception_ptr, RedisValue) {});
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
    retry_timers_.insert(timer);
    timer->async_wait([self = shared_from_this(), job, timer](const boost::system::error_code& ec) {
      self->retry_timers_.erase(timer);
      if (ec || self->draining_) return self->release(job);
      self->wait_for_slot(job);
    });
    return;
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
                   if (err) spdlog::error("marking {} stopped: {}", to, describe(err));
                   else spdlog::info("{} marked stopped: the provider reports an opt-out", to);
                 });
  }
  record(job, "failed:" + code, {"failed", "failed:" + code});
}

void Sender::record(const std::shared_ptr<Job>& job, std::string outcome, std::vector<std::string> counters,
                    int attempt) {
  const std::string& id = job->campaign->id;
  std::vector<std::string> args{std::string(store::kConsumerGroup), job->msg.entry_id, job->msg.to.e164(), outcome};
  args.insert(args.end(), counters.begin(), counters.end());
  redis_->eval(store::scripts().record_outcome,
               {keys_.campaign_outcome(id), keys_.campaign_stats(id), keys_.campaign_queue(id)}, std::move(args),
               [self = shared_from_this(), job, outcome, counters, attempt](std::exception_ptr error, RedisValue) {
                 if (!error) return self->release(job);
                 spdlog::error("campaign {}: recording the outcome for {}: {}", job->campaign->id, job->msg.to,
                               describe(error));
                 if (attempt + 1 >= kRecordAttempts || is_io_error(error)) return self->release(job);
                 auto timer = std::make_shared<boost::asio::steady_timer>(self->io_, std::chrono::milliseconds(200 * (attempt + 1)));
                 timer->async_wait([self, job, outcome, counters, attempt, timer](const boost::system::error_code&) {
                   self->record(job, outcome, counters, attempt + 1);
                 });
               });
}

void Sender::release(const std::shared_ptr<Job>& job) {
  --job->channel->in_flight;
  --in_flight_;
  job->campaign->held.erase(job->msg.entry_id);
  if (draining_) return check_drained();
  read(job->campaign);
}

// ---------------------------------------------------------------------------
// Shutdown
// ---------------------------------------------------------------------------

void Sender::drain() {
  if (draining_) return;
  draining_ = true;
  spdlog::info("sender {}: draining, {} messages held", consumer_, in_flight_);
  tick_timer_.cancel();
  for (auto& [name, ch] : channels_) {
    if (ch.limiter) ch.limiter->cancel_all();
  }
  for (const auto& t : retry_timers_) t->cancel();
  check_drained();
}

void Sender::check_drained() {
  if (!draining_ || in_flight_ > 0 || !on_stopped_) return;
  auto done = std::move(on_stopped_);
  on_stopped_ = nullptr;
  spdlog::info("sender {}: drained; sent {}, failed {}, skipped {} (stopped), retries {}", consumer_, counters_.sent,
               counters_.failed, counters_.skipped_stopped, counters_.retried);
  done(!failed_);
}

void Sender::fatal(const std::string& what) {
  if (failed_) return;
  failed_ = true;
  spdlog::error("sender {}: Redis connection lost ({}); stopping so a supervisor can restart us", consumer_, what);
  drain();
}

}  // namespace broadcaster::sender
