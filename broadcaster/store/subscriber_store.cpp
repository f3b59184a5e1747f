// Subscriber storage on Redis.
#include "store/subscriber_store.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "store/campaign_data.h"
#include "store/scripts.h"
#include "store/subscriber_fields.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::store {

std::string join_tags(const std::vector<std::string>& tags) {
  std::vector<std::string> sorted = tags;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out;
  for (const auto& t : sorted) out += (out.empty() ? "" : ",") + t;
  return out;
}

std::vector<std::string> split_tags(const std::string& csv) {
  std::vector<std::string> out;
  std::stringstream in(csv);
  for (std::string t; std::getline(in, t, ',');) {
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

std::string now_iso8601() { return iso8601(std::chrono::system_clock::now()); }

std::string iso8601(std::chrono::system_clock::time_point t) {
  const auto now = std::chrono::floor<std::chrono::seconds>(t);
  const auto days = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{now - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

// --- changes -------------------------------------------------------------

/// A subscriber's state as read before a change.
struct SubscriberStore::Current {
  bool exists = false;
  std::string lang;
  std::string tags;    ///< sorted csv
  std::string status;  ///< "" when the number has no record
};

/// What one subscriber_change call should write (see the script's header).
struct SubscriberStore::Plan {
  std::string mode;  ///< import | staff | keyword
  std::string want;  ///< active | pending | keep
  std::string lang;
  std::string tags;  ///< sorted csv
  std::string action_new;
  std::string action_existing;
  std::string detail;
  bool footer_due = false;
  std::string consent_source;  ///< stored as how they joined; default: the context's source
  std::string consent_at;      ///< stored as when; default: now
};

namespace {

std::vector<std::string> merged(std::vector<std::string> tags, const std::vector<std::string>& add,
                                const std::vector<std::string>& remove) {
  for (const auto& t : add) tags.push_back(t);
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  std::erase_if(tags, [&](const std::string& t) { return std::find(remove.begin(), remove.end(), t) != remove.end(); });
  return tags;
}

std::string describe_tags(const std::vector<std::string>& add, const std::vector<std::string>& remove) {
  std::string out;
  for (const auto& t : add) out += (out.empty() ? "+" : " +") + t;
  for (const auto& t : remove) out += (out.empty() ? "-" : " -") + t;
  return out;
}

}  // namespace

const SubjectHasher& SubscriberStore::hasher() {
  if (!hasher_) hasher_ = SubjectHasher::load(redis_, keys_, configured_key_);
  return *hasher_;
}

std::string SubscriberStore::subject(const util::Address& address) { return hasher().subject(address); }

std::vector<ChangeResult> SubscriberStore::apply(const std::vector<Change>& changes) {
  const Script& script = scripts().subscriber_change;
  std::vector<ChangeResult> results(changes.size());
  std::vector<std::size_t> todo(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) todo[i] = i;
  const std::string now = now_iso8601();

  for (int round = 0; !todo.empty(); ++round) {
    if (round == 10) throw RedisError("subscriber changes kept conflicting with concurrent updates; try again");
    std::vector<std::vector<std::string>> reads;
    reads.reserve(todo.size());
    for (std::size_t i : todo) {
      reads.push_back({"HMGET", keys_.subscriber(changes[i].address->canonical()), "lang", "tags", "status"});
    }
    const auto current = redis_.pipeline(reads);

    std::vector<RedisClient::ScriptCall> calls;
    std::vector<std::size_t> called;
    for (std::size_t k = 0; k < todo.size(); ++k) {
      const Change& change = changes[todo[k]];
      if (current[k].type == RedisValue::Type::Error) throw RedisReplyError(current[k].str);
      const auto& fields = current[k].as_array();
      Current cur;
      cur.exists = fields[0].as_optional_string().has_value();
      cur.lang = fields[0].as_optional_string().value_or("");
      cur.tags = fields[1].as_optional_string().value_or("");
      cur.status = fields[2].as_optional_string().value_or("");
      const std::optional<Plan> plan = change.plan(cur);
      if (!plan) {
        results[todo[k]].outcome = ChangeOutcome::Unknown;
        continue;
      }
      const std::string& stored = change.address->canonical();
      const std::string subj = subject(*change.address);
      const ConsentContext& ctx = *change.context;
      const auto new_tags = split_tags(plan->tags);
      const auto old_tags = split_tags(cur.tags);
      std::vector<std::string> keys{keys_.subscriber(stored),
                                    keys_.active(),
                                    keys_.stopped(),
                                    keys_.all_subscribers(),
                                    keys_.suppressed(),
                                    keys_.consent(),
                                    keys_.consent_pii(),
                                    keys_.consent_by_subject(subj),
                                    keys_.seen(ctx.provider_id.empty() ? "-" : ctx.provider_id),
                                    keys_.language_index(plan->lang),
                                    keys_.language_index(cur.lang.empty() ? plan->lang : cur.lang)};
      for (const auto& t : new_tags) keys.push_back(keys_.tag_index(t));
      for (const auto& t : old_tags) keys.push_back(keys_.tag_index(t));
      keys.push_back(keys_.languages());
      const long long remember = ctx.provider_id.empty() ? 0 : ctx.remember.count();
      calls.push_back({std::move(keys),
                       {stored,
                        subj,
                        plan->mode,
                        plan->want,
                        plan->lang,
                        plan->tags,
                        now,
                        cur.lang,
                        cur.tags,
                        cur.status,
                        std::to_string(new_tags.size()),
                        std::to_string(old_tags.size()),
                        plan->action_new,
                        plan->action_existing,
                        plan->detail,
                        std::to_string(remember),
                        ctx.source,
                        ctx.text,
                        ctx.provider_id,
                        ctx.endpoint,
                        plan->footer_due ? "1" : "0",
                        plan->consent_source.empty() ? ctx.source : plan->consent_source,
                        plan->consent_at.empty() ? now : plan->consent_at}});
      called.push_back(todo[k]);
    }
    std::vector<std::size_t> again;
    if (!calls.empty()) {
      const auto replies = redis_.eval_pipeline(script, calls);
      for (std::size_t k = 0; k < called.size(); ++k) {
        if (replies[k].type == RedisValue::Type::Error) throw RedisReplyError("subscriber_change: " + replies[k].str);
        const auto& reply = replies[k].as_array();
        const std::string& r = reply.at(0).as_string();
        ChangeResult& result = results[called[k]];
        result.consent_id = reply.at(1).as_string();
        if (r == "added")
          result.outcome = ChangeOutcome::Added;
        else if (r == "updated")
          result.outcome = ChangeOutcome::Updated;
        else if (r == "suppressed")
          result.outcome = ChangeOutcome::Suppressed;
        else if (r == "duplicate")
          result.outcome = ChangeOutcome::Duplicate;
        else
          again.push_back(called[k]);
      }
    }
    todo = std::move(again);
  }
  return results;
}

std::vector<UpsertResult> SubscriberStore::upsert(const std::vector<Subscriber>& batch, const std::string& source) {
  // The last line of defence: callers check these with the user's position,
  // but nothing unchecked may become a key name or a stored value.
  for (const Subscriber& s : batch) {
    auto problem = language_problem(s.language);
    if (problem) problem = "language '" + util::excerpt(s.language) + "' " + *problem;
    if (!problem) problem = tags_problem(s.tags);
    if (!problem && stored_text_problem(s.consent_source)) problem = "consent_source cannot be stored";
    if (!problem && stored_text_problem(s.consent_at)) problem = "consent_at cannot be stored";
    if (problem) throw Error("subscriber " + s.address.masked() + " not stored: " + *problem);
  }
  const ConsentContext context{source, "", "", "", std::chrono::seconds(0)};
  std::vector<Change> changes;
  changes.reserve(batch.size());
  for (const Subscriber& s : batch) {
    changes.push_back({&s.address, &context, [&s, &source](const Current& cur) -> std::optional<Plan> {
                         Plan plan;
                         plan.mode = source == "import" ? "import" : "staff";
                         plan.want = cur.status == "pending" ? "active" : (cur.exists ? "keep" : "active");
                         plan.lang = s.language;
                         plan.tags = join_tags(s.tags);
                         plan.action_new = "opt_in";
                         plan.detail = "lang=" + s.language + (plan.tags.empty() ? "" : " tags=" + plan.tags);
                         plan.consent_source = s.consent_source;
                         plan.consent_at = s.consent_at;
                         if (!s.consent_source.empty() && s.consent_source != source) {
                           plan.detail += " consent_source=" + s.consent_source;
                         }
                         if (!s.consent_at.empty()) plan.detail += " consent_at=" + s.consent_at;
                         // Log a change only when there is one.
                         const bool same = cur.lang == plan.lang && cur.tags == plan.tags && cur.status != "pending";
                         plan.action_existing = same ? "" : "update";
                         return plan;
                       }});
  }
  std::vector<UpsertResult> out;
  out.reserve(batch.size());
  for (const ChangeResult& r : apply(changes)) {
    out.push_back(r.outcome == ChangeOutcome::Added     ? UpsertResult::Added
                  : r.outcome == ChangeOutcome::Updated ? UpsertResult::Updated
                                                        : UpsertResult::Suppressed);
  }
  return out;
}

ChangeResult SubscriberStore::opt_in(const util::Address& address, const std::optional<std::string>& language,
                                     const std::string& default_language, const std::vector<std::string>& tags,
                                     bool pending, const ConsentContext& context) {
  Change change{&address, &context, [&](const Current& cur) -> std::optional<Plan> {
                  Plan plan;
                  plan.mode = "keyword";
                  // Someone already receiving messages stays active; confirming is not needed twice.
                  plan.want = pending && cur.status != "active" ? "pending" : "active";
                  plan.lang = language ? *language : (cur.exists ? cur.lang : default_language);
                  plan.tags = join_tags(merged(split_tags(cur.tags), tags, {}));
                  plan.action_new = plan.action_existing = plan.want == "pending" ? "opt_in_pending" : "opt_in";
                  plan.detail = "lang=" + plan.lang;
                  if (!tags.empty()) plan.detail += " " + describe_tags(tags, {});
                  if (cur.status == "pending" && plan.want == "active") plan.detail += " (confirmed)";
                  plan.footer_due = plan.want == "active" && cur.status != "active";
                  return plan;
                }};
  return apply({change}).front();
}

ChangeResult SubscriberStore::set_language(const util::Address& address, const std::string& language,
                                           const ConsentContext& context) {
  Change change{&address, &context, [&](const Current& cur) -> std::optional<Plan> {
                  if (!cur.exists || cur.status == "stopped") return std::nullopt;
                  Plan plan;
                  plan.mode = "keyword";
                  plan.want = "keep";
                  plan.lang = language;
                  plan.tags = cur.tags;
                  plan.action_existing = "language";
                  plan.detail = cur.lang + " -> " + language;
                  return plan;
                }};
  return apply({change}).front();
}

ChangeResult SubscriberStore::change_topics(const util::Address& address, const std::vector<std::string>& add,
                                            const std::vector<std::string>& remove, const ConsentContext& context) {
  Change change{&address, &context, [&](const Current& cur) -> std::optional<Plan> {
                  if (!cur.exists || cur.status == "stopped") return std::nullopt;
                  Plan plan;
                  plan.mode = "keyword";
                  plan.want = "keep";
                  plan.lang = cur.lang;
                  plan.tags = join_tags(merged(split_tags(cur.tags), add, remove));
                  plan.action_existing = "topics";
                  plan.detail = describe_tags(add, remove);
                  return plan;
                }};
  return apply({change}).front();
}

std::optional<SubscriberRecord> SubscriberStore::record(const util::Address& address) {
  const auto fields = redis_.command({"HGETALL", keys_.subscriber(address.canonical())}).as_map();
  if (fields.empty()) return std::nullopt;
  auto field = [&](const char* name) {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  return SubscriberRecord{Subscriber{address, field("lang"), split_tags(field("tags")), field("status"),
                                     field("consent_source"), field("consent_at")},
                          field("created_at"),
                          field("updated_at"),
                          field("stopped_at"),
                          field("stop_reason"),
                          field("pending_since"),
                          field("footer_due") == "1"};
}

std::optional<Subscriber> SubscriberStore::get(const util::Address& address) {
  auto r = record(address);
  if (!r) return std::nullopt;
  return std::move(r->subscriber);
}

std::vector<std::string> SubscriberStore::all_numbers() {
  std::vector<std::string> out;
  const RedisValue members = redis_.command({"SMEMBERS", keys_.all_subscribers()});
  for (const auto& v : members.as_array()) out.push_back(v.as_string());
  std::sort(out.begin(), out.end());
  return out;
}

RedisClient::ScriptCall subscriber_stop_call(const Keys& keys, const util::Address& address, const std::string& subject,
                                             const std::string& reason, const ConsentContext& context) {
  const long long remember = context.provider_id.empty() ? 0 : context.remember.count();
  return {{keys.subscriber(address.canonical()), keys.active(), keys.stopped(), keys.consent(), keys.consent_pii(),
           keys.consent_by_subject(subject), keys.seen(context.provider_id.empty() ? "-" : context.provider_id)},
          {address.canonical(), now_iso8601(), reason, subject, std::to_string(remember), context.source, context.text,
           context.provider_id, context.endpoint}};
}

StopOutcome SubscriberStore::stop(const util::Address& address, const std::string& reason,
                                  const ConsentContext& context) {
  const auto call = subscriber_stop_call(keys_, address, subject(address), reason, context);
  const auto r = redis_.eval(scripts().subscriber_stop, call.first, call.second);
  const std::string& result = r.as_array().at(0).as_string();
  if (result == "duplicate") return StopOutcome::Duplicate;
  return result == "stopped" ? StopOutcome::Stopped : StopOutcome::Already;
}

bool SubscriberStore::stop(const util::Address& address, const std::string& reason) {
  return stop(address, reason, ConsentContext{"staff", "", "", "", std::chrono::seconds(0)}) == StopOutcome::Stopped;
}

ForgetResult SubscriberStore::forget(const util::Address& address) {
  const std::string subj = subject(address);
  for (int round = 0; round < 10; ++round) {
    const auto fields = redis_.command({"HMGET", keys_.subscriber(address.canonical()), "lang", "tags"}).as_array();
    const auto lang = fields[0].as_optional_string();
    const std::string tags = fields[1].as_optional_string().value_or("");
    const auto tag_list = split_tags(tags);
    std::vector<std::string> keys{keys_.subscriber(address.canonical()),
                                  keys_.active(),
                                  keys_.stopped(),
                                  keys_.all_subscribers(),
                                  keys_.suppressed(),
                                  keys_.consent(),
                                  keys_.consent_pii(),
                                  keys_.consent_by_subject(subj),
                                  keys_.inbox(),
                                  keys_.language_index(lang.value_or("-"))};
    for (const auto& t : tag_list) keys.push_back(keys_.tag_index(t));
    keys.push_back(keys_.languages());
    const auto r =
        redis_.eval(scripts().subscriber_forget, keys,
                    {address.canonical(), subj, now_iso8601(), tags, std::to_string(tag_list.size()), "staff"});
    if (r.type == RedisValue::Type::Array) {
      ForgetResult out;
      out.was_stored = lang.has_value();
      out.consent_entries = r.as_array().at(0).as_integer();
      out.inbox_texts = r.as_array().at(1).as_integer();
      // Which campaigns reached them lately (the frequency cap): by number, so it goes too.
      (void)redis_.pipeline(
          {{"DEL", keys_.recent_messages(address.canonical())}, {"HDEL", keys_.time_zones(), address.canonical()}});
      const CampaignErasure campaigns = forget_in_campaigns(redis_, keys_, address.canonical());
      out.campaigns = campaigns.campaigns;
      out.queue_entries = campaigns.queue_entries;
      return out;
    }
  }
  throw RedisError("erasing a subscriber kept conflicting with concurrent updates; try again");
}

bool SubscriberStore::opted_out(const util::Address& address) {
  const auto replies = redis_.pipeline(
      {{"SISMEMBER", keys_.stopped(), address.canonical()}, {"SISMEMBER", keys_.suppressed(), subject(address)}});
  for (const auto& r : replies) {
    if (r.type == RedisValue::Type::Error) throw RedisReplyError(r.str);
    if (r.as_integer() == 1) return true;
  }
  return false;
}

std::vector<std::string> SubscriberStore::audience(const std::vector<std::string>& languages,
                                                   const std::vector<std::string>& tags) {
  return AudienceReader(redis_, keys_).numbers({languages, tags});
}

std::vector<AudienceMember> SubscriberStore::audience_members(const std::vector<std::string>& languages,
                                                              const std::vector<std::string>& tags) {
  return AudienceReader(redis_, keys_).members({languages, tags});
}

long long SubscriberStore::count(const std::vector<std::string>& languages, const std::vector<std::string>& tags) {
  return static_cast<long long>(audience(languages, tags).size());
}

void SubscriberStore::set_time_zones(const std::vector<Subscriber>& subscribers) {
  std::vector<std::string> command{"HSET", keys_.time_zones()};
  for (const auto& s : subscribers) {
    if (s.time_zone.empty()) continue;
    command.push_back(s.address.canonical());
    command.push_back(s.time_zone);
  }
  if (command.size() > 2) (void)redis_.command(command);
}

std::vector<std::string> SubscriberStore::time_zones_of(const std::vector<std::string>& numbers) {
  std::vector<std::string> out;
  out.reserve(numbers.size());
  constexpr std::size_t kBatch = 1000;
  for (std::size_t start = 0; start < numbers.size(); start += kBatch) {
    std::vector<std::string> command{"HMGET", keys_.time_zones()};
    command.insert(command.end(), numbers.begin() + static_cast<std::ptrdiff_t>(start),
                   numbers.begin() + static_cast<std::ptrdiff_t>(std::min(numbers.size(), start + kBatch)));
    const RedisValue r = redis_.command(command);
    for (const auto& v : r.as_array()) out.push_back(v.as_optional_string().value_or(""));
  }
  return out;
}

}  // namespace broadcaster::store
