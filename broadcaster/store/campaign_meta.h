// The fields of a campaign's meta hash (bc:{c:<id>}:meta), declared once.
// Design: the hash says what a campaign is and where it stands, holds no
// phone numbers and is kept after the per-message data is purged. C++ code
// reads and writes these names; the scripts that touch a field themselves
// name it literally and are listed beside it.
#pragma once

#include <string_view>

namespace broadcaster::store::meta {

inline constexpr std::string_view kId = "id";
inline constexpr std::string_view kTemplate = "template";
inline constexpr std::string_view kChannel = "channel";
inline constexpr std::string_view kFile = "file";
inline constexpr std::string_view kDescription = "description";
/// sending | paused | cancelled | done (campaign_finish.lua sets done,
/// enqueue.lua re-opens a done one; pause, resume and cancel are staff's:
/// campaign_control.lua, store/campaign_control.h).
/// send_begin.lua refuses to start a send of a paused or cancelled campaign.
inline constexpr std::string_view kStatus = "status";
/// When the campaign was first submitted (ISO 8601 UTC); never changes.
inline constexpr std::string_view kSubmittedAt = "submitted_at";
/// When it was last submitted (the same as submitted_at after one submission).
inline constexpr std::string_view kLastSubmittedAt = "last_submitted_at";
/// When sending may start, ms since the epoch.
inline constexpr std::string_view kSendAtMs = "send_at_ms";
/// retention.campaign_days in ms, read by campaign_finish.lua.
inline constexpr std::string_view kRetentionMs = "retention_ms";
/// When every queued message had an outcome (campaign_finish.lua); removed
/// when a later submission re-opens the campaign (enqueue.lua).
inline constexpr std::string_view kDoneAt = "done_at";
/// When the per-message data goes (campaign_finish.lua, and
/// campaign_control.lua on cancel).
inline constexpr std::string_view kPurgeAtMs = "purge_at_ms";
/// When staff cancelled the campaign (ISO 8601 UTC; campaign_control.lua,
/// store/campaign_control.h). Who did is in the audit log.
inline constexpr std::string_view kCancelledAt = "cancelled_at";

/// normal | urgent (campaign YAML `priority`): urgent campaigns are sent
/// ahead of any bulk backlog.
inline constexpr std::string_view kPriority = "priority";
/// wait | skip: what happens to a message over the frequency cap.
inline constexpr std::string_view kOverCap = "over_cap";
/// After this (ms since the epoch) unsent messages are dropped as expired;
/// absent: no limit.
inline constexpr std::string_view kValidUntilMs = "valid_until_ms";

/// A scheduled campaign's next run (campaign YAML `schedule:`), ms since the
/// epoch: when the scheduler claims it (campaign/scheduler.h; for a schedule
/// in each recipient's zone, when its wall time arrives in the earliest
/// zone). Written at submission and after each run; removed when the
/// schedule ends. Absent for a campaign without a schedule.
inline constexpr std::string_view kNextRunMs = "next_run_ms";

/// Set only on a keyword reply sent as a campaign of one message
/// (store/keyword_reply.h, reply_enqueue.lua): to_stopped (it may go to an
/// opted-out number: the STOP's confirmation, a HELP's answer) or
/// not_stopped. The sender sends it at any hour and outside the frequency cap.
inline constexpr std::string_view kReply = "reply";

/// Values of kStatus.
inline constexpr std::string_view kSending = "sending";
inline constexpr std::string_view kPaused = "paused";
inline constexpr std::string_view kCancelled = "cancelled";
inline constexpr std::string_view kDone = "done";

}  // namespace broadcaster::store::meta
