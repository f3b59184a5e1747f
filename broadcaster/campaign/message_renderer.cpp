// Rendering a campaign's text per subscriber language.
#include "campaign/message_renderer.h"

#include <algorithm>
#include <memory>

#include "util/errors.h"

namespace broadcaster::campaign {

const RenderedText& LanguageRendering::text_for(FooterPolicy policy, bool footer_due) const {
  if (with_footer && (policy == FooterPolicy::Always || (policy == FooterPolicy::AfterJoin && footer_due))) {
    return *with_footer;
  }
  return plain;
}

std::vector<std::string> campaign_chain(const Campaign& campaign, const config::Config& cfg,
                                        const std::string& language) {
  std::vector<std::string> chain{language};
  auto add = [&chain](const std::string& l) {
    if (std::find(chain.begin(), chain.end(), l) == chain.end()) chain.push_back(l);
  };
  if (const auto it = campaign.language_fallbacks.find(language); it != campaign.language_fallbacks.end()) {
    for (const auto& l : it->second.value) add(l);
  }
  for (const auto& l : cfg.fallback_chain(language)) add(l);
  return chain;
}

MessageRenderer::MessageRenderer(const Campaign& campaign, const config::Config& cfg,
                                 templates::TemplateStore& templates)
    : campaign_(campaign), cfg_(cfg), set_(&templates.load(campaign.template_name.value)) {
  if (campaign.footer.value != FooterPolicy::Never && templates.exists(kFooterTemplate)) {
    footer_ = &templates.load(kFooterTemplate);
  }
  if (const auto channel = cfg.channels.find(campaign.channel.value); channel != cfg.channels.end()) {
    sms_ = channel->second.medium().is_sms();
  }
}

RenderedText MessageRenderer::finish(std::string text) const {
  RenderedText out;
  if (sms_) {
    // Encodings are an SMS matter: plain text is sent as written.
    if (campaign_.smart_encoding) text = templates::smart_encode(text);
    out.sms = templates::analyze_sms(text);
  }
  out.code_points = templates::code_points(text).size();
  out.text = std::move(text);
  return out;
}

const LanguageRendering& MessageRenderer::for_language(const std::string& language) {
  if (const auto it = cache_.find(language); it != cache_.end()) return it->second;
  LanguageRendering r;
  r.language = language;
  r.variant = set_->resolve(campaign_chain(campaign_, cfg_, language));
  if (r.variant) {
    if (footer_) r.footer = footer_->resolve(campaign_chain(campaign_, cfg_, r.variant->language()));
    const std::string body = r.variant->render(campaign_.variables);
    r.plain = finish(body);
    if (r.footer) r.with_footer = finish(body + "\n" + r.footer->render(campaign_.variables));
  }
  return cache_.emplace(language, std::move(r)).first->second;
}

templates::TemplateStore open_template_store(const config::Config& cfg) {
  templates::LocaleOptions locales;
  locales.region = cfg.default_region;
  // The store may outlive `cfg`: keep what the chain needs.
  auto chains = std::make_shared<const config::Config>(cfg);
  locales.chain = [chains](const std::string& language) { return chains->fallback_chain(language); };
  return templates::TemplateStore(cfg.templates_dir, std::move(locales));
}

}  // namespace broadcaster::campaign
