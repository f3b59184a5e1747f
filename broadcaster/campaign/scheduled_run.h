// One run of a scheduled campaign: its id, how its occurrence is written in
// the schedule registry, and which instants it spans.
// A run is one occurrence of a campaign's `schedule:` (schedule/recurrence.h).
// It is submitted under its own campaign id, `<campaign id>--<YYYYMMDD-HHMM>`
// of the occurrence's wall time, so each run has its own queue and
// `enqueued` set: submitting a run twice (a claimer died half-way, and the
// next one re-runs it) queues nobody twice, while the next run queues
// everyone again.
//
// Zones. A schedule in one zone (its own `time_zone`, or the organization's)
// has one instant per occurrence. One in each recipient's zone (`time_zone:
// recipient`) spans a day: the occurrence is claimed when its wall time
// arrives in the earliest zone any subscriber can be in (kEarliestZone,
// Pacific/Kiritimati, UTC+14), so that submission can give each message the
// instant of that wall time in its recipient's zone; it counts as late only
// after the wall time has passed in the latest zone (kLatestZone, UTC-12).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schedule/recurrence.h"
#include "schedule/zoned_time.h"
#include "store/schedule_registry.h"

namespace broadcaster::campaign {

/// The first zone to reach any wall time (UTC+14, no daylight saving).
inline constexpr std::string_view kEarliestZone = "Pacific/Kiritimati";
/// The last zone to reach any wall time (UTC-12; POSIX-style name, so the
/// sign is inverted).
inline constexpr std::string_view kLatestZone = "Etc/GMT+12";

/// Longest campaign id (campaign files refuse longer ones).
inline constexpr std::size_t kMaxCampaignIdLength = 64;

/// The campaign id of the run of `campaign_id` at `occurrence`:
/// "<campaign id>--<YYYYMMDD-HHMM>", 64 characters at most. A campaign id
/// longer than 49 characters (64 less the 15 of the suffix) is shortened to
/// its first 40 characters, a '-' and 8 hex digits of a hash (FNV-1a, 32 bit)
/// of the whole id, so two long ids that share a beginning still get
/// different run ids, on every machine alike. Uses only characters valid in
/// campaign ids.
[[nodiscard]] std::string run_id(const std::string& campaign_id, const schedule::LocalDateTime& occurrence);

/// "2027-03-16T10:00", as the schedule registry stores an occurrence.
[[nodiscard]] std::string occurrence_text(const schedule::LocalDateTime& occurrence);

/// Reads occurrence_text() back. Throws Error for anything else.
[[nodiscard]] schedule::LocalDateTime parse_occurrence_text(std::string_view text);

/// The zone a schedule's occurrences are read in: its `time_zone`, or
/// `default_zone` when it names none, or "recipient" (schedule::kRecipientZone)
/// for a schedule in each recipient's zone.
[[nodiscard]] std::string schedule_zone(const schedule::Recurrence& rule, const std::string& default_zone);

/// When `occurrence` in `zone` (as schedule_zone gives it) is claimed: its
/// instant there, or in kEarliestZone for "recipient". Throws Error for an
/// unknown zone.
[[nodiscard]] schedule::TimePoint claim_instant(const schedule::LocalDateTime& occurrence, const std::string& zone);

/// The last instant `occurrence` in `zone` names: its instant there, or in
/// kLatestZone for "recipient". Lateness is counted from here. Throws Error
/// for an unknown zone.
[[nodiscard]] schedule::TimePoint last_instant(const schedule::LocalDateTime& occurrence, const std::string& zone);

/// The first occurrence of `rule` whose claim instant is strictly after
/// `after`, with `default_zone` for a rule that names no zone; nullopt when
/// the rule has none left. Throws Error for an unknown zone.
[[nodiscard]] std::optional<schedule::LocalDateTime> next_occurrence(const schedule::Recurrence& rule,
                                                                     schedule::TimePoint after,
                                                                     const std::string& default_zone);

/// `occurrence` of `rule` as the registry stores it (text, zone, claim instant).
[[nodiscard]] store::ScheduledOccurrence registry_occurrence(const schedule::LocalDateTime& occurrence,
                                                             const std::string& zone);

}  // namespace broadcaster::campaign
