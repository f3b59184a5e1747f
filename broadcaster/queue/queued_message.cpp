// Stream entry -> QueuedMessage.
#include "queue/queued_message.h"

#include <nlohmann/json.hpp>

namespace broadcaster::queue {

ParsedEntry parse_entry(const store::RedisValue& entry, const std::string& stream_campaign) {
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
  std::string to, campaign = stream_campaign, lang, channel, body, body_ref, zone, region;
  bool has_body = false;
  for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& key = fields.elements[i].str;
    const std::string& value = fields.elements[i + 1].str;
    if (key == fields::kTo) to = value;
    else if (key == fields::kCampaign) campaign = value;
    else if (key == fields::kLanguage) lang = value;
    else if (key == fields::kChannel) channel = value;
    else if (key == fields::kTimeZone) zone = value;
    else if (key == fields::kRegion) region = value;
    else if (key == fields::kBody) { body = value; has_body = true; }
    else if (key == fields::kBodyRef) body_ref = value;
  }
  if (has_body) body_ref.clear();  // its own text wins
  // What enqueue.lua was given: an address in its stored form.
  const auto address = util::Address::from_stored(to);
  if (to.empty()) out.problem = "no 'to' field";
  else if (!address)
    out.problem = "'to' is not an address in its stored form";
  else if (campaign.empty()) out.problem = "no 'campaign' field";
  else if (!has_body && body_ref.empty()) out.problem = "no 'body' or 'body_ref' field";
  if (!out.problem.empty()) return out;
  out.message = QueuedMessage{out.entry_id, campaign, *address, lang, channel, body, body_ref, 0, zone, region};
  return out;
}

std::string entry_json(const QueuedMessage& m) {
  nlohmann::json j = {{fields::kTo, m.to.canonical()},
                      {fields::kCampaign, m.campaign},
                      {fields::kLanguage, m.language},
                      {fields::kChannel, m.channel}};
  // The reference, not the text: the set-aside copy stays as small as the entry.
  if (m.body_ref.empty()) {
    j[fields::kBody] = m.body;
  } else {
    j[fields::kBodyRef] = m.body_ref;
  }
  if (!m.time_zone.empty()) j[fields::kTimeZone] = m.time_zone;
  if (!m.region.empty()) j[fields::kRegion] = m.region;
  return j.dump();
}

}  // namespace broadcaster::queue
