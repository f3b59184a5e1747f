// Inbox on a Redis stream.
#include "store/inbox.h"

#include <algorithm>

#include "store/scripts.h"
#include "store/subscriber_store.h"

namespace broadcaster::store {

bool Inbox::add(const InboxEntry& entry, std::chrono::seconds remember) {
  const auto r =
      redis_.eval(scripts().inbox_add, {keys_.seen(entry.provider_id.empty() ? "-" : entry.provider_id), keys_.inbox()},
                  {std::to_string(entry.provider_id.empty() ? 0 : remember.count()), std::to_string(kCapacity), "at",
                   now_iso8601(), "phone", entry.phone, "subject", entry.subject, "text", entry.text, "endpoint",
                   entry.endpoint, "provider_id", entry.provider_id, "review", entry.review});
  return r.as_string() != "duplicate";
}

bool Inbox::mark_seen(const std::string& provider_id, std::chrono::seconds remember) {
  if (provider_id.empty()) return true;
  const auto r = redis_.command({"SET", keys_.seen(provider_id), "1", "NX", "EX", std::to_string(remember.count())});
  return r.type != RedisValue::Type::Nil;
}

std::vector<InboxEntry> Inbox::latest(std::size_t limit, const std::string& after, bool review_only) {
  const std::string low = after.empty() ? "-" : "(" + after;
  const std::size_t want = std::max<std::size_t>(limit, 1);
  std::vector<InboxEntry> out;
  // Newest first, a page at a time, until `want` entries are kept (flagged
  // ones are a few among many) or the stream is read to `low`.
  std::string high = "+";
  const std::size_t page = review_only ? 500 : want;
  while (out.size() < want) {
    const auto reply = redis_.command({"XREVRANGE", keys_.inbox(), high, low, "COUNT", std::to_string(page)});
    const auto& elements = reply.as_array();
    for (const auto& element : elements) {
      const auto& parts = element.as_array();
      InboxEntry e;
      e.id = parts.at(0).as_string();
      auto fields = parts.at(1).as_map();
      e.at = std::move(fields["at"]);
      e.phone = std::move(fields["phone"]);
      e.subject = std::move(fields["subject"]);
      e.text = std::move(fields["text"]);
      e.endpoint = std::move(fields["endpoint"]);
      e.provider_id = std::move(fields["provider_id"]);
      e.review = std::move(fields["review"]);
      high = "(" + e.id;
      if (review_only && e.review.empty()) continue;
      out.push_back(std::move(e));
      if (out.size() == want) break;
    }
    if (elements.size() < page) break;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace broadcaster::store
