// What each subscriber language receives: variant along the fallback chain,
// the opt-out footer by policy, smart encoding, and the cost of the result.
#include <catch2/catch.hpp>

#include <filesystem>

#include "campaign/message_renderer.h"
#include "config/config.h"
#include "support/temp_dir.h"

using namespace broadcaster;
using broadcaster::campaign::FooterPolicy;
using broadcaster::testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  config::Config cfg;
  Fixture() {
    dir.write("templates/invite/en.txt", "Free workshop {when, date, ::MMMd}, {when, time, short} at {place}.\n");
    dir.write("templates/invite/es.txt", "Taller gratuito el {when, date, ::EEEEdMMMM} en {place}.\n");
    dir.write("templates/footer/en.txt", "Reply STOP to cancel\n");
    dir.write("templates/footer/es.txt", "Responde ALTO para cancelar\n");
    dir.write("templates/footer/zh.txt", "回复 退订 取消\n");
    cfg.channels["sms"].settings.name = "sms";
    cfg.channels["sms"].settings.type = "twilio";  // SMS
    cfg.channels["console"].settings.name = "console";
    cfg.channels["console"].settings.type = "console";  // plain text
    cfg.templates_dir = dir.path() / "templates";
    cfg.language_fallbacks["mix"] = {"es"};
  }
  campaign::Campaign campaign(const std::string& extra = {}, const std::string& channel = "sms") {
    const auto file = dir.write("c.yaml",
                                "id: c1\ntemplate: invite\nchannel: " + channel + "\naudience: {}\n"
                                "time_zone: America/Los_Angeles\n" +
                                    extra +
                                    "variables:\n  place: Fresno Library\n  when: {datetime: "
                                    "\"2026-12-05T10:00\"}\n");
    return campaign::parse_campaign_file(file);
  }
};

}  // namespace

TEST_CASE("each language gets its variant, or the first along its chain, with the footer in the language of the text") {
  Fixture f;
  const auto invite = f.campaign();
  auto store = campaign::open_template_store(f.cfg);
  campaign::MessageRenderer renderer(invite, f.cfg, store);
  struct Case {
    const char* language;
    const char* variant;
    const char* plain;
    const char* with_footer;  // "" when there is no footer for the chain
  };
  const Case cases[] = {
      {"en", "en", "Free workshop Dec 5, 10:00\u202FAM at Fresno Library.",
       "Free workshop Dec 5, 10:00\u202FAM at Fresno Library.\nReply STOP to cancel"},
      {"es", "es", "Taller gratuito el sábado, 5 de diciembre en Fresno Library.",
       "Taller gratuito el sábado, 5 de diciembre en Fresno Library.\nResponde ALTO para cancelar"},
      // mix -> es -> en: the Spanish text and the Spanish footer.
      {"mix", "es", "Taller gratuito el sábado, 5 de diciembre en Fresno Library.",
       "Taller gratuito el sábado, 5 de diciembre en Fresno Library.\nResponde ALTO para cancelar"},
      // hmn -> en: the English text and footer.
      {"hmn", "en", "Free workshop Dec 5, 10:00\u202FAM at Fresno Library.",
       "Free workshop Dec 5, 10:00\u202FAM at Fresno Library.\nReply STOP to cancel"},
      // zh has its own footer but no variant of its own: the footer follows
      // the text, so English text and the English footer, never a mix.
      {"zh", "en", "Free workshop Dec 5, 10:00\u202FAM at Fresno Library.",
       "Free workshop Dec 5, 10:00\u202FAM at Fresno Library.\nReply STOP to cancel"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.language) {
      const auto& r = renderer.for_language(c.language);
      REQUIRE(r.variant);
      CHECK(r.variant->language() == c.variant);
      CHECK(r.plain.text == c.plain);
      REQUIRE(r.with_footer);
      CHECK(r.with_footer->text == c.with_footer);
      CHECK(r.with_footer->sms->characters > r.plain.sms->characters);
    }
  }
}

TEST_CASE("the footer policy decides who gets the footer") {
  struct Case {
    const char* label;
    const char* yaml;
    bool due;
    bool footer;
  };
  const Case cases[] = {
      {"after_join, footer due", "", true, true},
      {"after_join, not due", "", false, false},
      {"always", "footer: always\n", false, true},
      {"never, even when due", "footer: never\n", true, false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Fixture f;
      const auto campaign = f.campaign(c.yaml);
      auto store = campaign::open_template_store(f.cfg);
      campaign::MessageRenderer renderer(campaign, f.cfg, store);
      const auto& r = renderer.for_language("en");
      const std::string& text = r.text_for(campaign.footer.value, c.due).text;
      CHECK((text.find("Reply STOP") != std::string::npos) == c.footer);
    }
  }
}

TEST_CASE("without a footer folder there is no footer to add") {
  Fixture f;
  std::filesystem::remove_all(f.dir.path() / "templates" / "footer");
  const auto c = f.campaign("footer: always\n");
  auto store = campaign::open_template_store(f.cfg);
  campaign::MessageRenderer renderer(c, f.cfg, store);
  CHECK(renderer.footer_set() == nullptr);
  const auto& r = renderer.for_language("en");
  CHECK_FALSE(r.with_footer);
  CHECK(&r.text_for(FooterPolicy::Always, true) == &r.plain);
}

TEST_CASE("smart encoding applies before counting, so the English time stays GSM-7") {
  Fixture f;
  auto store = campaign::open_template_store(f.cfg);
  const auto plain_campaign = f.campaign();
  campaign::MessageRenderer plain(plain_campaign, f.cfg, store);
  // CLDR puts U+202F before AM: UCS-2 as written.
  CHECK(plain.for_language("en").plain.sms->encoding == templates::SmsEncoding::Ucs2);

  const auto smart_campaign = f.campaign("smart_encoding: true\n");
  campaign::MessageRenderer smart(smart_campaign, f.cfg, store);
  const auto& r = smart.for_language("en");
  CHECK(r.plain.text == "Free workshop Dec 5, 10:00 AM at Fresno Library.");
  CHECK(r.plain.sms->encoding == templates::SmsEncoding::Gsm7);
  CHECK(r.with_footer->sms->encoding == templates::SmsEncoding::Gsm7);
  // Spanish keeps its letters (á is not GSM-7), so it stays UCS-2.
  CHECK(smart.for_language("es").plain.sms->encoding == templates::SmsEncoding::Ucs2);
  CHECK_THAT(smart.for_language("es").plain.text, Catch::Contains("sábado"));
}

TEST_CASE("on a plain-text channel texts are sent as written and measured in code points, not as SMS") {
  Fixture f;
  auto store = campaign::open_template_store(f.cfg);
  const auto smart_campaign = f.campaign("smart_encoding: true\n", "console");
  campaign::MessageRenderer renderer(smart_campaign, f.cfg, store);
  const auto& r = renderer.for_language("en");
  // smart_encoding is an SMS matter: CLDR's U+202F before AM stays.
  CHECK(r.plain.text == "Free workshop Dec 5, 10:00\u202FAM at Fresno Library.");
  CHECK_FALSE(r.plain.sms);
  CHECK(r.plain.code_points == 48);
  REQUIRE(r.with_footer);
  CHECK_FALSE(r.with_footer->sms);
  CHECK(r.with_footer->code_points == 48 + 21);
}

TEST_CASE("a language with no variant along its chain renders nothing") {
  Fixture f;
  f.cfg.fallback_language = "fr";
  const auto c = f.campaign();
  auto store = campaign::open_template_store(f.cfg);
  campaign::MessageRenderer renderer(c, f.cfg, store);
  const auto& r = renderer.for_language("vi");
  CHECK(r.variant == nullptr);
  CHECK(r.plain.text.empty());
}

TEST_CASE("a campaign's language_fallbacks come before the configuration's chain") {
  Fixture f;
  const auto invite = f.campaign("language_fallbacks: {hmn: es, zh: [ko, en]}\n");
  auto store = campaign::open_template_store(f.cfg);
  campaign::MessageRenderer renderer(invite, f.cfg, store);
  const auto& hmn = renderer.for_language("hmn");
  REQUIRE(hmn.variant);
  CHECK(hmn.variant->language() == "es");
  REQUIRE(hmn.with_footer);
  CHECK_THAT(hmn.with_footer->text, Catch::EndsWith("\nResponde ALTO para cancelar"));
  // ko has no variant: the next in the campaign's list.
  CHECK(renderer.for_language("zh").variant->language() == "en");
  CHECK(campaign::campaign_chain(invite, f.cfg, "hmn") == std::vector<std::string>{"hmn", "es", "en"});
  CHECK(campaign::campaign_chain(invite, f.cfg, "mix") == std::vector<std::string>{"mix", "es", "en"});
}
