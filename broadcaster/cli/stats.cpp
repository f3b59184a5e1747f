// `broadcaster stats [CAMPAIGN] [--json]`
#include <iostream>

#include "cli/context.h"
#include "stats/campaign_stats.h"

namespace broadcaster::cli {

void add_stats_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand("stats", "Delivery counts per campaign (all campaigns, or one)");
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("CAMPAIGN", *id, "only this campaign");
  cmd->add_flag("--json", *json, "print a JSON array instead of a table");
  cmd->callback([options, id, json] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    const store::Keys keys = keys_for(cfg);
    std::vector<stats::CampaignStats> rows;
    if (!id->empty()) {
      rows.push_back(stats::read_campaign_stats(redis, keys, *id));
    } else {
      for (const auto& c : stats::list_campaigns(redis, keys)) rows.push_back(stats::read_campaign_stats(redis, keys, c));
    }
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : rows) out.push_back(stats::stats_to_json(s));
      std::cout << out.dump(2) << "\n";
    } else if (rows.empty()) {
      std::cout << "no campaigns submitted yet (broadcaster campaign submit FILE)\n";
    } else {
      std::cout << stats::format_stats_table(rows);
      if (!id->empty()) std::cout << stats::format_campaign_details(rows.front());
    }
  });
}

}  // namespace broadcaster::cli
