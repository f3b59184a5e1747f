// The scheduler's thread in `serve`: tick, wait, reconnect after failures.
#include "campaign/schedule_runner.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "store/redis_client.h"
#include "util/errors.h"

namespace broadcaster::campaign {

namespace {

// While Redis stays down, a failure is logged once a minute (at one tick a second).
constexpr std::size_t kLogEveryFailures = 60;

}  // namespace

ScheduleRunner::ScheduleRunner(store::RedisEndpoint redis, store::Keys keys, std::string default_zone,
                               RunSubmitter submit, ScheduleRunnerOptions options)
    : endpoint_(std::move(redis)),
      keys_(std::move(keys)),
      default_zone_(std::move(default_zone)),
      submit_(std::move(submit)),
      options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  thread_ = std::thread([this] { work(); });
}

ScheduleRunner::~ScheduleRunner() { stop(); }

void ScheduleRunner::request_stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void ScheduleRunner::stop() {
  request_stop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void ScheduleRunner::work() {
  std::unique_ptr<store::RedisClient> redis;
  std::unique_ptr<Scheduler> scheduler;
  std::size_t failures_in_a_row = 0;
  for (;;) {
    try {
      if (!scheduler) {
        redis = std::make_unique<store::RedisClient>(endpoint_);
        scheduler =
            std::make_unique<Scheduler>(*redis, keys_, default_zone_, submit_, options_.late_limit, options_.lease);
        if (failures_in_a_row > 0) spdlog::info("scheduler: connected to Redis again");
        failures_in_a_row = 0;
      }
      const TickReport r = scheduler->tick(options_.clock());
      if (r.fired + r.expired + r.skipped + r.failed + r.ended > 0) {
        spdlog::info("scheduler: {} runs submitted, {} expired, {} skipped, {} failed, {} schedules ended", r.fired,
                     r.expired, r.skipped, r.failed, r.ended);
      }
      ++ticks_;
    } catch (const RedisError& e) {
      ++redis_failures_;
      if (failures_in_a_row++ % kLogEveryFailures == 0) {
        spdlog::warn("scheduler: Redis failed ({}); reconnecting, scheduled runs wait meanwhile", e.what());
      }
      scheduler.reset();
      redis.reset();
    } catch (const std::exception& e) {
      // A bug or a submitter's own exception: the claimed run is retried
      // after its lease; keep the thread alive for the other campaigns.
      spdlog::error("scheduler: tick failed: {}", e.what());
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.period, [&] { return stopping_; })) return;
  }
}

}  // namespace broadcaster::campaign
