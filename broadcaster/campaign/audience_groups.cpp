// Reading a campaign's audience per language.
#include "campaign/audience_groups.h"

#include <map>

#include "campaign/reachable.h"
#include "store/footer_due.h"
#include "store/subscriber_store.h"

namespace broadcaster::campaign {

AudienceGroups read_audience_groups(const Campaign& c, const config::Config& cfg, store::RedisClient& redis,
                                    const store::Keys& keys) {
  store::SubscriberStore subscribers(redis, keys);
  std::vector<store::AudienceMember> members = subscribers.audience_members(c.language_values(), c.tag_values());
  AudienceGroups out;
  if (const auto channel = cfg.channels.find(c.channel.value); channel != cfg.channels.end()) {
    out.unreachable = drop_unreachable(members, channel->second.medium());
  }
  std::vector<std::string> numbers;
  numbers.reserve(members.size());
  for (const auto& m : members) numbers.push_back(m.address);
  const std::vector<bool> due = store::read_footer_due(redis, keys, numbers);
  std::map<std::string, AudienceGroup> groups;
  for (std::size_t i = 0; i < numbers.size(); ++i) {  // numbers are sorted
    const std::string language = members[i].language.value_or(cfg.fallback_language);
    AudienceGroup& g = groups[language];
    g.language = language;
    ++g.subscribers;
    if (due[i]) ++g.footer_due;
    if (!g.sample) {
      g.sample = util::Address::from_stored(numbers[i]);
      g.sample_footer_due = due[i];
    }
  }
  for (auto& [_, g] : groups) out.languages.push_back(std::move(g));
  return out;
}

}  // namespace broadcaster::campaign
