// Where a string occurs anywhere in a Redis database, for erasure tests.
// Design: SCAN every key and read it by its TYPE (string, list, set, sorted
// set, hash fields and values, stream entry fields and values), so a test
// can claim "nothing in Redis holds this number" without knowing the key
// layout: a key added later is checked too. Each key's serialized form
// (DUMP, what an RDB snapshot or AOF rewrite writes) is searched as well, so
// bytes no command returns any more (a stream entry XDEL only marked
// deleted) are found; start the server with `--rdbcompression no` for that,
// as compressed values hide their bytes.
#pragma once

#include <string>
#include <vector>

#include "store/redis_client.h"
#include "support/redis_server.h"

namespace broadcaster::testing {

/// Every place in the current database whose bytes contain `needle`, each
/// described as "<key>" (the name), "<key> <what>" ("t:{c:1}:queue entry
/// 1700000000000-0 value", "<key> serialized"); empty when none. Throws RedisError, and
/// std::runtime_error for a key type it cannot read.
std::vector<std::string> places_holding(store::RedisClient& redis, const std::string& needle);

/// The keys of `keys` that exist now, in order.
std::vector<std::string> existing_keys(store::RedisClient& redis, const std::vector<std::string>& keys);

/// Options for a RedisServer whose serialized values places_holding can
/// search (`--rdbcompression no`).
RedisServerOptions uncompressed_dumps();

}  // namespace broadcaster::testing
