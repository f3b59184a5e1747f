// RedisLink: reconnect with backoff, probe before declaring the link up.
#include "store/redis_link.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "util/errors.h"

namespace broadcaster::store {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kComplaintPeriod = std::chrono::minutes(1);

}  // namespace

std::shared_ptr<RedisLink> RedisLink::create(boost::asio::io_context& io, RedisEndpoint endpoint,
                                             RedisBackoff backoff) {
  return std::shared_ptr<RedisLink>(new RedisLink(io, std::move(endpoint), backoff));
}

RedisLink::RedisLink(boost::asio::io_context& io, RedisEndpoint endpoint, RedisBackoff backoff)
    : io_(io), endpoint_(std::move(endpoint)), backoff_(backoff), timer_(io), delay_(backoff.initial) {}

RedisLink::~RedisLink() {
  closed_ = true;
  if (redis_) redis_->close();
}

void RedisLink::start(Events events) {
  events_ = std::move(events);
  down_since_ = Clock::now();
  connect();
}

void RedisLink::connect() {
  if (closed_) return;
  const std::uint64_t generation = ++generation_;
  redis_ = AsyncRedis::create(io_, endpoint_);
  auto self = shared_from_this();
  redis_->connect([self, generation](std::exception_ptr error) {
    if (error) return self->lose(generation, describe(error));
  });
  // Queued behind the connect; refused with LOADING while Redis replays its data.
  redis_->command({"EXISTS", "broadcaster:probe"},
                  [self, generation](std::exception_ptr error, RedisValue) { self->on_probe(generation, error); });
}

void RedisLink::on_probe(std::uint64_t generation, std::exception_ptr error) {
  if (generation != generation_ || closed_) return;
  if (error) return lose(generation, describe(error));
  up_ = true;
  delay_ = backoff_.initial;
  if (ever_up_) {
    ++reconnects_;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - down_since_).count();
    spdlog::info("Redis at {} is back after {} s; resuming", endpoint_.describe(), seconds);
  }
  ever_up_ = true;
  last_complaint_ = {};
  if (events_.up) events_.up();
}

void RedisLink::lose(std::uint64_t generation, const std::string& why) {
  if (generation != generation_ || closed_) return;
  ++generation_;  // whatever the old connection still reports is ignored
  const bool was_up = up_;
  up_ = false;
  if (redis_) {
    auto old = std::move(redis_);
    old->close();
  }
  const auto now = Clock::now();
  if (was_up) down_since_ = now;
  if (was_up || last_complaint_ == Clock::time_point{}) {
    spdlog::error("Redis at {} is unreachable ({}); retrying with backoff, work waits meanwhile", endpoint_.describe(),
                  why);
    last_complaint_ = now;
  } else if (now - last_complaint_ >= kComplaintPeriod) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - down_since_).count();
    spdlog::warn("Redis at {} still unreachable after {} s ({})", endpoint_.describe(), seconds, why);
    last_complaint_ = now;
  }
  if (was_up && events_.down) events_.down(why);
  schedule_connect();
}

void RedisLink::schedule_connect() {
  timer_.expires_after(delay_);
  delay_ = std::min(delay_ * 2, backoff_.max);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->connect();
  });
}

AsyncCommands::Callback RedisLink::watch(Callback cb) {
  return [self = shared_from_this(), generation = generation_, cb = std::move(cb)](std::exception_ptr error,
                                                                                   RedisValue value) {
    if (error && is_unavailable(error)) self->lose(generation, describe(error));
    if (cb) cb(error, std::move(value));
  };
}

void RedisLink::command(std::vector<std::string> argv, Callback cb) {
  if (!up_ || !redis_) {
    boost::asio::post(io_, [cb = std::move(cb), where = endpoint_.describe()] {
      if (cb) cb(std::make_exception_ptr(RedisIoError("Redis at " + where + " is unreachable; waiting for it")), {});
    });
    return;
  }
  redis_->command(std::move(argv), watch(std::move(cb)));
}

void RedisLink::eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args, Callback cb) {
  if (!up_ || !redis_) {
    boost::asio::post(io_, [cb = std::move(cb), where = endpoint_.describe()] {
      if (cb) cb(std::make_exception_ptr(RedisIoError("Redis at " + where + " is unreachable; waiting for it")), {});
    });
    return;
  }
  redis_->eval(script, std::move(keys), std::move(args), watch(std::move(cb)));
}

void RedisLink::close() {
  if (closed_) return;
  closed_ = true;
  up_ = false;
  timer_.cancel();
  if (redis_) redis_->close();
}

}  // namespace broadcaster::store
