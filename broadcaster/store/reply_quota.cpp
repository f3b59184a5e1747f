// Auto-reply cap on Redis.
#include "store/reply_quota.h"

#include "store/scripts.h"

namespace broadcaster::store {

bool take_reply_quota(RedisClient& redis, const Keys& keys, const std::string& subject, int per_hour,
                      std::chrono::system_clock::time_point now) {
  const long long hour = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count();
  return redis.eval(scripts().reply_quota, {keys.replies(subject, hour)}, {std::to_string(per_hour)}).as_integer() == 1;
}

}  // namespace broadcaster::store
