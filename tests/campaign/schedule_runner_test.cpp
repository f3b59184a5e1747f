// The scheduler's thread: it fires a due run at its first tick, stops at
// once when asked (even with an hour between ticks), and after Redis dies
// reconnects by itself and fires what became due.
#include "campaign/schedule_runner.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "campaign/schedule_registration.h"
#include "campaign/scheduled_run.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

using namespace broadcaster;

namespace {

using TimePoint = std::chrono::system_clock::time_point;

const TimePoint kDue = std::chrono::sys_days{std::chrono::year{2027} / 3 / 9} + std::chrono::hours(18);

/// Run ids submitted by the runner's thread, and a way to wait for them.
struct Submissions {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> runs;

  campaign::RunSubmitter submitter() {
    return [this](store::RedisClient&, const campaign::Campaign&, const std::string& run,
                  const schedule::LocalDateTime&, const std::string&) {
      std::lock_guard lock(mutex);
      runs.push_back(run);
      changed.notify_all();
    };
  }
  /// Waits (the deadline only bounds a failure) until `n` runs were submitted.
  bool wait_for(std::size_t n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(20), [&] { return runs.size() >= n; });
  }
};

void register_clinic(const testing::RedisServer& server, const testing::TempDir& dir) {
  const auto file = dir.write("clinic.yaml",
                              "id: clinic\ntemplate: t\nchannel: sms\naudience: {}\nschedule:\n  every: [tuesday, "
                              "thursday]\n  at: \"10:00\"\n  time_zone: America/Los_Angeles\n");
  store::RedisClient redis(server.endpoint());
  REQUIRE(campaign::register_schedule(redis, store::Keys("t:"), campaign::parse_campaign_file(file),
                                      kDue - std::chrono::hours(1), "America/Chicago"));
}

}  // namespace

TEST_CASE("the runner fires a due run at its first tick and stops at once when asked") {
  testing::TempDir dir;
  testing::RedisServer server;
  register_clinic(server, dir);
  Submissions submitted;
  campaign::ScheduleRunnerOptions options;
  options.period = std::chrono::hours(1);  // stop() must not wait for the next tick
  options.clock = [] { return kDue; };
  campaign::ScheduleRunner runner(server.endpoint(), store::Keys("t:"), "America/Chicago", submitted.submitter(),
                                  options);
  REQUIRE(submitted.wait_for(1));
  runner.stop();
  CHECK(submitted.runs == std::vector<std::string>{"clinic--20270309-1000"});
  CHECK(runner.redis_failures() == 0);
  runner.stop();  // idempotent
}

TEST_CASE("the runner reconnects after Redis dies and fires what is due") {
  testing::TempDir dir;
  testing::RedisServer server;
  const int port = server.port();
  server.kill9();
  Submissions submitted;
  campaign::ScheduleRunnerOptions options;
  options.period = std::chrono::milliseconds(20);
  options.clock = [] { return kDue; };
  store::RedisEndpoint endpoint = server.endpoint();
  endpoint.connect_timeout = std::chrono::milliseconds(200);
  campaign::ScheduleRunner runner(endpoint, store::Keys("t:"), "America/Chicago", submitted.submitter(), options);

  // Poll under a deadline that only bounds a failure.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (runner.redis_failures() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(runner.redis_failures() >= 2);
  server.restart();
  REQUIRE(server.port() == port);
  register_clinic(server, dir);
  REQUIRE(submitted.wait_for(1));
  runner.stop();
  CHECK(submitted.runs == std::vector<std::string>{"clinic--20270309-1000"});
}
