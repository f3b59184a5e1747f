// One message as it travels through a campaign's Redis stream.
// The stream entry's fields are declared here, once: enqueue.lua writes
// them (to, lang, channel, campaign, body) and parse_entry reads them.
#pragma once

#include <optional>
#include <string>

#include "store/redis_value.h"
#include "util/phone.h"

namespace broadcaster::queue {

struct QueuedMessage {
  std::string entry_id;  ///< stream entry id, e.g. "1732380000000-0"
  std::string campaign;
  util::Phone to;
  std::string language;  ///< language of the variant rendered
  std::string channel;
  std::string body;
  int attempts = 0;  ///< sends tried by this process
};

/// A stream entry as read back: a message, an entry that was deleted while
/// pending (Redis returns its id with no fields), or one that cannot be used.
struct ParsedEntry {
  std::string entry_id;                  ///< empty only when the reply had no id at all
  std::optional<QueuedMessage> message;  ///< set when the entry is a usable message
  /// Why the entry is unusable ("no 'to' field", "'to' is not an E.164 number");
  /// empty for a message and for a deleted entry.
  std::string problem;

  /// True for an entry deleted while pending: acknowledge it, nothing else.
  [[nodiscard]] bool deleted() const noexcept { return !message && problem.empty(); }
};

/// Reads one stream entry as XREADGROUP/XAUTOCLAIM return it:
/// [id, [field, value, ...]] (or [id, nil] for a deleted entry). Never throws.
[[nodiscard]] ParsedEntry parse_entry(const store::RedisValue& entry);

}  // namespace broadcaster::queue
