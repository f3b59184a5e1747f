// Stream entry -> QueuedMessage.
#include "queue/queued_message.h"

namespace broadcaster::queue {

namespace {

// "+" and 8 to 15 digits: what enqueue.lua was given (E.164 from the store).
bool looks_e164(const std::string& s) {
  if (s.size() < 9 || s.size() > 16 || s[0] != '+') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

ParsedEntry parse_entry(const store::RedisValue& entry) {
  ParsedEntry out;
  if (entry.type != store::RedisValue::Type::Array || entry.elements.empty()) {
    out.problem = "not a stream entry";
    return out;
  }
  out.entry_id = entry.elements[0].str;
  if (out.entry_id.empty()) {
    out.problem = "no entry id";
    return out;
  }
  if (entry.elements.size() < 2 || entry.elements[1].is_nil()) return out;  // deleted while pending
  const auto& fields = entry.elements[1];
  if (fields.type != store::RedisValue::Type::Array) {
    out.problem = "fields are not a list";
    return out;
  }
  if (fields.elements.empty()) return out;
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
  if (to.empty()) out.problem = "no 'to' field";
  else if (!looks_e164(to)) out.problem = "'to' is not an E.164 number";
  else if (campaign.empty()) out.problem = "no 'campaign' field";
  else if (!has_body) out.problem = "no 'body' field";
  if (!out.problem.empty()) return out;
  out.message = QueuedMessage{out.entry_id, campaign, util::Phone::from_trusted_e164(to), lang, channel, body, 0};
  return out;
}

}  // namespace broadcaster::queue
