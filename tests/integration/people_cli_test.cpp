// Staff, approval, audit and calendar commands through the real binary:
// the author of an urgent campaign cannot approve it, a colleague can
// (once), an unknown or missing token is refused, and `audit` and
// `calendar` print what the store and the calendar folder hold.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "staff_commands.h"
#include "config/staff_token.h"
#include "store/campaign_approval.h"
#include "store/redis_client.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

using namespace broadcaster;

namespace {

constexpr const char* kAnaToken = "bcst_ana-integration-token";
constexpr const char* kLuisToken = "bcst_luis-integration-token";

/// A configuration naming Ana and Luis, a redis-server, and a calendar folder.
class People {
 public:
  People() {
    dir_.write("config/broadcaster.yaml", "redis: {host: 127.0.0.1, port: " + std::to_string(redis_.port()) +
                                              ", prefix: \"it:\"}\n"
                                              "channels:\n  console: {type: console}\n"
                                              "staff:\n"
                                              "  - name: Ana Ruiz\n    token_sha256: " +
                                              sha256_of(kAnaToken) + "\n  - name: Luis Vang\n    token_sha256: " +
                                              sha256_of(kLuisToken) + "\ncalendar_dir: calendar\n");
    dir_.write("config/calendar/valley.yaml",
               "partner: Valley Immigrant Legal Network\nevents:\n"
               "  - {date: 2026-12-05, start: \"10:00\", end: \"14:00\", county: Fresno, title: Workshop, "
               "languages: [es, en]}\n"
               "  - {date: 2026-12-12, start: \"09:00\", end: \"12:00\", county: Tulare, title: Consultations, "
               "languages: [es]}\n");
    dir_.write("config/calendar/sierra.yaml",
               "partner: Sierra Foothill Workers Center\nevents:\n"
               "  - {date: 2026-12-05, start: \"15:00\", end: \"17:00\", county: fresno, title: Clinic, "
               "languages: [es, mix]}\n");
  }

  store::RedisClient redis() { return store::RedisClient(redis_.endpoint()); }
  store::Keys keys() const { return store::Keys("it:"); }

  int run(std::vector<std::string> args, const char* token, std::string* output) {
    return cli_.run(std::move(args), token, output);
  }
  nlohmann::json run_json(std::vector<std::string> args, const char* token, int status = 0) {
    return cli_.run_json(std::move(args), token, status);
  }

 private:
  static std::string sha256_of(const std::string& token) { return config::token_sha256_hex(token); }

  testing::TempDir dir_;
  testing::RedisServer redis_;
  testing::StaffCommands cli_{dir_.path()};
};

}  // namespace

TEST_CASE("campaign approve: the author is refused, a colleague approves once, and the audit log shows it") {
  People p;
  {
    auto redis = p.redis();
    (void)redis.command({"HSET", p.keys().campaign_meta("ice-alert"), "id", "ice-alert", "status", "sending"});
    (void)redis.command({"ZADD", p.keys().campaign_index(), "1", "ice-alert"});
    store::Submission s;
    s.campaign = "ice-alert";
    s.author = "Ana Ruiz";
    s.approval = store::ApprovalState::Pending;
    (void)store::record_submission(redis, p.keys(), s);
  }
  std::string out;
  // The author: refused, with what to do.
  CHECK(p.run({"campaign", "approve", "ice-alert"}, kAnaToken, &out) == 3);
  CHECK_THAT(out, Catch::Contains("Ana Ruiz submitted campaign 'ice-alert', so Ana Ruiz cannot approve it"));
  CHECK_THAT(out, Catch::Contains("a second staff member must"));
  // No token, or one nobody holds: refused before Redis is asked.
  CHECK(p.run({"campaign", "approve", "ice-alert"}, nullptr, &out) == 1);
  CHECK_THAT(out, Catch::Contains("set BROADCASTER_STAFF_TOKEN to your personal staff token"));
  CHECK(p.run({"campaign", "approve", "ice-alert"}, "bcst_guessed-SECRET", &out) == 1);
  CHECK_THAT(out, Catch::Contains("matches no one under 'staff:'"));
  CHECK_THAT(out, !Catch::Contains("guessed-SECRET"));
  {
    auto redis = p.redis();
    CHECK_FALSE(store::may_send(redis.command({"HGETALL", p.keys().campaign_meta("ice-alert")}).as_map()));
  }

  // A colleague approves, and is told who and when.
  const auto approved = p.run_json({"campaign", "approve", "ice-alert"}, kLuisToken);
  CHECK(approved["result"] == "approved");
  CHECK(approved["approved_by"] == "Luis Vang");
  CHECK(approved["author"] == "Ana Ruiz");
  CHECK_FALSE(approved["approved_at"].get<std::string>().empty());
  CHECK(p.run({"campaign", "approve", "ice-alert"}, kAnaToken, &out) == 3);
  CHECK_THAT(out, Catch::Contains("already approved by Luis Vang"));
  CHECK(p.run({"campaign", "approve", "no-such-campaign"}, kLuisToken, &out) == 4);
  CHECK_THAT(out, Catch::Contains("no campaign 'no-such-campaign' has been submitted"));
  {
    auto redis = p.redis();
    const auto meta = redis.command({"HGETALL", p.keys().campaign_meta("ice-alert")}).as_map();
    CHECK(store::may_send(meta));
    CHECK(meta.at("approved_by") == "Luis Vang");
  }

  // The audit log, newest last: submit, the author's refused attempt, the approval.
  const auto audit = p.run_json({"audit"}, nullptr);
  REQUIRE(audit.size() == 3);
  CHECK(audit[0]["action"] == "submit");
  CHECK(audit[0]["actor"] == "Ana Ruiz");
  CHECK(audit[1]["action"] == "approve_refused");
  CHECK(audit[1]["actor"] == "Ana Ruiz");
  CHECK(audit[2]["action"] == "approve");
  CHECK(audit[2]["actor"] == "Luis Vang");
  CHECK(audit[2]["at"] == approved["approved_at"]);
  for (const auto& e : audit) CHECK(e["campaign"] == "ice-alert");
  CHECK(p.run_json({"audit", "--campaign", "ice-alert", "--limit", "1"}, nullptr).at(0)["action"] == "approve");
  CHECK(p.run_json({"audit", "--campaign", "other"}, nullptr).empty());
  CHECK(p.run({"audit"}, nullptr, &out) == 0);
  CHECK_THAT(out, Catch::Contains("Luis Vang"));
}

TEST_CASE("staff list and staff token: a fresh token's printed hash is what the config needs") {
  People p;
  const auto staff = p.run_json({"staff", "list"}, nullptr);
  REQUIRE(staff.size() == 2);
  CHECK(staff[0]["name"] == "Ana Ruiz");
  CHECK(staff[1]["name"] == "Luis Vang");
  CHECK(staff[0]["token_sha256"] == config::token_sha256_hex(kAnaToken));

  const auto fresh = p.run_json({"staff", "token", "Mai Xiong"}, nullptr);
  CHECK(fresh["name"] == "Mai Xiong");
  CHECK(fresh["token_sha256"] == config::token_sha256_hex(fresh["token"].get<std::string>()));
  std::string out;
  CHECK(p.run({"staff", "token", "Mai Xiong"}, nullptr, &out) == 0);
  CHECK_THAT(out, Catch::Contains("  - name: Mai Xiong\n    token_sha256: "));
  CHECK(p.run({"staff", "token", ""}, nullptr, &out) == 1);
}

TEST_CASE("calendar --json lists upcoming events by county with other partners' events that day") {
  People p;
  const auto all = p.run_json({"calendar", "--from", "2026-12-01"}, nullptr);
  REQUIRE(all.size() == 3);
  CHECK(all[0]["title"] == "Workshop");
  CHECK(all[0]["date"] == "2026-12-05");
  CHECK(all[0]["start"] == "10:00");
  CHECK(all[0]["starts_at"] == "2026-12-05T18:00:00Z");
  CHECK(all[0]["same_day_other_partners"] == nlohmann::json::array({"Sierra Foothill Workers Center"}));
  CHECK(all[1]["title"] == "Clinic");
  CHECK(all[2]["title"] == "Consultations");
  CHECK(all[2]["same_day_other_partners"].empty());

  const auto tulare = p.run_json({"calendar", "--county", "tulare", "--from", "2026-12-01"}, nullptr);
  REQUIRE(tulare.size() == 1);
  CHECK(tulare[0]["partner"] == "Valley Immigrant Legal Network");
  CHECK(p.run_json({"calendar", "--from", "2026-12-13"}, nullptr).empty());

  std::string out;
  CHECK(p.run({"calendar", "--from", "12/01/2026"}, nullptr, &out) == 1);
  CHECK_THAT(out, Catch::Contains("--from must be a date written YYYY-MM-DD"));
}
