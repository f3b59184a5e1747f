// Which `serve` processes are alive, as every process and command sees it.
// Design: each `serve` writes its name with Redis's current time into one
// sorted set every kHeartbeatPeriod (store/scripts/serve_heartbeat.lua) and
// removes it when it stops cleanly; a process killed outright simply stops
// writing and counts as gone once kAliveWithin has passed. Readers compare
// against Redis's clock too, so machines with skewed clocks agree.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// How often a running `serve` says it is alive.
inline constexpr std::chrono::milliseconds kHeartbeatPeriod{2000};
/// A process last seen longer ago than this is not counted as running.
inline constexpr std::chrono::milliseconds kAliveWithin{10000};
/// A process silent this long is removed from the set.
inline constexpr std::chrono::milliseconds kForgetAfter{std::chrono::hours(24)};

/// Keys and arguments of serve_heartbeat.lua: `name` is alive now, or
/// (leaving) is gone.
std::pair<std::vector<std::string>, std::vector<std::string>> serve_heartbeat_call(const Keys& keys,
                                                                                   const std::string& name,
                                                                                   bool leaving = false);

/// A `serve` process seen recently.
struct ServeProcess {
  std::string name;               ///< its consumer name (host:pid unless --consumer)
  std::chrono::milliseconds age;  ///< since it last said it is alive
};

/// The processes seen within kAliveWithin, by Redis's clock, newest first.
/// Throws RedisError.
std::vector<ServeProcess> live_serve_processes(RedisClient& redis, const Keys& keys);

}  // namespace broadcaster::store
