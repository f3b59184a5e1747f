// Campaign validation against templates and configuration.
#include <catch2/catch.hpp>

#include "campaign/validator.h"
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
    cfg.channels["sms"].settings.name = "sms";
    cfg.channels["sms"].settings.type = "console";
    cfg.templates_dir = dir.path() / "templates";
  }
  std::vector<campaign::ValidationIssue> check(const std::string& yaml) {
    const auto file = dir.write("c.yaml", yaml);
    templates::TemplateStore store(cfg.templates_dir);
    return campaign::validate_campaign(campaign::parse_campaign_file(file), cfg, store);
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
      {"unknown template",
       "id: c1\ntemplate: invitation\nchannel: sms\naudience: {}\n",
       "c.yaml:2:11: error: unknown template 'invitation': there is no folder"},
      {"unknown channel",
       "id: c1\ntemplate: invite\nchannel: whatsapp\naudience: {}\nvariables: {topic: a, place: b}\n",
       "c.yaml:3:10: error: unknown channel 'whatsapp'; configured channels: sms"},
      {"missing variable",
       "id: c1\ntemplate: invite\nchannel: sms\naudience: {}\nvariables: {topic: a}\n",
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
  CHECK_THAT(joined(issues), Catch::Contains("warning: template 'invite' has no 'mix' variant; these subscribers get the 'es' text"));
}

TEST_CASE("a template that does not parse is reported at its own file and position") {
  Fixture f;
  f.dir.write("templates/broken/en.txt", "Hello\n{name, plural, one {# day}\n");
  const auto issues = f.check("id: c1\ntemplate: broken\nchannel: sms\naudience: {}\nvariables: {name: 1}\n");
  REQUIRE(campaign::has_errors(issues));
  CHECK_THAT(joined(issues), Catch::Contains("templates/broken/en.txt:"));
  CHECK_THAT(joined(issues), Catch::Contains("does not parse"));
}
