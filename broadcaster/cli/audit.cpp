// `broadcaster audit [--campaign ID] [--limit N] [--json]`: who did what to
// which campaign, newest last.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "store/audit_log.h"

namespace broadcaster::cli {

void add_audit_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand(
      "audit",
      "Read the audit log: who submitted, approved, paused, resumed or cancelled which campaign, and when "
      "(append-only; newest last)");
  auto campaign = std::make_shared<std::string>();
  auto limit = std::make_shared<std::size_t>(50);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--campaign", *campaign, "only this campaign's entries");
  cmd->add_option("-n,--limit", *limit, "how many of the newest entries (default 50)")->check(CLI::PositiveNumber);
  cmd->add_flag("--json", *json, "print a JSON array");
  cmd->callback([options, campaign, limit, json] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    store::AuditLog log(redis, keys_for(cfg));
    const auto entries = campaign->empty() ? log.latest(*limit) : log.of_campaign(*campaign, *limit);
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : entries) {
        out.push_back({{"id", e.id},
                       {std::string(store::audit_fields::kAt), e.at},
                       {std::string(store::audit_fields::kActor), e.actor},
                       {std::string(store::audit_fields::kAction), e.action},
                       {std::string(store::audit_fields::kCampaign), e.campaign},
                       {std::string(store::audit_fields::kDetail), e.detail}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (entries.empty()) std::cout << "no audit entries\n";
    for (const auto& e : entries) {
      std::cout << fmt::format("{}  {:<20} {:<16} {:<24} {}\n", e.at, e.actor, e.action, e.campaign, e.detail);
    }
  });
}

}  // namespace broadcaster::cli
