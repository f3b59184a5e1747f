// `broadcaster messages --campaign ID [--status S] [--limit N] [--json]`:
// each message of a campaign with its fate (sent, failed, skipped; then
// delivered, undelivered or failed from receipts) and why, numbers masked.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "stats/campaign_messages.h"

namespace broadcaster::cli {

void add_messages_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand(
      "messages",
      "List a campaign's messages and what became of each: sent, failed or skipped by broadcaster, then "
      "delivered, undelivered or failed by the provider's receipts, with the error code in words (numbers masked)");
  auto id = std::make_shared<std::string>();
  auto status = std::make_shared<std::string>();
  auto limit = std::make_shared<std::size_t>(100);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--campaign", *id, "the campaign id")->required();
  cmd->add_option("--status", *status, "only messages in this state")
      ->check(CLI::IsMember({"sent", "failed", "skipped", "delivered", "undelivered"}));
  cmd->add_option("-n,--limit", *limit, "at most this many (default 100)")->check(CLI::PositiveNumber);
  cmd->add_flag("--json", *json, "print a JSON array");
  cmd->callback([options, id, status, limit, json] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    const auto messages = stats::campaign_messages(redis, keys_for(cfg), *id, *status, *limit);
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& m : messages) {
        out.push_back({{"number", m.number},
                       {"state", m.state},
                       {"provider_id", m.provider_id},
                       {"code", m.code.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.code)},
                       {"reason", m.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.reason)},
                       {"language", m.language.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.language)},
                       {"sent_at", m.sent_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.sent_at)},
                       {"receipt_at", m.receipt_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.receipt_at)}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (messages.empty()) {
      std::cout << "no messages" << (status->empty() ? "" : " in state " + *status) << " for campaign " << *id << "\n";
      return;
    }
    std::cout << fmt::format("{:<16} {:<12} {:<36} {:<20} {:<20} {}\n", "NUMBER", "STATE", "PROVIDER ID", "SENT AT",
                             "RECEIPT AT", "REASON");
    for (const auto& m : messages) {
      const std::string reason = m.code.empty() ? m.reason : m.code + (m.reason.empty() ? "" : ": " + m.reason);
      std::cout << fmt::format("{:<16} {:<12} {:<36} {:<20} {:<20} {}\n", m.number, m.state,
                               m.provider_id.empty() ? "-" : m.provider_id, m.sent_at.empty() ? "-" : m.sent_at,
                               m.receipt_at.empty() ? "-" : m.receipt_at, reason.empty() ? "-" : reason);
    }
  });
}

}  // namespace broadcaster::cli
