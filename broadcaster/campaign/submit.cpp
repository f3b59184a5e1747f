// Queueing a campaign's messages.
#include "campaign/submit.h"

#include <algorithm>

#include "campaign/message_renderer.h"
#include "campaign/reachable.h"
#include "schedule/zoned_time.h"
#include "store/campaign_approval.h"
#include "store/campaign_counters.h"
#include "store/campaign_data.h"
#include "store/campaign_meta.h"
#include "store/footer_due.h"
#include "store/script_stream.h"
#include "store/scripts.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::campaign {

namespace {

constexpr std::size_t kMessagesPerScript = 500;  // one EVALSHA queues this many
constexpr std::size_t kScriptsInFlight = 4;      // sent to Redis, not yet answered
constexpr std::size_t kChecksPerPipeline = 8;    // SMISMEMBER per round trip
constexpr std::size_t kMembersPerCheck = 1000;   // numbers per SMISMEMBER

// For each of `numbers`, whether an earlier submission queued it.
std::vector<bool> queued_before(store::RedisClient& redis, const std::string& enqueued_key,
                                const std::vector<std::string>& numbers) {
  std::vector<bool> out;
  out.reserve(numbers.size());
  if (redis.command({"EXISTS", enqueued_key}).as_integer() == 0) {
    out.assign(numbers.size(), false);  // the first submission
    return out;
  }
  std::vector<std::vector<std::string>> commands;
  for (std::size_t start = 0; start < numbers.size(); start += kMembersPerCheck) {
    std::vector<std::string> command{"SMISMEMBER", enqueued_key};
    const std::size_t end = std::min(numbers.size(), start + kMembersPerCheck);
    command.insert(command.end(), numbers.begin() + static_cast<std::ptrdiff_t>(start),
                   numbers.begin() + static_cast<std::ptrdiff_t>(end));
    commands.push_back(std::move(command));
    if (commands.size() >= kChecksPerPipeline || end == numbers.size()) {
      for (const auto& reply : redis.pipeline(commands)) {
        if (reply.is_error()) throw RedisReplyError("SMISMEMBER: " + reply.str);
        for (const auto& member : reply.as_array()) out.push_back(member.as_integer() == 1);
      }
      commands.clear();
    }
  }
  return out;
}

long long to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

SubmitReport submit_campaign(const Campaign& c, const config::Config& cfg, templates::TemplateStore& templates,
                             store::RedisClient& redis, const store::Keys& keys, const std::string& author,
                             const Progress& progress, const std::optional<schedule::LocalDateTime>& recipient_time) {
  const std::string& id = c.id.value;
  MessageRenderer renderer(c, cfg, templates);
  SubmitReport report;
  report.starts_at = c.send_at.value_or(std::chrono::system_clock::now());

  // The queue and its consumer group exist before anything is added.
  try {
    (void)redis.command(
        {"XGROUP", "CREATE", keys.campaign_queue(id), std::string(store::kConsumerGroup), "0", "MKSTREAM"});
  } catch (const RedisReplyError& e) {
    if (std::string(e.what()).find("BUSYGROUP") == std::string::npos) throw;
  }
  // retention_ms: campaign_finish.lua reads it to expire the per-message data.
  const auto retention = std::chrono::duration_cast<std::chrono::milliseconds>(cfg.retention.campaign);
  namespace m = store::meta;
  const std::string meta = keys.campaign_meta(id);
  const std::string now = store::now_iso8601();
  (void)redis.pipeline({{"HSET", meta, std::string(m::kId), id, std::string(m::kTemplate), c.template_name.value,
                         std::string(m::kChannel), c.channel.value, std::string(m::kFile), c.file,
                         std::string(m::kDescription), c.description, std::string(m::kLastSubmittedAt), now,
                         std::string(m::kSendAtMs), std::to_string(to_ms(report.starts_at)),
                         std::string(m::kRetentionMs), std::to_string(retention.count())},
                        {"HSET", meta, std::string(m::kPriority), std::string(to_string(c.priority.value)),
                         std::string(m::kOverCap), std::string(to_string(c.over_cap))},
                        c.valid_until ? std::vector<std::string>{"HSET", meta, std::string(m::kValidUntilMs),
                                                                 std::to_string(to_ms(*c.valid_until))}
                                      : std::vector<std::string>{"HDEL", meta, std::string(m::kValidUntilMs)},
                        {"HSETNX", meta, std::string(m::kSubmittedAt), now},
                        {"HSETNX", meta, std::string(m::kStatus), std::string(m::kSending)}});
  // Who submitted it, and (urgent) whether a second person must approve,
  // before any message is queued: no sender may see them without it.
  report.approval =
      store::initial_approval(c.priority.value == Priority::Urgent, cfg.approval.urgent_needs_second_person);
  if (report.approval != store::ApprovalState::NotNeeded && author.empty()) {
    throw Error("campaign '" + id +
                "' is urgent: it is submitted by a named staff member; set BROADCASTER_STAFF_TOKEN to your token "
                "(`broadcaster staff token NAME` makes one)");
  }
  if (!author.empty()) {
    store::Submission submission{id, author, report.approval, std::string(to_string(c.priority.value))};
    report.previous_approval = store::record_submission(redis, keys, submission).previous;
  }

  store::SubscriberStore subscribers(redis, keys);
  std::vector<store::AudienceMember> members = subscribers.audience_members(c.language_values(), c.tag_values());
  // Validated: the channel is configured.
  report.unreachable = drop_unreachable(members, cfg.channels.at(c.channel.value).medium());
  std::vector<std::string> numbers;
  numbers.reserve(members.size());
  for (const auto& m : members) numbers.push_back(m.address);
  report.matched = static_cast<long long>(numbers.size());
  const std::vector<bool> before = queued_before(redis, keys.campaign_enqueued(id), numbers);

  // footer_due of the numbers this submission may queue.
  std::vector<std::string> fresh;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (!before[i]) fresh.push_back(numbers[i]);
  }
  std::vector<bool> fresh_due(fresh.size(), false);
  if (c.footer.value != FooterPolicy::Never && renderer.footer_set()) {
    fresh_due = store::read_footer_due(redis, keys, fresh);
  }
  std::vector<std::string> footer_given;  // due, and queued now with the footer
  std::size_t fresh_index = 0;

  store::EnqueueCall call(keys, id);
  const long long now_ms = to_ms(std::chrono::system_clock::now());
  std::size_t done = 0;
  store::ScriptStream enqueue(redis, store::scripts().enqueue, kScriptsInFlight,
                              [&](std::size_t, const store::RedisValue& r) {
                                if (r.is_error()) throw RedisReplyError("enqueue: " + r.str);
                                report.newly_queued += r.as_integer();
                                if (progress) progress(done, numbers.size());
                              });
  auto flush_call = [&] {
    if (call.size() > 0) enqueue.send(call.take());
  };

  for (std::size_t i = 0; i < numbers.size(); ++i) {
    ++done;
    const std::string language = members[i].language.value_or(cfg.fallback_language);
    const LanguageRendering& r = renderer.for_language(language);
    const bool due = before[i] ? false : static_cast<bool>(fresh_due[fresh_index++]);
    if (!r.variant) {
      ++report.no_template;
      continue;
    }
    if (before[i]) continue;  // queued by an earlier submission
    ++report.by_variant[r.variant->language()];
    if (r.variant->language() != language) ++report.fallbacks[language + "->" + r.variant->language()];
    const RenderedText& text = r.text_for(c.footer.value, due);
    if (&text != &r.plain) {
      ++report.with_footer;
      if (due) footer_given.push_back(numbers[i]);
    }
    const auto local = cfg.outreach.zone_for(numbers[i], members[i].time_zone);
    std::string due_ms;
    if (recipient_time) {
      // The run's wall time in this subscriber's own zone.
      const long long at = to_ms(schedule::to_instant(*recipient_time, local.zone));
      if (at > now_ms) due_ms = std::to_string(at);
    }
    call.add({numbers[i], r.variant->language(), text.text, members[i].time_zone, local.state, due_ms});
    if (call.size() >= kMessagesPerScript) flush_call();
  }
  flush_call();
  enqueue.finish();
  // Only now that their messages are queued: a crash before this repeats the
  // footer in the next campaign rather than losing it.
  store::clear_footer_due(redis, keys, footer_given);
  report.already_queued = report.matched - report.no_template - report.newly_queued;

  namespace n = store::counters;
  (void)redis.command({"HSET", keys.campaign_stats(id), std::string(n::kSkippedNoTemplate),
                       std::to_string(report.no_template), std::string(n::kSkippedUnreachable),
                       std::to_string(report.unreachable)});
  (void)redis.command({"HSETNX", keys.campaign_stats(id), std::string(n::kQueued), "0"});
  (void)redis.command(
      {"ZADD", keys.campaign_index(), "NX", std::to_string(to_ms(std::chrono::system_clock::now())), id});
  // Last: only now may `serve` pick the campaign up.
  (void)redis.command({"ZADD", keys.campaigns(), std::to_string(to_ms(report.starts_at)), id});
  return report;
}

}  // namespace broadcaster::campaign
