// The opt-out footer owed to subscribers who joined by keyword: reading and
// clearing the `footer_due` field of their subscriber hash (keys.h).
// Design: the subscriber scripts set footer_due = "1" when someone joins by
// keyword; `campaign submit` reads the flag for its audience, adds the footer
// to those subscribers' messages, and clears the flag only after their
// messages are queued. A crash in between leaves the flag set, so the next
// campaign carries the footer again: the reminder may repeat, never go
// missing. The read and the clear are not one atomic step; a subscriber who
// stops and re-joins during a submission may lose one reminder (their join
// confirmation already told them how to stop). Both are pipelined in batches,
// never a round trip per subscriber.
#pragma once

#include <string>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// Numbers per pipelined round trip.
inline constexpr std::size_t kFooterDueBatch = 1000;

/// For each of `numbers` (E.164), in order, whether its subscriber hash has
/// footer_due = "1" (false for a number that is not stored). Throws
/// RedisError.
[[nodiscard]] std::vector<bool> read_footer_due(RedisClient& redis, const Keys& keys,
                                                const std::vector<std::string>& numbers);

/// Clears footer_due of `numbers` (HDEL; a number without the flag, or not
/// stored, is left as it is). Throws RedisError.
void clear_footer_due(RedisClient& redis, const Keys& keys, const std::vector<std::string>& numbers);

}  // namespace broadcaster::store
