// Per-language texts, their length (segments and cost on SMS) of a campaign.
#include "campaign/preview.h"

#include <map>

#include "campaign/validator.h"
#include "util/errors.h"

namespace broadcaster::campaign {

std::vector<std::string> Preview::over_limit() const {
  std::vector<std::string> out;
  for (const auto& l : languages) {
    if (l.variant.empty()) continue;
    const RenderedText& longest = l.footered ? *l.footered : l.plain;
    const bool over = longest.sms ? longest.sms->segments > max_segments
                                  : max_characters > 0 && longest.code_points > max_characters;
    if (over) out.push_back(l.language);
  }
  return out;
}

Preview build_preview(const Campaign& c, const config::Config& cfg, templates::TemplateStore& templates,
                      const std::optional<std::vector<AudienceGroup>>& audience, long long unreachable) {
  const auto channel = cfg.channels.find(c.channel.value);
  if (channel == cfg.channels.end()) throw Error("unknown channel '" + c.channel.value + "'");
  MessageRenderer renderer(c, cfg, templates);

  Preview p;
  p.campaign = c.id.value;
  p.channel = c.channel.value;
  const bool sms = channel->second.medium().is_sms();
  p.medium = channel->second.medium().kind();
  if (sms) {
    p.max_segments = channel->second.max_segments;
    p.price_per_segment = channel->second.price_per_segment;
  } else {
    p.max_characters = channel->second.character_limit();
  }
  p.currency = cfg.currency;
  p.footer = c.footer.value;
  p.smart_encoding = c.smart_encoding;
  p.has_audience = audience.has_value();
  p.unreachable = unreachable;

  std::map<std::string, AudienceGroup> groups;
  if (audience) {
    for (const auto& g : *audience) groups[g.language] = g;
    for (const auto& l : c.audience.languages) groups[l.value].language = l.value;
  } else {
    for (const auto& l : languages_to_check(c, cfg, renderer.set())) groups[l].language = l;
  }

  const bool costed = p.price_per_segment && audience;  // nothing to multiply without counts
  if (costed) p.cost = 0;
  for (const auto& [language, g] : groups) {
    const LanguageRendering& r = renderer.for_language(language);
    PreviewLanguage row;
    row.language = language;
    row.subscribers = g.subscribers;
    row.sample = g.sample;
    p.subscribers += g.subscribers;
    if (!r.variant) {
      p.skipped += g.subscribers;
      p.languages.push_back(std::move(row));
      continue;
    }
    row.variant = r.variant->language();
    row.format_locale = r.variant->format_locale();
    row.plain = r.plain;
    row.footered = r.with_footer;
    if (r.with_footer) {
      if (c.footer.value == FooterPolicy::Always) row.with_footer = g.subscribers;
      if (c.footer.value == FooterPolicy::AfterJoin) row.with_footer = g.footer_due;
    }
    const bool sample_footer = g.sample ? g.sample_footer_due : c.footer.value == FooterPolicy::Always;
    row.sample_text = r.text_for(c.footer.value, sample_footer);
    if (!sms) {
      p.languages.push_back(std::move(row));
      continue;  // no segments to count or price
    }
    row.total_segments =
        (row.subscribers - row.with_footer) * static_cast<long long>(row.plain.sms->segments) +
        row.with_footer * static_cast<long long>(row.footered ? row.footered->sms->segments : 0);
    p.total_segments += row.total_segments;
    if (costed) {
      row.cost = static_cast<double>(row.total_segments) * *p.price_per_segment;
      *p.cost += *row.cost;
    }
    p.languages.push_back(std::move(row));
  }
  return p;
}

}  // namespace broadcaster::campaign
