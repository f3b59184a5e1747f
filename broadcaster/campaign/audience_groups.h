// A campaign's audience as it stands in Redis, grouped by subscriber
// language: how many, how many are owed the opt-out footer, and a sample
// subscriber per language, for `campaign preview`.
// Design: the same reads `campaign submit` makes (one audience query inside
// Redis, then languages and footer_due flags pipelined in batches), so the
// preview counts what submitting would queue, fallbacks included. Read-only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "campaign/campaign.h"
#include "config/config.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "util/address.h"

namespace broadcaster::campaign {

/// Active subscribers of one language in a campaign's audience.
struct AudienceGroup {
  std::string language;
  long long subscribers = 0;
  long long footer_due = 0;  ///< of them, flagged footer_due (joined by keyword, not yet told)
  /// The first address (in stored-form order) of the audience in this language.
  std::optional<util::Address> sample;
  bool sample_footer_due = false;  ///< whether `sample` is flagged footer_due
};

/// A campaign's audience: the members its channel reaches, by language,
/// and how many it cannot reach (campaign/reachable.h).
struct AudienceGroups {
  std::vector<AudienceGroup> languages;  ///< sorted by language
  long long unreachable = 0;             ///< members whose address the channel cannot reach
};

/// The audience of `campaign`, one group per language; subscribers without
/// a stored language count as `cfg.fallback_language`, as submit treats
/// them, and those the channel cannot reach are only counted. Throws
/// RedisError.
AudienceGroups read_audience_groups(const Campaign& campaign, const config::Config& cfg, store::RedisClient& redis,
                                    const store::Keys& keys);

}  // namespace broadcaster::campaign
