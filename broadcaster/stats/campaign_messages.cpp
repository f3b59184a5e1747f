// Reading a campaign's outcome and delivery hashes (see campaign_messages.h).
#include "stats/campaign_messages.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "channels/provider_codes.h"
#include "util/address.h"

namespace broadcaster::stats {

namespace {

/// "2026-12-02T10:04:05Z" for a Unix time in milliseconds written as text;
/// "" when it is not a number.
std::string utc_time(const std::string& ms_text) {
  long long ms = 0;
  const auto [end, ec] = std::from_chars(ms_text.data(), ms_text.data() + ms_text.size(), ms);
  if (ec != std::errc() || end != ms_text.data() + ms_text.size()) return "";
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  return std::string(text, std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm));
}

/// The fate of one message from its outcome ("sent:SM..|en|<ms>",
/// "failed:30003|es|<ms>", "skipped:stopped|en|<ms>"; without "|..." when
/// stored before language and time were kept: record_outcome.lua) and
/// delivery entry ("2:undelivered:30003:<ms>" or "").
MessageFate fate_of(const std::string& phone, const std::string& stored, const std::string& delivery) {
  MessageFate f;
  f.number = util::mask_stored(phone);
  const auto bar = stored.find('|');
  const std::string outcome = stored.substr(0, bar);
  if (bar != std::string::npos) {
    const auto bar2 = stored.find('|', bar + 1);
    f.language = stored.substr(bar + 1, bar2 == std::string::npos ? std::string::npos : bar2 - bar - 1);
    if (bar2 != std::string::npos) f.sent_at = utc_time(stored.substr(bar2 + 1));
  }
  const auto colon = outcome.find(':');
  const std::string kind = outcome.substr(0, colon);
  const std::string detail = colon == std::string::npos ? "" : outcome.substr(colon + 1);
  f.state = kind;
  if (kind == "sent") {
    f.provider_id = detail;
  } else if (kind == "failed") {
    f.code = detail;
  } else {
    f.reason = detail;  // skipped: stopped, expired, cap, ...
  }
  if (!delivery.empty()) {
    const auto a = delivery.find(':');
    const auto b = delivery.find(':', a + 1);
    if (a != std::string::npos && b != std::string::npos) {
      f.state = delivery.substr(a + 1, b - a - 1);
      const auto c = delivery.find(':', b + 1);
      f.code = delivery.substr(b + 1, c == std::string::npos ? std::string::npos : c - b - 1);
      if (c != std::string::npos) f.receipt_at = utc_time(delivery.substr(c + 1));
    }
  }
  if (!f.code.empty()) f.reason = std::string(channels::code_meaning(f.code));
  return f;
}

}  // namespace

std::vector<MessageFate> campaign_messages(store::RedisClient& redis, const store::Keys& keys, const std::string& id,
                                           const std::string& state, std::size_t limit) {
  std::vector<std::pair<std::string, std::string>> outcomes;
  std::string cursor = "0";
  do {
    const auto reply = redis.command({"HSCAN", keys.campaign_outcome(id), cursor, "COUNT", "500"});
    const auto& parts = reply.as_array();
    cursor = parts.at(0).as_string();
    const auto& items = parts.at(1).as_array();
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
      outcomes.emplace_back(items[i].as_string(), items[i + 1].as_string());
    }
  } while (cursor != "0");
  std::sort(outcomes.begin(), outcomes.end());
  std::vector<MessageFate> out;
  for (std::size_t start = 0; start < outcomes.size() && out.size() < limit; start += 500) {
    const std::size_t end = std::min(outcomes.size(), start + 500);
    std::vector<std::string> args{"HMGET", keys.campaign_delivery(id)};
    for (std::size_t i = start; i < end; ++i) args.push_back(outcomes[i].first);
    const auto deliveries = redis.command(args).as_array();
    for (std::size_t i = start; i < end && out.size() < limit; ++i) {
      const auto& d = deliveries.at(i - start);
      MessageFate f = fate_of(outcomes[i].first, outcomes[i].second, d.is_nil() ? "" : d.as_string());
      if (state.empty() || f.state == state) out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace broadcaster::stats
