// Submitting a campaign: audience -> per-language text -> the campaign's queue.
// Design: idempotent by construction. Every number queued for a campaign is
// remembered in the campaign's `enqueued` set by the same script that queues
// it, so submitting again (after an edit that widened the audience, or after
// a crash half-way) queues only the numbers not queued before. The campaign
// becomes visible to `serve` only after its messages are queued.
//
// Each subscriber's text comes from MessageRenderer (the variant along their
// language's fallback chain, smart-encoded when the campaign asks), with the
// opt-out footer when the campaign's footer policy says so: always, or
// after_join for subscribers whose footer_due flag is set. Numbers already
// queued by an earlier submission are left out before rendering, so the
// footer_due flags read and cleared (store/footer_due.h) are only those of
// the messages this submission queues.
//
// Each submission copies `retention.campaign_days` into the campaign's meta
// hash; when the campaign is done its per-message data expires after that
// (store/keys.h). A submission that queues new messages for a done campaign
// re-opens it and cancels the expiry; one after the data expired queues the
// whole audience again.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "campaign/campaign.h"
#include "config/config.h"
#include "schedule/zoned_time.h"
#include "store/campaign_approval.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "templates/template_store.h"

namespace broadcaster::campaign {

struct SubmitReport {
  long long matched = 0;         ///< active subscribers matching the audience now
  long long newly_queued = 0;    ///< messages added to the queue by this submission
  long long already_queued = 0;  ///< matched numbers queued by an earlier submission
  long long no_template = 0;     ///< matched subscribers whose language has no variant or fallback
  /// Active subscribers of the audience whose address the channel cannot
  /// reach (campaign/reachable.h); not in `matched`.
  long long unreachable = 0;
  long long with_footer = 0;     ///< messages queued now that carry the opt-out footer
  /// Messages queued now per language variant used ("es" -> 412).
  std::map<std::string, long long> by_variant;
  /// Messages queued now in a fallback language ("mix->es" -> 12).
  std::map<std::string, long long> fallbacks;
  std::chrono::system_clock::time_point starts_at;
  /// Whether it waits for a second person's approval (urgent campaigns).
  store::ApprovalState approval = store::ApprovalState::NotNeeded;
  /// The approval state before this submission (an approved urgent campaign
  /// submitted again needs approving again).
  store::ApprovalState previous_approval = store::ApprovalState::NotNeeded;
};

/// Called after each queued batch with (done, total) subscribers.
using Progress = std::function<void(std::size_t, std::size_t)>;

/// Queues `campaign` (already validated) for `author` (a staff name; "" when
/// nobody is named, which an urgent campaign refuses). The author and, for
/// an urgent campaign, the approval it needs are recorded with an audit
/// entry before any message is queued (store/campaign_approval.h). Throws
/// RedisError, or Error if the template cannot render for some language or
/// an urgent campaign has no author.
/// With `recipient_time` (a run of a schedule in each recipient's zone),
/// each message is set aside until that wall time in its subscriber's zone
/// (config::OutreachConfig::zone_for) when that is still ahead.
SubmitReport submit_campaign(const Campaign& campaign, const config::Config& cfg, templates::TemplateStore& templates,
                             store::RedisClient& redis, const store::Keys& keys, const std::string& author = {},
                             const Progress& progress = {},
                             const std::optional<schedule::LocalDateTime>& recipient_time = std::nullopt);

}  // namespace broadcaster::campaign
