// The two-person rule on a real redis-server: the author cannot approve,
// a second person can (once), a waived rule needs no one, and each step is
// in the campaign's record and audit log, in order, with actor and time.
#include "store/campaign_approval.h"

#include <catch2/catch.hpp>

#include "store/audit_log.h"
#include "store/redis_client.h"
#include "support/redis_server.h"
#include "util/errors.h"

using namespace broadcaster;
using store::ApprovalState;
using store::ApproveOutcome;

namespace {

std::chrono::system_clock::time_point at_minute(int minute) {
  return std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(10) +
         std::chrono::minutes(minute);
}

/// A Redis with campaign `ice-alert` created and submitted by Ana.
struct ApprovalFixture {
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};

  store::SubmissionRecord submit(const std::string& author, ApprovalState approval, int minute = 0,
                                 const std::string& id = "ice-alert") {
    (void)redis.command({"HSET", keys.campaign_meta(id), "id", id, "status", "sending"});
    store::Submission s;
    s.campaign = id;
    s.author = author;
    s.approval = approval;
    s.detail = "test submission";
    s.at = at_minute(minute);
    return store::record_submission(redis, keys, s);
  }
  std::map<std::string, std::string> meta(const std::string& id = "ice-alert") {
    return redis.command({"HGETALL", keys.campaign_meta(id)}).as_map();
  }
  std::vector<store::AuditEntry> audit(const std::string& id = "ice-alert") {
    return store::AuditLog(redis, keys).of_campaign(id, 100);
  }
};

}  // namespace

TEST_CASE("the author cannot approve; a second person can, once; every step is audited in order") {
  ApprovalFixture f;
  f.submit("Ana Ruiz", ApprovalState::Pending, 0);
  CHECK(store::approval_state(f.meta()) == ApprovalState::Pending);
  CHECK_FALSE(store::may_send(f.meta()));
  CHECK(f.meta().at("author") == "Ana Ruiz");

  auto r = store::approve(f.redis, f.keys, "ice-alert", "Ana Ruiz", at_minute(1));
  CHECK(r.outcome == ApproveOutcome::ByAuthor);
  CHECK(r.author == "Ana Ruiz");
  CHECK_FALSE(store::may_send(f.meta()));
  CHECK(f.meta().count("approved_by") == 0);
  // The same person with other capitals is still the author.
  CHECK(store::approve(f.redis, f.keys, "ice-alert", "ANA RUIZ", at_minute(2)).outcome == ApproveOutcome::ByAuthor);

  r = store::approve(f.redis, f.keys, "ice-alert", "Luis Vang", at_minute(3));
  CHECK(r.outcome == ApproveOutcome::Approved);
  CHECK(r.approved_by == "Luis Vang");
  CHECK(r.approved_at == "2026-12-01T10:03:00Z");
  CHECK(r.author == "Ana Ruiz");
  const auto meta = f.meta();
  CHECK(meta.at("approval") == "approved");
  CHECK(meta.at("approved_by") == "Luis Vang");
  CHECK(meta.at("approved_at") == "2026-12-01T10:03:00Z");
  CHECK(store::may_send(meta));

  // A second approval, by anyone, is refused and changes nothing.
  r = store::approve(f.redis, f.keys, "ice-alert", "Mai Xiong", at_minute(4));
  CHECK(r.outcome == ApproveOutcome::AlreadyApproved);
  CHECK(r.approved_by == "Luis Vang");
  CHECK(r.approved_at == "2026-12-01T10:03:00Z");
  CHECK(f.meta().at("approved_by") == "Luis Vang");

  const auto entries = f.audit();
  REQUIRE(entries.size() == 4);
  const std::vector<std::tuple<std::string, std::string, std::string>> expected{
      {"Ana Ruiz", "submit", "2026-12-01T10:00:00Z"},
      {"Ana Ruiz", "approve_refused", "2026-12-01T10:01:00Z"},
      {"ANA RUIZ", "approve_refused", "2026-12-01T10:02:00Z"},
      {"Luis Vang", "approve", "2026-12-01T10:03:00Z"},
  };
  for (std::size_t i = 0; i < entries.size(); ++i) {
    INFO("entry " << i);
    CHECK(std::tie(entries[i].actor, entries[i].action, entries[i].at) ==
          std::tie(std::get<0>(expected[i]), std::get<1>(expected[i]), std::get<2>(expected[i])));
    CHECK(entries[i].campaign == "ice-alert");
    if (i > 0) CHECK(entries[i - 1].id < entries[i].id);
  }
  CHECK_THAT(entries[0].detail, Catch::Contains("waits for a second person"));
}

TEST_CASE("approving what cannot be approved says why and writes nothing") {
  ApprovalFixture f;
  f.submit("Ana Ruiz", ApprovalState::NotNeeded, 0, "workshop");
  f.submit("Ana Ruiz", ApprovalState::Waived, 0, "waived-alert");
  struct Case {
    const char* label;
    const char* id;
    ApproveOutcome expected;
  };
  const Case cases[] = {
      {"a campaign never submitted", "no-such-campaign", ApproveOutcome::UnknownCampaign},
      {"a campaign that is not urgent", "workshop", ApproveOutcome::NotNeeded},
      {"an urgent campaign whose rule the organization waives", "waived-alert", ApproveOutcome::Waived},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto before = f.audit(c.id).size();
      CHECK(store::approve(f.redis, f.keys, c.id, "Luis Vang", at_minute(5)).outcome == c.expected);
      CHECK(f.audit(c.id).size() == before);
      CHECK(f.meta(c.id).count("approved_by") == 0);
    }
  }
  CHECK(f.redis.command({"EXISTS", f.keys.campaign_meta("no-such-campaign")}).as_integer() == 0);
}

TEST_CASE("with the rule waived an urgent campaign may be sent without a second person") {
  ApprovalFixture f;
  f.submit("Ana Ruiz", store::initial_approval(true, false));
  const auto meta = f.meta();
  CHECK(meta.at("approval") == "waived");
  CHECK(store::approval_state(meta) == ApprovalState::Waived);
  CHECK(store::may_send(meta));
  CHECK_THAT(f.audit().at(0).detail, Catch::Contains("waived by configuration"));
}

TEST_CASE("a resubmission needs approval again, and a campaign that is not urgent needs none") {
  ApprovalFixture f;
  f.submit("Ana Ruiz", ApprovalState::Pending, 0);
  REQUIRE(store::approve(f.redis, f.keys, "ice-alert", "Luis Vang", at_minute(1)).outcome == ApproveOutcome::Approved);
  // Luis edits the text and submits again: he is the author now, and Ana may approve.
  const auto record = f.submit("Luis Vang", ApprovalState::Pending, 2);
  CHECK(record.previous == ApprovalState::Approved);
  CHECK(record.previous_approved_by == "Luis Vang");
  auto meta = f.meta();
  CHECK(meta.at("author") == "Luis Vang");
  CHECK(meta.at("approval") == "pending");
  CHECK(meta.count("approved_by") == 0);
  CHECK(meta.count("approved_at") == 0);
  CHECK_FALSE(store::may_send(meta));
  CHECK(store::approve(f.redis, f.keys, "ice-alert", "Ana Ruiz", at_minute(3)).outcome == ApproveOutcome::Approved);

  // Submitted again as an ordinary campaign: no approval fields remain.
  CHECK(f.submit("Ana Ruiz", ApprovalState::NotNeeded, 4).previous == ApprovalState::Approved);
  meta = f.meta();
  CHECK(meta.count("approval") == 0);
  CHECK(meta.count("approved_by") == 0);
  CHECK(store::approval_state(meta) == ApprovalState::NotNeeded);
  CHECK(store::may_send(meta));
  CHECK(f.audit().size() == 5);  // three submissions, two approvals
}

TEST_CASE("a submission cannot arrive approved") {
  ApprovalFixture f;
  CHECK_THROWS_AS(f.submit("Ana Ruiz", ApprovalState::Approved), Error);
  CHECK(f.audit().empty());
}

TEST_CASE("approval states read from the meta hash; anything unknown holds the messages") {
  struct Case {
    const char* label;
    std::map<std::string, std::string> meta;
    ApprovalState expected;
    bool may_send;
  };
  const Case cases[] = {
      {"no approval field", {{"id", "x"}}, ApprovalState::NotNeeded, true},
      {"an empty approval field", {{"approval", ""}}, ApprovalState::NotNeeded, true},
      {"pending", {{"approval", "pending"}}, ApprovalState::Pending, false},
      {"approved", {{"approval", "approved"}}, ApprovalState::Approved, true},
      {"waived", {{"approval", "waived"}}, ApprovalState::Waived, true},
      {"a damaged value", {{"approval", "aproved"}}, ApprovalState::Pending, false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK(store::approval_state(c.meta) == c.expected);
      CHECK(store::may_send(c.meta) == c.may_send);
    }
  }
  CHECK(store::initial_approval(false, true) == ApprovalState::NotNeeded);
  CHECK(store::initial_approval(true, true) == ApprovalState::Pending);
  CHECK(store::initial_approval(true, false) == ApprovalState::Waived);
  CHECK(store::to_string(ApprovalState::Pending) == "pending");
}
