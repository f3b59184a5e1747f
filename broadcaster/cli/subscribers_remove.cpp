// `broadcaster subscribers remove NUMBER [--forget]`
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

void add_subscribers_remove_command(CLI::App& subscribers, GlobalOptionsPtr options) {
  auto* cmd = subscribers.add_subcommand(
      "remove",
      "Opt a number out on the person's behalf (they asked by phone, say): no more messages, and import cannot "
      "bring it back; logged with source 'staff'. With --forget, also erase their personal data on request: the "
      "subscriber record, the number and texts in their consent-log entries (which keep only a keyed hash), "
      "their inbox texts, and their messages and outcomes in every campaign (the campaigns' counts stay); a "
      "hashed suppression entry keeps the number opted out.");
  auto number = std::make_shared<std::string>();
  auto forget = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("ADDRESS", *number, "phone number, email address or telegram:<chat id>")->required();
  cmd->add_flag("--forget", *forget, "erase personal data as well (cannot be undone)");
  cmd->add_flag("--json", *json, "print the result as JSON");
  cmd->callback([options, number, forget, json] {
    const config::Config cfg = load_configuration(*options);
    const util::Address address = address_argument(*number, cfg);
    store::RedisClient redis(redis_endpoint(cfg));
    store::SubscriberStore store(redis, keys_for(cfg), subject_key(cfg));
    const bool changed = store.stop(address, "removed by staff");
    nlohmann::json out{{"phone", address.canonical()}, {"opted_out", true}, {"newly_opted_out", changed}};
    std::string text = fmt::format("{} {}", address.canonical(), changed ? "opted out" : "was already opted out");
    if (*forget) {
      const store::ForgetResult erased = store.forget(address);
      out.update({{"erased", true},
                  {"was_stored", erased.was_stored},
                  {"consent_entries_scrubbed", erased.consent_entries},
                  {"inbox_texts_deleted", erased.inbox_texts},
                  {"campaigns_erased", erased.campaigns},
                  {"campaign_messages_deleted", erased.queue_entries}});
      // The number is no longer known to us: print it masked from here on.
      text = fmt::format(
          "{} opted out and erased: record deleted, {} consent-log entries kept without number "
          "or text, {} inbox texts deleted, {} queued messages deleted from {} campaigns; a hashed entry "
          "keeps the number opted out",
          address.masked(), erased.consent_entries, erased.inbox_texts, erased.queue_entries, erased.campaigns);
      out["phone"] = address.masked();
    }
    std::cout << (*json ? out.dump(2) : text) << "\n";
  });
}

}  // namespace broadcaster::cli
