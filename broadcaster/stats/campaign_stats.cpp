// Reading and formatting campaign counters.
#include "stats/campaign_stats.h"

#include <fmt/format.h>

#include <chrono>

#include "channels/provider_codes.h"
#include "store/campaign_meta.h"
#include "store/serve_presence.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::stats {

namespace {

long long number(const std::map<std::string, std::string>& m, std::string_view key_name) {
  const std::string key(key_name);
  const auto it = m.find(key);
  if (it == m.end()) return 0;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    return 0;
  }
}

std::string text(const std::map<std::string, std::string>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

/// Files "es:sent" = n under s.by_language (the counter is after the last
/// colon: counter names have none).
void add_language_counter(CampaignStats& s, const std::string& language_and_counter, long long n) {
  const auto colon = language_and_counter.rfind(':');
  if (colon == std::string::npos) return;
  const std::string counter = language_and_counter.substr(colon + 1);
  LanguageStats& l = s.by_language[language_and_counter.substr(0, colon)];
  namespace c = store::counters;
  if (counter == c::kSent) l.sent = n;
  if (counter == c::kFailed) l.failed = n;
  if (counter == c::kDelivered) l.delivered = n;
  if (counter == c::kUndelivered) l.undelivered = n;
  if (counter == c::kDeliveryFailed) l.delivery_failed = n;
}

/// "80.0%", or "-" before any receipt.
std::string percent(std::optional<double> rate) { return rate ? fmt::format("{:.1f}%", *rate * 100) : "-"; }

/// "30007: Message filtered by the carrier", or the code alone when its
/// meaning is not known here.
std::string code_in_words(const std::string& code) {
  const std::string_view meaning = channels::code_meaning(code);
  return meaning.empty() ? code : fmt::format("{}: {}", code, meaning);
}

/// {code: {count, meaning and kind (null when no provider declares the
/// code), unreachable}}, one shape for failed sends and failed deliveries.
nlohmann::json codes_to_json(const std::map<std::string, long long>& by_code) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [code, n] : by_code) {
    const channels::ProviderCode* known = channels::find_code(code);
    out[code] = {{"count", n},
                 {"meaning", known ? nlohmann::json(known->meaning) : nlohmann::json(nullptr)},
                 {"kind", known ? nlohmann::json(channels::to_string(known->kind)) : nlohmann::json(nullptr)},
                 {"unreachable", channels::is_unreachable_code(code)}};
  }
  return out;
}

}  // namespace

CampaignStats read_campaign_stats(store::RedisClient& redis, const store::Keys& keys, const std::string& id) {
  const auto replies = redis.pipeline({{"HGETALL", keys.campaign_meta(id)},
                                       {"HGETALL", keys.campaign_stats(id)},
                                       {"XPENDING", keys.campaign_queue(id), std::string(store::kConsumerGroup)},
                                       {"ZCARD", keys.campaign_deferred(id)}});
  for (const auto& r : replies) {
    if (r.type == store::RedisValue::Type::Error && r.str.find("NOGROUP") == std::string::npos) {
      throw RedisReplyError("reading campaign '" + id + "': " + r.str);
    }
  }
  const auto meta = replies[0].as_map();
  if (meta.empty()) throw Error("no campaign '" + id + "' has been submitted (see `broadcaster stats` for the list)");
  const auto counters = replies[1].as_map();
  CampaignStats s;
  s.id = id;
  namespace m = store::meta;
  s.status = text(meta, std::string(m::kStatus));
  s.channel = text(meta, std::string(m::kChannel));
  s.template_name = text(meta, std::string(m::kTemplate));
  s.submitted_at = text(meta, std::string(m::kSubmittedAt));
  s.last_submitted_at = text(meta, std::string(m::kLastSubmittedAt));
  if (s.last_submitted_at.empty()) s.last_submitted_at = s.submitted_at;
  s.done_at = text(meta, std::string(m::kDoneAt));
  s.send_at_ms = number(meta, m::kSendAtMs);
  s.next_run_ms = number(meta, m::kNextRunMs);
  s.priority = text(meta, std::string(m::kPriority));
  if (s.priority.empty()) s.priority = "normal";
  s.cancelled_at = text(meta, std::string(m::kCancelledAt));
  s.keyword_reply = !text(meta, std::string(m::kReply)).empty();
  namespace c = store::counters;
  s.queued = number(counters, c::kQueued);
  s.sent = number(counters, c::kSent);
  s.failed = number(counters, c::kFailed);
  s.skipped_stopped = number(counters, c::kSkippedStopped);
  s.skipped_no_template = number(counters, c::kSkippedNoTemplate);
  s.skipped_unreachable = number(counters, c::kSkippedUnreachable);
  s.in_doubt = number(counters, c::kInDoubt);
  s.in_doubt_found = number(counters, c::kInDoubtFound);
  s.in_doubt_resent = number(counters, c::kInDoubtResent);
  s.dead_letter = number(counters, c::kDeadLetter);
  s.erased = number(counters, c::kErased);
  s.skipped_erased = number(counters, c::kSkippedErased);
  s.cancelled = number(counters, c::kCancelled);
  s.skipped_expired = number(counters, c::kSkippedExpired);
  s.skipped_cap = number(counters, c::kSkippedCap);
  s.deferred_quiet_hours = number(counters, c::kDeferredQuietHours);
  s.deferred_cap = number(counters, c::kDeferredCap);
  s.delivered = number(counters, c::kDelivered);
  s.undelivered = number(counters, c::kUndelivered);
  s.delivery_failed = number(counters, c::kDeliveryFailed);
  if (replies[3].type == store::RedisValue::Type::Integer) s.waiting = replies[3].as_integer();
  if (s.status == m::kDone || s.status == m::kCancelled) s.purge_at_ms = number(meta, m::kPurgeAtMs);
  for (const auto& [key, value] : counters) {
    if (key.starts_with(c::kFailedPrefix))
      s.failed_by_code[key.substr(c::kFailedPrefix.size())] = number(counters, key);
    if (key.starts_with(c::kErrorPrefix)) s.receipt_errors[key.substr(c::kErrorPrefix.size())] = number(counters, key);
    if (key.starts_with(c::kLanguagePrefix))
      add_language_counter(s, key.substr(c::kLanguagePrefix.size()), number(counters, key));
  }
  if (replies[2].type == store::RedisValue::Type::Array && !replies[2].as_array().empty()) {
    s.in_flight = replies[2].as_array()[0].as_integer();
  }
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  // Only a campaign meta calls sending is shown as scheduled or waiting:
  // paused, cancelled and done are staff's or final, and shown as they are.
  if (s.status.empty() && s.next_run_ms > 0) {
    s.status = "scheduled";  // a schedule registered, no run queued under this id
  } else if (s.status == m::kSending && s.send_at_ms > now_ms) {
    s.status = "scheduled";
  } else if (s.status == m::kSending && s.remaining() > 0 && store::live_serve_processes(redis, keys).empty()) {
    s.status = "waiting";
  }
  return s;
}

std::vector<std::string> list_campaigns(store::RedisClient& redis, const store::Keys& keys) {
  std::vector<std::string> out;
  const store::RedisValue ids = redis.command({"ZRANGE", keys.campaign_index(), "0", "-1"});
  for (const auto& v : ids.as_array()) out.push_back(v.as_string());
  return out;
}

std::string format_stats_table(const std::vector<CampaignStats>& rows) {
  std::string out =
      fmt::format("{:<28} {:<9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>6}  {}\n", "CAMPAIGN", "STATUS",
                  "TARGETED", "QUEUED", "SENT", "FAILED", "STOPPED", "REMAINING", "IN-DOUBT", "RESENT", "FAILURES");
  for (const auto& s : rows) {
    std::string failures;
    for (const auto& [code, n] : s.failed_by_code)
      failures += fmt::format("{}{}x{}", failures.empty() ? "" : " ", n, code);
    out += fmt::format("{:<28} {:<9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>6}  {}\n", s.id, s.status,
                       s.targeted(), s.queued, s.sent, s.failed, s.skipped_stopped, s.remaining(), s.in_doubt,
                       s.in_doubt_resent, failures.empty() ? "-" : failures);
    // What became of the sent ones, once receipts come in.
    if (const auto rate = s.delivery_rate()) {
      out += fmt::format("  receipts: {} delivered, {} undelivered, {} failed (delivery rate {:.1f}%)\n", s.delivered,
                         s.undelivered, s.delivery_failed, *rate * 100);
      for (const auto& [code, n] : s.receipt_errors) out += fmt::format("    {} x {}\n", n, code_in_words(code));
    }
  }
  return out;
}

std::string format_campaign_details(const CampaignStats& s) {
  std::string out;
  if (!s.by_language.empty()) {
    // FAILED counts failed sends and failed deliveries alike: what a person
    // asks is how many in that language did not get it, and why is below.
    out += "\nby language:\n";
    out += fmt::format("  {:<10} {:>9} {:>10} {:>12} {:>8} {:>14}\n", "LANGUAGE", "ACCEPTED", "DELIVERED",
                       "UNDELIVERED", "FAILED", "DELIVERY RATE");
    for (const auto& [language, l] : s.by_language) {
      out += fmt::format("  {:<10} {:>9} {:>10} {:>12} {:>8} {:>14}\n", language, l.sent, l.delivered, l.undelivered,
                         l.failed_in_all(), percent(l.delivery_rate()));
    }
  }
  // Receipts' codes are in the table's rows already, in words.
  if (!s.failed_by_code.empty()) {
    out += "\nfailed sends by code:\n";
    for (const auto& [code, n] : s.failed_by_code) out += fmt::format("  {} x {}\n", n, code_in_words(code));
  }
  return out;
}

nlohmann::json stats_to_json(const CampaignStats& s) {
  nlohmann::json failed_by_code = nlohmann::json::object();
  for (const auto& [code, n] : s.failed_by_code) failed_by_code[code] = n;
  nlohmann::json by_language = nlohmann::json::object();
  for (const auto& [language, l] : s.by_language) {
    const auto l_rate = l.delivery_rate();
    by_language[language] = {{"sent", l.sent},
                             {"failed", l.failed},
                             {"delivered", l.delivered},
                             {"undelivered", l.undelivered},
                             {"delivery_failed", l.delivery_failed},
                             {"delivery_rate", l_rate ? nlohmann::json(*l_rate) : nlohmann::json(nullptr)}};
  }
  const auto rate = s.delivery_rate();
  return {{"delivered", s.delivered},
          {"undelivered", s.undelivered},
          {"delivery_failed", s.delivery_failed},
          {"receipt_errors", codes_to_json(s.receipt_errors)},
          {"send_errors", codes_to_json(s.failed_by_code)},
          {"by_language", by_language},
          {"delivery_rate", rate ? nlohmann::json(*rate) : nlohmann::json(nullptr)},
          {"campaign", s.id},
          {"status", s.status},
          {"channel", s.channel},
          {"template", s.template_name},
          {"submitted_at", s.submitted_at},
          {"done_at", s.done_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.done_at)},
          {"last_submitted_at", s.last_submitted_at},
          {"targeted", s.targeted()},
          {"queued", s.queued},
          {"sent", s.sent},
          {"failed", s.failed},
          {"failed_by_code", failed_by_code},
          {"skipped_stopped", s.skipped_stopped},
          {"skipped_no_template", s.skipped_no_template},
          {"skipped_unreachable", s.skipped_unreachable},
          {"erased", s.erased},
          {"skipped_erased", s.skipped_erased},
          {"purge_at", s.purge_at_ms > 0 ? nlohmann::json(store::iso8601(std::chrono::system_clock::time_point(
                                               std::chrono::milliseconds(s.purge_at_ms))))
                                         : nlohmann::json(nullptr)},
          {"in_flight", s.in_flight},
          {"in_doubt", s.in_doubt},
          {"in_doubt_found", s.in_doubt_found},
          {"in_doubt_resent", s.in_doubt_resent},
          {"dead_letter", s.dead_letter},
          {"cancelled", s.cancelled},
          {"skipped_expired", s.skipped_expired},
          {"skipped_cap", s.skipped_cap},
          {"deferred_quiet_hours", s.deferred_quiet_hours},
          {"deferred_cap", s.deferred_cap},
          {"waiting", s.waiting},
          {"cancelled_at", s.cancelled_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.cancelled_at)},
          {"priority", s.priority},
          {"remaining", s.remaining()}};
}

}  // namespace broadcaster::stats
