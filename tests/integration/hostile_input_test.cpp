// Hostile input through the real binary (issue 9, point 6): every command
// finishes, refuses what it cannot store with a short, masked message, and
// leaves Redis without garbage.
#include <catch2/catch.hpp>
#include <fstream>

#include "integration/pipeline_fixture.h"
#include "store/redis_client.h"

using namespace broadcaster;
using testing::Pipeline;

namespace {

// Every key name in Redis, read with SCAN.
std::vector<std::string> all_keys(Pipeline& p) {
  store::RedisClient redis(p.redis_server().endpoint());
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    const auto reply = redis.command({"SCAN", cursor, "COUNT", "1000"}).as_array();
    cursor = reply[0].as_string();
    for (const auto& key : reply[1].as_array()) keys.push_back(key.as_string());
  } while (cursor != "0");
  return keys;
}

}  // namespace

TEST_CASE("import: an unclosed quote and a 50 MB line cost their rows only, and nothing huge is stored") {
  Pipeline p;
  const auto csv = p.dir().path() / "hostile.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "phone,language,tags\n+15595550141,es,fresno\n+15595550142,es,";
    const std::string chunk(1024 * 1024, 't');
    for (int i = 0; i < 50; ++i) out << chunk;  // a 50 MB tag on line 3
    out << "\n+15595550143,en,tulare\n\"+15595550144,es,kern\n+15595550145,en,madera\n";
  }
  std::string out;
  CHECK(p.run({"subscribers", "import", csv.string(), "--json"}, &out) == 3);
  INFO(out.substr(0, 2000));
  CHECK(out.size() < 4000);
  CHECK_THAT(out,
             Catch::Contains("hostile.csv:3: the line is 52428800") || Catch::Contains("hostile.csv:3: the line is"));
  CHECK_THAT(out, Catch::Contains("hostile.csv:5: the quoted field opened at line 5, column 1 is not closed"));
  CHECK_THAT(out, Catch::Contains("\"added\": 3"));
  CHECK_THAT(out, Catch::Contains("\"rejected\": 2"));
  for (const auto& key : all_keys(p)) {
    CHECK(key.size() < 200);
  }
}

TEST_CASE("add: a 64 KB number, a bad tag or a bad language is refused at once with a short message") {
  Pipeline p;
  struct Case {
    const char* label;
    std::vector<std::string> args;
    const char* expected;
  };
  const Case cases[] = {
      {"64 KB number", {"+1" + std::string(64 * 1024, '5'), "--lang", "es"}, "too long to be a phone number"},
      {"tag not UTF-8", {"+15595550142", "--lang", "es", "--tag", "fres\xFFno"}, "invalid UTF-8 at byte offset 4"},
      {"50 KB tag", {"+15595550142", "--lang", "es", "--tag", std::string(50 * 1024, 't')}, "a tag has at most 64"},
      {"tag with a comma", {"+15595550142", "--lang", "es", "--tag", "a,b"}, "holds a ','"},
      {"long language", {"+15595550142", "--lang", std::string(10000, 'e')}, "is not a language code"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      std::vector<std::string> args{"subscribers", "add"};
      args.insert(args.end(), c.args.begin(), c.args.end());
      std::string out;
      CHECK(p.run(args, &out) != 0);
      CHECK_THAT(out, Catch::Contains(c.expected));
      CHECK(out.size() < 400);
      CHECK_THAT(out, !Catch::Contains("5555555555"));
    }
  }
  for (const auto& key : all_keys(p)) CHECK(key.find("sub:+1555") == std::string::npos);
}

TEST_CASE("campaign validate: a template nested too deep is an error at its position, not a crash") {
  Pipeline p;
  std::string pattern;
  for (int i = 0; i < 2500; ++i) pattern += "{g,select,a{x}other{";
  for (int i = 0; i < 2500; ++i) pattern += "}}";
  p.dir().write("templates/nested/en.txt", pattern);
  const auto campaign =
      p.dir().write("c.yaml", "id: c1\ntemplate: nested\nchannel: sms\naudience: {}\nvariables: {g: a}\n");
  std::string out;
  CHECK(p.run({"campaign", "validate", campaign.string()}, &out) != 0);
  INFO(out.substr(0, 2000));
  CHECK_THAT(out, Catch::Contains("templates/nested/en.txt:1:") && Catch::Contains("nested more than 16 deep here"));
  CHECK(out.size() < 1000);
}
