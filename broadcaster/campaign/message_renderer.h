// The exact text a subscriber of a given language receives for a campaign:
// the template variant along their fallback chain, rendered with the
// campaign's variables, with the opt-out footer in their language when the
// campaign's footer policy says so, smart-encoded when the campaign asks
// and the channel is SMS, and how long that text is: encoding, characters
// and segments on an SMS channel, code points on a plain-text one.
// Design: every subscriber of one language gets the same text (variables are
// per campaign), so each language is rendered once and cached; submit,
// validate and preview all go through this class, so what staff preview is
// what is queued. A language's chain is the campaign's own
// language_fallbacks for it, then the configuration's (campaign_chain). The
// footer is the template `footer` in the same store
// (templates/footer/<lang>.txt) in the language of the text the subscriber
// gets, not the subscriber's own (a Hmong subscriber given the English text
// gets the English footer, so the opt-out line matches the message), added
// on a new line.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "campaign/campaign.h"
#include "config/config.h"
#include "templates/sms_encoding.h"
#include "templates/template_store.h"

namespace broadcaster::campaign {

/// The template folder holding the opt-out footers, one file per language.
inline constexpr const char* kFooterTemplate = "footer";

/// A message body and how long it is.
struct RenderedText {
  std::string text;  ///< UTF-8, exactly as queued
  /// Characters as a plain-text channel counts them: Unicode code points.
  std::size_t code_points = 0;
  /// Encoding, characters (grapheme clusters) and segments, on an SMS
  /// channel; nullopt on a plain-text one, where none of them applies.
  std::optional<templates::SmsInfo> sms = {};
};

/// What subscribers of one language receive.
struct LanguageRendering {
  std::string language;  ///< the subscribers' language
  /// The variant used (its language may be a fallback); nullptr when the
  /// template has no variant along the language's chain.
  const templates::MessageTemplate* variant = nullptr;
  /// The footer variant in the language of `variant` (or along that
  /// language's chain); nullptr when there is none (no footer folder, no
  /// variant along the chain, or footer: never).
  const templates::MessageTemplate* footer = nullptr;
  RenderedText plain;  ///< without the footer (empty when `variant` is null)
  /// With the footer, when `footer` is set.
  std::optional<RenderedText> with_footer;

  /// The text a subscriber gets, given whether their footer is due
  /// (store::Subscriber footer_due). Requires `variant`.
  const RenderedText& text_for(FooterPolicy policy, bool footer_due) const;
};

/// The languages whose text subscribers of `language` get, in order:
/// `language`, the campaign's language_fallbacks for it, then the
/// configuration's chain (language_fallbacks, fallback_language); without
/// duplicates.
std::vector<std::string> campaign_chain(const Campaign& campaign, const config::Config& cfg,
                                        const std::string& language);

class MessageRenderer {
 public:
  /// Loads the campaign's template and, unless the policy is never, the
  /// footer folder if it exists. Throws ConfigError if either does not load.
  /// The campaign's channel decides whether texts are measured as SMS (also
  /// when it is not configured: validation reports that).
  MessageRenderer(const Campaign& campaign, const config::Config& cfg, templates::TemplateStore& templates);

  MessageRenderer(const MessageRenderer&) = delete;
  MessageRenderer& operator=(const MessageRenderer&) = delete;

  /// The rendering for subscribers whose language is `language`. Throws
  /// Error if the variant or footer does not render with the campaign's
  /// variables (validation reports that first).
  const LanguageRendering& for_language(const std::string& language);

  const templates::TemplateSet& set() const noexcept { return *set_; }
  /// The footer set, or nullptr (no folder, or footer: never).
  const templates::TemplateSet* footer_set() const noexcept { return footer_; }
  const Campaign& campaign() const noexcept { return campaign_; }

 private:
  RenderedText finish(std::string text) const;

  const Campaign& campaign_;
  const config::Config& cfg_;
  const templates::TemplateSet* set_ = nullptr;
  const templates::TemplateSet* footer_ = nullptr;
  bool sms_ = true;  ///< the channel carries SMS
  std::map<std::string, LanguageRendering> cache_;
};

/// The template store for `cfg`: its templates folder, each variant
/// formatted for `default_region` and along `language_fallbacks`.
templates::TemplateStore open_template_store(const config::Config& cfg);

}  // namespace broadcaster::campaign
