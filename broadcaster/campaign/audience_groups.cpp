// Reading a campaign's audience per language.
#include "campaign/audience_groups.h"

#include <map>

#include "store/footer_due.h"
#include "store/subscriber_store.h"

namespace broadcaster::campaign {

std::vector<AudienceGroup> read_audience_groups(const Campaign& c, const config::Config& cfg,
                                                store::RedisClient& redis, const store::Keys& keys) {
  store::SubscriberStore subscribers(redis, keys);
  const std::vector<std::string> numbers = subscribers.audience(c.language_values(), c.tag_values());
  const auto languages = subscribers.languages_of(numbers);
  const std::vector<bool> due = store::read_footer_due(redis, keys, numbers);
  std::map<std::string, AudienceGroup> groups;
  for (std::size_t i = 0; i < numbers.size(); ++i) {  // numbers are sorted
    const std::string language = languages[i].value_or(cfg.fallback_language);
    AudienceGroup& g = groups[language];
    g.language = language;
    ++g.subscribers;
    if (due[i]) ++g.footer_due;
    if (!g.sample) {
      g.sample = util::Phone::from_trusted_e164(numbers[i]);
      g.sample_footer_due = due[i];
    }
  }
  std::vector<AudienceGroup> out;
  for (auto& [_, g] : groups) out.push_back(std::move(g));
  return out;
}

}  // namespace broadcaster::campaign
