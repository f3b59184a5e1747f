// Checks a parsed campaign against the configuration and its templates.
// Design: collects every problem rather than stopping at the first, so staff
// fix a file in one round; each issue carries a file position and is an
// error (the campaign cannot be submitted) or a warning (it can).
#pragma once

#include <string>
#include <vector>

#include "campaign/campaign.h"
#include "config/config.h"
#include "templates/template_store.h"

namespace broadcaster::campaign {

struct ValidationIssue {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string file;
  SourcePos pos;
  std::string message;

  /// "file:line:column: error: message", as compilers print it.
  std::string to_string() const;
};

/// All problems found; empty means the campaign is ready to submit.
/// First the file's own problems (CampaignFile::problems, all of them), then,
/// for what could be read: the channel is configured; the template exists
/// and compiles; each language listed in the audience has its own variant or
/// a chosen fallback (the campaign's `language_fallbacks`, or the
/// configuration's, which is a warning), and each campaign fallback is used
/// and lands on a listed language (warnings); every argument a variant (or footer)
/// uses has a value of a kind it can use (a date for {when, date, full}),
/// reported at the variable and naming the template file and language;
/// variables no variant uses (warning); the opt-out footer exists where the
/// footer policy needs it; and the text every audience language receives
/// (with the footer when it may apply, smart-encoded when asked) renders,
/// is not empty, and fits the channel: its `max_segments` on an SMS
/// channel, its character limit (ChannelConfig::character_limit) on a
/// plain-text one, where smart_encoding is a warning (it does nothing).
std::vector<ValidationIssue> validate_campaign(const CampaignFile& read, const config::Config& cfg,
                                               templates::TemplateStore& templates);

/// validate_campaign for a campaign read without problems.
std::vector<ValidationIssue> validate_campaign(const Campaign& campaign, const config::Config& cfg,
                                               templates::TemplateStore& templates);

/// The languages whose rendering validation and preview check: those listed
/// in the audience, or, for an audience of every language, each variant's
/// language, each language the campaign names a fallback for, and the
/// fallback language. Sorted, without duplicates.
std::vector<std::string> languages_to_check(const Campaign& campaign, const config::Config& cfg,
                                            const templates::TemplateSet& set);

/// True if any issue is an error.
bool has_errors(const std::vector<ValidationIssue>& issues);

}  // namespace broadcaster::campaign
