// Scheduled campaigns on the Redis side: which campaign runs next and when,
// and handing each due occurrence to exactly one `serve` process.
// Design: one sorted set (bc:{sched}:due, campaign id -> ms when it is next
// looked at) and one hash per campaign (bc:{sched}:c:<id>, the fields below),
// all in the {sched} hash slot so one script sees them together. An entry is
// `waiting` (its score is the occurrence's due time) or `claimed` (its score
// is the end of the claimer's lease). claim_due() first reads the ids whose
// score has passed, then schedule_claim.lua re-checks each one and claims it
// atomically, so of several processes claiming at once exactly one gets an
// occurrence. A claimer that dies mid-run leaves its lease to run out; the
// entry is then due again and the next claimer gets the same occurrence
// (attempt 2). Running an occurrence twice is harmless because submission is
// idempotent per run id (campaign/submit.h: every number is queued once per
// campaign id, and a run's id names its occurrence). complete()
// (schedule_complete.lua) finishes only the occurrence the record still
// names, so a late finisher whose occurrence was already finished by the
// next claimer changes nothing.
//
// "Now" comes from the caller, not from Redis's TIME: the scheduler decides
// from the same clock whether an occurrence is due, whether it is too late
// to send, and which occurrence comes next (schedule::Recurrence works in
// C++), and tests inject that clock to run a year of occurrences in a
// second. The cost is that processes on machines whose clocks disagree by
// more than a lease may take over each other's leases early; that only
// causes a harmless re-run (above), so NTP-level agreement is plenty.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// The fields of a schedule hash (bc:{sched}:c:<id>), declared once; the
/// scripts store/scripts/schedule_claim.lua and schedule_complete.lua name
/// them too.
namespace schedule_fields {
inline constexpr std::string_view kFile = "file";       ///< the campaign file, an absolute path
inline constexpr std::string_view kNext = "next";       ///< next occurrence, local wall time "YYYY-MM-DDTHH:MM"
inline constexpr std::string_view kZone = "zone";       ///< the zone `next` is read in (IANA, or "recipient")
inline constexpr std::string_view kNextMs = "next_ms";  ///< when `next` is claimed, ms since the epoch
inline constexpr std::string_view kState = "state";     ///< waiting | claimed
inline constexpr std::string_view kLeaseUntilMs = "lease_until_ms";  ///< end of a claim's lease (ms)
inline constexpr std::string_view kAttempt = "attempt";              ///< claims of `next` so far (0 while waiting)
/// `next` was skipped (its file did not parse) and waits for a readable file
/// only to move on, not to run.
inline constexpr std::string_view kSkipped = "skipped";
inline constexpr std::string_view kLastFired = "last_fired";      ///< the last occurrence run ("YYYY-MM-DDTHH:MM")
inline constexpr std::string_view kLastOutcome = "last_outcome";  ///< "<fired|expired|skipped> <occurrence>"
inline constexpr std::string_view kRuns = "runs";                 ///< occurrences run so far
}  // namespace schedule_fields

/// One occurrence of a scheduled campaign, as the registry stores it.
struct ScheduledOccurrence {
  std::string local;     ///< wall time "YYYY-MM-DDTHH:MM"
  std::string zone;      ///< the zone `local` is read in: an IANA id, or "recipient"
  long long due_ms = 0;  ///< when it may be claimed, ms since the epoch
};

/// An occurrence handed to one caller by claim_due().
struct ClaimedOccurrence {
  std::string id;    ///< the campaign id
  std::string file;  ///< its campaign file
  ScheduledOccurrence occurrence;
  /// 1 for the first claim of this occurrence; more after leases ran out.
  long long attempt = 1;
  /// The occurrence was skipped before (its file did not parse): do not run
  /// it, only move on to the next (complete with Outcome::Skipped).
  bool skipped = false;
};

/// What a scheduled campaign's record holds (for `campaign list` and tests).
struct ScheduleRecord {
  std::string id;
  std::string file;
  ScheduledOccurrence next;
  std::string state;  ///< waiting | claimed
  std::string last_fired;
  std::string last_outcome;
  long long runs = 0;
};

/// How a claimed occurrence ended.
enum class RunOutcome {
  Fired,    ///< submitted
  Expired,  ///< too late to send: skipped
  Skipped,  ///< not sent for another reason (paused, file unreadable)
};

/// What complete() did.
enum class CompleteResult {
  Next,      ///< the campaign waits for its next occurrence
  Ended,     ///< no occurrence left: the record is gone
  Deferred,  ///< defer(): the same occurrence is looked at again later
  Stale,     ///< the record names another occurrence now (another claimer finished this one)
  Unknown,   ///< no record (unregistered meanwhile)
};

/// The scheduled campaigns, in the {sched} slot.
class ScheduleRegistry {
 public:
  ScheduleRegistry(RedisClient& redis, Keys keys) : redis_(redis), keys_(std::move(keys)) {}

  /// Registers campaign `id` (read from `file`) to run at `next`, replacing
  /// any occurrence it waited for or had claimed (a claimer of the replaced
  /// one then finishes nothing: Stale); runs and last_fired are kept.
  /// ("register" is a C++ keyword.) Throws RedisError.
  void add(const std::string& id, const std::string& file, const ScheduledOccurrence& next);

  /// Removes campaign `id`'s schedule; true if it had one. Throws RedisError.
  bool remove(const std::string& id);

  /// Claims up to `limit` occurrences due at `now` (score <= now), each for
  /// `lease`: no other caller gets them until the lease runs out. Throws
  /// RedisError.
  [[nodiscard]] std::vector<ClaimedOccurrence> claim_due(std::chrono::system_clock::time_point now,
                                                         std::chrono::milliseconds lease, std::size_t limit = 100);

  /// Finishes `occurrence` (as claimed) of campaign `id` with `outcome`, and
  /// moves the campaign to `next`, or ends its schedule when `next` is
  /// nullopt. Throws RedisError.
  CompleteResult complete(const std::string& id, const std::string& occurrence, RunOutcome outcome,
                          const std::optional<ScheduledOccurrence>& next);

  /// Marks `occurrence` of campaign `id` skipped and looks at it again at
  /// `retry_at` (a file that did not parse: the next occurrence can only be
  /// computed from a readable file). Throws RedisError.
  CompleteResult defer(const std::string& id, const std::string& occurrence,
                       std::chrono::system_clock::time_point retry_at);

  /// Campaign `id`'s record, nullopt when it has none. Throws RedisError.
  [[nodiscard]] std::optional<ScheduleRecord> get(const std::string& id);

  /// The ids of every scheduled campaign, soonest first. Throws RedisError.
  [[nodiscard]] std::vector<std::string> ids();

 private:
  RedisClient& redis_;
  Keys keys_;
};

/// Milliseconds since the epoch of `t`.
[[nodiscard]] long long epoch_ms(std::chrono::system_clock::time_point t) noexcept;

}  // namespace broadcaster::store
