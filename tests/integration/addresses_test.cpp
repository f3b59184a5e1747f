// Subscribers known by a phone number, an email address and a Telegram chat,
// through the real binary: one campaign on the Twilio SMS channel and one on
// a console channel. Counts what reached the provider and the console: each
// address gets its message where its channel reaches it, and nowhere else.
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "campaign_checks.h"
#include "pipeline_fixture.h"
#include "support/temp_dir.h"

using namespace broadcaster;
using namespace broadcaster::testing;

TEST_CASE("each kind of address gets its message on a channel that reaches it, and no other reaches the provider") {
  TempDir out_dir;
  const std::string dry_file = (out_dir.path() / "dry.jsonl").string();
  PipelineOptions o;
  o.extra_channels = "  dry:\n    type: console\n    path: " + dry_file + "\n";
  Pipeline p(o);
  for (const std::vector<std::string>& add : {std::vector<std::string>{"+1 559 555 0153", "es"},
                                             {"Ana@Example.org", "es"},
                                             {"telegram:123456789", "en"}}) {
    std::string out;
    const int status = p.run({"subscribers", "add", add[0], "--lang", add[1], "--tag", "fresno"}, &out);
    INFO(out);
    REQUIRE(status == 0);
  }
  p.dir().write("templates/invite/en.txt", "Free workshop in Fresno.\n");
  p.dir().write("templates/invite/es.txt", "Taller gratuito en Fresno.\n");
  for (const std::string& channel : {std::string("sms"), std::string("dry")}) {
    p.dir().write("it-" + channel + ".yaml", "id: it-" + channel + "\ntemplate: invite\nchannel: " + channel +
                                                 "\naudience: {tags: [fresno]}\nfooter: never\n");
    std::string out;
    const int status = p.run({"campaign", "submit", (p.dir().path() / ("it-" + channel + ".yaml")).string()}, &out);
    INFO(out);
    REQUIRE(status == 0);
  }

  auto serve = p.start({"serve"}, "serve.log");
  store::RedisClient redis(p.redis_server().endpoint());
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, "it-sms") && campaign_done(redis, "it-dry"); },
                             std::chrono::seconds(60)));
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);

  // The SMS provider got the phone number only; the other two were counted.
  CHECK(received_per_number(p) == std::map<std::string, int>{{"+15595550153", 1}});
  const auto sms = stats_of(redis, "it-sms");
  CHECK(field(sms, "queued") == 1);
  CHECK(field(sms, "sent") == 1);
  CHECK(field(sms, "skipped_unreachable") == 2);

  // The console reached all three, each once, in their own language.
  std::ifstream in(dry_file);
  std::map<std::string, std::string> body_to;
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    ++lines;
    const auto j = nlohmann::json::parse(line);
    body_to[j.at("to").get<std::string>()] = j.at("body").get<std::string>();
  }
  CHECK(lines == 3);
  CHECK(body_to == std::map<std::string, std::string>{{"+15595550153", "Taller gratuito en Fresno."},
                                                      {"email:ana@example.org", "Taller gratuito en Fresno."},
                                                      {"telegram:123456789", "Free workshop in Fresno."}});
  const auto dry = stats_of(redis, "it-dry");
  CHECK(field(dry, "sent") == 3);
  CHECK(field(dry, "skipped_unreachable") == 0);
  // `messages` lists them masked, whatever their kind.
  std::string listed;
  REQUIRE(p.run({"messages", "--campaign", "it-dry", "--json"}, &listed) == 0);
  std::set<std::string> masked;
  for (const auto& m : nlohmann::json::parse(listed.substr(listed.find('[')))) masked.insert(m.at("number"));
  CHECK(masked == std::set<std::string>{"+1559\u2022\u2022\u20220153", "a\u2022\u2022\u2022@e\u2022\u2022\u2022.org",
                                        "telegram:\u2022\u2022\u202289"});
  // Nothing in serve's log names an address whole.
  CHECK(serve->output().find("ana@example.org") == std::string::npos);
  CHECK(serve->output().find("123456789") == std::string::npos);
}
