// Per-campaign delivery counts, read from Redis, for `stats` and `campaign status`.
// Design: counters are written by the same scripts that queue and record
// messages (store/scripts/enqueue.lua, record_outcome.lua), so they agree with
// the queue by construction; this side only reads and formats them. The
// counters outlive the per-message data, which a done campaign keeps only for
// its retention (store/keys.h).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/campaign_counters.h"
#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::stats {

/// What became of a campaign's messages in one language of its variants.
/// Written with the totals, in the same script calls (campaign_counters.h),
/// so each field summed over the languages is the campaign's total.
struct LanguageStats {
  long long sent = 0;       ///< accepted by the provider
  long long failed = 0;     ///< sends that failed for good
  long long delivered = 0;  ///< final receipts, as in CampaignStats
  long long undelivered = 0;
  long long delivery_failed = 0;
  long long receipted() const { return delivered + undelivered + delivery_failed; }
  /// Failed either way: the send, or the delivery by the receipt.
  long long failed_in_all() const { return failed + delivery_failed; }
  std::optional<double> delivery_rate() const {
    if (receipted() == 0) return std::nullopt;
    return static_cast<double>(delivered) / static_cast<double>(receipted());
  }
};

struct CampaignStats {
  std::string id;
  /// scheduled (send_at is ahead), sending, waiting (work left and no live
  /// `serve` process to send it), paused, cancelled (staff's, from meta:
  /// store/campaign_control.h), or done.
  std::string status;
  /// normal | urgent (meta.priority; normal when absent).
  std::string priority;
  std::string channel;
  std::string template_name;
  std::string submitted_at;       ///< first submission
  std::string last_submitted_at;  ///< latest submission
  std::string done_at;            ///< when the last outcome came in; empty while not done
  long long send_at_ms = 0;
  /// When the scheduler next runs the campaign (meta.next_run_ms), ms since
  /// the epoch; 0 when it says nothing.
  long long next_run_ms = 0;
  std::string cancelled_at;  ///< when staff cancelled it; empty unless cancelled
  /// A keyword reply sent as a campaign of one message (meta.reply), which
  /// lists leave out unless asked (--replies).
  bool keyword_reply = false;
  /// Every subscriber the campaign was addressed to: queued (over all
  /// submissions, each number once) plus skipped_no_template.
  long long targeted() const { return queued + skipped_no_template; }
  /// Messages queued, over all submissions; a number is queued once.
  long long queued = 0;
  long long sent = 0;
  long long failed = 0;
  long long skipped_stopped = 0;
  /// Subscribers the latest submission matched but had no text for.
  long long skipped_no_template = 0;
  /// Audience members of the latest submission the channel cannot reach (an
  /// email address on an SMS channel); not in targeted().
  long long skipped_unreachable = 0;
  /// Queued messages whose number was erased on request (`remove --forget`),
  /// whether sent before or not.
  long long erased = 0;
  /// Of those, the ones erased before they had an outcome: never sent.
  long long skipped_erased = 0;
  std::map<std::string, long long> failed_by_code;  ///< provider code -> count
  /// Delivery receipts: sent messages that reached a final state.
  long long delivered = 0;
  long long undelivered = 0;
  long long delivery_failed = 0;
  /// Final receipts by the provider's error code -> count.
  std::map<std::string, long long> receipt_errors;
  /// The sent, failed and receipt counts by language of the variant ("en").
  std::map<std::string, LanguageStats> by_language;
  /// Sent messages with a final receipt.
  long long receipted() const { return delivered + undelivered + delivery_failed; }
  /// Of the receipted, the share delivered; nullopt before any receipt.
  std::optional<double> delivery_rate() const {
    if (receipted() == 0) return std::nullopt;
    return static_cast<double>(delivered) / static_cast<double>(receipted());
  }
  long long in_flight = 0;        ///< read by a sender and not yet recorded (XPENDING)
  long long in_doubt = 0;         ///< times a send got no answer (or a sender died mid-send)
  long long in_doubt_found = 0;   ///< the provider had the message: counted as sent, not resent
  long long in_doubt_resent = 0;  ///< the provider did not: sent again
  long long dead_letter = 0;      ///< queue entries that could not be read, set aside
  /// Messages never sent because staff cancelled the campaign (counted at
  /// the cancel; sends already started then are not among them).
  long long cancelled = 0;
  /// Not sent: past the campaign's valid_until.
  long long skipped_expired = 0;
  /// Not sent: over the frequency cap (over_cap: skip).
  long long skipped_cap = 0;
  /// Times a message was set aside for quiet hours / for the frequency cap.
  long long deferred_quiet_hours = 0;
  long long deferred_cap = 0;
  /// Messages set aside now, waiting for their time (quiet hours, the cap,
  /// a send time in the recipient's zone).
  long long waiting = 0;
  /// When the per-message data (numbers, texts, outcomes) of this done or
  /// cancelled campaign is deleted, in ms since the epoch; 0 otherwise.
  long long purge_at_ms = 0;

  /// Queued messages without an outcome yet that may still get one (not
  /// cancelled).
  long long remaining() const {
    return queued - sent - failed - skipped_stopped - dead_letter - skipped_erased - cancelled - skipped_expired -
           skipped_cap;
  }
};

/// Reads one campaign. Throws Error "no campaign 'x'" if it was never
/// submitted. A sending campaign whose send_at is ahead reads "scheduled";
/// one with work left reads "waiting" when no `serve` process is alive
/// (store/serve_presence.h). paused, cancelled and done are shown as meta
/// has them.
CampaignStats read_campaign_stats(store::RedisClient& redis, const store::Keys& keys, const std::string& id);

/// Ids of all submitted campaigns, in order of first submission.
std::vector<std::string> list_campaigns(store::RedisClient& redis, const store::Keys& keys);

/// A fixed-width table, one row per campaign, for people.
std::string format_stats_table(const std::vector<CampaignStats>& rows);

/// What `stats CAMPAIGN` shows below the table for one campaign: the counts
/// by language (accepted, delivered, undelivered, failed, delivery rate) and
/// the send failures by code with the provider's meaning (the table has the
/// receipts' codes in words already); "" when it has neither.
std::string format_campaign_details(const CampaignStats& s);

/// The same as JSON, for scripts.
nlohmann::json stats_to_json(const CampaignStats& s);

}  // namespace broadcaster::stats
