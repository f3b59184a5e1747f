// One message as it travels through a campaign's Redis stream.
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

/// Reads one stream entry as XREADGROUP/XAUTOCLAIM return it:
/// [id, [field, value, ...]]. Returns nullopt for an entry whose fields are
/// gone (deleted while pending) or that lacks `to`/`campaign`/`body`.
std::optional<QueuedMessage> parse_entry(const store::RedisValue& entry);

}  // namespace broadcaster::queue
