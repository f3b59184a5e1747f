// `broadcaster subscribers count [--lang L] [--tag T]`
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

void add_subscribers_count_command(CLI::App& subscribers, GlobalOptionsPtr options) {
  auto* cmd = subscribers.add_subcommand("count", "Count active subscribers, optionally by language and tag");
  auto langs = std::make_shared<std::vector<std::string>>();
  auto tags = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--lang", *langs, "language code (repeat for any of several)");
  cmd->add_option("--tag", *tags, "tag (repeat for any of several)");
  cmd->add_flag("--json", *json, "print {\"count\": N} as JSON");
  cmd->callback([options, langs, tags, json] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    store::SubscriberStore store(redis, keys_for(cfg));
    auto lower = [](std::vector<std::string> v) {
      for (auto& s : v) std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      return v;
    };
    const long long n = store.count(lower(*langs), lower(*tags));
    if (*json) {
      std::cout << nlohmann::json{{"count", n}, {"languages", *langs}, {"tags", *tags}}.dump() << "\n";
    } else {
      std::cout << n << "\n";
    }
  });
}

}  // namespace broadcaster::cli
