// Campaign validation against templates and configuration.
#include "campaign/validator.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

#include "campaign/message_renderer.h"
#include "config/config.h"
#include "support/temp_dir.h"

using namespace broadcaster;
using broadcaster::testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  config::Config cfg;
  Fixture() {
    dir.write("templates/invite/en.txt", "Free {topic} workshop at {place}. Reply STOP to cancel.\n");
    dir.write("templates/invite/es.txt", "Taller gratuito de {topic} en {place}. Responde ALTO para cancelar.\n");
    dir.write("templates/footer/en.txt", "Reply STOP to cancel\n");
    dir.write("templates/footer/es.txt", "Responde ALTO para cancelar\n");
    cfg.channels["sms"].settings.name = "sms";
    cfg.channels["sms"].settings.type = "twilio";  // SMS: segments apply
    cfg.channels["console"].settings.name = "console";
    cfg.channels["console"].settings.type = "console";  // plain text
    cfg.templates_dir = dir.path() / "templates";
  }
  // Reads the file as `campaign validate` does: every problem at once.
  std::vector<campaign::ValidationIssue> check(const std::string& yaml) {
    const auto file = dir.write("c.yaml", yaml);
    templates::TemplateStore store = campaign::open_template_store(cfg);
    return campaign::validate_campaign(campaign::read_campaign_file(file), cfg, store);
  }
};

std::string joined(const std::vector<campaign::ValidationIssue>& issues) {
  std::string out;
  for (const auto& i : issues) out += i.to_string() + "\n";
  return out;
}

}  // namespace

TEST_CASE("a campaign whose languages and variables match its template is valid") {
  Fixture f;
  const auto issues = f.check(
      "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [es, en]}\n"
      "variables: {topic: DACA, place: Fresno}\n");
  CHECK(joined(issues).empty());
}

TEST_CASE("validation reports each problem at its position") {
  struct Case {
    const char* label;
    const char* yaml;
    const char* expected;  // fragment of the joined report
  };
  const Case cases[] = {
      {"language without a variant",
       "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [es, hmn]}\nvariables: {topic: a, place: b}\n",
       "c.yaml:4:28: error: template 'invite' has no 'hmn' variant: add"},
      {"the way out of a missing variant is named",
       "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [es, hmn]}\nvariables: {topic: a, place: b}\n",
       "say which text these subscribers get (language_fallbacks: {hmn: en}), or remove 'hmn' from audience.languages"},
      {"a campaign fallback its template does not need",
       "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [es]}\nlanguage_fallbacks: {es: en}\n"
       "variables: {topic: a, place: b}\n",
       "c.yaml:5:22: warning: language_fallbacks for 'es' is not used: template 'invite' has its own 'es' variant"},
      {"a campaign fallback to a language without a variant",
       "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [hmn]}\nlanguage_fallbacks: {hmn: fr}\n"
       "variables: {topic: a, place: b}\n",
       "c.yaml:5:22: warning: template 'invite' has none of the variants listed for 'hmn'; these subscribers get the "
       "'en' text"},
      {"unknown template", "id: c1\ntemplate: invitation\nchannel: sms\naudience: {}\n",
       "c.yaml:2:11: error: unknown template 'invitation': there is no folder"},
      {"unknown channel",
       "id: c1\ntemplate: invite\nchannel: whatsapp\naudience: {}\nvariables: {topic: a, place: b}\n",
       "c.yaml:3:10: error: unknown channel 'whatsapp'; configured channels: console, sms"},
      {"missing variable", "id: c1\ntemplate: invite\nchannel: sms\naudience: {}\nvariables: {topic: a}\n",
       "uses {place}, but the campaign's variables do not define 'place'"},
      {"unused variable is a warning",
       "id: c1\ntemplate: invite\nchannel: sms\naudience: {}\nvariables: {topic: a, place: b, date: c}\n",
       "c.yaml:5:33: warning: variable 'date' is not used"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Fixture f;
      CHECK_THAT(joined(f.check(c.yaml)), Catch::Contains(c.expected));
    }
  }
}

TEST_CASE("a deliberate fallback chain turns a missing variant into a warning") {
  Fixture f;
  f.cfg.language_fallbacks["mix"] = {"es"};
  const auto issues = f.check(
      "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [mix]}\nvariables: {topic: a, place: b}\n");
  CHECK_FALSE(campaign::has_errors(issues));
  CHECK_THAT(joined(issues),
             Catch::Contains("warning: template 'invite' has no 'mix' variant; these subscribers get the 'es' text"));
}

TEST_CASE("a campaign says which text a language without a variant gets") {
  Fixture f;
  const auto issues = f.check(
      "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [es, en, hmn]}\n"
      "language_fallbacks: {hmn: en}\nvariables: {topic: a, place: b}\n");
  CHECK(joined(issues).empty());
}

TEST_CASE("every independent mistake is reported in one run") {
  Fixture f;
  SECTION("an unknown key hides neither the missing variable nor the missing variant") {
    const auto report = joined(f.check(
        "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [es, hmn]}\nlanguage: es\n"
        "variables: {topic: a}\n"));
    CHECK_THAT(report, Catch::Contains("c.yaml:5:1: error: unknown key 'language' in the campaign"));
    CHECK_THAT(report, Catch::Contains("c.yaml:4:28: error: template 'invite' has no 'hmn' variant"));
    CHECK_THAT(report, Catch::Contains("the campaign's variables do not define 'place'"));
  }
  SECTION("a bad time zone hides neither a bad footer nor an unknown channel, and is reported once") {
    const auto issues = f.check(
        "id: c1\ntemplate: invite\nchannel: sms-west\naudience: {languages: [es]}\ntime_zone: America/Fresno\n"
        "footer: sometimes\nvariables:\n  topic: a\n  place: b\n  when: {datetime: \"2026-12-05T10:00\"}\n");
    const auto report = joined(issues);
    CHECK_THAT(report, Catch::Contains("c.yaml:3:10: error: unknown channel 'sms-west'"));
    CHECK_THAT(report, Catch::Contains("c.yaml:5:12: error: unknown time zone 'America/Fresno'"));
    CHECK_THAT(report, Catch::Contains("c.yaml:6:9: error: footer 'sometimes' must be"));
    // The wall time cannot be read without the zone: that is the zone's mistake, not a second one.
    CHECK_THAT(report, !Catch::Contains("has no time zone"));
    // In file order, like a compiler.
    for (std::size_t i = 1; i < issues.size(); ++i) CHECK(issues[i - 1].pos.line <= issues[i].pos.line);
  }
  SECTION("problems inside the audience and beside it") {
    const auto report = joined(f.check(
        "id: Bad Id\ntemplate: invite\nchannel: sms\naudience: {languages: [es, Spanish], tgas: [x]}\n"
        "smart_encoding: maybe\nvariables: {topic: a, place: b}\n"));
    CHECK_THAT(report, Catch::Contains("c.yaml:1:5: error: campaign id 'Bad Id' must be"));
    CHECK_THAT(report, Catch::Contains("c.yaml:4:28: error: 'Spanish' is not a language code"));
    CHECK_THAT(report, Catch::Contains("c.yaml:4:38: error: unknown key 'tgas' in 'audience' (did you mean 'tags'?)"));
    CHECK_THAT(report, Catch::Contains("c.yaml:5:17: error: 'smart_encoding' must be true or false"));
  }
  SECTION("a near-miss key is reported once") {
    const auto issues = f.check("id: c1\ntemplte: invite\nchannel: sms\naudience: {}\n");
    const auto report = joined(issues);
    const auto first = report.find("unknown key 'templte'");
    REQUIRE(first != std::string::npos);
    CHECK(report.find("unknown key 'templte'", first + 1) == std::string::npos);
  }
}

TEST_CASE("a template that does not parse is reported at its own file and position") {
  Fixture f;
  f.dir.write("templates/broken/en.txt", "Hello\n{name, plural, one {# day}\n");
  const auto issues = f.check("id: c1\ntemplate: broken\nchannel: sms\naudience: {}\nvariables: {name: 1}\n");
  REQUIRE(campaign::has_errors(issues));
  CHECK_THAT(joined(issues), Catch::Contains("templates/broken/en.txt:"));
  CHECK_THAT(joined(issues), Catch::Contains("does not parse"));
}

TEST_CASE("an argument given with the wrong kind is reported at the variable, naming file and language") {
  struct Case {
    const char* label;
    const char* en;
    const char* variables;
    const char* expected;
  };
  const Case cases[] = {
      {"text where the template formats a date", "Workshop {when, date, full}. Reply STOP to cancel.",
       "time_zone: America/Los_Angeles\nvariables:\n  when: Sat 12/5\n",
       "c.yaml:7:3: error: T/invite/en.txt (language 'en'): {when} is used as a date or time ({when, date, full}), "
       "but the campaign gives the text 'Sat 12/5'; give a date and time, like when: {datetime: "
       "\"2026-12-05T10:00\"}"},
      {"a date where the template wants text", "Workshop {when}. Reply STOP to cancel.",
       "time_zone: America/Los_Angeles\nvariables:\n  when: {datetime: 2026-12-05T10:00}\n",
       "c.yaml:7:3: error: T/invite/en.txt (language 'en'): {when} is a date and time; format it in the template"},
      {"text that is not a number in a plural", "{seats, plural, one {# seat} other {# seats}} left.",
       "variables:\n  seats: many\n",
       "c.yaml:6:3: error: T/invite/en.txt (language 'en'): {seats} is used as a number"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Fixture f;
      std::filesystem::remove_all(f.dir.path() / "templates" / "invite");
      f.dir.write("templates/invite/en.txt", c.en);
      const auto issues =
          f.check(std::string("id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [en]}\n") + c.variables);
      std::string report = joined(issues);
      // Name the template file relative to the fixture for the comparison.
      const std::string dir = (f.dir.path() / "templates").string();
      for (auto at = report.find(dir); at != std::string::npos; at = report.find(dir))
        report.replace(at, dir.size(), "T");
      CHECK(campaign::has_errors(issues));
      CHECK_THAT(report, Catch::Contains(c.expected));
    }
  }
}

TEST_CASE("a variant longer than the channel's max_segments is an error naming file, language and counts") {
  Fixture f;
  f.cfg.channels["sms"].max_segments = 1;
  // 150 GSM-7 characters: one segment alone, two with the footer.
  f.dir.write("templates/long/en.txt", std::string(150, 'a') + "\n");
  f.dir.write("templates/long/es.txt", "Taller {place}\n");

  SECTION("with the footer that may apply") {
    const auto issues =
        f.check("id: c1\ntemplate: long\nchannel: sms\naudience: {languages: [en, es]}\nvariables: {place: Fresno}\n");
    CHECK_THAT(joined(issues),
               Catch::Contains("templates/long/en.txt: error: 'en' subscribers get 2 segments (GSM-7, 171 characters) "
                               "with the opt-out footer, more than channel 'sms' allows (max_segments: 1)"));
    CHECK_THAT(joined(issues), !Catch::Contains("long/es.txt"));
  }
  SECTION("without a footer it fits") {
    const auto issues = f.check(
        "id: c1\ntemplate: long\nchannel: sms\nfooter: never\naudience: {languages: [en, es]}\n"
        "variables: {place: Fresno}\n");
    CHECK_FALSE(campaign::has_errors(issues));
  }
  SECTION("a curly quote that smart encoding would fix is pointed out") {
    f.dir.write("templates/long/en.txt", std::string(60, 'a') + "\u2019s\n");  // UCS-2: 62 units, fits
    // With "\nReply STOP to cancel" (21 units): 83 units, 2 segments.
    const auto issues =
        f.check("id: c1\ntemplate: long\nchannel: sms\naudience: {languages: [en]}\nvariables: {place: Fresno}\n");
    CHECK_THAT(joined(issues),
               Catch::Contains("2 segments (UCS-2, 83 characters)") && Catch::Contains("or set smart_encoding: true"));
    const auto smart = f.check(
        "id: c1\ntemplate: long\nchannel: sms\nsmart_encoding: true\naudience: {languages: [en]}\n"
        "variables: {place: Fresno}\n");
    CHECK_FALSE(campaign::has_errors(smart));
  }
}

TEST_CASE("the footer policy needs footers where it applies") {
  struct Case {
    const char* label;
    const char* footer_files;  // "" none, "en" only English
    const char* policy;
    bool error;
    const char* expected;
  };
  const Case cases[] = {
      {"always without footers", "", "always", true, "c.yaml:4:9: error: footer: always needs the opt-out footers in"},
      {"after_join without footers warns", "", "after_join", false,
       "c.yaml:4:9: warning: footer: after_join needs the opt-out footers in"},
      {"never needs none", "", "never", false, ""},
      // The default policy, not written: an installation without footers is not nagged.
      {"the unwritten default without footers", "", "", false, ""},
      // es has no footer and es -> en is the chain: the English footer is used.
      {"always with an English footer for everyone", "en", "always", false, ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Fixture f;
      std::filesystem::remove_all(f.dir.path() / "templates" / "footer");
      if (std::string(c.footer_files) == "en") f.dir.write("templates/footer/en.txt", "Reply STOP to cancel\n");
      const std::string policy = *c.policy ? std::string("footer: ") + c.policy + "\n" : "# footer: default\n";
      const auto issues = f.check("id: c1\ntemplate: invite\nchannel: sms\n" + policy +
                                  "audience: {languages: [es, en]}\nvariables: {topic: a, place: b}\n");
      CHECK(campaign::has_errors(issues) == c.error);
      if (*c.expected) {
        CHECK_THAT(joined(issues), Catch::Contains(c.expected));
      } else {
        CHECK(joined(issues).empty());
      }
    }
  }
}

TEST_CASE("a footer variant missing along a language's chain is reported") {
  Fixture f;
  f.cfg.fallback_language = "es";
  std::filesystem::remove(f.dir.path() / "templates" / "footer" / "es.txt");
  f.dir.write("templates/invite/vi.txt", "Hội thảo {topic} tại {place}\n");
  const auto issues = f.check(
      "id: c1\ntemplate: invite\nchannel: sms\nfooter: always\naudience: {languages: [vi, en]}\n"
      "variables: {topic: a, place: b}\n");
  CHECK_THAT(joined(issues), Catch::Contains("c.yaml:4:9: error: no opt-out footer for 'vi' or its fallbacks: add"));
  CHECK_THAT(joined(issues), !Catch::Contains("'en' or its fallbacks"));
}

TEST_CASE("an empty rendering is an error, on every kind of channel") {
  for (const char* channel : {"sms", "console"}) {
    DYNAMIC_SECTION(channel) {
      Fixture f;
      f.dir.write("templates/blank/en.txt", "{note}\n");
      const auto issues = f.check("id: c1\ntemplate: blank\nchannel: " + std::string(channel) +
                                  "\nfooter: never\naudience: {languages: [en]}\nvariables: {note: \"\"}\n");
      CHECK_THAT(joined(issues),
                 Catch::Contains("templates/blank/en.txt: error: 'en' subscribers would get an empty message"));
    }
  }
}

TEST_CASE("segments limit SMS channels only: a plain-text channel is limited by characters, if at all") {
  // 700 GSM-7 characters: 5 segments, 721 characters with "\nReply STOP to cancel".
  struct Case {
    const char* label;
    const char* channel;
    std::optional<std::size_t> max_characters;  // of the console channel
    const char* error;                          // "" for none
  };
  const Case cases[] = {
      {"twilio refuses 5 segments", "sms", std::nullopt,
       "templates/long/en.txt: error: 'en' subscribers get 5 segments (GSM-7, 721 characters) with the opt-out "
       "footer, more than channel 'sms' allows (max_segments: 4)"},
      {"console has no limit of its own", "console", std::nullopt, ""},
      {"console within its max_characters", "console", 721, ""},
      {"console over its max_characters", "console", 720,
       "templates/long/en.txt: error: 'en' subscribers get 721 characters with the opt-out footer, more than "
       "channel 'console' allows (max_characters: 720); shorten the text"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Fixture f;
      f.cfg.channels["console"].max_characters = c.max_characters;
      f.dir.write("templates/long/en.txt", std::string(700, 'a') + "\n");
      const auto issues = f.check("id: c1\ntemplate: long\nchannel: " + std::string(c.channel) +
                                  "\naudience: {languages: [en]}\n");
      if (*c.error) {
        CHECK_THAT(joined(issues), Catch::Contains(c.error));
      } else {
        CHECK(joined(issues).empty());
      }
    }
  }
}

TEST_CASE("a plain-text channel counts code points, not SMS characters, and gets no smart_encoding hint") {
  Fixture f;
  f.cfg.channels["console"].max_characters = 20;
  // 10 emoji: 10 characters as SMS counts them, 20 code points with their
  // variation selectors.
  std::string hearts;
  for (int i = 0; i < 10; ++i) hearts += "\u2764\uFE0F";
  f.dir.write("templates/hearts/en.txt", hearts + " \u2014 a\n");
  const auto issues =
      f.check("id: c1\ntemplate: hearts\nchannel: console\nfooter: never\naudience: {languages: [en]}\n");
  const std::string report = joined(issues);
  CHECK_THAT(report, Catch::Contains("'en' subscribers get 24 characters, more than channel 'console' allows "
                                     "(max_characters: 20); shorten the text"));
  CHECK_THAT(report, !Catch::Contains("segment") && !Catch::Contains("smart_encoding"));
}

TEST_CASE("smart_encoding on a plain-text channel is a warning: it does nothing there") {
  Fixture f;
  const auto issues = f.check(
      "id: c1\ntemplate: invite\nchannel: console\nsmart_encoding: true\naudience: {languages: [en]}\n"
      "variables: {topic: a, place: b}\n");
  CHECK_FALSE(campaign::has_errors(issues));
  CHECK_THAT(joined(issues), Catch::Contains("c.yaml:3:10: warning: smart_encoding applies only to SMS channels: "
                                             "channel 'console' (console) sends plain text, as written"));
  CHECK(joined(f.check("id: c1\ntemplate: invite\nchannel: sms\nsmart_encoding: true\naudience: {languages: "
                       "[en]}\nvariables: {topic: a, place: b}\n"))
            .empty());
}

TEST_CASE("a template nested deeper than the limit is a validation error at its position, not a crash") {
  Fixture f;
  const auto nested = [](int depth) {
    std::string pattern;
    for (int i = 0; i < depth; ++i) pattern += "{g, select, a {x} other {";
    pattern += "deep";
    for (int i = 0; i < depth; ++i) pattern += "}}";
    return pattern;
  };
  f.dir.write("templates/nested/en.txt", nested(2000));
  const auto issues = f.check("id: c1\ntemplate: nested\nchannel: sms\naudience: {}\nvariables: {g: a}\n");
  REQUIRE(campaign::has_errors(issues));
  CHECK_THAT(joined(issues), Catch::Contains("templates/nested/en.txt:1:415: error: plural/select/choice blocks are "
                                             "nested more than 16 deep here"));
}

TEST_CASE("a campaign's event on the same day as another partner's in the same county is a warning") {
  Fixture f;
  f.cfg.calendar_dir = f.dir.path() / "calendar";
  f.dir.write("calendar/centro.yaml",
              "partner: Centro Legal\nevents:\n  - {date: 2026-12-05, start: \"15:00\", end: \"17:00\", "
              "county: Fresno, title: Wage theft clinic, languages: [es]}\n  - {date: 2026-12-05, start: \"10:00\", end: \"11:00\", "
              "county: Tulare, title: Elsewhere, languages: [es]}\n");
  f.dir.write("calendar/network.yaml",
              "partner: Valley Network\nevents:\n  - {date: 2026-12-05, start: \"10:00\", end: \"14:00\", "
              "county: Fresno, title: DACA workshop, languages: [es]}\n");
  const std::string base =
      "id: c1\ntemplate: invite\nchannel: sms\naudience: {languages: [es]}\nvariables: {topic: a, place: b}\n";
  auto report = joined(f.check(base + "event: {date: 2026-12-05, county: Fresno, partner: Valley Network}\n"));
  CHECK_THAT(report, Catch::Contains("c.yaml:6:8: warning: on 2026-12-05 Centro Legal holds 'Wage theft clinic' in "
                                     "Fresno (15:00-17:00"));
  CHECK_THAT(report, !Catch::Contains("Elsewhere"));
  CHECK_THAT(report, !Catch::Contains("error"));
  // Another day: nothing to say. A misspelt partner: said.
  CHECK(joined(f.check(base + "event: {date: 2026-12-06, county: Fresno, partner: Valley Network}\n")).empty());
  report = joined(f.check(base + "event: {date: 2026-12-06, county: Fresno, partner: Valey Network}\n"));
  CHECK_THAT(report, Catch::Contains("partner 'Valey Network' has no events in"));
}
