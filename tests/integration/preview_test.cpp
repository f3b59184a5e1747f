// Issue 5 end to end, with the real `broadcaster` executable: validate
// (typed dates, segment limits), preview (counts, samples, cost, Redis
// down), then submit and serve, checking what the provider receives:
// dates at the event's local time in each language, smart-encoded text,
// and the opt-out footer for the subscriber who joined by keyword. Then the
// same checks on a plain-text (console) channel: characters, no segments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <map>

#include "pipeline_fixture.h"
#include "store/footer_due.h"

using namespace broadcaster;
using broadcaster::testing::Pipeline;
using broadcaster::testing::Process;
using broadcaster::testing::wait_for_condition;
using nlohmann::json;

namespace {

// Templates, footers and a campaign with a typed date, a plural and the
// default footer policy (after_join).
void write_files(Pipeline& p) {
  p.dir().write("templates/invite/en.txt",
                "Free DACA workshop {when, date, ::EEEEMMMMd}, {when, time, short}, at {place}. "
                "{seats, plural, one {# seat left} other {# seats left}}.\n");
  p.dir().write("templates/invite/es.txt",
                "Taller gratuito de DACA el {when, date, ::EEEEdMMMM}, {when, time, short}, en {place}. "
                "{seats, plural, one {Queda # lugar} other {Quedan # lugares}}.\n");
  p.dir().write("templates/invite/zh.txt",
                "免费DACA讲座：{when, date, ::MMMMdEEEE}{when, time, short}，地点：{place}。还剩{seats}个名额。\n");
  p.dir().write("templates/footer/en.txt", "Reply STOP to cancel\n");
  p.dir().write("templates/footer/es.txt", "Responde ALTO para cancelar\n");
  p.dir().write("templates/footer/zh.txt", "回复 退订 取消\n");
  p.dir().write("campaign.yaml",
                "id: it-preview\ntemplate: invite\nchannel: sms\naudience:\n  languages: [en, es, zh]\n"
                "time_zone: America/Los_Angeles\nsmart_encoding: true\nvariables:\n  place: Fresno Library\n"
                "  when: {datetime: \"2026-12-05T10:00\"}\n  seats: {number: 40}\n");
  p.dir().write("subscribers.csv",
                "phone,language,tags\n+15595550101,en,fresno\n+15595550102,en,fresno\n+15595550103,es,fresno\n"
                "+15595550104,es,fresno\n+15595550105,es,fresno\n+15595550106,zh,fresno\n");
}

// Adds a price for the fixture's channel: its config is generated, so the
// keys are inserted after the channel's max_in_flight line.
void add_price(Pipeline& p) {
  std::ifstream in(p.config_path());
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = yaml.find('\n', yaml.find("    max_in_flight:"));
  REQUIRE(at != std::string::npos);
  yaml.insert(at + 1, "    price_per_segment: 0.01\n");
  yaml += "currency: USD\n";
  p.dir().write("config/broadcaster.yaml", yaml);
}

// Adds a console channel `dry` (plain text) to the fixture's generated
// config, "  dry: {type: console<options>}" first under channels:; returns
// the line it is on.
int add_console_channel(Pipeline& p, const std::string& options) {
  std::ifstream in(p.config_path());
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = yaml.find("channels:\n");
  REQUIRE(at != std::string::npos);
  const auto line = std::count(yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 2;
  yaml.insert(at + 10, "  dry: {type: console" + options + "}\n");
  p.dir().write("config/broadcaster.yaml", yaml);
  return static_cast<int>(line);
}

const json& language_row(const json& preview, const std::string& language) {
  for (const auto& row : preview.at("languages")) {
    if (row.at("language") == language) return row;
  }
  FAIL("no row for " << language);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("validate reports typed-value and segment-limit problems with their files and exits 1") {
  Pipeline p;
  write_files(p);
  std::string out;
  REQUIRE(p.run({"campaign", "validate", (p.dir().path() / "campaign.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("en     1 segment (GSM-7, 84 characters), 1 with the opt-out footer"));

  // The date given as text, where the templates format a date.
  p.dir().write("bad.yaml",
                "id: it-bad\ntemplate: invite\nchannel: sms\naudience: {languages: [es]}\n"
                "variables:\n  place: Fresno\n  when: Sat 12/5\n  seats: 40\n");
  REQUIRE(p.run({"campaign", "validate", (p.dir().path() / "bad.yaml").string()}, &out) == 1);
  CHECK_THAT(out, Catch::Contains("bad.yaml:7:3: error: " + (p.dir().path() / "templates/invite/es.txt").string() +
                                  " (language 'es'): {when} is used as a date or time ({when, date, ::EEEEdMMMM})"));

  // A place so long that Spanish needs 5 segments with its footer.
  p.dir().write("long.yaml",
                "id: it-long\ntemplate: invite\nchannel: sms\naudience: {languages: [es]}\n"
                "time_zone: America/Los_Angeles\nvariables:\n  place: " +
                    std::string(250, 'x') + "\n  when: {datetime: 2026-12-05T10:00}\n  seats: 40\n");
  REQUIRE(p.run({"campaign", "validate", (p.dir().path() / "long.yaml").string()}, &out) == 1);
  CHECK_THAT(out, Catch::Contains((p.dir().path() / "templates/invite/es.txt").string() +
                                  ": error: 'es' subscribers get 6 segments (UCS-2,") &&
                      Catch::Contains("more than channel 'sms' allows (max_segments: 4)"));
}

TEST_CASE("preview counts the audience per language, shows a masked sample and estimates the cost") {
  Pipeline p;
  write_files(p);
  add_price(p);
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  store::RedisClient redis(p.redis_server().endpoint());
  const store::Keys keys("it:");
  // +15595550103 joined by keyword: their next campaign message carries the footer.
  (void)redis.command({"HSET", keys.subscriber("+15595550103"), "footer_due", "1"});

  std::string out;
  REQUIRE(p.run({"campaign", "preview", (p.dir().path() / "campaign.yaml").string(), "--json"}, &out) == 0);
  const json preview = json::parse(out);
  CHECK(preview.at("subscribers") == 6);
  CHECK(preview.at("currency") == "USD");
  const json& en = language_row(preview, "en");
  CHECK(en.at("subscribers") == 2);
  CHECK(en.at("sample") == "+1559•••0101");
  CHECK(en.at("format_locale") == "en-US");
  // Smart encoding turned CLDR's narrow space before AM into a plain one: GSM-7.
  CHECK(en.at("sample_text").at("text") ==
        "Free DACA workshop Saturday, December 5, 10:00 AM, at Fresno Library. 40 seats left.");
  CHECK(en.at("sample_text").at("encoding") == "GSM-7");
  CHECK(en.at("total_segments") == 2);
  const json& es = language_row(preview, "es");
  CHECK(es.at("subscribers") == 3);
  CHECK(es.at("with_footer") == 1);
  CHECK(es.at("sample") == "+1559•••0103");
  CHECK(es.at("sample_text").at("text") ==
        "Taller gratuito de DACA el sábado, 5 de diciembre, 10:00\u202Fa.\u00A0m., en Fresno Library. "
        "Quedan 40 lugares.\nResponde ALTO para cancelar");
  CHECK(es.at("sample_text").at("encoding") == "UCS-2");
  // 101 units alone (2 segments), 129 with the footer (2 segments).
  CHECK(es.at("without_footer").at("segments") == 2);
  CHECK(es.at("with_footer_text").at("segments") == 2);
  CHECK(es.at("total_segments") == 6);
  const json& zh = language_row(preview, "zh");
  CHECK(zh.at("sample_text").at("text") == "免费DACA讲座：12月5日星期六10:00，地点：Fresno Library。还剩40个名额。");
  CHECK(zh.at("total_segments") == 1);
  CHECK(preview.at("total_segments") == 9);
  CHECK(preview.at("estimated_cost").get<double>() == Approx(0.09));
  // The full numbers never appear.
  CHECK_THAT(out, !Catch::Contains("+15595550101"));

  // The human-readable table says the same.
  REQUIRE(p.run({"campaign", "preview", (p.dir().path() / "campaign.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("total") && Catch::Contains("0.09 USD") &&
                      Catch::Contains("sample subscriber +1559•••0103, with the opt-out footer"));
}

TEST_CASE("preview says clearly when Redis is down, and --no-audience previews without it") {
  Pipeline p;
  write_files(p);
  testing::RefusingPort refusing;
  std::ifstream in(p.config_path());
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string port_line = "port: " + std::to_string(p.redis_server().port());
  yaml.replace(yaml.find(port_line), port_line.size(), "port: " + std::to_string(refusing.port()));
  p.dir().write("config/broadcaster.yaml", yaml);

  std::string out;
  CHECK(p.run({"campaign", "preview", (p.dir().path() / "campaign.yaml").string()}, &out) == 1);
  CHECK_THAT(out, Catch::Contains("cannot count the audience: cannot connect to Redis") &&
                      Catch::Contains("--no-audience"));
  REQUIRE(p.run({"campaign", "preview", (p.dir().path() / "campaign.yaml").string(), "--no-audience"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("Taller gratuito de DACA el sábado, 5 de diciembre"));
}

TEST_CASE("the provider receives localised, smart-encoded texts and the footer only for the keyword joiner") {
  Pipeline p;
  write_files(p);
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  store::RedisClient redis(p.redis_server().endpoint());
  const store::Keys keys("it:");
  (void)redis.command({"HSET", keys.subscriber("+15595550103"), "footer_due", "1"});

  std::string out;
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "campaign.yaml").string(), "--json"}, &out) == 0);
  CHECK(json::parse(out).at("with_footer") == 1);
  CHECK_FALSE(store::read_footer_due(redis, keys, {"+15595550103"}).front());

  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return p.sim_messages().size() == 6; }, std::chrono::seconds(60)));
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);

  std::map<std::string, std::string> body_of;
  for (const auto& m : p.sim_messages()) body_of[m.at("to").get<std::string>()] = m.at("body").get<std::string>();
  CHECK(body_of.at("+15595550101") ==
        "Free DACA workshop Saturday, December 5, 10:00 AM, at Fresno Library. 40 seats left.");
  CHECK(body_of.at("+15595550103") ==
        "Taller gratuito de DACA el sábado, 5 de diciembre, 10:00\u202Fa.\u00A0m., en Fresno Library. "
        "Quedan 40 lugares.\nResponde ALTO para cancelar");
  CHECK(body_of.at("+15595550104") ==
        "Taller gratuito de DACA el sábado, 5 de diciembre, 10:00\u202Fa.\u00A0m., en Fresno Library. "
        "Quedan 40 lugares.");
  CHECK(body_of.at("+15595550106") == "免费DACA讲座：12月5日星期六10:00，地点：Fresno Library。还剩40个名额。");
}

TEST_CASE("a text too long for SMS is refused on the twilio channel, and is plain text on the console channel") {
  Pipeline p;
  write_files(p);
  add_console_channel(p, "");
  // A place so long that English takes 5 UCS-2 segments (CLDR's U+202F before AM).
  const std::string campaign = "template: invite\naudience: {languages: [en]}\nfooter: never\n"
                               "time_zone: America/Los_Angeles\nvariables:\n  place: " +
                               std::string(250, 'x') + "\n  when: {datetime: 2026-12-05T10:00}\n  seats: 40\n";
  p.dir().write("on-sms.yaml", "id: it-sms\nchannel: sms\n" + campaign);
  p.dir().write("on-dry.yaml", "id: it-dry\nchannel: dry\n" + campaign);
  std::string out;
  CHECK(p.run({"campaign", "validate", "--offline", (p.dir().path() / "on-sms.yaml").string()}, &out) == 1);
  CHECK_THAT(out, Catch::Contains("'en' subscribers get 5 segments (UCS-2, 320 characters), more than channel 'sms' "
                                  "allows (max_segments: 4)"));

  REQUIRE(p.run({"campaign", "validate", "--offline", (p.dir().path() / "on-dry.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("OK: campaign 'it-dry', template 'invite', channel 'dry' (plain text)") &&
                      Catch::Contains("en     320 characters\n"));
  CHECK_THAT(out, !Catch::Contains("segment") && !Catch::Contains("UCS-2"));

  REQUIRE(p.run({"campaign", "preview", "--no-audience", "--json", (p.dir().path() / "on-dry.yaml").string()},
                &out) == 0);
  // After the console's "dry run" line (its log goes to stderr, which run() also captures).
  const json preview = json::parse(out.substr(out.find('{')));
  CHECK(preview.at("medium") == "text");
  CHECK(preview.at("max_characters").is_null());  // the console has no limit
  for (const char* sms_only : {"max_segments", "price_per_segment", "total_segments", "estimated_cost"}) {
    CHECK_FALSE(preview.contains(sms_only));
  }
  const json& en = language_row(preview, "en");
  CHECK_FALSE(en.contains("total_segments"));
  CHECK(en.at("sample_text").at("characters") == 320);
  CHECK_THAT(en.at("sample_text").at("text").get<std::string>(), Catch::Contains("10:00\u202FAM"));
  for (const char* sms_only : {"segments", "encoding", "code_units", "non_gsm_characters"}) {
    CHECK_FALSE(en.at("sample_text").contains(sms_only));
  }
  // The SMS channel's preview keeps its fields.
  REQUIRE(p.run({"campaign", "preview", "--no-audience", "--json", (p.dir().path() / "campaign.yaml").string()},
                &out) == 0);
  const json sms = json::parse(out);
  CHECK(sms.at("medium") == "sms");
  CHECK(sms.at("max_segments") == 4);
  CHECK(language_row(sms, "en").at("sample_text").at("segments") == 1);

  REQUIRE(p.run({"campaign", "preview", "--no-audience", (p.dir().path() / "on-dry.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("campaign 'it-dry' on channel 'dry': plain text (not SMS: no encoding, segments or "
                                  "cost), no character limit"));
  CHECK_THAT(out, Catch::Contains("every subscriber: 320 characters\n"));
}

TEST_CASE("segment settings on the console channel stop every command with their position") {
  Pipeline p;
  write_files(p);
  const int line = add_console_channel(p, ", max_segments: 2");
  std::string out;
  CHECK(p.run({"campaign", "validate", "--offline", (p.dir().path() / "campaign.yaml").string()}, &out) != 0);
  CHECK_THAT(out, Catch::Contains("broadcaster.yaml:" + std::to_string(line) +
                                  ":24: channel 'dry' (console) sends plain text, not SMS: 'max_segments' applies "
                                  "only to SMS channels"));
}
