// Reading the consent log: one subscriber's history, or all of it for export.
// Design: entries are written only by the subscriber scripts (change, stop,
// forget), in the same step as the change they record; this side only reads.
// An entry's personal part (number, text) lives beside the stream in a hash
// so that `remove --forget` can erase it while the stream stays append-only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::store {

/// One consent-log entry.
struct ConsentEntry {
  std::string id;                    ///< stream id; orders entries ("1764000000000-0")
  std::string at;                    ///< ISO 8601 UTC
  std::string action;                ///< opt_in, opt_in_pending, opt_out, language, topics, update, forget
  std::string source;                ///< keyword, import, staff, provider
  std::string subject;               ///< keyed hash of the number
  std::string detail;                ///< what changed ("lang=es +fresno", "es -> en", "STOP")
  std::string provider_id;           ///< the inbound text's id at the provider, if any
  std::string endpoint;              ///< inbound endpoint or channel, if any
  std::optional<std::string> phone;  ///< nullopt once erased on request
  std::optional<std::string> text;   ///< the subscriber's words; nullopt once erased
};

class ConsentLog {
 public:
  ConsentLog(RedisClient& redis, Keys keys) : redis_(redis), keys_(std::move(keys)) {}

  /// Every entry of `subject`, oldest first. Throws RedisError.
  std::vector<ConsentEntry> history(const std::string& subject);

  /// Every entry, oldest first, handed over `batch` at a time so memory
  /// stays bounded on a large log. Throws RedisError.
  void scan(const std::function<void(const std::vector<ConsentEntry>&)>& each_batch, std::size_t batch = 1000);

 private:
  std::vector<ConsentEntry> with_personal_data(std::vector<ConsentEntry> entries);
  RedisClient& redis_;
  Keys keys_;
};

}  // namespace broadcaster::store
