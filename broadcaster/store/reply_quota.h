// The cap on auto-replies per number per hour, shared by every `serve`.
// Design: one counter per number and clock hour in Redis (reply_quota.lua
// increments it and sets its expiry in one step), keyed by the number's
// subject hash so no phone number appears in a key name.
#pragma once

#include <chrono>
#include <string>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// Counts one reply to `subject` in the hour holding `now` and returns true
/// if it is within `per_hour`. Throws RedisError.
bool take_reply_quota(RedisClient& redis, const Keys& keys, const std::string& subject, int per_hour,
                      std::chrono::system_clock::time_point now);

}  // namespace broadcaster::store
