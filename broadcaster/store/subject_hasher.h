// Keyed hashes of addresses ("subjects") for records that must outlive the
// address: the consent log's entries and the suppression list of addresses
// erased on request.
// Design: HMAC-SHA256 of the address's stored form (a phone number's E.164,
// so subjects made before other kinds existed stay the same). A plain hash
// would not protect a number (there are only about 10^10 of them to try); with a key kept out of
// the log the hash cannot be reversed by someone who only has the log. The key
// comes from an environment variable when one is configured; otherwise a
// random key is created once in Redis (SET NX), so every process of an
// installation derives the same subjects. Immutable after construction.
#pragma once

#include <optional>
#include <string>

#include "store/keys.h"
#include "store/redis_client.h"
#include "util/address.h"

namespace broadcaster::store {

class SubjectHasher {
 public:
  /// Uses `key` (any bytes, at least 16). Throws Error if it is shorter.
  explicit SubjectHasher(std::string key);

  /// `configured_key` when given (from the environment); otherwise the
  /// installation's key in Redis, created on first use. Throws RedisError.
  static SubjectHasher load(RedisClient& redis, const Keys& keys, const std::optional<std::string>& configured_key);

  /// 32 lower-case hex digits (the first 128 bits of the HMAC).
  [[nodiscard]] std::string subject(const util::Address& address) const;

 private:
  std::string key_;
};

}  // namespace broadcaster::store
