// Campaign YAML parsing: what staff write, and the errors they get.
#include <catch2/catch.hpp>

#include "campaign/campaign.h"
#include "support/temp_dir.h"
#include "util/errors.h"

using broadcaster::ConfigError;
using broadcaster::campaign::parse_campaign_file;
using broadcaster::campaign::parse_iso8601;
using broadcaster::testing::TempDir;

TEST_CASE("a campaign file is read with positions for later checks") {
  TempDir dir;
  const auto file = dir.write("c.yaml", R"(id: daca-workshop-2026-12
description: DACA renewal clinic
template: workshop-invite
channel: sms
audience:
  languages: [es, en]
  tags: fresno
variables:
  place: Fresno Central Library
send_at: 2026-12-01T09:00:00-08:00
)");
  const auto c = parse_campaign_file(file);
  CHECK(c.id.value == "daca-workshop-2026-12");
  CHECK(c.template_name.value == "workshop-invite");
  CHECK(c.language_values() == std::vector<std::string>{"es", "en"});
  CHECK(c.tag_values() == std::vector<std::string>{"fresno"});
  CHECK(c.audience.languages[1].pos.line == 6);
  CHECK(c.audience.languages[1].pos.column == 19);
  CHECK(c.variables.at("place").as_text() == "Fresno Central Library");
  CHECK(c.footer.value == broadcaster::campaign::FooterPolicy::AfterJoin);
  CHECK_FALSE(c.smart_encoding);
  CHECK(c.time_zone.value.empty());
  REQUIRE(c.send_at);
  CHECK(*c.send_at == *parse_iso8601("2026-12-01T17:00:00Z"));
}

TEST_CASE("campaign mistakes point at the line and column") {
  struct Case {
    const char* label;
    const char* yaml;
    const char* position;
    const char* fragment;
  };
  const char* base = "id: c1\ntemplate: t\nchannel: sms\n";
  const Case cases[] = {
      {"misspelt audience", "audiance:\n  languages: [es]\n", "4:1",
       "unknown key 'audiance' in the campaign (did you mean 'audience'?)"},
      {"unknown key with suggestion", "audience: {languages: [es]}\nvariabels: {a: b}\n", "5:1",
       "unknown key 'variabels' in the campaign (did you mean 'variables'?)"},
      {"unknown audience key", "audience:\n  language: [es]\n", "5:3",
       "unknown key 'language' in 'audience' (did you mean 'languages'?)"},
      {"languages not a list", "audience:\n  languages: {es: 1}\n", "5:14", "must be a list"},
      {"bad language code", "audience:\n  languages: [es, Spanish]\n", "5:19", "'Spanish' is not a language code"},
      {"send_at without zone", "audience: {}\nsend_at: 2026-12-01 09:00\n", "5:10", "with its UTC offset"},
      {"variable that is a list", "audience: {}\nvariables:\n  place: [a, b]\n", "6:10",
       "variable 'place' must be a single value"},
      {"unknown time zone", "audience: {}\ntime_zone: America/Fresno\n", "5:12",
       "unknown time zone 'America/Fresno'; use an IANA zone name like America/Los_Angeles"},
      {"wall time without a zone", "audience: {}\nvariables:\n  when: {datetime: \"2026-12-05T10:00\"}\n", "6:20",
       "variable 'when': '2026-12-05T10:00' has no time zone: add 'time_zone: America/Los_Angeles'"},
      {"a date that does not exist",
       "audience: {}\ntime_zone: America/Los_Angeles\nvariables:\n  when: {datetime: 2026-02-30T10:00}\n", "7:20",
       "variable 'when': '2026-02-30T10:00' does not exist in America/Los_Angeles"},
      {"a number that is not", "audience: {}\nvariables:\n  seats: {number: forty}\n", "6:19",
       "'number' must be a number, got 'forty'"},
      {"misspelt type", "audience: {}\nvariables:\n  when: {datetim: 2026-12-05T10:00Z}\n", "6:10",
       "unknown key 'datetim' in variable 'when' (did you mean 'datetime'?)"},
      {"two types", "audience: {}\nvariables:\n  seats: {number: 4, text: four}\n", "6:10",
       "variable 'seats' must have exactly one of 'datetime', 'number' or 'text'"},
      {"unknown footer policy", "audience: {}\nfooter: sometimes\n", "5:9",
       "footer 'sometimes' must be after_join (the first message after a subscriber joins), always, or never"},
      {"language_fallbacks not a mapping", "audience: {}\nlanguage_fallbacks: [hmn, en]\n", "5:21",
       "'language_fallbacks' must map a language to the languages whose text it gets"},
      {"a language falling back to itself", "audience: {}\nlanguage_fallbacks: {hmn: [en, hmn]}\n", "5:27",
       "the fallbacks of 'hmn' must be other language codes"},
      {"a fallback that is not a language code", "audience: {}\nlanguage_fallbacks:\n  Hmong: en\n", "6:3",
       "'Hmong' is not a language code"},
      {"smart_encoding not a boolean", "audience: {}\nsmart_encoding: maybe\n", "5:17",
       "'smart_encoding' must be true or false"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto file = dir.write("c.yaml", std::string(base) + c.yaml);
      try {
        (void)parse_campaign_file(file);
        FAIL("expected a ConfigError");
      } catch (const ConfigError& e) {
        CHECK_THAT(std::string(e.what()), Catch::StartsWith(file.string() + ":" + c.position + ": "));
        CHECK_THAT(std::string(e.what()), Catch::Contains(c.fragment));
      }
    }
  }
}

TEST_CASE("an invalid campaign id is refused with an example") {
  TempDir dir;
  const auto file = dir.write("c.yaml", "id: DACA Workshop!\ntemplate: t\nchannel: sms\naudience: {}\n");
  CHECK_THROWS_WITH(parse_campaign_file(file), Catch::Contains("1:5: campaign id 'DACA Workshop!' must be"));
}

TEST_CASE("send_at accepts UTC offsets and refuses impossible dates") {
  CHECK(parse_iso8601("2026-12-05T10:00:00-08:00") == parse_iso8601("2026-12-05T18:00:00Z"));
  CHECK(parse_iso8601("2026-12-05T10:00:00+05:30") == parse_iso8601("2026-12-05T04:30:00Z"));
  CHECK_FALSE(parse_iso8601("2026-02-30T10:00:00Z"));
  CHECK_FALSE(parse_iso8601("2026-12-05T10:00:00"));
  CHECK_FALSE(parse_iso8601("tomorrow"));
  // Beyond what system_clock can hold (found by campaign_yaml_fuzz).
  CHECK_FALSE(parse_iso8601("4052-12-01T09:00:00-08:00"));
  CHECK_FALSE(parse_iso8601("0001-01-01T00:00:00Z"));
}

TEST_CASE("typed variables, the time zone and the footer policy are read") {
  TempDir dir;
  const auto file = dir.write("c.yaml", R"(id: c1
template: workshop-invite
channel: sms
audience: {languages: [es]}
time_zone: America/Los_Angeles
footer: always
smart_encoding: true
variables:
  org: Valley Immigrant Legal Network
  when: {datetime: "2026-12-05T10:00"}
  utc: {datetime: "2026-12-05T18:00:00Z"}
  seats: {number: 40}
  code: {text: "0042"}
  zip: 93721
)");
  const auto c = parse_campaign_file(file);
  using broadcaster::templates::ValueKind;
  CHECK(c.time_zone.value == "America/Los_Angeles");
  CHECK(c.time_zone.pos.line == 5);
  CHECK(c.footer.value == broadcaster::campaign::FooterPolicy::Always);
  CHECK(c.smart_encoding);
  CHECK(c.variables.at("org").kind() == ValueKind::Text);
  CHECK(c.variables.at("when").kind() == ValueKind::DateTime);
  CHECK(c.variables.at("when").time_zone() == "America/Los_Angeles");
  // 10:00 Pacific is 18:00 UTC, the same instant as the explicit one.
  CHECK(c.variables.at("when").instant() == c.variables.at("utc").instant());
  CHECK(c.variables.at("utc").time_zone() == "America/Los_Angeles");
  CHECK(c.variables.at("seats").kind() == ValueKind::Number);
  CHECK(c.variables.at("seats").as_number() == 40);
  CHECK(c.variables.at("code").as_text() == "0042");
  CHECK(c.variables.at("zip").kind() == ValueKind::Text);  // plain values stay text
  CHECK(c.variable_pos.at("seats").line == 12);
  CHECK(c.variable_pos.at("seats").column == 3);
}

TEST_CASE("hostile campaign files get short errors at their positions") {
  struct Case {
    const char* label;
    std::string yaml;
    const char* expected;
  };
  const Case cases[] = {
      {"a key given twice", "id: c1\ntemplate: a\nchannel: sms\naudience: {}\ntemplate: b\n",
       "c.yaml:5:1: duplicate key 'template' (first at 2:1)"},
      {"a 60 KB id", "id: " + std::string(60 * 1024, 'a') + "\ntemplate: a\nchannel: sms\naudience: {}\n",
       "c.yaml:1:5: campaign id 'aaaa"},
      {"a 10 MB id", "id: " + std::string(10 * 1024 * 1024, 'a') + "\n", "c.yaml: the file is larger than"},
      {"a tag that is not UTF-8", "id: c1\ntemplate: a\nchannel: sms\naudience: {tags: [fres\xFFno]}\n",
       "c.yaml:4:23: invalid UTF-8 at byte offset 54"},
      {"a tag over the limit", "id: c1\ntemplate: a\nchannel: sms\naudience: {tags: [" + std::string(100, 't') + "]}\n",
       "c.yaml:4:19: tag 'tttt"},
      {"a long language",
       "id: c1\ntemplate: a\nchannel: sms\naudience: {languages: [" + std::string(50000, 'e') + "]}\n",
       "is not a language code"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto file = dir.write("c.yaml", c.yaml);
      try {
        (void)parse_campaign_file(file);
        FAIL("no error");
      } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains(c.expected));
        CHECK(std::string(e.what()).size() < file.string().size() + 200);
      }
    }
  }
}

TEST_CASE("a campaign's language_fallbacks are read in order with their position") {
  TempDir dir;
  const auto file = dir.write("c.yaml",
                              "id: c1\ntemplate: t\nchannel: sms\naudience: {}\n"
                              "language_fallbacks:\n  hmn: en\n  mix: [es, en]\n");
  const auto c = parse_campaign_file(file);
  REQUIRE(c.language_fallbacks.size() == 2);
  CHECK(c.language_fallbacks.at("hmn").value == std::vector<std::string>{"en"});
  CHECK(c.language_fallbacks.at("mix").value == std::vector<std::string>{"es", "en"});
  CHECK(c.language_fallbacks.at("mix").pos.line == 7);
}

TEST_CASE("reading a campaign collects every problem and names what could not be read") {
  const auto read = broadcaster::campaign::read_campaign_text(
      "id: c1\ntemplate: [t]\nchannel: sms\naudience: {}\ntime_zone: Mars/Olympus\nfooter: sometimes\n"
      "colour: red\n",
      "c.yaml");
  REQUIRE(read.problems.size() == 4);
  CHECK(read.problems[0].line() == 2);
  CHECK(read.problems[1].line() == 5);
  CHECK(read.problems[2].line() == 6);
  CHECK_THAT(read.problems[3].message(), Catch::Contains("unknown key 'colour'"));
  CHECK_FALSE(read.readable("template"));
  CHECK_FALSE(read.readable("time_zone"));
  CHECK(read.readable("channel"));
  CHECK(read.campaign.channel.value == "sms");
  CHECK_THROWS_WITH(broadcaster::campaign::parse_campaign_text("id: c1\ntemplate: [t]\nchannel: sms\naudience: {}\n", "c.yaml"),
                    Catch::StartsWith("c.yaml:2:11: "));
}
