// One message as it travels through a campaign's Redis stream.
// The stream entry's fields are declared here, once: enqueue.lua writes
// them (to, lang, body_ref, and tz/region when the subscriber's zone is
// stored), parse_entry reads them, and entry_json writes them for a message
// set aside (defer.lua; undefer.lua queues the same fields again).
// Design: a campaign's entry carries no text of its own. Every subscriber
// of a language gets the same text, so enqueue.lua keeps each text once in
// the campaign's bodies hash (Keys::campaign_bodies), under a reference
// derived from the text (store::body_ref), and the entry names it: a
// 100,000-message campaign holds its texts once, not 100,000 times, and a
// text edited between two submissions gets a new reference instead of
// changing what the earlier messages say. The campaign and channel are
// those of the stream. An entry may still carry its own body, campaign and
// channel (a keyword reply, reply_enqueue.lua; entries queued before
// references existed).
#pragma once

#include <optional>
#include <string>

#include "store/redis_value.h"
#include "util/address.h"

namespace broadcaster::queue {

/// The stream entry's field names.
namespace fields {
inline constexpr const char* kTo = "to";
inline constexpr const char* kCampaign = "campaign";
inline constexpr const char* kLanguage = "lang";
inline constexpr const char* kChannel = "channel";
inline constexpr const char* kBody = "body";
inline constexpr const char* kBodyRef = "body_ref";  ///< a field of the campaign's bodies hash
inline constexpr const char* kTimeZone = "tz";    ///< the subscriber's IANA zone, when known
inline constexpr const char* kRegion = "region";  ///< their US state (USPS code), when known
}  // namespace fields

struct QueuedMessage {
  std::string entry_id;  ///< stream entry id, e.g. "1732380000000-0"
  std::string campaign;
  util::Address to;
  std::string language;  ///< language of the variant rendered
  std::string channel;
  std::string body;      ///< the text; empty until resolved when body_ref is set
  std::string body_ref;  ///< "" when the entry carries its body itself
  int attempts = 0;  ///< sends tried by this process
  std::string time_zone;  ///< "" when the entry has none
  std::string region;     ///< "" when the entry has none
};

/// The entry's fields of `m` as one JSON object (defer.lua keeps it).
[[nodiscard]] std::string entry_json(const QueuedMessage& m);

/// A stream entry as read back: a message, an entry that was deleted while
/// pending (Redis returns its id with no fields), or one that cannot be used.
struct ParsedEntry {
  std::string entry_id;                  ///< empty only when the reply had no id at all
  std::optional<QueuedMessage> message;  ///< set when the entry is a usable message
  /// Why the entry is unusable ("no 'to' field", "'to' is not an E.164 number");
  /// empty for a message and for a deleted entry.
  std::string problem;

  /// True for a message whose text is still to be read from the bodies hash.
  [[nodiscard]] bool needs_body() const noexcept { return message && !message->body_ref.empty(); }
  /// True for an entry deleted while pending: acknowledge it, nothing else.
  [[nodiscard]] bool deleted() const noexcept { return !message && problem.empty(); }
};

/// Reads one stream entry of campaign `campaign`'s queue as XREADGROUP or
/// XAUTOCLAIM return it: [id, [field, value, ...]] (or [id, nil] for a
/// deleted entry). An entry without a campaign field belongs to `campaign`.
/// Never throws.
[[nodiscard]] ParsedEntry parse_entry(const store::RedisValue& entry, const std::string& campaign);

}  // namespace broadcaster::queue
