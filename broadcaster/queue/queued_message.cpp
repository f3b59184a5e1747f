// Stream entry -> QueuedMessage.
#include "queue/queued_message.h"

namespace broadcaster::queue {

std::optional<QueuedMessage> parse_entry(const store::RedisValue& entry) {
  if (entry.type != store::RedisValue::Type::Array || entry.elements.size() != 2) return std::nullopt;
  const auto& fields = entry.elements[1];
  if (fields.type != store::RedisValue::Type::Array) return std::nullopt;
  std::string to, campaign, lang, channel, body;
  bool has_body = false;
  for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& key = fields.elements[i].str;
    const std::string& value = fields.elements[i + 1].str;
    if (key == "to") to = value;
    else if (key == "campaign") campaign = value;
    else if (key == "lang") lang = value;
    else if (key == "channel") channel = value;
    else if (key == "body") { body = value; has_body = true; }
  }
  if (to.empty() || campaign.empty() || !has_body) return std::nullopt;
  return QueuedMessage{entry.elements[0].str, campaign, util::Phone::from_trusted_e164(to), lang, channel, body, 0};
}

}  // namespace broadcaster::queue
