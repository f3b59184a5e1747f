// The audit log on a real redis-server: entries kept in order per campaign,
// merged across campaigns, bounded, and refused when incomplete.
#include "store/audit_log.h"

#include <catch2/catch.hpp>

#include "store/redis_client.h"
#include "support/redis_server.h"
#include "util/errors.h"

using namespace broadcaster;
using store::AuditEntry;

namespace {

AuditEntry entry(const std::string& campaign, const std::string& actor, std::string_view action,
                 const std::string& at) {
  AuditEntry e;
  e.campaign = campaign;
  e.actor = actor;
  e.action = std::string(action);
  e.at = at;
  e.detail = "test";
  return e;
}

/// Appends `e` with stream id "<ms>-0", as if written at that Redis time:
/// entries of different campaigns written within one millisecond have no
/// order but their campaign id's, so the merge is tested at distinct times.
void append_at(store::RedisClient& redis, const store::Keys& keys, const AuditEntry& e, long long ms) {
  std::vector<std::string> cmd{"XADD", keys.campaign_audit(e.campaign), std::to_string(ms) + "-0"};
  for (auto& f : store::audit_entry_fields(e)) cmd.push_back(std::move(f));
  (void)redis.command(cmd);
}

std::vector<std::string> describe(const std::vector<AuditEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.campaign + " " + e.actor + " " + e.action + " " + e.at);
  return out;
}

}  // namespace

TEST_CASE("a campaign's audit entries come back oldest first with every field") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  store::AuditLog log(redis, keys);
  const std::string first =
      log.append(entry("ice-alert", "Ana Ruiz", store::audit_actions::kSubmit, "2026-12-01T10:00:00Z"));
  (void)log.append(entry("ice-alert", "Luis Vang", store::audit_actions::kApprove, "2026-12-01T10:05:00Z"));
  (void)log.append(entry("ice-alert", "Ana Ruiz", store::audit_actions::kPause, "2026-12-01T10:06:00Z"));

  const auto all = log.of_campaign("ice-alert", 10);
  CHECK(describe(all) == std::vector<std::string>{"ice-alert Ana Ruiz submit 2026-12-01T10:00:00Z",
                                                  "ice-alert Luis Vang approve 2026-12-01T10:05:00Z",
                                                  "ice-alert Ana Ruiz pause 2026-12-01T10:06:00Z"});
  CHECK(all[0].id == first);
  CHECK(all[0].detail == "test");
  // The limit keeps the newest.
  CHECK(describe(log.of_campaign("ice-alert", 2)) ==
        std::vector<std::string>{"ice-alert Luis Vang approve 2026-12-01T10:05:00Z",
                                 "ice-alert Ana Ruiz pause 2026-12-01T10:06:00Z"});
  CHECK(log.of_campaign("ice-alert", 0).empty());
  CHECK(log.of_campaign("never-submitted", 10).empty());
  // One stream in the campaign's slot, never trimmed.
  CHECK(redis.command({"XLEN", keys.campaign_audit("ice-alert")}).as_integer() == 3);
  CHECK(keys.campaign_audit("ice-alert") == "t:{c:ice-alert}:audit");
}

TEST_CASE("the latest entries merge every campaign's stream in the order they were written") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  store::AuditLog log(redis, keys);
  (void)redis.command({"ZADD", keys.campaign_index(), "1", "workshop"});
  (void)redis.command({"ZADD", keys.campaign_index(), "2", "ice-alert"});
  append_at(redis, keys, entry("workshop", "Ana Ruiz", store::audit_actions::kSubmit, "t1"), 1000);
  append_at(redis, keys, entry("ice-alert", "Ana Ruiz", store::audit_actions::kSubmit, "t2"), 2000);
  append_at(redis, keys, entry("workshop", "Luis Vang", store::audit_actions::kCancel, "t3"), 3000);
  append_at(redis, keys, entry("ice-alert", "Luis Vang", store::audit_actions::kApprove, "t4"), 4000);
  // A stream of a campaign not in the index is not listed.
  append_at(redis, keys, entry("stray", "Luis Vang", store::audit_actions::kApprove, "t5"), 5000);

  CHECK(describe(log.latest(10)) ==
        std::vector<std::string>{"workshop Ana Ruiz submit t1", "ice-alert Ana Ruiz submit t2",
                                 "workshop Luis Vang cancel t3", "ice-alert Luis Vang approve t4"});
  CHECK(describe(log.latest(3)) == std::vector<std::string>{"ice-alert Ana Ruiz submit t2",
                                                            "workshop Luis Vang cancel t3",
                                                            "ice-alert Luis Vang approve t4"});
  CHECK(log.latest(0).empty());
}

TEST_CASE("the merge keeps the newest across more campaigns than one pipeline reads") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  store::AuditLog log(redis, keys);
  std::vector<std::string> expected;
  for (int i = 0; i < 250; ++i) {
    const std::string id = "c" + std::to_string(i);
    (void)redis.command({"ZADD", keys.campaign_index(), std::to_string(i), id});
    append_at(redis, keys, entry(id, "Ana Ruiz", store::audit_actions::kSubmit, std::to_string(i)), 1000 + i);
    if (i >= 245) expected.push_back(id + " Ana Ruiz submit " + std::to_string(i));
  }
  CHECK(describe(log.latest(5)) == expected);
}

TEST_CASE("an audit entry without actor, action or campaign, or with a long detail, is refused") {
  struct Case {
    const char* label;
    AuditEntry e;
  };
  const Case cases[] = {
      {"no actor", entry("c", "", store::audit_actions::kSubmit, "")},
      {"no action", entry("c", "Ana Ruiz", "", "")},
      {"no campaign", entry("", "Ana Ruiz", store::audit_actions::kSubmit, "")},
      {"a detail over the limit",
       [] {
         auto e = entry("c", "Ana Ruiz", store::audit_actions::kSubmit, "");
         e.detail.assign(store::kMaxAuditDetailBytes + 1, 'x');
         return e;
       }()},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK_THROWS_AS(store::audit_entry_fields(c.e), Error); }
  }
}

TEST_CASE("an entry without a time gets the caller's clock; fields go in their declared order") {
  auto e = entry("c", "Ana Ruiz", store::audit_actions::kSubmit, "");
  const auto at = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(9);
  CHECK(store::audit_entry_fields(e, at) == std::vector<std::string>{"at", "2026-12-01T09:00:00Z", "actor", "Ana Ruiz",
                                                                     "action", "submit", "campaign", "c", "detail",
                                                                     "test"});
  CHECK(store::audit_append_command(store::Keys("t:"), e).at(1) == "t:{c:c}:audit");
}
