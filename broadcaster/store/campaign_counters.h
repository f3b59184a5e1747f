// The names of a campaign's counters (the fields of bc:{c:<id>}:stats).
// Design: one list, used by whoever increments or reads them from C++ (the
// sender passes them to record_outcome.lua; stats reads them). The scripts
// that increment a counter themselves name it literally and say so here:
//   enqueue.lua: queued, purged        send_begin.lua: in_doubt
//   dead_letter.lua: dead_letter       campaign_forget.lua: erased, skipped_erased
//   campaign_finish.lua reads queued, erased, dead_letter, purged
//   campaign_control.lua: cancelled (reads those campaign_finish.lua reads
//   and sent, failed, skipped_stopped, skipped_erased)
//   delivery_receipt.lua: lang:<language>:<final counter> (by_language below)
// "targeted" is not stored: it is queued + skipped_no_template
// (stats::CampaignStats::targeted), so a resubmission cannot make them disagree.
#pragma once

#include <string>
#include <string_view>

namespace broadcaster::store::counters {

inline constexpr std::string_view kQueued = "queued";
inline constexpr std::string_view kSent = "sent";
inline constexpr std::string_view kFailed = "failed";
/// Prefix of failures by provider code: "failed:21610".
inline constexpr std::string_view kFailedPrefix = "failed:";
inline constexpr std::string_view kSkippedStopped = "skipped_stopped";
inline constexpr std::string_view kSkippedNoTemplate = "skipped_no_template";
/// Audience members whose address the channel cannot reach (an email
/// address on an SMS channel), set by each submission.
inline constexpr std::string_view kSkippedUnreachable = "skipped_unreachable";
/// Times a message was found in doubt (a send without an answer).
inline constexpr std::string_view kInDoubt = "in_doubt";
/// In-doubt messages the provider had: recorded as sent, not sent again.
inline constexpr std::string_view kInDoubtFound = "in_doubt_found";
/// In-doubt messages the provider did not have: sent again.
inline constexpr std::string_view kInDoubtResent = "in_doubt_resent";
/// Queue entries that could not be read, set aside in the dead-letter stream.
inline constexpr std::string_view kDeadLetter = "dead_letter";

/// Queued messages whose number was erased on request (`remove --forget`).
inline constexpr std::string_view kErased = "erased";
/// Of those, the ones erased before they had an outcome: never sent.
inline constexpr std::string_view kSkippedErased = "skipped_erased";
/// Messages of an earlier round whose per-message data was purged before a
/// resubmission queued the campaign again.
inline constexpr std::string_view kPurged = "purged";
/// Queued messages that will never be sent because staff cancelled the
/// campaign: queued minus those settled or being sent at the cancel
/// (store/campaign_control.h). Written once, by the cancel.
inline constexpr std::string_view kCancelled = "cancelled";

/// Not sent: past the campaign's valid_until (the send gate, defer).
inline constexpr std::string_view kSkippedExpired = "skipped_expired";
/// Not sent: over the frequency cap, in a campaign with over_cap: skip.
inline constexpr std::string_view kSkippedCap = "skipped_cap";
/// Times a message was set aside until quiet hours ended (defer.lua).
inline constexpr std::string_view kDeferredQuietHours = "deferred_quiet_hours";
/// Times a message was set aside until the subscriber was under the cap again.
inline constexpr std::string_view kDeferredCap = "deferred_cap";

/// Delivery receipts: sent messages that reached a final state
/// (delivery_receipt.lua increments them from the names given here).
inline constexpr std::string_view kDelivered = "delivered";
inline constexpr std::string_view kUndelivered = "undelivered";
inline constexpr std::string_view kDeliveryFailed = "delivery_failed";
/// Prefix of final receipts by the provider's error code: "error:30003".
inline constexpr std::string_view kErrorPrefix = "error:";

/// "failed:<code>".
inline std::string failed_with(std::string_view code) { return std::string(kFailedPrefix) + std::string(code); }

/// Prefix of the counters kept per language of the message's variant:
/// "lang:es:sent". Kept for sent and failed (record_outcome_call adds them
/// next to the totals) and for delivered, undelivered and delivery_failed
/// (delivery_receipt.lua, from the language stored with the outcome), so the
/// languages add up to the totals: both are written in the same script call.
inline constexpr std::string_view kLanguagePrefix = "lang:";
/// The language a message without one is counted under ("und", ISO 639's
/// undetermined), so that the languages still add up to the totals.
inline constexpr std::string_view kNoLanguage = "und";

/// True for the counters also kept per language.
inline bool counted_by_language(std::string_view counter) {
  return counter == kSent || counter == kFailed || counter == kDelivered || counter == kUndelivered ||
         counter == kDeliveryFailed;
}

/// "lang:<language>:<counter>".
inline std::string by_language(std::string_view language, std::string_view counter) {
  return std::string(kLanguagePrefix) + std::string(language.empty() ? kNoLanguage : language) + ":" +
         std::string(counter);
}

}  // namespace broadcaster::store::counters
