// Issue 11 on the send path, through real `serve` processes and the provider
// simulator: a pause stops every process and a resume sends nobody twice;
// the frequency cap holds across campaigns and two concurrent senders; an
// urgent campaign goes ahead of a bulk backlog, and only after a second
// person approves it; messages past valid_until are dropped as expired;
// quiet hours set messages aside instead of sending (or dropping) them.
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "campaign_checks.h"
#include "config/staff_token.h"
#include "schedule/zoned_time.h"
#include "store/redis_client.h"

using namespace broadcaster;
using namespace broadcaster::testing;

namespace {

constexpr const char* kAna = "bcst_ana-outreach-token";
constexpr const char* kLuis = "bcst_luis-outreach-token";

std::string staff_yaml() {
  return "staff:\n  - name: Ana Ruiz\n    token_sha256: " + config::token_sha256_hex(kAna) +
         "\n  - name: Luis Vang\n    token_sha256: " + config::token_sha256_hex(kLuis) + "\n";
}

std::vector<std::string> as(const char* token) { return {std::string("BROADCASTER_STAFF_TOKEN=") + token}; }

const char* kOpenAllDay = "quiet_hours: {start: \"00:00\", end: \"24:00\"}\n";

std::string meta(store::RedisClient& redis, const std::string& id, const std::string& f) {
  const auto v = redis.command({"HGET", "it:{c:" + id + "}:meta", f});
  return v.is_nil() ? std::string() : v.as_string();
}

// Writes campaign `id` for the numbers tagged `tag`, with `extra` YAML.
void write_campaign(Pipeline& p, const std::string& id, const std::string& tag, const std::string& extra = {}) {
  p.dir().write(id + ".yaml", "id: " + id + "\ntemplate: invite\nchannel: sms\naudience:\n  tags: [" + tag +
                                  "]\nvariables:\n  place: Fresno Central Library\n" + extra);
}

long long accepted(const Pipeline& p) { return p.sim_stats().value("accepted", 0LL); }

bool is_urgent(const nlohmann::json& m) { return m.at("body").get<std::string>().starts_with("[URGENT]"); }

/// In the order the provider got them: how many urgent messages, and how
/// many bulk ones went between the first and the last urgent one.
std::pair<int, int> urgent_and_bulk_between(const nlohmann::json& messages) {
  int first = -1, last = -1, i = 0, urgent = 0, bulk_between = 0;
  for (const auto& m : messages) {
    if (is_urgent(m)) {
      if (first < 0) first = i;
      last = i;
      ++urgent;
    }
    ++i;
  }
  for (int k = first; k >= 0 && k <= last; ++k) bulk_between += !is_urgent(messages[static_cast<std::size_t>(k)]);
  return {urgent, bulk_between};
}

/// Writes and imports kUrgent subscribers tagged rapid and an urgent
/// campaign it-alert for them.
void write_urgent_campaign(Pipeline& p, int count) {
  std::string csv = "phone,language,tags\n";
  for (int i = 0; i < count; ++i) csv += number(5000 + i) + ",en,rapid\n";
  p.dir().write("rapid.csv", csv);
  p.dir().write("templates/alert/en.txt", "[URGENT] Know your rights: you may remain silent.\n");
  p.dir().write("alert.yaml",
                "id: it-alert\ntemplate: alert\nchannel: sms\npriority: urgent\naudience:\n  tags: [rapid]\n");
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "rapid.csv").string()}) == 0);
}

}  // namespace

TEST_CASE("a pause stops every serve process; a resume finishes without sending anyone twice", "[outreach]") {
  Pipeline p(PipelineOptions{.per_second = 25, .burst = 1, .outreach = std::string(kOpenAllDay) + staff_yaml()});
  constexpr int kSubscribers = 150;
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto a = p.start({"serve", "--consumer", "a"}, "serve-a.log");
  auto b = p.start({"serve", "--consumer", "b"}, "serve-b.log");
  REQUIRE(wait_for_condition([&] { return accepted(p) >= 25; }, std::chrono::seconds(60)));

  std::string out;
  REQUIRE(p.run({"campaign", "pause", "it-invite"}, &out, as(kAna)) == 0);
  CHECK_THAT(out, Catch::Contains("Ana Ruiz"));
  const long long at_pause = accepted(p);
  // Sends already on the wire finish; nothing starts after the pause.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const long long settled = accepted(p);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(accepted(p) == settled);
  CHECK(settled - at_pause <= 2 * 16);  // at most what both processes had in flight
  CHECK(settled < kSubscribers);
  CHECK(meta(redis, "it-invite", "status") == "paused");

  REQUIRE(p.run({"campaign", "resume", "it-invite"}, &out, as(kLuis)) == 0);
  REQUIRE(wait_for_condition([&] { return meta(redis, "it-invite", "status") == "done"; }, std::chrono::seconds(90)));
  a->signal(SIGTERM);
  b->signal(SIGTERM);
  CHECK(a->wait(std::chrono::seconds(30)) == 0);
  CHECK(b->wait(std::chrono::seconds(30)) == 0);
  check_exactly_once(p, kSubscribers);
}

TEST_CASE("the frequency cap holds across campaigns and two concurrent senders", "[outreach]") {
  Pipeline p(PipelineOptions{.outreach = std::string(kOpenAllDay) + "frequency_cap: {messages: 2, days: 7}\n"});
  constexpr int kSubscribers = 40;
  write_campaign_files(p, kSubscribers);
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  for (const char* id : {"it-a", "it-b", "it-c"}) {
    write_campaign(p, id, "fresno", "over_cap: skip\n");
    REQUIRE(p.run({"campaign", "submit", (p.dir().path() / (std::string(id) + ".yaml")).string()}) == 0);
  }
  store::RedisClient redis(p.redis_server().endpoint());
  auto a = p.start({"serve", "--consumer", "a"}, "serve-a.log");
  auto b = p.start({"serve", "--consumer", "b"}, "serve-b.log");
  REQUIRE(wait_for_condition(
      [&] {
        for (const char* id : {"it-a", "it-b", "it-c"}) {
          if (meta(redis, id, "status") != "done") return false;
        }
        return true;
      },
      std::chrono::seconds(90)));
  a->signal(SIGTERM);
  b->signal(SIGTERM);
  CHECK(a->wait(std::chrono::seconds(30)) == 0);
  CHECK(b->wait(std::chrono::seconds(30)) == 0);
  // Three campaigns, a cap of two: everyone got exactly two, whichever two.
  const auto received = received_per_number(p);
  REQUIRE(received.size() == kSubscribers);
  for (const auto& [to, n] : received) CHECK(n == 2);
  long long skipped = 0, sent = 0;
  for (const char* id : {"it-a", "it-b", "it-c"}) {
    skipped += field(stats_of(redis, id), "skipped_cap");
    sent += field(stats_of(redis, id), "sent");
  }
  CHECK(skipped == kSubscribers);
  CHECK(sent == 2 * kSubscribers);
}

TEST_CASE("an urgent campaign waits for a second person, then goes ahead of the bulk backlog", "[outreach]") {
  Pipeline p(PipelineOptions{.per_second = 40, .burst = 1, .outreach = std::string(kOpenAllDay) + staff_yaml()});
  constexpr int kBulk = 400;
  constexpr int kUrgent = 20;
  write_campaign_files(p, kBulk);
  write_urgent_campaign(p, kUrgent);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return accepted(p) >= 40; }, std::chrono::seconds(60)));

  std::string out;
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "alert.yaml").string()}, &out, as(kAna)) == 0);
  CHECK_THAT(out, Catch::Contains("waiting for approval"));
  // Its author cannot approve it; until someone else does, nothing of it goes.
  CHECK(p.run({"campaign", "approve", "it-alert"}, &out, as(kAna)) == 3);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(urgent_and_bulk_between(p.sim_messages()).first == 0);
  REQUIRE(p.run({"campaign", "approve", "it-alert"}, &out, as(kLuis)) == 0);
  REQUIRE(wait_for_condition([&] { return meta(redis, "it-alert", "status") == "done"; }, std::chrono::seconds(60)));
  const long long bulk_left = kBulk - field(stats_of(redis, "it-invite"), "sent");
  CHECK(bulk_left > 100);  // it did not wait for the backlog

  // Few bulk messages between the first and the last urgent one (those a
  // process already held).
  const auto [urgent, bulk_between] = urgent_and_bulk_between(p.sim_messages());
  CHECK(urgent == kUrgent);
  CHECK(bulk_between <= 40);
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("with urgent.rate_share below 1 the bulk backlog keeps its part of the limit while an alert goes out",
          "[outreach]") {
  // Half the limit for the alert: bulk keeps about one message per urgent
  // one, where a whole share (the test above) lets through only those
  // already held.
  Pipeline p(PipelineOptions{.per_second = 40,
                             .burst = 1,
                             .outreach = std::string(kOpenAllDay) + staff_yaml() +
                                         "approval: {urgent_needs_second_person: false}\n"
                                         "urgent: {rate_share: 0.5}\n"});
  constexpr int kBulk = 600;
  constexpr int kUrgent = 120;
  write_campaign_files(p, kBulk);
  write_urgent_campaign(p, kUrgent);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto a = p.start({"serve"}, "serve-a.log");
  auto b = p.start({"serve"}, "serve-b.log");
  REQUIRE(wait_for_condition([&] { return accepted(p) >= 40; }, std::chrono::seconds(60)));
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "alert.yaml").string()}, nullptr, as(kAna)) == 0);
  REQUIRE(wait_for_condition([&] { return meta(redis, "it-alert", "status") == "done"; }, std::chrono::seconds(60)));
  CHECK(kBulk - field(stats_of(redis, "it-invite"), "sent") > 100);  // the alert did not wait for the backlog
  const auto sent = p.sim_messages();
  std::string order;
  for (const auto& m : sent) order += is_urgent(m) ? 'U' : 'b';
  INFO("the provider got, in order (U urgent, b bulk): " << order);
  const auto [urgent, bulk_between] = urgent_and_bulk_between(sent);
  CHECK(urgent == kUrgent);
  // At half the limit each, about kUrgent bulk messages go meanwhile; well
  // above the few held at the start, and never more than the limit allows.
  CHECK(bulk_between >= kUrgent / 2);
  CHECK(bulk_between <= kUrgent + 40);
  for (auto* serve : {a.get(), b.get()}) serve->signal(SIGTERM);
  CHECK(a->wait(std::chrono::seconds(30)) == 0);
  CHECK(b->wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("messages not sent by valid_until are dropped and counted as expired", "[outreach]") {
  Pipeline p(PipelineOptions{.per_second = 10, .burst = 1});
  constexpr int kSubscribers = 60;
  write_campaign_files(p, kSubscribers);
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  const auto until = std::chrono::system_clock::now() + std::chrono::seconds(3);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(until.time_since_epoch()).count();
  const std::time_t t = secs;
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  write_campaign(p, "it-reminder", "fresno", std::string("valid_until: ") + stamp + "\n");
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "it-reminder.yaml").string()}) == 0);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return meta(redis, "it-reminder", "status") == "done"; }, std::chrono::seconds(60)));
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
  const auto s = stats_of(redis, "it-reminder");
  CHECK(field(s, "skipped_expired") > 0);
  CHECK(field(s, "sent") > 0);
  CHECK(field(s, "sent") + field(s, "skipped_expired") == kSubscribers);
  CHECK(static_cast<long long>(p.sim_messages().size()) == field(s, "sent"));
}

TEST_CASE("outside quiet hours in the subscriber's zone messages wait, neither sent nor dropped", "[outreach]") {
  // A window that excludes the present hour in Fresno (area code 559).
  const auto now = schedule::to_local(std::chrono::system_clock::now(), "America/Los_Angeles");
  const std::string window =
      now.hour < 12 ? "{start: \"13:00\", end: \"14:00\"}" : "{start: \"01:00\", end: \"02:00\"}";
  Pipeline p(PipelineOptions{.outreach = "quiet_hours: " + window + "\n"});
  constexpr int kSubscribers = 12;
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition(
      [&] {
        return redis.command({"ZCARD", "it:{c:it-invite}:deferred"}).as_integer() == kSubscribers;
      },
      std::chrono::seconds(30)));
  CHECK(p.sim_messages().empty());
  std::string out;
  REQUIRE(p.run({"campaign", "status", "it-invite"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("waiting      12 now (set aside 12 times for quiet hours"));
  CHECK_THAT(out, Catch::Contains("remaining    12"));
  // Each waits for the window's next start, Fresno time.
  const auto due = redis.command({"ZRANGE", "it:{c:it-invite}:deferred", "0", "0", "WITHSCORES"}).as_array();
  REQUIRE(due.size() == 2);
  const auto opens = schedule::to_local(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(std::stoll(due[1].as_string()))),
      "America/Los_Angeles");
  CHECK(opens.hour == (now.hour < 12 ? 13 : 1));
  CHECK(opens.minute == 0);
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("preview shows when each time zone's part goes out, after quiet hours", "[outreach]") {
  // A one-hour window six hours from now in Los Angeles: closed now there
  // and in New York (three hours ahead), whatever the hour the test runs.
  const auto now = schedule::to_local(std::chrono::system_clock::now(), "America/Los_Angeles");
  const int start = (now.hour + 6) % 24;
  const auto hh = [](int h) { return (h < 10 ? "0" : "") + std::to_string(h) + ":00"; };
  const std::string opens = hh(start);
  Pipeline p(PipelineOptions{.outreach = "quiet_hours: {start: \"" + opens + "\", end: \"" + hh(start + 1) + "\"}\n"});
  write_campaign_files(p, 0);
  p.dir().write("subscribers.csv",
                "phone,language,tags,time_zone\n+15595550161,es,fresno,\n+15595550162,en,fresno,\n"
                "+15595550163,es,fresno,America/New_York\n");
  import_and_submit(p);  // nobody is sent anything: preview reads the same audience
  std::string out;
  REQUIRE(p.run({"campaign", "preview", (p.dir().path() / "campaign.yaml").string(), "--json"}, &out) == 0);
  const auto times = nlohmann::json::parse(out).at("send_times");
  REQUIRE(times.size() == 2);
  // Most subscribers first: the two without a zone of their own are at the organization's.
  CHECK(times[0].at("time_zone") == "America/Los_Angeles");
  CHECK(times[0].at("subscribers") == 2);
  CHECK(times[1].at("time_zone") == "America/New_York");
  CHECK(times[1].at("subscribers") == 1);
  for (const auto& t : times) {
    CHECK(t.at("waits_for_quiet_hours") == true);
    CHECK_THAT(t.at("first_send_local").get<std::string>(), Catch::EndsWith(opens));
  }
  REQUIRE(p.run({"campaign", "preview", (p.dir().path() / "campaign.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("when each time zone's part goes out"));
  CHECK_THAT(out, Catch::Contains("America/New_York") && Catch::Contains("(after quiet hours)"));
}

TEST_CASE("validate, preview and submit warn when the same subscribers get another campaign that day", "[outreach]") {
  Pipeline p;
  write_campaign_files(p, 3);
  import_and_submit(p);  // it-invite, to all three, today
  write_campaign(p, "it-second", "fresno");
  std::string out;
  REQUIRE(p.run({"campaign", "validate", (p.dir().path() / "it-second.yaml").string()}, &out) == 0);
  CHECK_THAT(out,
             Catch::Contains("it-second.yaml:1:5: warning: 3 of these subscribers also get campaign 'it-invite' on "));
  REQUIRE(p.run({"campaign", "validate", "--offline", (p.dir().path() / "it-second.yaml").string()}, &out) == 0);
  CHECK_THAT(out, !Catch::Contains("also get campaign"));
  REQUIRE(p.run({"campaign", "preview", (p.dir().path() / "it-second.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("warning: 3 of these subscribers also get campaign 'it-invite' on "));
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "it-second.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("warning: 3 of these subscribers also get campaign 'it-invite' on "));
  // A campaign for two days later shares no day with them.
  const auto later = std::chrono::system_clock::now() + std::chrono::hours(48);
  const std::time_t t = std::chrono::system_clock::to_time_t(later);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  write_campaign(p, "it-later", "fresno", std::string("send_at: ") + stamp + "\n");
  REQUIRE(p.run({"campaign", "preview", (p.dir().path() / "it-later.yaml").string()}, &out) == 0);
  CHECK_THAT(out, !Catch::Contains("also get campaign"));
  // Without Redis, validate still checks the file and says what it skipped.
  p.redis_server().stop();
  REQUIRE(p.run({"campaign", "validate", (p.dir().path() / "it-second.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("OK: campaign 'it-second'"));
  CHECK_THAT(out, Catch::Contains("note: other campaigns on the same day not checked"));
}
