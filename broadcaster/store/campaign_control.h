// Staff pausing, resuming and cancelling a campaign, on the Redis side.
// Design: the campaign's meta.status (store/campaign_meta.h) is the one
// truth senders obey: send_begin.lua refuses to start a send of a paused or
// cancelled campaign and every `serve` process re-reads meta each second,
// so a change here stops (or restarts) sending across all processes. Each
// change is one script (store/scripts/campaign_control.lua) that checks the
// current status, changes it and appends the audit entry (store/audit_log.h)
// atomically, so two people acting at once cannot both win and the audit
// log never shows a change that did not happen. Resuming re-sends nobody:
// outcomes and send markers stay, and the sender skips a number that has an
// outcome and asks the provider about one whose send had started.
// Cancelling also removes the campaign from bc:campaigns, the zset of
// campaigns with work left. That key has no hash tag, so it is in another
// slot than the campaign's keys and cannot be in the script: it is a
// second command after it. If the process dies between the two, the
// campaign stays in bc:campaigns with status cancelled, which senders skip;
// cancelling again (which answers AlreadyInState) removes it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// What staff do to a campaign.
enum class ControlAction {
  Pause,   ///< sending -> paused
  Resume,  ///< paused -> sending
  Cancel,  ///< sending | paused -> cancelled, for good
};

/// "pause", "resume", "cancel" (also the audit action, audit_actions).
[[nodiscard]] std::string_view to_string(ControlAction action) noexcept;

/// The status an action leads to: meta::kPaused, kSending, kCancelled.
[[nodiscard]] std::string_view target_status(ControlAction action) noexcept;

/// How a control attempt ended.
enum class ControlOutcome {
  Done,            ///< changed now, audit entry written
  AlreadyInState,  ///< the campaign was in the target status already; nothing written
  Unknown,         ///< no meta hash: never submitted
  NotAllowed,      ///< its status allows no such change (ControlResult::status_before says which)
};

/// The result of control_campaign().
struct ControlResult {
  ControlOutcome outcome = ControlOutcome::Unknown;
  /// meta.status before the attempt ("sending", "paused", "cancelled",
  /// "done"; empty for Unknown or a campaign without one).
  std::string status_before;
  std::string at;        ///< ISO 8601 UTC of the attempt (cancelled_at for a cancel)
  std::string audit_id;  ///< the audit entry's stream id; empty unless Done
  /// For a Cancel that is Done: messages that will never be sent (the
  /// stats counter `cancelled`); 0 otherwise.
  long long cancelled = 0;
  /// For a Cancel that is Done: when the per-message data goes (ms since
  /// the epoch, meta.purge_at_ms); 0 otherwise.
  long long purge_at_ms = 0;
};

/// The keys and arguments of store/scripts/campaign_control.lua for
/// control_campaign's change, for a caller that runs the script itself
/// (the sender, on Redis's async connection). It does not remove a
/// cancelled campaign from bc:campaigns. Throws as control_campaign.
[[nodiscard]] RedisClient::ScriptCall control_campaign_call(const Keys& keys, const std::string& id,
                                                            ControlAction action, const std::string& actor,
                                                            const std::string& detail,
                                                            std::chrono::system_clock::time_point at);

/// `actor` (a staff name, config::Staff::name) applies `action` to
/// campaign `id` at `at`, with `detail` for the audit entry (free text for
/// people, never a number; empty for a default). Done: meta.status is the
/// target status and an audit entry with action to_string(`action`) is
/// appended, in one atomic step. A Cancel that is Done or AlreadyInState
/// then removes the campaign from bc:campaigns. Throws Error for an empty
/// actor or a detail longer than kMaxAuditDetailBytes, RedisError.
[[nodiscard]] ControlResult control_campaign(
    RedisClient& redis, const Keys& keys, const std::string& id, ControlAction action, const std::string& actor,
    const std::string& detail = {}, std::chrono::system_clock::time_point at = std::chrono::system_clock::now());

}  // namespace broadcaster::store
