// Staff managing subscribers with the real binary: add, show, remove,
// forget (also from queued campaigns), export, history and the consent
// export, against a real Redis.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "integration/pipeline_fixture.h"
#include "store/inbox.h"
#include "store/redis_client.h"
#include "support/redis_contents.h"

using namespace broadcaster;
using testing::Pipeline;

namespace {

nlohmann::json run_json(Pipeline& p, std::vector<std::string> args, int expected_status = 0) {
  std::string out;
  args.push_back("--json");
  const int status = p.run(args, &out);
  INFO(out);
  REQUIRE(status == expected_status);
  // Logs go to stderr, which Process merges: the JSON starts at the first '{' or '['.
  const auto start = out.find_first_of("{[");
  REQUIRE(start != std::string::npos);
  return nlohmann::json::parse(out.substr(start));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("staff add, look up, change and remove a subscriber; the consent log shows each step") {
  Pipeline p;
  auto shown = run_json(p, {"subscribers", "add", "(559) 555-0142", "--lang", "ES", "--tag", "Fresno"});
  CHECK(shown["result"] == "added");
  CHECK(shown["phone"] == "+15595550142");

  shown = run_json(p, {"subscribers", "show", "+1 559 555 0142"});
  CHECK(shown["status"] == "active");
  CHECK(shown["language"] == "es");
  CHECK(shown["tags"] == nlohmann::json::array({"fresno"}));
  CHECK(shown["consent_source"] == "staff");
  CHECK_FALSE(shown["consent_at"].get<std::string>().empty());
  CHECK(shown["stopped_at"].is_null());

  CHECK(run_json(p, {"subscribers", "add", "+15595550142", "--lang", "en"})["result"] == "updated");
  CHECK(run_json(p, {"subscribers", "remove", "+15595550142"})["newly_opted_out"] == true);
  shown = run_json(p, {"subscribers", "show", "+15595550142"});
  CHECK(shown["status"] == "stopped");
  CHECK(shown["stop_reason"] == "removed by staff");
  // Staff cannot bring an opted-out number back.
  CHECK(run_json(p, {"subscribers", "add", "+15595550142", "--lang", "es"}, 3)["result"] == "opted_out");

  const auto history = run_json(p, {"subscribers", "history", "+15595550142"});
  REQUIRE(history.size() == 3);
  CHECK(history[0]["action"] == "opt_in");
  CHECK(history[1]["action"] == "update");
  CHECK(history[2]["action"] == "opt_out");
  for (const auto& e : history) {
    CHECK(e["source"] == "staff");
    CHECK(e["phone"] == "+15595550142");
  }
  // An unknown number is reported as such, with its own exit status.
  std::string out;
  CHECK(p.run({"subscribers", "show", "+15595550199"}, &out) == 4);
  CHECK(out.find("not a subscriber") != std::string::npos);
  CHECK(p.run({"subscribers", "show", "not-a-number"}, &out) != 0);
}

TEST_CASE("staff set a subscriber's own time zone; show says which zone applies and why") {
  Pipeline p;
  REQUIRE(run_json(p, {"subscribers", "add", "+15595550143", "--lang", "es"})["result"] == "added");
  auto shown = run_json(p, {"subscribers", "show", "+15595550143"});
  // No area-code table in this test's config folder: the organization's zone.
  CHECK(shown["time_zone"] == "America/Los_Angeles");
  CHECK(shown["time_zone_from"] == "area code or organization");
  REQUIRE(run_json(p, {"subscribers", "add", "+15595550143", "--lang", "es", "--time-zone", "America/Chicago"})["result"] ==
          "updated");
  shown = run_json(p, {"subscribers", "show", "+15595550143"});
  CHECK(shown["time_zone"] == "America/Chicago");
  CHECK(shown["time_zone_from"] == "subscriber");
  std::string out;
  CHECK(p.run({"subscribers", "add", "+15595550143", "--lang", "es", "--time-zone", "Central"}, &out) != 0);
  CHECK_THAT(out, Catch::Contains("--time-zone 'Central' is not a time zone"));
  // An import names a bad zone at its line, and takes the good rows.
  p.dir().write("z.csv", "phone,language,time_zone\n+15595550144,en,America/Denver\n+15595550145,en,Mountain\n");
  CHECK(p.run({"subscribers", "import", (p.dir().path() / "z.csv").string()}, &out) == 3);
  CHECK_THAT(out, Catch::Contains("z.csv:3: time_zone 'Mountain' is not a time zone"));
  CHECK(run_json(p, {"subscribers", "show", "+15595550144"})["time_zone"] == "America/Denver");
}

TEST_CASE("remove --forget erases the number but keeps it opted out against import") {
  Pipeline p;
  run_json(p, {"subscribers", "add", "+15595550143", "--lang", "es", "--tag", "fresno"});
  const auto erased = run_json(p, {"subscribers", "remove", "+15595550143", "--forget"});
  CHECK(erased["erased"] == true);
  CHECK(erased["consent_entries_scrubbed"] == 2);  // the opt-in and the opt-out
  CHECK(erased["phone"].get<std::string>().find("5550143") == std::string::npos);

  const auto shown = run_json(p, {"subscribers", "show", "+15595550143"});
  CHECK(shown["stored"] == false);
  CHECK(shown["opted_out"] == true);
  for (const auto& e : run_json(p, {"subscribers", "history", "+15595550143"})) {
    CHECK(e["phone"].is_null());
    CHECK(e["text"].is_null());
  }

  p.dir().write("back.csv", "phone,language,tags\n+15595550143,es,fresno\n+15595550144,en,\n");
  std::string out;
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "back.csv").string(), "--json"}, &out) == 0);
  CHECK(out.find("\"opted_out_kept_stopped\": 1") != std::string::npos);
  CHECK(out.find("\"added\": 1") != std::string::npos);

  // The consent export holds no trace of the number.
  REQUIRE(p.run({"consent", "export", "--output", (p.dir().path() / "consent.csv").string()}) == 0);
  const std::string csv = p.dir().read("consent.csv");
  CHECK(csv.find("5550143") == std::string::npos);
  CHECK(csv.find("+15595550144") != std::string::npos);
  const auto rows = lines_of(csv);
  CHECK(rows.front() == "id,at,action,source,subject,phone,detail,text,provider_id,endpoint\r");
  // opt_in, opt_out, forget for the erased number; opt_in for the imported one.
  CHECK(std::count_if(rows.begin(), rows.end(), [](const std::string& r) { return !r.empty(); }) == 5);
}

TEST_CASE("remove --forget erases the number from every campaign's queue and outcomes; the counts stay") {
  Pipeline p;
  run_json(p, {"subscribers", "add", "+15595550150", "--lang", "es", "--tag", "fresno"});
  run_json(p, {"subscribers", "add", "+15595550151", "--lang", "es", "--tag", "fresno"});
  p.dir().write("templates/invite/es.txt", "Taller gratuito en Fresno. Responda ALTO para cancelar.\n");
  for (const std::string id : {"it-a", "it-b"}) {
    p.dir().write(id + ".yaml",
                  "id: " + id + "\ntemplate: invite\nchannel: sms\naudience: {languages: [es], tags: [fresno]}\n");
    std::string submitted;
    const int status = p.run({"campaign", "submit", (p.dir().path() / (id + ".yaml")).string()}, &submitted);
    INFO(submitted);
    REQUIRE(status == 0);
  }

  std::string out;
  REQUIRE(p.run({"subscribers", "remove", "+15595550150", "--forget"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("2 queued messages deleted from 2 campaigns"));
  CHECK(out.find("5595550150") == std::string::npos);
  const auto again = run_json(p, {"subscribers", "remove", "+15595550150", "--forget"});
  CHECK(again["campaigns_erased"] == 0);
  CHECK(again["campaign_messages_deleted"] == 0);

  const auto stats = run_json(p, {"stats"});
  REQUIRE(stats.size() == 2);
  for (const auto& s : stats) {
    CHECK(s["queued"] == 2);
    CHECK(s["erased"] == 1);
    CHECK(s["skipped_erased"] == 1);
    CHECK(s["remaining"] == 1);
    CHECK(s["purge_at"].is_null());  // still sending
  }
  REQUIRE(p.run({"campaign", "status", "it-a"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("erased       1 on request (1 before sending)"));

  // Nothing in Redis holds the number: subscriber data, consent log, campaigns.
  store::RedisClient redis(p.redis_server().endpoint());
  CHECK(testing::places_holding(redis, "5595550150").empty());
  CHECK_FALSE(testing::places_holding(redis, "5595550151").empty());
}

TEST_CASE("subscribers export writes CSV that import reads back") {
  Pipeline p;
  run_json(p, {"subscribers", "add", "+15595550145", "--lang", "hmn", "--tag", "fresno", "--tag", "daca",
               "--consent-source", "paper form, Fresno clinic"});
  run_json(p, {"subscribers", "add", "+15595550146", "--lang", "zh"});
  run_json(p, {"subscribers", "remove", "+15595550146"});
  const std::string file = (p.dir().path() / "subs.csv").string();
  REQUIRE(p.run({"subscribers", "export", "--output", file, "--status", "active"}) == 0);
  const std::string csv = p.dir().read("subs.csv");
  CHECK(csv.find("phone,language,tags,consent_source,consent_at,status\r\n") == 0);
  CHECK(csv.find("+15595550145,hmn,daca;fresno,\"paper form, Fresno clinic\",") != std::string::npos);
  CHECK(csv.find("+15595550146") == std::string::npos);

  // Into a fresh installation: same subscriber, same consent source.
  Pipeline q;
  std::string out;
  REQUIRE(q.run({"subscribers", "import", file}, &out) == 0);
  const auto shown = run_json(q, {"subscribers", "show", "+15595550145"});
  CHECK(shown["language"] == "hmn");
  CHECK(shown["tags"] == nlohmann::json::array({"daca", "fresno"}));
  CHECK(shown["consent_source"] == "paper form, Fresno clinic");
}

TEST_CASE("the inbox shows beside each text whether the sender is subscribed, stopped or unknown, and their language") {
  Pipeline p;
  REQUIRE(p.run({"subscribers", "add", "+15595550161", "--lang", "es"}) == 0);
  REQUIRE(p.run({"subscribers", "add", "+15595550162", "--lang", "hmn"}) == 0);
  REQUIRE(p.run({"subscribers", "remove", "+15595550162"}) == 0);
  store::RedisClient redis(p.redis_server().endpoint());
  store::Inbox inbox(redis, store::Keys("it:"));
  const std::vector<std::pair<std::string, std::string>> texts{{"+15595550161", "¿A qué hora empieza el taller?"},
                                                               {"+15595550162", "who is this?"},
                                                               {"+15595550163", "is this the legal clinic?"}};
  int n = 0;
  for (const auto& [phone, text] : texts) {
    REQUIRE(inbox.add({"", "", phone, "subject-" + std::to_string(n), text, "twilio", "SM" + std::to_string(n)},
                      std::chrono::hours(1)));
    ++n;
  }
  const auto j = run_json(p, {"inbox"});
  REQUIRE(j.size() == 3);
  CHECK(j[0].at("sender_status") == "active");
  CHECK(j[0].at("language") == "es");
  CHECK(j[1].at("sender_status") == "stopped");
  CHECK(j[2].at("sender_status") == "unknown");
  CHECK(j[2].at("language").is_null());

  std::string out;
  REQUIRE(p.run({"inbox"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("+15595550161  [active, es]  ¿A qué hora empieza el taller?"));
  CHECK_THAT(out, Catch::Contains("[stopped, hmn]  who is this?"));
  CHECK_THAT(out, Catch::Contains("[unknown]  is this the legal clinic?"));
}

TEST_CASE("a subscriber known by an email address is added, kept off an SMS campaign with a count, and erased") {
  Pipeline p;
  auto shown = run_json(p, {"subscribers", "add", "Ana.Garcia@Example.org", "--lang", "es", "--tag", "fresno"});
  CHECK(shown["result"] == "added");
  run_json(p, {"subscribers", "add", "+15595550152", "--lang", "es", "--tag", "fresno"});
  shown = run_json(p, {"subscribers", "show", "ana.garcia@example.org"});
  CHECK(shown["kind"] == "email");
  CHECK(shown["status"] == "active");
  CHECK(shown["language"] == "es");
  // Not a phone number: no area code, the organization's zone.
  CHECK(shown["time_zone"] == "America/Los_Angeles");
  std::string out;
  CHECK(p.run({"subscribers", "show", "ana@localhost"}, &out) != 0);
  CHECK_THAT(out, Catch::Contains("not an email address") && Catch::Contains("top-level domain"));
  CHECK(out.find("ana@localhost") == std::string::npos);

  // The pipeline's channel is Twilio's SMS: the phone number is queued, the
  // mailbox counted as unreachable, in submit's answer and in stats.
  p.dir().write("templates/invite/es.txt", "Taller gratuito en Fresno. Responda ALTO para cancelar.\n");
  p.dir().write("it-a.yaml", "id: it-a\ntemplate: invite\nchannel: sms\naudience: {languages: [es], tags: [fresno]}\n");
  const auto preview = run_json(p, {"campaign", "preview", (p.dir().path() / "it-a.yaml").string()});
  CHECK(preview["subscribers"] == 1);
  CHECK(preview["skipped_unreachable"] == 1);
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "it-a.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("1 messages queued") &&
                      Catch::Contains("1 subscribers skipped: channel 'sms' cannot reach their kind of address"));
  const auto stats = run_json(p, {"stats"});
  REQUIRE(stats.size() == 1);
  CHECK(stats[0]["queued"] == 1);
  CHECK(stats[0]["skipped_unreachable"] == 1);

  // Erased on request like a number: nowhere in Redis, still opted out.
  REQUIRE(p.run({"subscribers", "remove", "ana.garcia@example.org", "--forget"}, &out) == 0);
  CHECK(out.find("ana.garcia") == std::string::npos);
  store::RedisClient redis(p.redis_server().endpoint());
  CHECK(testing::places_holding(redis, "ana.garcia").empty());
  CHECK(run_json(p, {"subscribers", "show", "ana.garcia@example.org"})["opted_out"] == true);
}
