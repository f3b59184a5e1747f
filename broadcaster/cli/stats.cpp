// `broadcaster stats [CAMPAIGN] [--json]`
#include <iostream>

#include "cli/context.h"
#include "stats/campaign_stats.h"

namespace broadcaster::cli {

void add_stats_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand("stats", "Delivery counts per campaign (all campaigns, or one)");
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto replies = std::make_shared<bool>(false);
  cmd->add_option("CAMPAIGN", *id, "only this campaign");
  cmd->add_flag("--json", *json, "print a JSON array instead of a table");
  cmd->add_flag("--replies", *replies,
                "also list keyword replies sent as messages of their own (replies: outbound), one row each");
  cmd->callback([options, id, json, replies] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    const store::Keys keys = keys_for(cfg);
    std::vector<stats::CampaignStats> rows;
    std::size_t hidden_replies = 0;
    if (!id->empty()) {
      rows.push_back(stats::read_campaign_stats(redis, keys, *id));
    } else {
      for (const auto& c : stats::list_campaigns(redis, keys)) {
        auto s = stats::read_campaign_stats(redis, keys, c);
        if (s.keyword_reply && !*replies) {
          ++hidden_replies;
          continue;
        }
        rows.push_back(std::move(s));
      }
    }
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : rows) out.push_back(stats::stats_to_json(s));
      std::cout << out.dump(2) << "\n";
    } else if (rows.empty() && hidden_replies == 0) {
      std::cout << "no campaigns submitted yet (broadcaster campaign submit FILE)\n";
    } else if (!rows.empty()) {
      std::cout << stats::format_stats_table(rows);
      if (!id->empty()) std::cout << stats::format_campaign_details(rows.front());
    }
    if (!*json && hidden_replies > 0) {
      std::cout << hidden_replies << " keyword repl" << (hidden_replies == 1 ? "y" : "ies")
                << " sent as messages not listed (--replies lists them)\n";
    }
  });
}

}  // namespace broadcaster::cli
