// The two-person rule for urgent campaigns, on the Redis side: who submitted
// a campaign, whether it still waits for a second person, and approving it.
// Design: the state lives in the campaign's meta hash (store/keys.h), in the
// fields declared below; store/scripts/campaign_approve.lua names them too.
// A submission records its author and the approval it needs in one MULTI
// block with its audit entry; approving is one script that checks and
// changes the state and appends the audit entry atomically, so two people
// approving at once, or the author racing a colleague, cannot both win.
// Each submission of a campaign that needs approval sets it back to
// pending: a resubmission may carry a new text, and approval covers what
// was submitted. A campaign with no `approval` field needs none; any value
// other than the three known ones is read as pending, so a damaged record
// holds messages back rather than letting them through.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// The meta hash fields of the two-person rule.
namespace approval_fields {
inline constexpr std::string_view kAuthor = "author";           ///< staff name of the last submitter
inline constexpr std::string_view kApproval = "approval";       ///< pending | approved | waived
inline constexpr std::string_view kApprovedBy = "approved_by";  ///< staff name of the approver
inline constexpr std::string_view kApprovedAt = "approved_at";  ///< ISO 8601 UTC
}  // namespace approval_fields

/// Where a campaign stands with respect to the two-person rule.
enum class ApprovalState {
  NotNeeded,  ///< not urgent: no `approval` field
  Pending,    ///< urgent, waiting for a second person
  Approved,   ///< urgent, approved by someone other than its author
  Waived,     ///< urgent, and the organization waives the rule
};

/// "not_needed", "pending", "approved", "waived".
[[nodiscard]] std::string_view to_string(ApprovalState state) noexcept;

/// The state a meta hash's `approval` field value gives (nullopt or "" for
/// an absent field; an unknown value is Pending).
[[nodiscard]] ApprovalState parse_approval(const std::optional<std::string>& field);

/// The state of a campaign from its meta hash (HGETALL bc:{c:<id>}:meta).
[[nodiscard]] ApprovalState approval_state(const std::map<std::string, std::string>& meta);

/// Whether messages in `state` may be sent: everything but Pending.
[[nodiscard]] constexpr bool may_send(ApprovalState state) noexcept { return state != ApprovalState::Pending; }

/// may_send(approval_state(meta)): what the sender asks before sending a
/// campaign's messages.
[[nodiscard]] bool may_send(const std::map<std::string, std::string>& meta);

/// The approval a new submission needs: NotNeeded unless `urgent`; then
/// Pending, or Waived when the organization's config waives the rule
/// (config::ApprovalConfig::urgent_needs_second_person false).
[[nodiscard]] constexpr ApprovalState initial_approval(bool urgent, bool urgent_needs_second_person) noexcept {
  if (!urgent) return ApprovalState::NotNeeded;
  return urgent_needs_second_person ? ApprovalState::Pending : ApprovalState::Waived;
}

/// One submission as the two-person rule records it.
struct Submission {
  std::string campaign;
  std::string author;  ///< staff name (config::Staff::name)
  /// NotNeeded, Pending or Waived (initial_approval); Approved is refused.
  ApprovalState approval = ApprovalState::NotNeeded;
  std::string detail;  ///< for the audit entry ("urgent", "3 new messages"); never a number
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();
};

/// What record_submission found and wrote.
struct SubmissionRecord {
  ApprovalState previous = ApprovalState::NotNeeded;  ///< the state before this submission
  std::string previous_approved_by;                   ///< who had approved it, if anyone
  std::string audit_id;                               ///< the submit entry's stream id
};

/// Records `s` in the campaign's meta hash (author, approval; a NotNeeded
/// submission removes the approval fields) and appends a `submit` audit
/// entry, atomically (MULTI/EXEC). Call it after the meta hash is created
/// and before any message is queued, so no sender sees the new messages
/// without their approval state. Throws Error for an Approved submission or
/// an invalid audit entry, RedisError.
SubmissionRecord record_submission(RedisClient& redis, const Keys& keys, const Submission& s);

/// How an approval attempt ended.
enum class ApproveOutcome {
  Approved,         ///< recorded now
  UnknownCampaign,  ///< no meta hash: never submitted
  NotNeeded,        ///< the campaign is not urgent
  Waived,           ///< the organization waives the rule; nothing to approve
  ByAuthor,         ///< the approver is its author: refused (and audited)
  AlreadyApproved,  ///< someone approved it before
};

/// The result of approve(). `approved_by` and `approved_at` are set for
/// Approved and AlreadyApproved; `author` whenever the campaign has one.
struct ApproveResult {
  ApproveOutcome outcome = ApproveOutcome::UnknownCampaign;
  std::string author;
  std::string approved_by;
  std::string approved_at;
  std::string audit_id;  ///< the entry written (approve, or approve_refused for ByAuthor)
};

/// `approver` (a staff name) approves campaign `id` at `at`: atomically
/// checks that the campaign exists, is pending, and was not submitted by
/// `approver` (names compared without regard to ASCII case), then records
/// approval, approved_by, approved_at and appends an `approve` audit entry.
/// An attempt by the author appends an `approve_refused` entry. Throws
/// RedisError.
[[nodiscard]] ApproveResult approve(RedisClient& redis, const Keys& keys, const std::string& id,
                                    const std::string& approver,
                                    std::chrono::system_clock::time_point at = std::chrono::system_clock::now());

}  // namespace broadcaster::store
