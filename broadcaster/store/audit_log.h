// The audit log: who did what to which campaign, and when.
// Design: an append-only Redis stream per campaign (bc:{c:<id>}:audit,
// store/keys.h), never trimmed and holding staff names only, never a
// subscriber's number. It lives in the campaign's hash slot so that a
// script changing the campaign (campaign_approve.lua, and pause or cancel
// scripts) adds its entry in the same atomic step: such scripts receive the
// entry as field/value pairs built by audit_entry_fields() and XADD them as
// given, so the field names below are the only declaration of them. Reading
// across campaigns merges the streams of bc:campaigns:all by entry id, the
// Redis time of the write.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// The fields of an audit entry, in the order they are written.
namespace audit_fields {
inline constexpr std::string_view kAt = "at";              ///< ISO 8601 UTC, the actor's clock
inline constexpr std::string_view kActor = "actor";        ///< staff name (config/staff.h)
inline constexpr std::string_view kAction = "action";      ///< one of audit_actions
inline constexpr std::string_view kCampaign = "campaign";  ///< campaign id
inline constexpr std::string_view kDetail = "detail";      ///< free text for people; never a number
}  // namespace audit_fields

/// What an entry's `action` may say.
namespace audit_actions {
inline constexpr std::string_view kSubmit = "submit";
inline constexpr std::string_view kApprove = "approve";
/// Someone tried to approve and was refused (the campaign's own author).
inline constexpr std::string_view kApproveRefused = "approve_refused";
inline constexpr std::string_view kPause = "pause";
inline constexpr std::string_view kResume = "resume";
inline constexpr std::string_view kCancel = "cancel";
/// The scheduler (actor "scheduler") submitted one run of a scheduled campaign.
inline constexpr std::string_view kRun = "run";
/// The scheduler skipped a run as expired: it was claimed later than the
/// scheduler's late limit after its time (every `serve` was down).
inline constexpr std::string_view kRunExpired = "run_expired";
/// The scheduler skipped a run for another reason: the campaign file no
/// longer parses, or the campaign is paused. The detail says which.
inline constexpr std::string_view kRunSkipped = "run_skipped";
/// Submitting a run failed; it is tried again after its lease.
inline constexpr std::string_view kRunFailed = "run_failed";
/// A scheduled campaign has no run left (or was cancelled): off the schedule.
inline constexpr std::string_view kScheduleEnd = "schedule_end";
}  // namespace audit_actions

/// Longest `detail`, in bytes.
inline constexpr std::size_t kMaxAuditDetailBytes = 1024;

/// One audit entry.
struct AuditEntry {
  std::string id;  ///< stream id ("1764000000000-0"), set when read; orders entries
  std::string at;  ///< ISO 8601 UTC
  std::string actor;
  std::string action;
  std::string campaign;
  std::string detail;
};

/// `entry`'s fields as XADD wants them: at, its value, actor, its value, ...
/// (the id is not a field). Empty `at` becomes iso8601(`now`). Throws Error
/// when actor, action or campaign is empty or detail is longer than
/// kMaxAuditDetailBytes.
[[nodiscard]] std::vector<std::string> audit_entry_fields(
    const AuditEntry& entry, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// The XADD command that appends `entry` to its campaign's stream, for
/// pipelines, MULTI blocks and the async client. Throws as audit_entry_fields.
[[nodiscard]] std::vector<std::string> audit_append_command(const Keys& keys, const AuditEntry& entry);

/// Appends to and reads the audit streams.
class AuditLog {
 public:
  AuditLog(RedisClient& redis, Keys keys) : redis_(redis), keys_(std::move(keys)) {}

  /// Appends `entry` (its id is ignored) to its campaign's stream; returns
  /// the new entry's id. Throws Error as audit_entry_fields, RedisError.
  std::string append(const AuditEntry& entry);

  /// The newest `limit` entries of campaign `id`, oldest of them first.
  /// Throws RedisError.
  [[nodiscard]] std::vector<AuditEntry> of_campaign(const std::string& id, std::size_t limit);

  /// The newest `limit` entries of every campaign in bc:campaigns:all,
  /// oldest of them first: by entry id, the Redis time of the write in
  /// milliseconds (entries of two campaigns written within the same
  /// millisecond are ordered by campaign id). Reads each
  /// campaign's newest `limit` in pipelined batches and keeps `limit` in
  /// memory. Throws RedisError.
  [[nodiscard]] std::vector<AuditEntry> latest(std::size_t limit);

 private:
  RedisClient& redis_;
  Keys keys_;
};

}  // namespace broadcaster::store
