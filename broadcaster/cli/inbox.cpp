// `broadcaster inbox [--limit N] [--after ID] [--json]`
#include "store/inbox.h"

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"

namespace broadcaster::cli {

void add_inbox_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand(
      "inbox",
      "Read texts from subscribers that were not keywords (questions, replies), newest last. No auto-reply was "
      "sent for these: someone should read them.");
  auto limit = std::make_shared<std::size_t>(50);
  auto after = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("-n,--limit", *limit, "how many of the newest texts (default 50)")->check(CLI::PositiveNumber);
  cmd->add_option("--after", *after, "only texts newer than this id (from an earlier run) ");
  cmd->add_flag("--json", *json, "print a JSON array");
  cmd->callback([options, limit, after, json] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    store::Inbox inbox(redis, keys_for(cfg));
    const auto entries = inbox.latest(*limit, *after);
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : entries) {
        out.push_back({{"id", e.id},
                       {"at", e.at},
                       {"phone", e.phone},
                       {"text", e.text},
                       {"endpoint", e.endpoint},
                       {"provider_id", e.provider_id}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (entries.empty()) std::cout << "no texts\n";
    for (const auto& e : entries) std::cout << fmt::format("{}  {}  {}  {}\n", e.id, e.at, e.phone, e.text);
  });
}

}  // namespace broadcaster::cli
