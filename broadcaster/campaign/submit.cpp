// Queueing a campaign's messages.
#include "campaign/submit.h"

#include "store/scripts.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::campaign {

namespace {

constexpr std::size_t kMessagesPerScript = 500;  // one EVALSHA queues this many
constexpr std::size_t kScriptsPerPipeline = 8;   // round trip carries this many

long long to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

SubmitReport submit_campaign(const Campaign& c, const config::Config& cfg, templates::TemplateStore& templates,
                             store::RedisClient& redis, const store::Keys& keys, const Progress& progress) {
  const std::string& id = c.id.value;
  const templates::TemplateSet& set = templates.load(c.template_name.value);
  SubmitReport report;
  report.starts_at = c.send_at.value_or(std::chrono::system_clock::now());

  // The queue and its consumer group exist before anything is added.
  try {
    (void)redis.command({"XGROUP", "CREATE", keys.campaign_queue(id), std::string(store::kConsumerGroup), "0",
                         "MKSTREAM"});
  } catch (const RedisReplyError& e) {
    if (std::string(e.what()).find("BUSYGROUP") == std::string::npos) throw;
  }
  (void)redis.command({"HSET", keys.campaign_meta(id), "id", id, "template", c.template_name.value, "channel",
                       c.channel.value, "file", c.file, "description", c.description, "submitted_at",
                       store::now_iso8601(), "send_at_ms", std::to_string(to_ms(report.starts_at))});
  (void)redis.command({"HSETNX", keys.campaign_meta(id), "status", "sending"});

  store::SubscriberStore subscribers(redis, keys);
  const std::vector<std::string> numbers = subscribers.audience(c.language_values(), c.tag_values());
  report.targeted = static_cast<long long>(numbers.size());
  const auto languages = subscribers.languages_of(numbers);

  // One rendering per language variant: every subscriber of a language gets the same text.
  std::map<std::string, const templates::MessageTemplate*> variant_for;
  std::map<std::string, std::string> body_for;
  auto resolve = [&](const std::string& language) -> const templates::MessageTemplate* {
    if (const auto it = variant_for.find(language); it != variant_for.end()) return it->second;
    const templates::MessageTemplate* t = set.resolve(cfg.fallback_chain(language));
    variant_for[language] = t;
    if (t && !body_for.count(t->language())) body_for[t->language()] = t->render(c.variables);
    return t;
  };

  const store::Script& enqueue = store::scripts().enqueue;
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> calls;
  std::vector<std::string> args{id, c.channel.value};
  std::size_t done = 0;
  auto flush_calls = [&] {
    if (calls.empty()) return;
    for (const auto& r : redis.eval_pipeline(enqueue, calls)) {
      if (r.type == store::RedisValue::Type::Error) throw RedisReplyError("enqueue: " + r.str);
      report.newly_queued += r.as_integer();
    }
    calls.clear();
    if (progress) progress(done, numbers.size());
  };
  auto flush_args = [&] {
    if (args.size() > 2) {
      calls.push_back({{keys.campaign_enqueued(id), keys.campaign_queue(id), keys.campaign_stats(id),
                        keys.campaign_meta(id)},
                       std::move(args)});
      args = {id, c.channel.value};
    }
    if (calls.size() >= kScriptsPerPipeline) flush_calls();
  };

  for (std::size_t i = 0; i < numbers.size(); ++i) {
    ++done;
    const std::string language = languages[i].value_or(cfg.fallback_language);
    const templates::MessageTemplate* t = resolve(language);
    if (!t) {
      ++report.no_template;
      continue;
    }
    ++report.by_variant[t->language()];
    if (t->language() != language) ++report.fallbacks[language + "->" + t->language()];
    args.push_back(numbers[i]);
    args.push_back(t->language());
    args.push_back(body_for.at(t->language()));
    if (args.size() >= 2 + 3 * kMessagesPerScript) flush_args();
  }
  flush_args();
  flush_calls();
  report.already_queued = report.targeted - report.no_template - report.newly_queued;

  (void)redis.command({"HSET", keys.campaign_stats(id), "targeted", std::to_string(report.targeted),
                       "skipped_no_template", std::to_string(report.no_template)});
  (void)redis.command({"HSETNX", keys.campaign_stats(id), "queued", "0"});
  (void)redis.command({"ZADD", keys.campaign_index(), "NX",
                       std::to_string(to_ms(std::chrono::system_clock::now())), id});
  // Last: only now may `serve` pick the campaign up.
  (void)redis.command({"ZADD", keys.campaigns(), std::to_string(to_ms(report.starts_at)), id});
  return report;
}

}  // namespace broadcaster::campaign
