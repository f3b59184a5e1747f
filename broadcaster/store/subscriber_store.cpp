// Subscriber storage on Redis.
#include "store/subscriber_store.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <sstream>

#include "store/scripts.h"
#include "util/errors.h"

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

std::string now_iso8601() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
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

std::vector<UpsertResult> SubscriberStore::upsert(const std::vector<Subscriber>& batch) {
  const Script& script = scripts().subscriber_upsert;
  std::vector<UpsertResult> results(batch.size(), UpsertResult::Added);
  std::vector<std::size_t> todo(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) todo[i] = i;
  const std::string now = now_iso8601();

  // Read the current language and tags, then write with a check that they
  // have not changed in between; rows that did change are read again.
  for (int round = 0; !todo.empty(); ++round) {
    if (round == 10) throw RedisError("subscriber import kept conflicting with concurrent updates; try again");
    std::vector<std::vector<std::string>> reads;
    reads.reserve(todo.size());
    for (std::size_t i : todo) reads.push_back({"HMGET", keys_.subscriber(batch[i].phone.e164()), "lang", "tags"});
    const auto current = redis_.pipeline(reads);

    std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> calls;
    calls.reserve(todo.size());
    for (std::size_t k = 0; k < todo.size(); ++k) {
      const Subscriber& s = batch[todo[k]];
      if (current[k].type == RedisValue::Type::Error) throw RedisReplyError(current[k].str);
      const auto& fields = current[k].as_array();
      const std::string old_lang = fields[0].as_optional_string().value_or("");
      const std::string old_tags = fields[1].as_optional_string().value_or("");
      const std::string new_tags = join_tags(s.tags);
      const auto new_tag_list = split_tags(new_tags);
      const auto old_tag_list = split_tags(old_tags);
      std::vector<std::string> keys{keys_.subscriber(s.phone.e164()), keys_.active(), keys_.stopped(),
                                    keys_.all_subscribers(), keys_.language_index(s.language),
                                    keys_.language_index(old_lang.empty() ? s.language : old_lang)};
      for (const auto& t : new_tag_list) keys.push_back(keys_.tag_index(t));
      for (const auto& t : old_tag_list) keys.push_back(keys_.tag_index(t));
      calls.push_back({std::move(keys),
                       {s.phone.e164(), s.language, new_tags, s.consent_source.empty() ? "import" : s.consent_source,
                        s.consent_at.empty() ? now : s.consent_at, now, old_lang, old_tags,
                        std::to_string(new_tag_list.size()), std::to_string(old_tag_list.size())}});
    }
    const auto replies = redis_.eval_pipeline(script, calls);
    std::vector<std::size_t> again;
    for (std::size_t k = 0; k < todo.size(); ++k) {
      if (replies[k].type == RedisValue::Type::Error) throw RedisReplyError("subscriber_upsert: " + replies[k].str);
      const std::string& r = replies[k].as_string();
      if (r == "added") results[todo[k]] = UpsertResult::Added;
      else if (r == "updated") results[todo[k]] = UpsertResult::Updated;
      else if (r == "suppressed") results[todo[k]] = UpsertResult::Suppressed;
      else again.push_back(todo[k]);
    }
    todo = std::move(again);
  }
  return results;
}

std::optional<Subscriber> SubscriberStore::get(const util::Phone& phone) {
  const auto fields = redis_.command({"HGETALL", keys_.subscriber(phone.e164())}).as_map();
  if (fields.empty()) return std::nullopt;
  auto field = [&](const char* name) {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  Subscriber s{phone, field("lang"), split_tags(field("tags")), field("status"), field("consent_source"),
               field("consent_at")};
  return s;
}

bool SubscriberStore::stop(const util::Phone& phone, const std::string& reason) {
  const auto r = redis_.eval(scripts().subscriber_stop,
                             {keys_.subscriber(phone.e164()), keys_.active(), keys_.stopped()},
                             {phone.e164(), now_iso8601(), reason});
  return r.as_integer() == 1;
}

RedisValue SubscriberStore::run_audience(const std::vector<std::string>& languages,
                                         const std::vector<std::string>& tags, const char* mode) {
  // Scratch keys must not collide between concurrent queries.
  std::random_device rd;
  const std::string nonce = std::to_string(rd()) + std::to_string(rd());
  std::vector<std::string> keys{keys_.active(), keys_.scratch(nonce + ":l"), keys_.scratch(nonce + ":t")};
  for (const auto& l : languages) keys.push_back(keys_.language_index(l));
  for (const auto& t : tags) keys.push_back(keys_.tag_index(t));
  return redis_.eval(scripts().audience, keys,
                     {std::to_string(languages.size()), std::to_string(tags.size()), mode});
}

std::vector<std::string> SubscriberStore::audience(const std::vector<std::string>& languages,
                                                   const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  const RedisValue members = run_audience(languages, tags, "members");
  for (const auto& v : members.as_array()) out.push_back(v.as_string());
  std::sort(out.begin(), out.end());
  return out;
}

long long SubscriberStore::count(const std::vector<std::string>& languages,
                                 const std::vector<std::string>& tags) {
  return run_audience(languages, tags, "count").as_integer();
}

std::vector<std::optional<std::string>> SubscriberStore::languages_of(const std::vector<std::string>& numbers) {
  std::vector<std::optional<std::string>> out;
  out.reserve(numbers.size());
  constexpr std::size_t kBatch = 1000;
  for (std::size_t start = 0; start < numbers.size(); start += kBatch) {
    std::vector<std::vector<std::string>> cmds;
    for (std::size_t i = start; i < std::min(numbers.size(), start + kBatch); ++i) {
      cmds.push_back({"HGET", keys_.subscriber(numbers[i]), "lang"});
    }
    for (const auto& r : redis_.pipeline(cmds)) {
      if (r.type == RedisValue::Type::Error) throw RedisReplyError(r.str);
      out.push_back(r.as_optional_string());
    }
  }
  return out;
}

}  // namespace broadcaster::store
