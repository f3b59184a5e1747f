// Where a Redis server lives and how to log in to it.
// Design: one value type shared by the synchronous CLI client, the async
// client of `serve` and the test harness, so an address is described the same
// way in every message. The password is a secret: `describe()` leaves it out
// and no error message includes it.
#pragma once

#include <chrono>
#include <string>

#include "store/redis_errors.h"

namespace broadcaster::store {

/// Address, credentials and time limits of one Redis server.
struct RedisEndpoint {
  std::string host = "127.0.0.1";  ///< name or IP address; IPv6 literals unbracketed
  int port = 6379;
  std::string password;  ///< AUTH password when not empty; secret, never logged
  int db = 0;            ///< SELECTed after connecting when not 0
  /// Limit on establishing the TCP connection; 0 or less waits forever.
  std::chrono::milliseconds connect_timeout{2000};
  /// Limit on waiting for any one reply; 0 or less waits forever. Blocking
  /// commands (BLPOP, XREAD BLOCK) must use a block time below it.
  std::chrono::milliseconds command_timeout{5000};

  /// "127.0.0.1:6390" or "[::1]:6390", for messages. Never includes the password.
  [[nodiscard]] std::string describe() const;
};

}  // namespace broadcaster::store
