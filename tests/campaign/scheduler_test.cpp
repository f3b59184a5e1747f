// The scheduler on a real redis-server with an injected clock: each
// occurrence fires once (across a daylight-saving change, and with two
// processes ticking), a claimer that dies is replaced after its lease by a
// re-run of the same run id, runs missed while every process was down fire
// or expire, an until-date ends the schedule, a schedule in each recipient's
// zone fires when its wall time reaches Kiritimati, and an unreadable file
// skips one run.
#include "campaign/scheduler.h"

#include <catch2/catch.hpp>
#include <map>
#include <stdexcept>

#include "campaign/schedule_registration.h"
#include "campaign/scheduled_run.h"
#include "store/audit_log.h"
#include "store/campaign_meta.h"
#include "store/schedule_registry.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

using namespace broadcaster;
using campaign::Scheduler;
using schedule::LocalDateTime;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

using TimePoint = std::chrono::system_clock::time_point;

TimePoint utc(int y, unsigned m, unsigned d, int h, int mi = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + hours(h) + minutes(mi);
}

std::string campaign_yaml(const std::string& schedule, const std::string& id = "clinic") {
  return "id: " + id + "\ntemplate: t\nchannel: sms\naudience: {}\nschedule:\n" + schedule;
}

const std::string kTueThu =
    "  every: [tuesday, thursday]\n  at: \"10:00\"\n  time_zone: America/Los_Angeles\n  until: 2027-03-25\n";

/// One call of the submitter.
struct Call {
  std::string run_id;
  std::string occurrence;  // occurrence_text
  std::string zone;
  std::string campaign;
  TimePoint at;  // the tick's `now`
};

struct SchedulerFixture {
  testing::TempDir dir;
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};
  std::vector<Call> calls;
  TimePoint now{};

  /// Writes the campaign file and registers it at `at`.
  std::optional<LocalDateTime> submit(const std::string& yaml, TimePoint at) {
    const auto file = dir.write("clinic.yaml", yaml);
    return campaign::register_schedule(redis, keys, campaign::parse_campaign_file(file), at, "America/Chicago");
  }

  campaign::RunSubmitter recorder() {
    return [this](store::RedisClient&, const campaign::Campaign& c, const std::string& run, const LocalDateTime& o,
                  const std::string& zone) {
      calls.push_back({run, campaign::occurrence_text(o), zone, c.id.value, now});
    };
  }

  /// Ticks `s` every `step` from `from` to `to` inclusive.
  void tick_through(Scheduler& s, TimePoint from, TimePoint to, minutes step) {
    for (now = from; now <= to; now += step) (void)s.tick(now);
  }

  std::map<std::string, std::string> meta() {
    return redis.command({"HGETALL", keys.campaign_meta("clinic")}).as_map();
  }

  std::vector<store::AuditEntry> audit() { return store::AuditLog(redis, keys).of_campaign("clinic", 100); }
  std::size_t audit_count(std::string_view action) {
    std::size_t n = 0;
    for (const auto& e : audit()) n += e.action == action ? 1 : 0;
    return n;
  }
};

}  // namespace

TEST_CASE("a Tuesday/Thursday 10:00 Los Angeles rule fires once per occurrence across the DST change") {
  SchedulerFixture f;
  const auto first = f.submit(campaign_yaml(kTueThu), utc(2027, 3, 8, 0));
  REQUIRE(first);
  CHECK(campaign::occurrence_text(*first) == "2027-03-09T10:00");
  CHECK(f.meta().at(std::string(store::meta::kNextRunMs)) == std::to_string(store::epoch_ms(utc(2027, 3, 9, 18))));

  Scheduler s(f.redis, f.keys, "America/Chicago", f.recorder());
  f.tick_through(s, utc(2027, 3, 8, 0), utc(2027, 3, 27, 0), minutes(15));

  // 10:00 PST is 18:00 UTC; from 2027-03-14 10:00 PDT is 17:00 UTC.
  const std::vector<std::pair<std::string, TimePoint>> expected{
      {"2027-03-09T10:00", utc(2027, 3, 9, 18)},  {"2027-03-11T10:00", utc(2027, 3, 11, 18)},
      {"2027-03-16T10:00", utc(2027, 3, 16, 17)}, {"2027-03-18T10:00", utc(2027, 3, 18, 17)},
      {"2027-03-23T10:00", utc(2027, 3, 23, 17)}, {"2027-03-25T10:00", utc(2027, 3, 25, 17)},
  };
  REQUIRE(f.calls.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    DYNAMIC_SECTION(expected[i].first) {
      CHECK(f.calls[i].occurrence == expected[i].first);
      CHECK(f.calls[i].zone == "America/Los_Angeles");
      CHECK(f.calls[i].campaign == "clinic");
      CHECK(f.calls[i].at == expected[i].second);  // the first tick at or after its instant
      CHECK(f.calls[i].run_id == "clinic--" + expected[i].first.substr(0, 4) + expected[i].first.substr(5, 2) +
                                     expected[i].first.substr(8, 2) + "-1000");
    }
  }
  CHECK(f.audit_count(store::audit_actions::kRun) == expected.size());
}

TEST_CASE("an until-date ends the schedule: unregistered, next_run_ms removed, audited") {
  SchedulerFixture f;
  REQUIRE(f.submit(campaign_yaml(kTueThu), utc(2027, 3, 24, 0)));
  Scheduler s(f.redis, f.keys, "America/Chicago", f.recorder());
  f.tick_through(s, utc(2027, 3, 25, 16, 45), utc(2027, 3, 25, 17, 0), minutes(15));
  REQUIRE(f.calls.size() == 1);
  CHECK(f.calls[0].run_id == "clinic--20270325-1000");
  CHECK_FALSE(store::ScheduleRegistry(f.redis, f.keys).get("clinic"));
  CHECK(f.meta().count(std::string(store::meta::kNextRunMs)) == 0);
  CHECK(f.audit_count(store::audit_actions::kScheduleEnd) == 1);
  f.tick_through(s, utc(2027, 3, 26, 0), utc(2027, 4, 30, 0), hours(24));
  CHECK(f.calls.size() == 1);

  // A rule with nothing left is not registered at all.
  CHECK_FALSE(f.submit(campaign_yaml(kTueThu), utc(2027, 3, 26, 0)));
}

TEST_CASE("two schedulers ticking the same instants fire each occurrence exactly once") {
  SchedulerFixture f;
  REQUIRE(f.submit(campaign_yaml(kTueThu), utc(2027, 3, 8, 0)));
  store::RedisClient other(f.server.endpoint());
  Scheduler a(f.redis, f.keys, "America/Chicago", f.recorder());
  Scheduler b(other, f.keys, "America/Chicago", f.recorder());
  for (f.now = utc(2027, 3, 8, 0); f.now <= utc(2027, 3, 27, 0); f.now += minutes(30)) {
    // Alternate who goes first, so each wins some occurrences.
    const bool a_first = (f.now.time_since_epoch() / hours(1)) % 2 == 0;
    (void)(a_first ? a : b).tick(f.now);
    (void)(a_first ? b : a).tick(f.now);
  }
  std::map<std::string, int> per_run;
  for (const auto& c : f.calls) ++per_run[c.run_id];
  CHECK(f.calls.size() == 6);
  CHECK(per_run.size() == 6);
  for (const auto& [run, n] : per_run) {
    INFO(run);
    CHECK(n == 1);
  }
}

TEST_CASE("a claimer that dies mid-run is replaced after its lease by a re-run of the same run id") {
  SchedulerFixture f;
  REQUIRE(f.submit(campaign_yaml(kTueThu), utc(2027, 3, 8, 0)));
  store::RedisClient other(f.server.endpoint());
  std::vector<std::string> dying_runs;
  Scheduler dying(
      other, f.keys, "America/Chicago",
      [&](store::RedisClient&, const campaign::Campaign&, const std::string& run, const LocalDateTime&,
          const std::string&) {
        dying_runs.push_back(run);
        throw std::runtime_error("process killed");  // not an Error: nothing is finished, as with SIGKILL
      },
      campaign::kDefaultLateLimit, minutes(10));
  Scheduler survivor(f.redis, f.keys, "America/Chicago", f.recorder(), campaign::kDefaultLateLimit, minutes(10));

  const TimePoint due = utc(2027, 3, 9, 18);
  CHECK_THROWS_AS(dying.tick(due), std::runtime_error);
  REQUIRE(dying_runs == std::vector<std::string>{"clinic--20270309-1000"});
  (void)survivor.tick(due + minutes(9));  // the lease still holds
  CHECK(f.calls.empty());
  (void)survivor.tick(due + minutes(10));
  REQUIRE(f.calls.size() == 1);
  CHECK(f.calls[0].run_id == "clinic--20270309-1000");
  const auto audit = f.audit();
  REQUIRE_FALSE(audit.empty());
  CHECK(audit.back().action == store::audit_actions::kRun);
  CHECK(audit.back().detail.find("attempt 2") != std::string::npos);
  CHECK(store::ScheduleRegistry(f.redis, f.keys).get("clinic")->next.local == "2027-03-11T10:00");
}

TEST_CASE("with every process down over two occurrences, the one beyond the late limit expires, the recent one fires") {
  SchedulerFixture f;
  REQUIRE(f.submit(campaign_yaml(kTueThu), utc(2027, 3, 8, 0)));
  Scheduler s(f.redis, f.keys, "America/Chicago", f.recorder());
  // Back on Thursday at 10:30 PST: Tuesday's run is 48.5 h late, Thursday's 30 min.
  f.now = utc(2027, 3, 11, 18, 30);
  const auto report = s.tick(f.now);
  CHECK(report.expired == 1);
  CHECK(report.fired == 1);
  REQUIRE(f.calls.size() == 1);
  CHECK(f.calls[0].run_id == "clinic--20270311-1000");
  const auto audit = f.audit();
  REQUIRE(audit.size() == 2);
  CHECK(audit[0].action == store::audit_actions::kRunExpired);
  CHECK(audit[0].actor == campaign::kSchedulerActor);
  CHECK(audit[0].detail.find("clinic--20270309-1000") != std::string::npos);
  CHECK(audit[1].action == store::audit_actions::kRun);
  CHECK(audit[1].detail.find("clinic--20270311-1000") != std::string::npos);
  CHECK(store::ScheduleRegistry(f.redis, f.keys).get("clinic")->runs == 1);
}

TEST_CASE("a schedule in each recipient's zone is claimed when its wall time reaches Kiritimati") {
  SchedulerFixture f;
  const auto first =
      f.submit(campaign_yaml("  on: 2027-03-16\n  at: \"10:00\"\n  time_zone: recipient\n"), utc(2027, 3, 14, 0));
  REQUIRE(first);
  CHECK(campaign::occurrence_text(*first) == "2027-03-16T10:00");
  // 10:00 at UTC+14 is 20:00 UTC the day before.
  const TimePoint kiritimati = utc(2027, 3, 15, 20);
  CHECK(store::ScheduleRegistry(f.redis, f.keys).get("clinic")->next.due_ms == store::epoch_ms(kiritimati));
  Scheduler s(f.redis, f.keys, "America/Chicago", f.recorder());
  (void)s.tick(kiritimati - minutes(1));
  CHECK(f.calls.empty());
  (void)s.tick(kiritimati);
  REQUIRE(f.calls.size() == 1);
  CHECK(f.calls[0].occurrence == "2027-03-16T10:00");
  CHECK(f.calls[0].zone == "recipient");
  CHECK(f.calls[0].run_id == "clinic--20270316-1000");
  CHECK_FALSE(store::ScheduleRegistry(f.redis, f.keys).get("clinic"));  // a one-off: done
}

TEST_CASE("a recipient-zone run is late only once its wall time has passed everywhere") {
  SchedulerFixture f;
  REQUIRE(f.submit(campaign_yaml("  on: 2027-03-16\n  at: \"10:00\"\n  time_zone: recipient\n"), utc(2027, 3, 14, 0)));
  Scheduler s(f.redis, f.keys, "America/Chicago", f.recorder(), hours(12));
  // 10:00 at UTC-12 is 22:00 UTC; 11 h after that is still within the limit,
  // though 37 h after Kiritimati's 10:00.
  f.now = utc(2027, 3, 17, 9);
  const auto report = s.tick(f.now);
  CHECK(report.fired == 1);
  CHECK(report.expired == 0);
}

TEST_CASE("a file that no longer parses skips its run once; once fixed the schedule goes on") {
  SchedulerFixture f;
  REQUIRE(f.submit(campaign_yaml(kTueThu), utc(2027, 3, 8, 0)));
  (void)f.dir.write("clinic.yaml", "id: clinic\ntemplate: [unclosed\n");
  Scheduler s(f.redis, f.keys, "America/Chicago", f.recorder());
  const TimePoint due = utc(2027, 3, 9, 18);
  CHECK(s.tick(due).skipped == 1);
  CHECK(s.tick(due + campaign::kUnreadableRetry).skipped == 0);  // still broken: not audited again
  CHECK(f.calls.empty());
  CHECK(f.audit_count(store::audit_actions::kRunSkipped) == 1);

  // An edit that fixes it (and moves the time) takes effect from the next occurrence.
  (void)f.dir.write("clinic.yaml",
                    campaign_yaml("  every: [tuesday, thursday]\n  at: \"11:30\"\n  time_zone: America/Los_Angeles\n"));
  (void)s.tick(due + 2 * campaign::kUnreadableRetry);
  CHECK(f.calls.empty());  // the skipped run stays skipped
  // The next occurrence of the new rule after the skipped one: the same day at 11:30.
  CHECK(store::ScheduleRegistry(f.redis, f.keys).get("clinic")->next.local == "2027-03-09T11:30");
  (void)s.tick(utc(2027, 3, 9, 19, 30));
  REQUIRE(f.calls.size() == 1);
  CHECK(f.calls[0].run_id == "clinic--20270309-1130");
}

TEST_CASE("a cancelled campaign goes off the schedule; a paused one skips its runs") {
  SchedulerFixture f;
  REQUIRE(f.submit(campaign_yaml(kTueThu), utc(2027, 3, 8, 0)));
  Scheduler s(f.redis, f.keys, "America/Chicago", f.recorder());
  (void)f.redis.command({"HSET", f.keys.campaign_meta("clinic"), "status", "paused"});
  CHECK(s.tick(utc(2027, 3, 9, 18)).skipped == 1);
  CHECK(f.calls.empty());
  (void)f.redis.command({"HSET", f.keys.campaign_meta("clinic"), "status", "cancelled"});
  CHECK(s.tick(utc(2027, 3, 11, 18)).ended == 1);
  CHECK(f.calls.empty());
  CHECK_FALSE(store::ScheduleRegistry(f.redis, f.keys).get("clinic"));
  CHECK(f.meta().count(std::string(store::meta::kNextRunMs)) == 0);
}
