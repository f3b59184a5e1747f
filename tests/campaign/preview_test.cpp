// Campaign previews: per-language texts, segments, totals and cost, from
// audience counts (no Redis here: the counts are given).
#include <catch2/catch.hpp>

#include "campaign/preview.h"
#include "config/config.h"
#include "support/temp_dir.h"

using namespace broadcaster;
using broadcaster::campaign::AudienceGroup;
using broadcaster::testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  config::Config cfg;
  Fixture() {
    // en: 150 GSM-7 characters, 1 segment; 171 with the footer, 2 segments.
    dir.write("templates/long/en.txt", std::string(150, 'a') + "\n");
    // es: UCS-2 (á), 16 units; 44 with "\nResponde ALTO para cancelar": 1 segment either way.
    dir.write("templates/long/es.txt", "Taller el sábado\n");
    dir.write("templates/footer/en.txt", "Reply STOP to cancel\n");
    dir.write("templates/footer/es.txt", "Responde ALTO para cancelar\n");
    cfg.channels["sms"].settings.name = "sms";
    cfg.channels["sms"].settings.type = "twilio";  // SMS: segments and their price apply
    cfg.channels["sms"].price_per_segment = 0.0079;
    cfg.channels["console"].settings.name = "console";
    cfg.channels["console"].settings.type = "console";  // plain text
    cfg.templates_dir = dir.path() / "templates";
    cfg.language_fallbacks["mix"] = {"es"};
  }
  campaign::Preview preview(const std::string& extra, const std::optional<std::vector<AudienceGroup>>& audience,
                            const std::string& channel = "sms") {
    const auto file = dir.write(
        "c.yaml", "id: c1\ntemplate: long\nchannel: " + channel + "\naudience: {languages: [en, es, mix]}\n" + extra);
    const auto c = campaign::parse_campaign_file(file);
    auto store = campaign::open_template_store(cfg);
    return campaign::build_preview(c, cfg, store, audience);
  }
};

AudienceGroup group(const char* language, long long n, long long due, const char* sample = nullptr,
                    bool sample_due = false) {
  AudienceGroup g;
  g.language = language;
  g.subscribers = n;
  g.footer_due = due;
  if (sample) g.sample = util::Phone::from_trusted_e164(sample);
  g.sample_footer_due = sample_due;
  return g;
}

const campaign::PreviewLanguage& row(const campaign::Preview& p, const std::string& language) {
  for (const auto& l : p.languages) {
    if (l.language == language) return l;
  }
  FAIL("no row for " << language);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("cost is audience × segments × price, with footer subscribers at the footer's length") {
  Fixture f;
  const std::vector<AudienceGroup> audience{group("en", 100, 10, "+15595550101", true),
                                            group("es", 40, 0, "+15595550142"), group("mix", 5, 1)};
  const auto p = f.preview("", audience);
  CHECK(p.has_audience);
  CHECK(p.subscribers == 145);
  const auto& en = row(p, "en");
  CHECK(en.variant == "en");
  CHECK(en.with_footer == 10);
  REQUIRE(en.plain.sms);
  CHECK(en.plain.sms->segments == 1);
  REQUIRE(en.footered);
  CHECK(en.footered->sms->segments == 2);
  CHECK(en.total_segments == 90 * 1 + 10 * 2);
  // The sample is owed the footer, so the preview shows the text with it.
  CHECK(en.sample_text.text == en.footered->text);
  CHECK(en.sample->masked() == "+1559•••0101");
  const auto& es = row(p, "es");
  CHECK(es.total_segments == 40);
  CHECK(es.sample_text.text == "Taller el sábado");
  CHECK(es.format_locale == "es-US");
  const auto& mix = row(p, "mix");
  CHECK(mix.variant == "es");
  CHECK(mix.total_segments == 5);
  CHECK(p.total_segments == 110 + 40 + 5);
  REQUIRE(p.cost);
  CHECK(*p.cost == Approx(155 * 0.0079));
  CHECK(*en.cost == Approx(110 * 0.0079));
  CHECK(p.over_limit().empty());
}

TEST_CASE("footer: always counts every subscriber at the footer's length; never at none") {
  Fixture f;
  const std::vector<AudienceGroup> audience{group("en", 100, 10)};
  CHECK(row(f.preview("footer: always\n", audience), "en").total_segments == 200);
  CHECK(row(f.preview("footer: never\n", audience), "en").total_segments == 100);
  CHECK_FALSE(row(f.preview("footer: never\n", audience), "en").footered);
}

TEST_CASE("listed languages without subscribers still get a row, and unlisted ones in the audience too") {
  Fixture f;
  const auto p = f.preview("", std::vector<AudienceGroup>{group("en", 3, 0)});
  REQUIRE(p.languages.size() == 3);  // en, es, mix
  CHECK(row(p, "es").subscribers == 0);
  CHECK(row(p, "es").total_segments == 0);
  CHECK(row(p, "es").sample_text.text == "Taller el sábado");
}

TEST_CASE("without audience data the texts are shown and nothing is counted") {
  Fixture f;
  const auto p = f.preview("", std::nullopt);
  CHECK_FALSE(p.has_audience);
  CHECK(p.languages.size() == 3);
  CHECK(p.total_segments == 0);
  CHECK_FALSE(p.cost);  // a price, but nothing to multiply it by
  CHECK(row(p, "en").sample_text.sms->segments == 1);
}

TEST_CASE("without a price there is no cost, and a language with no variant is skipped") {
  Fixture f;
  f.cfg.channels["sms"].price_per_segment.reset();
  f.cfg.fallback_language = "fr";
  const auto p = f.preview("", std::vector<AudienceGroup>{group("en", 3, 0), group("vi", 7, 0)});
  CHECK_FALSE(p.cost);
  CHECK(p.skipped == 7);
  CHECK(row(p, "vi").variant.empty());
  CHECK(p.total_segments == 3);
}

TEST_CASE("languages over the channel's limit are listed") {
  Fixture f;
  f.cfg.channels["sms"].max_segments = 1;
  const auto p = f.preview("", std::nullopt);
  CHECK(p.over_limit() == std::vector<std::string>{"en"});  // 2 segments with the footer
}

TEST_CASE("a plain-text channel previews characters, with no encoding, segments or cost") {
  Fixture f;
  f.cfg.channels["console"].max_characters = 170;
  const std::vector<AudienceGroup> audience{group("en", 100, 10, "+15595550101", true), group("es", 40, 0)};
  const auto p = f.preview("", audience, "console");
  CHECK(p.medium == channels::MediumKind::PlainText);
  CHECK(p.max_characters == 170);
  CHECK(p.max_segments == 0);
  CHECK_FALSE(p.price_per_segment);
  const auto& en = row(p, "en");
  CHECK(en.with_footer == 10);
  CHECK_FALSE(en.plain.sms);
  CHECK(en.plain.code_points == 150);
  REQUIRE(en.footered);
  CHECK(en.footered->code_points == 171);
  CHECK(en.total_segments == 0);
  CHECK_FALSE(en.cost);
  CHECK(row(p, "es").plain.code_points == 16);
  CHECK(p.subscribers == 140);
  CHECK(p.total_segments == 0);
  CHECK_FALSE(p.cost);  // the sms channel's price is not this channel's
  CHECK(p.over_limit() == std::vector<std::string>{"en"});  // 171 characters with the footer
  f.cfg.channels["console"].max_characters.reset();
  CHECK(f.preview("", audience, "console").over_limit().empty());  // console has no limit of its own
}
