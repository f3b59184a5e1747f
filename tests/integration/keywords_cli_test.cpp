// Staff checking how texts are read, with the real binary: `keywords
// explain` on the configured keywords file, `keywords eval` on the shipped
// corpus and on a corpus with a miss, and `inbox --review` after real
// webhook texts through `serve`.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "integration/pipeline_fixture.h"
#include "store/inbox.h"
#include "store/redis_client.h"

using namespace broadcaster;
using testing::Pipeline;
using testing::PipelineOptions;

namespace {

nlohmann::json json_of(const std::string& out) {
  const auto start = out.find_first_of("{[");
  REQUIRE(start != std::string::npos);
  return nlohmann::json::parse(out.substr(start));
}

}  // namespace

TEST_CASE("keywords explain shows why a text is or is not a STOP, from the configured keywords file") {
  PipelineOptions options;
  options.inbound = true;  // the configuration names config/keywords.yaml
  Pipeline p(options);
  std::string out;
  REQUIRE(p.run({"keywords", "explain", "STOP. Thanks, Luis"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("set aside:   trailing name: Luis"));
  CHECK_THAT(out, Catch::Contains("rule:        opt-out keyword ('stop')"));
  CHECK_THAT(out, Catch::Contains("action:      opt_out"));
  CHECK_THAT(out, Catch::Contains("confidence:  certain"));

  REQUIRE(p.run({"keywords", "explain", "don't stop texting me about the clinics", "--json"}, &out) == 0);
  auto j = json_of(out);
  CHECK(j["decision"]["action"] == "none");
  REQUIRE(j["notes"].size() == 1);
  CHECK_THAT(j["notes"][0].get<std::string>(), Catch::Contains("follows the negation 'don't'"));

  REQUIRE(p.run({"keywords", "explain", "unsubscirbe", "--json"}, &out) == 0);
  j = json_of(out);
  CHECK(j["decision"]["action"] == "opt_out");
  CHECK(j["decision"]["confidence"] == "probable");
  CHECK(j["decision"]["needs_review"] == true);

  REQUIRE(p.run({"keywords", "explain", "stop sending me messages in Spanish, English please", "--json"}, &out) == 0);
  j = json_of(out);
  CHECK(j["decision"]["action"] == "language");
  CHECK(j["decision"]["switch_to"] == "en");

  REQUIRE(p.run({"keywords", "explain", "--help"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("--lang"));
}

TEST_CASE("keywords eval scores the shipped corpus and fails on a missed opt-out") {
  Pipeline p;
  const std::string keywords = BC_SOURCE_DIR "/config/keywords.yaml";
  std::string out;
  REQUIRE(p.run({"keywords", "eval", BC_SOURCE_DIR "/tests/keywords/corpus", "--keywords", keywords, "--json",
                 "--repeat", "2"},
                &out) == 0);
  const auto j = json_of(out);
  CHECK(j["total"]["rows"].get<int>() >= 400);
  CHECK(j["total"]["recall"] == 1.0);
  CHECK(j["languages"].size() == 10);
  CHECK(j["misses"].empty());
  CHECK(j["microseconds_per_text"].get<double>() > 0);

  // A corpus row the engine gets wrong: named with file:line, exit 1.
  std::filesystem::create_directories(p.dir().path() / "corpus");
  std::ofstream(p.dir().path() / "corpus" / "en.jsonl")
      << "{\"text\": \"STOP\", \"lang\": \"en\", \"expect\": \"stop\", \"note\": \"plain\"}\n"
      << "{\"text\": \"what time is the workshop?\", \"lang\": \"en\", \"expect\": \"stop\", \"note\": "
         "\"mislabelled\"}\n";
  REQUIRE(p.run({"keywords", "eval", (p.dir().path() / "corpus").string(), "--keywords", keywords}, &out) == 1);
  CHECK_THAT(out, Catch::Contains("en.jsonl:2: missed opt-out: [stop] what time is the workshop?"));
  CHECK_THAT(out, Catch::Contains("1 missed or false opt-outs"));
}

TEST_CASE("inbox --review lists the texts the keyword engine was not sure about, and why") {
  PipelineOptions options;
  options.inbound = true;
  Pipeline p(options);
  store::RedisClient redis(p.redis_server().endpoint());
  store::Inbox inbox(redis, store::Keys("it:"));
  REQUIRE(inbox.add({"", "", "+15595550171", "s1", "what time is it?", "twilio", "SM1"}, std::chrono::hours(1)));
  REQUIRE(inbox.add({"", "", "+15595550172", "s2", "stopp", "twilio", "SM2",
                     "probable opt_out: one letter away from the opt-out keyword 'stop' ('stop'); opted_out"},
                    std::chrono::hours(1)));
  std::string out;
  REQUIRE(p.run({"inbox", "--review"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("stopp"));
  CHECK_THAT(out, Catch::Contains("review: probable opt_out"));
  CHECK_THAT(out, !Catch::Contains("what time is it?"));
  REQUIRE(p.run({"inbox", "--json"}, &out) == 0);
  const auto j = json_of(out);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["review"].is_null());
  CHECK_THAT(j[1]["review"].get<std::string>(), Catch::Contains("opted_out"));
}
