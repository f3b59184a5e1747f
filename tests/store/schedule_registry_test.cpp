// The schedule registry on a real redis-server: a due occurrence goes to
// exactly one claimer, a lease that runs out hands the same occurrence to the
// next claimer, a late finisher changes nothing, and the schedule ends.
#include "store/schedule_registry.h"

#include <catch2/catch.hpp>

#include "store/redis_client.h"
#include "support/redis_server.h"

using namespace broadcaster;
using store::CompleteResult;
using store::RunOutcome;
using store::ScheduledOccurrence;

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

std::chrono::system_clock::time_point at_ms(long long ms) {
  return std::chrono::system_clock::time_point(milliseconds(ms));
}

struct RegistryFixture {
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};
  store::ScheduleRegistry registry{redis, keys};
};

const ScheduledOccurrence kFirst{"2027-03-09T10:00", "America/Los_Angeles", 1'000'000};
const ScheduledOccurrence kSecond{"2027-03-11T10:00", "America/Los_Angeles", 2'000'000};

}  // namespace

TEST_CASE("an occurrence is claimed once it is due, by one caller, until its lease runs out") {
  RegistryFixture f;
  f.registry.add("clinic", "/srv/campaigns/clinic.yaml", kFirst);

  CHECK(f.registry.claim_due(at_ms(999'999), minutes(10)).empty());  // not due yet
  const auto first = f.registry.claim_due(at_ms(1'000'000), minutes(10));
  REQUIRE(first.size() == 1);
  CHECK(first[0].id == "clinic");
  CHECK(first[0].file == "/srv/campaigns/clinic.yaml");
  CHECK(first[0].occurrence.local == "2027-03-09T10:00");
  CHECK(first[0].occurrence.zone == "America/Los_Angeles");
  CHECK(first[0].occurrence.due_ms == 1'000'000);
  CHECK(first[0].attempt == 1);
  CHECK_FALSE(first[0].skipped);
  CHECK(f.registry.get("clinic")->state == "claimed");

  // Another caller within the lease gets nothing.
  CHECK(f.registry.claim_due(at_ms(1'000'000 + 599'999), minutes(10)).empty());
  // After it, the same occurrence again, as a second attempt.
  const auto again = f.registry.claim_due(at_ms(1'000'000 + 600'000), minutes(10));
  REQUIRE(again.size() == 1);
  CHECK(again[0].occurrence.local == "2027-03-09T10:00");
  CHECK(again[0].attempt == 2);
}

TEST_CASE("complete moves to the next occurrence; a late finisher of the same one changes nothing") {
  RegistryFixture f;
  f.registry.add("clinic", "/c.yaml", kFirst);
  REQUIRE(f.registry.claim_due(at_ms(1'000'000), minutes(10)).size() == 1);
  CHECK(f.registry.complete("clinic", kFirst.local, RunOutcome::Fired, kSecond) == CompleteResult::Next);
  CHECK(f.registry.complete("clinic", kFirst.local, RunOutcome::Fired, kSecond) == CompleteResult::Stale);
  auto r = f.registry.get("clinic");
  REQUIRE(r);
  CHECK(r->next.local == kSecond.local);
  CHECK(r->next.due_ms == kSecond.due_ms);
  CHECK(r->state == "waiting");
  CHECK(r->runs == 1);
  CHECK(r->last_fired == kFirst.local);
  CHECK(r->last_outcome == "fired 2027-03-09T10:00");
  CHECK(f.registry.claim_due(at_ms(1'999'999), minutes(10)).empty());

  // An expired occurrence moves on without counting a run.
  REQUIRE(f.registry.claim_due(at_ms(2'000'000), minutes(10)).size() == 1);
  CHECK(f.registry.complete("clinic", kSecond.local, RunOutcome::Expired, std::nullopt) == CompleteResult::Ended);
  CHECK_FALSE(f.registry.get("clinic"));
  CHECK(f.registry.ids().empty());
  CHECK(f.registry.complete("clinic", kSecond.local, RunOutcome::Fired, std::nullopt) == CompleteResult::Unknown);
}

TEST_CASE("a deferred occurrence comes back marked skipped at the retry time") {
  RegistryFixture f;
  f.registry.add("clinic", "/c.yaml", kFirst);
  REQUIRE(f.registry.claim_due(at_ms(1'000'000), minutes(10)).size() == 1);
  CHECK(f.registry.defer("clinic", kFirst.local, at_ms(1'060'000)) == CompleteResult::Deferred);
  CHECK(f.registry.claim_due(at_ms(1'059'999), minutes(10)).empty());
  const auto back = f.registry.claim_due(at_ms(1'060'000), minutes(10));
  REQUIRE(back.size() == 1);
  CHECK(back[0].skipped);
  CHECK(back[0].attempt == 1);
  CHECK(back[0].occurrence.local == kFirst.local);
  CHECK(f.registry.complete("clinic", kFirst.local, RunOutcome::Skipped, kSecond) == CompleteResult::Next);
  CHECK(f.registry.get("clinic")->runs == 0);
}

TEST_CASE("registering again replaces the occurrence and keeps the run count; remove ends it") {
  RegistryFixture f;
  f.registry.add("clinic", "/c.yaml", kFirst);
  REQUIRE(f.registry.claim_due(at_ms(1'000'000), minutes(10)).size() == 1);
  REQUIRE(f.registry.complete("clinic", kFirst.local, RunOutcome::Fired, kSecond) == CompleteResult::Next);
  const ScheduledOccurrence later{"2027-03-16T09:00", "America/Chicago", 3'000'000};
  f.registry.add("clinic", "/d.yaml", later);
  auto r = f.registry.get("clinic");
  REQUIRE(r);
  CHECK(r->file == "/d.yaml");
  CHECK(r->next.local == later.local);
  CHECK(r->next.zone == "America/Chicago");
  CHECK(r->runs == 1);
  CHECK(f.registry.claim_due(at_ms(2'500'000), minutes(10)).empty());
  CHECK(f.registry.remove("clinic"));
  CHECK_FALSE(f.registry.remove("clinic"));
  CHECK(f.registry.claim_due(at_ms(9'000'000), minutes(10)).empty());
}

TEST_CASE("a due id whose record is gone is dropped from the due set") {
  RegistryFixture f;
  f.registry.add("clinic", "/c.yaml", kFirst);
  (void)f.redis.command({"DEL", f.keys.schedule("clinic")});
  CHECK(f.registry.claim_due(at_ms(1'000'000), minutes(10)).empty());
  CHECK(f.registry.ids().empty());
}
