// Reading an audience in slices (design: audience_reader.h).
#include "store/audience_reader.h"

#include <algorithm>

#include "util/errors.h"

namespace broadcaster::store {

namespace {

// Members per SSCAN step and per SMISMEMBER: one command of this size takes
// well under a millisecond of Redis's time.
constexpr std::size_t kSlice = 1000;
// Languages looked up one by one (members missing from the language hash),
// per pipeline.
constexpr std::size_t kLookupBatch = 1000;

const RedisValue& checked(const RedisValue& reply) {
  if (reply.is_error()) throw RedisReplyError("reading an audience: " + reply.str);
  return reply;
}

// What one SMISMEMBER of a slice tells about its members.
struct Check {
  enum class Kind { Active, Tag, Language };
  std::string key;
  Kind kind;
  std::string language = {};  // for Language
};

}  // namespace

std::vector<AudienceMember> AudienceReader::walk(const AudienceQuery& q, bool details) {
  // The set walked: the smallest of those every member must be in.
  std::vector<std::string> candidates{keys_.active()};
  if (q.tags.size() == 1) candidates.push_back(keys_.tag_index(q.tags.front()));
  if (q.languages.size() == 1) candidates.push_back(keys_.language_index(q.languages.front()));
  std::string driver = candidates.front();
  if (candidates.size() > 1) {
    std::vector<std::vector<std::string>> sizes;
    for (const auto& key : candidates) sizes.push_back({"SCARD", key});
    const auto replies = redis_.pipeline(sizes);
    long long smallest = checked(replies.front()).as_integer();
    for (std::size_t i = 1; i < candidates.size(); ++i) {
      if (checked(replies[i]).as_integer() < smallest) {
        smallest = replies[i].as_integer();
        driver = candidates[i];
      }
    }
  }
  const bool by_tag = q.tags.size() == 1 && driver == keys_.tag_index(q.tags.front());
  const bool by_language = q.languages.size() == 1 && driver == keys_.language_index(q.languages.front());

  std::vector<Check> checks;
  if (driver != keys_.active()) checks.push_back({keys_.active(), Check::Kind::Active});
  if (!by_tag) {
    for (const auto& t : q.tags) checks.push_back({keys_.tag_index(t), Check::Kind::Tag});
  }
  if (!by_language) {
    for (const auto& l : q.languages) checks.push_back({keys_.language_index(l), Check::Kind::Language, l});
  }

  std::vector<AudienceMember> out;
  std::vector<std::size_t> unknown_language;  // members (indexes in out) missing from the language hash
  const std::vector<std::string> first_page{"SSCAN", driver, "0", "COUNT", std::to_string(kSlice)};
  RedisValue page = checked(redis_.command(first_page));
  while (true) {
    const std::string cursor = page.as_array().at(0).as_string();
    const std::vector<RedisValue>& slice = page.as_array().at(1).as_array();
    // This slice's checks and the next slice travel in one round trip.
    std::vector<std::vector<std::string>> commands;
    if (!slice.empty()) {
      auto with_slice = [&slice](std::vector<std::string> command) {
        command.reserve(command.size() + slice.size());
        for (const auto& member : slice) command.push_back(member.str);
        return command;
      };
      for (const auto& c : checks) commands.push_back(with_slice({"SMISMEMBER", c.key}));
      if (details) {
        commands.push_back(with_slice({"HMGET", keys_.time_zones()}));
        commands.push_back(with_slice({"HMGET", keys_.languages()}));
      }
    }
    if (cursor != "0") commands.push_back({"SSCAN", driver, cursor, "COUNT", std::to_string(kSlice)});
    std::vector<RedisValue> replies;
    if (!commands.empty()) replies = redis_.pipeline(commands);
    for (const auto& r : replies) checked(r);

    for (std::size_t m = 0; m < slice.size(); ++m) {
      bool active = true;
      bool tagged = q.tags.empty() || by_tag;
      bool in_language = q.languages.empty() || by_language;
      std::optional<std::string> language;
      if (by_language) language = q.languages.front();
      for (std::size_t k = 0; k < checks.size(); ++k) {
        const bool in = replies[k].as_array().at(m).as_integer() == 1;
        switch (checks[k].kind) {
          case Check::Kind::Active:
            active = in;
            break;
          case Check::Kind::Tag:
            tagged = tagged || in;
            break;
          case Check::Kind::Language:
            in_language = in_language || in;
            if (in && !language) language = checks[k].language;
            break;
        }
      }
      if (!active || !tagged || !in_language) continue;
      AudienceMember member{slice[m].str, std::move(language), ""};
      if (details) {
        member.time_zone = replies[checks.size()].as_array().at(m).as_optional_string().value_or("");
        // The hash and the indexes are written by the same script: when
        // both answer they agree.
        if (auto stored = replies[checks.size() + 1].as_array().at(m).as_optional_string()) {
          member.language = std::move(stored);
        }
        if (!member.language) unknown_language.push_back(out.size());
      }
      out.push_back(std::move(member));
    }
    if (cursor == "0") break;
    page = std::move(replies.back());
  }

  for (std::size_t start = 0; start < unknown_language.size(); start += kLookupBatch) {
    const std::size_t end = std::min(unknown_language.size(), start + kLookupBatch);
    std::vector<std::vector<std::string>> lookups;
    for (std::size_t i = start; i < end; ++i) {
      lookups.push_back({"HGET", keys_.subscriber(out[unknown_language[i]].address), "lang"});
    }
    const auto replies = redis_.pipeline(lookups);
    for (std::size_t i = start; i < end; ++i) {
      out[unknown_language[i]].language = checked(replies[i - start]).as_optional_string();
    }
  }

  // SSCAN may return a member twice.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.address < b.address; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.address == b.address; }),
            out.end());
  return out;
}

std::vector<std::string> AudienceReader::numbers(const AudienceQuery& query) {
  std::vector<std::string> out;
  for (auto& member : walk(query, false)) out.push_back(std::move(member.address));
  return out;
}

std::vector<AudienceMember> AudienceReader::members(const AudienceQuery& query) { return walk(query, true); }

}  // namespace broadcaster::store
