// Which `serve` processes are alive.
#include "store/serve_presence.h"

#include <algorithm>

#include "util/errors.h"

namespace broadcaster::store {

std::pair<std::vector<std::string>, std::vector<std::string>> serve_heartbeat_call(const Keys& keys,
                                                                                   const std::string& name,
                                                                                   bool leaving) {
  return {{keys.serve_processes()}, {name, std::to_string(kForgetAfter.count()), leaving ? "leave" : ""}};
}

std::vector<ServeProcess> live_serve_processes(RedisClient& redis, const Keys& keys) {
  const RedisValue time = redis.command({"TIME"});
  const auto& parts = time.as_array();
  if (parts.size() != 2) throw RedisReplyError("TIME: unexpected reply");
  const long long now = std::stoll(parts[0].str) * 1000 + std::stoll(parts[1].str) / 1000;
  const RedisValue seen = redis.command({"ZRANGEBYSCORE", keys.serve_processes(),
                                         std::to_string(now - kAliveWithin.count()), "+inf", "WITHSCORES"});
  std::vector<ServeProcess> out;
  const auto& items = seen.as_array();
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    out.push_back({items[i].str, std::chrono::milliseconds(now - std::stoll(items[i + 1].str))});
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace broadcaster::store
