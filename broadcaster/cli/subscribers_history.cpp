// `broadcaster subscribers history NUMBER [--json]`
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/consent_json.h"
#include "cli/context.h"
#include "store/consent_log.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

void add_subscribers_history_command(CLI::App& subscribers, GlobalOptionsPtr options) {
  auto* cmd = subscribers.add_subcommand(
      "history",
      "Show a number's consent log: every opt-in, opt-out, language and topic change, with time, source, the "
      "words they texted and the provider's message id. Also works for numbers erased on request (entries then "
      "show no number or text).");
  auto number = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("ADDRESS", *number, "phone number, email address or telegram:<chat id>")->required();
  cmd->add_flag("--json", *json, "print a JSON array");
  cmd->callback([options, number, json] {
    const config::Config cfg = load_configuration(*options);
    const util::Address address = address_argument(*number, cfg);
    store::RedisClient redis(redis_endpoint(cfg));
    store::SubscriberStore subscribers_store(redis, keys_for(cfg), subject_key(cfg));
    store::ConsentLog log(redis, keys_for(cfg));
    const auto entries = log.history(subscribers_store.subject(address));
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : entries) out.push_back(consent_entry_json(e));
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (entries.empty()) {
      std::cout << fmt::format("no consent-log entries for {}\n", address.canonical());
      return;
    }
    for (const auto& e : entries) {
      std::cout << fmt::format("{}  {:<15} {:<8} {}", e.at, e.action, e.source, e.detail);
      if (e.text && !e.text->empty()) std::cout << fmt::format("  text: \"{}\"", *e.text);
      if (!e.provider_id.empty()) std::cout << fmt::format("  id: {}", e.provider_id);
      if (!e.phone) std::cout << "  (personal data erased)";
      std::cout << "\n";
    }
  });
}

}  // namespace broadcaster::cli
