// What a campaign will send and cost, per language, before it is submitted:
// the text a sample subscriber gets and its length and, given the audience,
// how many get it. On an SMS channel the length is encoding, characters and
// segments, with total segments and estimated cost; on a plain-text channel
// (channels/medium.h) it is characters (code points) against the channel's
// limit, and there are no segments to count or price.
// Design: a pure computation over MessageRenderer (the renderer submit uses,
// so the preview is what gets queued) and audience counts read elsewhere
// (audience_groups.h), so it is tested without Redis and `campaign preview
// --no-audience` works without it. Cost is audience × segments × the
// channel's price per segment; subscribers owed the footer are counted at
// the segments of the text with the footer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "campaign/audience_groups.h"
#include "campaign/campaign.h"
#include "campaign/message_renderer.h"
#include "channels/medium.h"
#include "config/config.h"
#include "templates/template_store.h"
#include "util/address.h"

namespace broadcaster::campaign {

/// One language of the audience.
struct PreviewLanguage {
  std::string language;       ///< the subscribers' language
  std::string variant;        ///< the template variant they get ("" when none: they are skipped)
  std::string format_locale;  ///< the ICU locale of that variant's dates and numbers ("es-US")
  long long subscribers = 0;  ///< in the audience (0 without audience data)
  long long with_footer = 0;  ///< of them, how many get the opt-out footer
  std::optional<util::Address> sample;
  /// The text the sample subscriber gets (without a sample: the text most of
  /// them get). Empty when there is no variant.
  RenderedText sample_text;
  RenderedText plain;                     ///< the text without the footer
  std::optional<RenderedText> footered;   ///< the text with the footer, when there is a footer
  long long total_segments = 0;           ///< over all its subscribers (SMS; 0 on plain text)
  std::optional<double> cost;             ///< when the channel has a price and the audience was counted (SMS)
};

/// A whole campaign.
struct Preview {
  std::string campaign;
  std::string channel;
  /// What the channel carries; the segment fields below are for SMS only
  /// (0 or nullopt on plain text), max_characters for plain text only.
  channels::MediumKind medium = channels::MediumKind::Sms;
  std::size_t max_segments = 0;             ///< SMS: the channel's limit
  std::optional<double> price_per_segment;  ///< SMS: the channel's price, when configured
  /// Plain text: the channel's limit in code points (character_limit); 0: none.
  std::size_t max_characters = 0;
  std::string currency;
  FooterPolicy footer = FooterPolicy::AfterJoin;
  bool smart_encoding = false;
  bool has_audience = false;  ///< counts come from Redis
  std::vector<PreviewLanguage> languages;
  long long subscribers = 0;
  long long skipped = 0;  ///< subscribers with no variant along their chain
  long long unreachable = 0;     ///< subscribers whose address the channel cannot reach (not in `subscribers`)
  long long total_segments = 0;  ///< SMS; 0 on plain text
  std::optional<double> cost;  ///< when the channel has a price and the audience was counted (SMS)

  /// Languages whose longest text is over the channel's limit: max_segments
  /// on SMS, max_characters (when set) on plain text.
  [[nodiscard]] std::vector<std::string> over_limit() const;
};

/// Previews `campaign` (already validated, so it renders). With `audience`,
/// one row per language in it plus each language listed in the audience;
/// without, one row per language validation checks (languages_to_check),
/// counts 0. `unreachable`: how many of the audience the channel cannot
/// reach (AudienceGroups::unreachable). Throws ConfigError if the template
/// does not load, Error if the channel is not configured or a text does not
/// render.
Preview build_preview(const Campaign& campaign, const config::Config& cfg, templates::TemplateStore& templates,
                      const std::optional<std::vector<AudienceGroup>>& audience, long long unreachable = 0);

}  // namespace broadcaster::campaign
