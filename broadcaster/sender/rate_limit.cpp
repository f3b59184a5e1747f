// Redis-backed GCRA rate limiting.
#include "sender/rate_limit.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "store/scripts.h"

namespace broadcaster::sender {

RateLimiter::RateLimiter(boost::asio::io_context& io, std::shared_ptr<store::AsyncCommands> redis, std::string key,
                         config::RateLimitConfig limit, Clock clock)
    : io_(io), redis_(std::move(redis)), key_(std::move(key)), limit_(limit), clock_(std::move(clock)), timer_(io) {}

void RateLimiter::acquire(Grant grant, bool urgent) {
  if (limit_.per_second <= 0) {
    boost::asio::post(io_, [grant = std::move(grant)] { grant(true); });
    return;
  }
  (urgent ? urgent_waiters_ : waiters_).push_back(std::move(grant));
  pump();
}

void RateLimiter::cancel_all() {
  cancelled_ = true;
  timer_.cancel();
  for (const auto& t : slot_timers_) t->cancel();
  slot_timers_.clear();
  reserved_ = 0;
  for (auto* queue : {&urgent_waiters_, &waiters_}) {
    auto waiters = std::move(*queue);
    queue->clear();
    for (auto& w : waiters) boost::asio::post(io_, [w = std::move(w)] { w(false); });
  }
}

void RateLimiter::pump() {
  if (cancelled_ || asking_ || sleeping_ || waiting() <= reserved_) return;
  asking_ = true;
  const double interval_us =
      (1e6 + static_cast<double>(std::chrono::microseconds(kJitterAllowance).count())) / limit_.per_second;
  constexpr std::size_t kMostPerCall = 1000;  // bounds one script run
  const std::size_t wanted = std::min(waiting() - reserved_, kMostPerCall);
  std::string now;
  if (clock_) {
    if (const auto t = clock_()) now = std::to_string(*t);
  }
  redis_->eval(store::scripts().gcra, {key_},
               {std::to_string(static_cast<long long>(std::llround(interval_us))), std::to_string(limit_.burst),
                std::to_string(wanted), now,
                std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(kHorizon).count())},
               [self = shared_from_this()](std::exception_ptr error, store::RedisValue value) {
                 self->on_reply(error, value);
               });
}

void RateLimiter::on_reply(std::exception_ptr error, const store::RedisValue& value) {
  asking_ = false;
  if (cancelled_) return;
  std::chrono::microseconds wait{0};
  if (error) {
    // While Redis is away the link has said so once; no line per second here.
    if (store::is_unavailable(error)) {
      spdlog::debug("rate limit {}: {}; retrying in 1 s", key_, store::describe(error));
    } else {
      spdlog::error("rate limit {}: {}; retrying in 1 s", key_, store::describe(error));
    }
    wait = std::chrono::seconds(1);
  } else {
    const auto& parts = value.as_array();
    const auto granted = static_cast<std::size_t>(parts.at(0).as_integer());
    wait = std::chrono::microseconds(parts.at(1).as_integer());
    for (std::size_t i = 0; i < granted; ++i) {
      const std::chrono::microseconds delay(parts.at(2 + i).as_integer());
      ++reserved_;
      if (delay.count() <= 0) {
        boost::asio::post(io_, [self = shared_from_this()] { self->use_slot(); });
        continue;
      }
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
      slot_timers_.insert(timer);
      timer->async_wait([self = shared_from_this(), timer](const boost::system::error_code& ec) {
        self->slot_timers_.erase(timer);
        if (!ec) self->use_slot();
      });
    }
  }
  if (waiting() <= reserved_) return;
  if (wait.count() <= 0) {
    pump();
    return;
  }
  sleeping_ = true;
  timer_.expires_after(wait);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->sleeping_ = false;
    if (!ec) self->pump();
  });
}

void RateLimiter::use_slot() {
  if (cancelled_ || reserved_ == 0) return;
  --reserved_;
  if (waiting() == 0) return;  // cannot happen before cancel_all: each slot was asked for a waiter
  auto& queue = urgent_waiters_.empty() ? waiters_ : urgent_waiters_;
  auto w = std::move(queue.front());
  queue.pop_front();
  w(true);
}

}  // namespace broadcaster::sender
