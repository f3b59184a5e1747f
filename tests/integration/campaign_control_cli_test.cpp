// `campaign pause`, `resume`, `cancel` and `list` through the real binary:
// one person pauses, `list` shows it paused, another resumes, a cancel is
// refused without --yes when there is no terminal, asks for the id on a
// terminal, goes through with --yes, and the audit log says who did each.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "staff_commands.h"
#include "config/staff_token.h"
#include "store/campaign_data.h"
#include "store/campaign_meta.h"
#include "store/redis_client.h"
#include "store/scripts.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

using namespace broadcaster;

namespace {

constexpr const char* kAnaToken = "bcst_ana-control-token";
constexpr const char* kLuisToken = "bcst_luis-control-token";
constexpr const char* kFarFutureMs = "4102444800000";  // 2100-01-01T00:00:00Z

/// A pseudo-terminal whose far end a child takes as standard input, with
/// `typed` already waiting on it.
class Terminal {
 public:
  explicit Terminal(const std::string& typed) {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master_ >= 0);
    REQUIRE(grantpt(master_) == 0);
    REQUIRE(unlockpt(master_) == 0);
    name_ = ptsname(master_);
    slave_ = open(name_.c_str(), O_RDWR | O_NOCTTY);  // held open so what is typed waits
    REQUIRE(slave_ >= 0);
    REQUIRE(write(master_, typed.data(), typed.size()) == static_cast<ssize_t>(typed.size()));
  }
  ~Terminal() {
    close(slave_);
    close(master_);
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  const std::string& name() const { return name_; }

 private:
  int master_ = -1;
  int slave_ = -1;
  std::string name_;
};

/// A configuration naming Ana and Luis, a redis-server, and campaigns.
class Control {
 public:
  Control() {
    dir_.write("config/broadcaster.yaml",
               "redis: {host: 127.0.0.1, port: " + std::to_string(redis_.port()) +
                   ", prefix: \"it:\"}\n"
                   "channels:\n  console: {type: console}\n"
                   "staff:\n"
                   "  - name: Ana Ruiz\n    token_sha256: " +
                   config::token_sha256_hex(kAnaToken) +
                   "\n  - name: Luis Vang\n    token_sha256: " + config::token_sha256_hex(kLuisToken) + "\n");
  }

  store::RedisClient redis() { return store::RedisClient(redis_.endpoint()); }
  store::Keys keys() const { return store::Keys("it:"); }

  /// A submitted campaign with `numbers` queued, as campaign/submit.cpp leaves it.
  void submit(const std::string& id, const std::vector<std::string>& numbers,
              std::vector<std::string> extra_meta = {}) {
    auto r = redis();
    const auto k = keys();
    (void)r.command({"XGROUP", "CREATE", k.campaign_queue(id), std::string(store::kConsumerGroup), "0", "MKSTREAM"});
    std::vector<std::string> meta{"HSET",
                                  k.campaign_meta(id),
                                  std::string(store::meta::kId),
                                  id,
                                  std::string(store::meta::kStatus),
                                  std::string(store::meta::kSending),
                                  std::string(store::meta::kSubmittedAt),
                                  "2026-12-01T10:00:00Z"};
    meta.insert(meta.end(), extra_meta.begin(), extra_meta.end());
    (void)r.command(meta);
    store::EnqueueCall call(k, id);
    for (const auto& n : numbers) call.add({n, "es", "Taller el sábado"});
    const auto [script_keys, args] = call.take();
    if (!numbers.empty()) (void)r.eval(store::scripts().enqueue, script_keys, args);
    (void)r.command({"ZADD", k.campaign_index(), "NX", std::to_string(1 + index_++), id});
    (void)r.command({"ZADD", k.campaigns(), "1", id});
  }

  int run(std::vector<std::string> args, const char* token, std::string* output,
          const std::string& input = "/dev/null") {
    return cli_.run(std::move(args), token, output, input);
  }
  nlohmann::json run_json(std::vector<std::string> args, const char* token, int status = 0) {
    return cli_.run_json(std::move(args), token, status);
  }

  /// The row of campaign `id` in `campaign list --json` (null when absent).
  nlohmann::json listed(const std::string& id, bool all = false) {
    std::vector<std::string> args{"campaign", "list"};
    if (all) args.push_back("--all");
    for (const auto& row : run_json(args, nullptr)) {
      if (row.at("campaign") == id) return row;
    }
    return nullptr;
  }

  std::string status(const std::string& id) {
    return redis().command({"HGET", keys().campaign_meta(id), std::string(store::meta::kStatus)}).as_string();
  }

 private:
  testing::TempDir dir_;
  testing::RedisServer redis_;
  testing::StaffCommands cli_{dir_.path()};
  int index_ = 0;
};

const std::vector<std::string> kNumbers{"+15595550101", "+15595550102", "+15595550103"};

}  // namespace

TEST_CASE("campaign pause, list, resume and cancel act for the caller and say who") {
  Control c;
  c.submit("workshop", kNumbers, {"priority", "urgent"});
  std::string out;

  // Ana pauses; Luis pausing again is told it is already paused.
  const auto paused = c.run_json({"campaign", "pause", "workshop", "--reason", "wrong address"}, kAnaToken);
  CHECK(paused.at("result") == "done");
  CHECK(paused.at("actor") == "Ana Ruiz");
  CHECK(paused.at("status_before") == "sending");
  CHECK(paused.at("status") == "paused");
  CHECK(c.status("workshop") == "paused");
  CHECK(c.run({"campaign", "pause", "workshop"}, kLuisToken, &out) == 3);
  CHECK_THAT(out, Catch::Contains("campaign 'workshop' is already paused"));

  // list shows it paused, with its priority and counts.
  auto row = c.listed("workshop");
  REQUIRE(row.is_object());
  CHECK(row.at("status") == "paused");
  CHECK(row.at("priority") == "urgent");
  CHECK(row.at("queued") == 3);
  CHECK(row.at("remaining") == 3);
  CHECK(c.run({"campaign", "list"}, nullptr, &out) == 0);
  CHECK_THAT(out, Catch::Contains("NEXT RUN"));
  CHECK_THAT(out, Catch::Contains("workshop"));
  CHECK_THAT(out, Catch::Contains("paused"));

  // Luis resumes it; text output names him.
  CHECK(c.run({"campaign", "resume", "workshop"}, kLuisToken, &out) == 0);
  CHECK_THAT(out, Catch::Contains("campaign 'workshop' resumed by Luis Vang"));
  CHECK(c.status("workshop") == "sending");
  CHECK(c.run({"campaign", "resume", "workshop"}, kLuisToken, &out) == 3);
  CHECK_THAT(out, Catch::Contains("is not paused"));

  // No terminal and no --yes: refused, nothing changes.
  CHECK(c.run({"campaign", "cancel", "workshop"}, kAnaToken, &out) == 3);
  CHECK_THAT(out, Catch::Contains("pass --yes"));
  CHECK(c.status("workshop") == "sending");

  // On a terminal, the wrong id typed back cancels nothing.
  {
    Terminal wrong("worksh\n");
    CHECK(c.run({"campaign", "cancel", "workshop"}, kAnaToken, &out, wrong.name()) == 3);
    CHECK_THAT(out, Catch::Contains("Type the campaign id to cancel it"));
    CHECK_THAT(out, Catch::Contains("nothing was cancelled"));
    CHECK(c.status("workshop") == "sending");
  }

  // --yes cancels; the three unsent messages are counted, not remaining.
  const auto cancelled = c.run_json({"campaign", "cancel", "workshop", "--yes"}, kAnaToken);
  CHECK(cancelled.at("result") == "done");
  CHECK(cancelled.at("actor") == "Ana Ruiz");
  CHECK(cancelled.at("cancelled") == 3);
  CHECK(cancelled.at("purge_at").is_string());
  CHECK(c.status("workshop") == "cancelled");
  CHECK(c.run({"campaign", "resume", "workshop"}, kLuisToken, &out) == 3);
  CHECK_THAT(out, Catch::Contains("was cancelled, which is final"));
  CHECK(c.run({"campaign", "cancel", "workshop", "--yes"}, kLuisToken, &out) == 3);
  CHECK_THAT(out, Catch::Contains("already cancelled"));

  row = c.listed("workshop");
  REQUIRE(row.is_object());
  CHECK(row.at("status") == "cancelled");
  CHECK(row.at("remaining") == 0);
  CHECK(row.at("cancelled") == 3);
  CHECK(row.at("next_run").is_null());

  // The audit log: who did each, in order; refusals changed nothing and are not there.
  const auto audit = c.run_json({"audit", "--campaign", "workshop"}, nullptr);
  REQUIRE(audit.size() == 3);
  CHECK(audit[0].at("action") == "pause");
  CHECK(audit[0].at("actor") == "Ana Ruiz");
  CHECK(audit[0].at("detail") == "wrong address");
  CHECK(audit[0].at("at") == paused.at("at"));
  CHECK(audit[1].at("action") == "resume");
  CHECK(audit[1].at("actor") == "Luis Vang");
  CHECK(audit[2].at("action") == "cancel");
  CHECK(audit[2].at("actor") == "Ana Ruiz");
  CHECK(audit[2].at("at") == cancelled.at("at"));
}

TEST_CASE("campaign cancel on a terminal goes ahead when the id is typed back") {
  Control c;
  c.submit("reminder", kNumbers);
  std::string out;
  Terminal typed("reminder\n");
  CHECK(c.run({"campaign", "cancel", "reminder"}, kLuisToken, &out, typed.name()) == 0);
  CHECK_THAT(out, Catch::Contains("campaign 'reminder' cancelled by Luis Vang"));
  CHECK_THAT(out, Catch::Contains("3 message(s) not sent yet will never be sent"));
  CHECK(c.status("reminder") == "cancelled");
}

TEST_CASE("campaign control needs a staff token and a campaign that exists") {
  Control c;
  c.submit("workshop", kNumbers);
  std::string out;
  CHECK(c.run({"campaign", "pause", "workshop"}, nullptr, &out) == 1);
  CHECK_THAT(out, Catch::Contains("BROADCASTER_STAFF_TOKEN"));
  CHECK(c.run({"campaign", "pause", "workshop"}, "bcst_guessed-SECRET", &out) == 1);
  CHECK_THAT(out, !Catch::Contains("guessed-SECRET"));
  CHECK(c.status("workshop") == "sending");
  for (const char* action : {"pause", "resume"}) {
    DYNAMIC_SECTION(action) {
      CHECK(c.run({"campaign", action, "no-such"}, kAnaToken, &out) == 4);
      CHECK_THAT(out, Catch::Contains("no campaign 'no-such' has been submitted"));
    }
  }
  // An unknown campaign is not worth a question: the answer is the same without a terminal.
  CHECK(c.run({"campaign", "cancel", "no-such"}, kAnaToken, &out) == 4);
  const auto unknown = c.run_json({"campaign", "pause", "no-such"}, kAnaToken, 4);
  CHECK(unknown.at("result") == "unknown_campaign");
}

TEST_CASE("campaign list --json: one row per campaign, next run, and old finished campaigns only with --all") {
  Control c;
  c.submit("later", kNumbers, {std::string(store::meta::kSendAtMs), kFarFutureMs});
  c.submit("recurring", {}, {std::string(store::meta::kNextRunMs), kFarFutureMs});
  c.submit("old", {}, {});
  (void)c.redis().command({"HSET", c.keys().campaign_meta("old"), std::string(store::meta::kStatus),
                           std::string(store::meta::kDone), std::string(store::meta::kDoneAt), "2020-01-01T00:00:00Z"});
  c.submit("recent", {}, {});
  (void)c.redis().command({"HSET", c.keys().campaign_meta("recent"), std::string(store::meta::kStatus),
                           std::string(store::meta::kDone), std::string(store::meta::kDoneAt), "2099-01-01T00:00:00Z"});

  const auto rows = c.run_json({"campaign", "list"}, nullptr);
  REQUIRE(rows.is_array());
  REQUIRE(rows.size() == 3);  // "old" is left out
  for (const auto& row : rows) {
    for (const char* key : {"campaign", "status", "priority", "queued", "sent", "remaining", "cancelled",
                            "submitted_at", "next_run", "next_run_ms", "finished_at"}) {
      CHECK(row.contains(key));
    }
  }
  CHECK(rows[0].at("campaign") == "later");
  CHECK(rows[0].at("status") == "scheduled");
  CHECK(rows[0].at("priority") == "normal");
  CHECK(rows[0].at("next_run") == "2100-01-01T00:00:00Z");
  CHECK(rows[0].at("submitted_at") == "2026-12-01T10:00:00Z");
  CHECK(rows[1].at("campaign") == "recurring");
  CHECK(rows[1].at("next_run_ms") == 4102444800000LL);
  CHECK(rows[2].at("campaign") == "recent");
  CHECK(rows[2].at("status") == "done");
  CHECK(rows[2].at("next_run").is_null());
  CHECK(rows[2].at("finished_at") == "2099-01-01T00:00:00Z");

  const auto old = c.listed("old", true);
  REQUIRE(old.is_object());
  CHECK(old.at("status") == "done");
  std::string out;
  CHECK(c.run({"campaign", "list"}, nullptr, &out) == 0);
  CHECK_THAT(out, Catch::Contains("1 campaign(s) done or cancelled more than 7 days ago"));
}
