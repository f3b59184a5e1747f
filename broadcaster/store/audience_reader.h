// Reading an audience out of the subscriber store: the active subscribers
// with a language and a tag among those asked for.
// Design: in slices, never in one command. One SINTER over a million-member
// set holds Redis (and every serve's sends, receipts and keyword replies
// behind it) for tens of milliseconds. Instead one set is walked with SSCAN
// a slice at a time (the smallest of the active set, a single tag's index
// and a single language's index), and each slice is checked against the
// other sets with SMISMEMBER in the same round trip that fetches the next
// slice: every command touches at most a slice's worth of members, so none
// holds Redis for more than a fraction of a millisecond.
// What a walk sees: SSCAN returns every member present for the whole walk
// (duplicates are removed here); a subscriber who joins or leaves during it
// may or may not be in it, as if it had run a moment earlier or later. A STOP
// is honoured at send time regardless (store/scripts/subscriber_gate.lua).
// Members: with `members`, the same round trips also bring each member's
// stored time zone and language, from two hashes keyed by address (one
// HMGET each per slice); only members the language hash does not know
// (last changed before it existed) are looked up one by one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// Which subscribers an audience is: active, with a language among
/// `languages` (any when empty) and a tag among `tags` (any when empty).
struct AudienceQuery {
  std::vector<std::string> languages;
  std::vector<std::string> tags;
};

/// One member of an audience, with what queueing them needs.
struct AudienceMember {
  std::string address;
  std::optional<std::string> language;  ///< the stored language; nullopt when none
  std::string time_zone;                ///< the stored own zone; "" when none
};

class AudienceReader {
 public:
  AudienceReader(RedisClient& redis, const Keys& keys) : redis_(redis), keys_(keys) {}

  /// The members' addresses (stored form), sorted. Throws RedisError.
  [[nodiscard]] std::vector<std::string> numbers(const AudienceQuery& query);

  /// The members, sorted by address, with language and zone. Throws RedisError.
  [[nodiscard]] std::vector<AudienceMember> members(const AudienceQuery& query);

 private:
  /// With `details`, each member's language and zone too.
  std::vector<AudienceMember> walk(const AudienceQuery& query, bool details);

  RedisClient& redis_;
  const Keys& keys_;
};

}  // namespace broadcaster::store
