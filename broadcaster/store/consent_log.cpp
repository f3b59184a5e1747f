// Consent log reads: XRANGE for entries, HMGET for their personal part.
#include "store/consent_log.h"

#include "util/errors.h"

namespace broadcaster::store {

namespace {

/// One XRANGE element: [id, [field, value, ...]].
ConsentEntry parse_entry(const RedisValue& element) {
  const auto& parts = element.as_array();
  ConsentEntry e;
  e.id = parts.at(0).as_string();
  auto fields = parts.at(1).as_map();
  e.at = std::move(fields["at"]);
  e.action = std::move(fields["action"]);
  e.source = std::move(fields["source"]);
  e.subject = std::move(fields["subject"]);
  e.detail = std::move(fields["detail"]);
  e.provider_id = std::move(fields["provider_id"]);
  e.endpoint = std::move(fields["endpoint"]);
  return e;
}

void check(const RedisValue& reply) {
  if (reply.type == RedisValue::Type::Error) throw RedisReplyError(reply.str);
}

}  // namespace

std::vector<ConsentEntry> ConsentLog::with_personal_data(std::vector<ConsentEntry> entries) {
  if (entries.empty()) return entries;
  std::vector<std::string> cmd{"HMGET", keys_.consent_pii()};
  for (const auto& e : entries) {
    cmd.push_back(e.id + ":phone");
    cmd.push_back(e.id + ":text");
  }
  const auto values = redis_.command(cmd).as_array();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].phone = values.at(2 * i).as_optional_string();
    entries[i].text = values.at(2 * i + 1).as_optional_string();
  }
  return entries;
}

std::vector<ConsentEntry> ConsentLog::history(const std::string& subject) {
  const auto ids = redis_.command({"LRANGE", keys_.consent_by_subject(subject), "0", "-1"}).as_array();
  std::vector<ConsentEntry> entries;
  constexpr std::size_t kBatch = 500;
  for (std::size_t start = 0; start < ids.size(); start += kBatch) {
    std::vector<std::vector<std::string>> reads;
    for (std::size_t i = start; i < std::min(ids.size(), start + kBatch); ++i) {
      const std::string& id = ids[i].as_string();
      reads.push_back({"XRANGE", keys_.consent(), id, id});
    }
    for (const auto& reply : redis_.pipeline(reads)) {
      check(reply);
      for (const auto& element : reply.as_array()) entries.push_back(parse_entry(element));
    }
  }
  return with_personal_data(std::move(entries));
}

void ConsentLog::scan(const std::function<void(const std::vector<ConsentEntry>&)>& each_batch, std::size_t batch) {
  std::string from = "-";
  for (;;) {
    const auto reply = redis_.command({"XRANGE", keys_.consent(), from, "+", "COUNT", std::to_string(batch)});
    std::vector<ConsentEntry> entries;
    for (const auto& element : reply.as_array()) entries.push_back(parse_entry(element));
    if (entries.empty()) return;
    from = "(" + entries.back().id;
    each_batch(with_personal_data(std::move(entries)));
  }
}

}  // namespace broadcaster::store
