// Reading and clearing footer_due in pipelined batches.
#include "store/footer_due.h"

#include <algorithm>

#include "util/errors.h"

namespace broadcaster::store {

namespace {

constexpr const char* kField = "footer_due";

// Runs `make(number)` for every number, kFooterDueBatch commands per round
// trip, handing each reply to `take`.
template <class Make, class Take>
void batched(RedisClient& redis, const std::vector<std::string>& numbers, Make make, Take take) {
  for (std::size_t start = 0; start < numbers.size(); start += kFooterDueBatch) {
    const std::size_t end = std::min(numbers.size(), start + kFooterDueBatch);
    std::vector<std::vector<std::string>> commands;
    commands.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) commands.push_back(make(numbers[i]));
    for (const RedisValue& reply : redis.pipeline(commands)) {
      if (reply.is_error()) throw RedisReplyError(std::string(commands.front()[0]) + " footer_due: " + reply.str);
      take(reply);
    }
  }
}

}  // namespace

std::vector<bool> read_footer_due(RedisClient& redis, const Keys& keys, const std::vector<std::string>& numbers) {
  std::vector<bool> out;
  out.reserve(numbers.size());
  batched(
      redis, numbers,
      [&](const std::string& n) { return std::vector<std::string>{"HGET", keys.subscriber(n), kField}; },
      [&](const RedisValue& reply) { out.push_back(reply.as_optional_string() == "1"); });
  return out;
}

void clear_footer_due(RedisClient& redis, const Keys& keys, const std::vector<std::string>& numbers) {
  batched(
      redis, numbers,
      [&](const std::string& n) { return std::vector<std::string>{"HDEL", keys.subscriber(n), kField}; },
      [](const RedisValue&) {});
}

}  // namespace broadcaster::store
