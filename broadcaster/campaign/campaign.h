// A campaign as staff write it in config/campaigns/*.yaml.
// Design: parsing keeps the position of every value a later check may
// complain about, so validation can point at file:line:column even though it
// runs after the YAML is gone.
//
// Keys: id, description, template, channel, audience {languages, tags},
// language_fallbacks, variables, send_at or schedule (schedule/recurrence.h:
// once, every ..., rrule, in a zone or each recipient's), priority (normal |
// urgent), valid_until, over_cap (wait | skip), event (calendar/event_ref.h),
// time_zone (the event's zone, an IANA id), footer (after_join | always |
// never) and smart_encoding (true|false).
//
// Reading does not stop at the first mistake: every key is read on its own,
// so one run reports an unknown key, a bad time zone and a bad footer
// together (read_campaign_text), like a compiler. What could not be read is
// named in CampaignFile::unreadable so validation skips the checks that need
// it instead of reporting the same mistake twice.
// A variable is plain text (`place: Fresno Library`) or typed:
//   when:  {datetime: "2026-12-05T10:00"}   wall time in time_zone, or with
//                                           its offset ("...T10:00-08:00")
//   seats: {number: 40}
//   note:  {text: "40"}                     text even if it looks like a number
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/event_ref.h"
#include "schedule/recurrence.h"
#include "templates/message_template.h"
#include "util/errors.h"

namespace broadcaster::campaign {

/// A 1-based position in a campaign file.
struct SourcePos {
  int line = 0;
  int column = 0;
};

/// A value with where it was written.
template <class T>
struct Located {
  T value{};
  SourcePos pos;
};

/// Who receives the campaign: active subscribers whose language is one of
/// `languages` (all when empty) and who carry at least one of `tags` (any
/// tags when empty).
struct Audience {
  std::vector<Located<std::string>> languages;
  std::vector<Located<std::string>> tags;
  SourcePos pos;
};

/// When a campaign message carries the opt-out footer (templates/footer/<lang>.txt).
enum class FooterPolicy {
  AfterJoin,  ///< the first campaign message after a subscriber joined by keyword (the default)
  Always,     ///< every message of the campaign
  Never,      ///< none (the template carries its own opt-out text)
};

/// "after_join", "always" or "never", as written in campaign files.
std::string_view to_string(FooterPolicy policy) noexcept;

/// How a campaign's messages are ordered against others'.
enum class Priority {
  Normal,  ///< bulk: quiet hours and the frequency cap apply
  Urgent,  ///< rapid response: ahead of any bulk backlog; may need a second person's approval
};

/// What happens to a message that would go over the frequency cap.
enum class OverCap {
  Wait,  ///< it waits until the subscriber is under the cap again (the default)
  Skip,  ///< it is not sent, and counted as skipped_cap
};

/// "normal"/"urgent", "wait"/"skip", as written in campaign files.
std::string_view to_string(Priority priority) noexcept;
std::string_view to_string(OverCap over_cap) noexcept;

struct Campaign {
  std::string file;  ///< the YAML file, for messages
  Located<std::string> id;
  std::string description;
  Located<std::string> template_name;
  Located<std::string> channel;
  Audience audience;
  /// Per-campaign fallbacks: a subscriber language -> the languages whose
  /// text it gets, in order ("hmn: en", "mix: [es, en]"). They come before
  /// the configuration's language_fallbacks and fallback_language.
  std::map<std::string, Located<std::vector<std::string>>> language_fallbacks;
  templates::Variables variables;
  std::map<std::string, SourcePos> variable_pos;  ///< where each variable's name is written
  SourcePos variables_pos;
  /// The zone dates are shown in (IANA id, checked by ICU); "" when not given.
  Located<std::string> time_zone;
  /// When messages carry the opt-out footer; `pos` is 0:0 when not written.
  Located<FooterPolicy> footer{FooterPolicy::AfterJoin, {}};
  /// Swap typographic look-alikes for GSM-7 characters before counting and
  /// sending (templates::smart_encode), when that makes a message GSM-7.
  bool smart_encoding = false;
  /// When to start sending; nullopt means as soon as it is submitted.
  std::optional<std::chrono::system_clock::time_point> send_at;
  /// When to send instead, as a rule (once at a wall time, or recurring);
  /// nullopt without `schedule:`. Never together with send_at.
  std::optional<schedule::Recurrence> schedule;
  SourcePos schedule_pos;
  Located<Priority> priority{Priority::Normal, {}};
  /// Messages not sent by then are dropped and counted as expired.
  std::optional<std::chrono::system_clock::time_point> valid_until;
  SourcePos valid_until_pos;
  OverCap over_cap = OverCap::Wait;
  /// The partner event the campaign is about, for calendar checks.
  std::optional<calendar::EventRef> event;

  std::vector<std::string> language_values() const;
  std::vector<std::string> tag_values() const;
};

/// A campaign file read as far as it goes.
struct CampaignFile {
  /// Every value that could be read; the others keep their defaults.
  Campaign campaign;
  /// Every structural problem, in file order, each once: YAML syntax,
  /// unknown keys, missing or mistyped values, bad id, language code, tag,
  /// time zone, footer, send_at or variable, and everything config::parse_yaml
  /// refuses (duplicate keys, invalid UTF-8, oversized files and values).
  std::vector<ConfigError> problems;
  /// What could not be read: top-level keys ("template", "time_zone"), and
  /// "variables.<name>" for one variable; "*" when the file is not a
  /// campaign at all (syntax error, not a mapping).
  std::set<std::string> unreadable;

  bool readable(const std::string& key) const { return !unreadable.count("*") && !unreadable.count(key); }
};

/// Reads a campaign file, collecting every problem rather than throwing.
CampaignFile read_campaign_file(const std::filesystem::path& path);

/// read_campaign_file for a campaign already read into `yaml`; `file` names
/// it in problems and in Campaign::file.
CampaignFile read_campaign_text(std::string_view yaml, const std::string& file);

/// Reads a campaign file that must be well formed: throws the first problem
/// read_campaign_file finds, as a ConfigError.
Campaign parse_campaign_file(const std::filesystem::path& path);

/// parse_campaign_file for a campaign already read into `yaml`.
Campaign parse_campaign_text(std::string_view yaml, const std::string& file);

/// Parses "2026-12-05T10:00:00-08:00" (or ...Z); nullopt if malformed.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(const std::string& text);

}  // namespace broadcaster::campaign
