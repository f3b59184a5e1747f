// Which members of an audience a campaign's channel can reach: an SMS
// channel reaches phone numbers, not a subscriber known only by an email
// address or a Telegram chat (channels/medium.h).
// Design: one filter that submit and preview both apply, so the preview's
// counts are what submitting queues, and the members dropped are counted
// ("skipped_unreachable") rather than lost from sight.
#pragma once

#include <vector>

#include "channels/medium.h"
#include "store/audience_reader.h"

namespace broadcaster::campaign {

/// Removes from `members` those whose address `medium` cannot reach,
/// keeping the order of the rest; returns how many were removed.
long long drop_unreachable(std::vector<store::AudienceMember>& members, const channels::Medium& medium);

}  // namespace broadcaster::campaign
