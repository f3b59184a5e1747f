// `broadcaster inbox [--limit N] [--after ID] [--json]`
#include "store/inbox.h"

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

void add_inbox_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand(
      "inbox",
      "Read texts from subscribers that were not keywords (questions, replies), newest last, each with what the "
      "sender is to us now (active, pending, stopped, or unknown: not a subscriber) and their language. No "
      "auto-reply was sent for these: someone should read them.");
  auto limit = std::make_shared<std::size_t>(50);
  auto after = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto review = std::make_shared<bool>(false);
  cmd->add_option("-n,--limit", *limit, "how many of the newest texts (default 50)")->check(CLI::PositiveNumber);
  cmd->add_option("--after", *after, "only texts newer than this id (from an earlier run) ");
  cmd->add_flag("--review", *review,
                "only texts the keyword engine was not sure about: probable opt-outs (stopped, told how to stay) "
                "and questions about stopping (no reply)");
  cmd->add_flag("--json", *json, "print a JSON array");
  cmd->callback([options, limit, after, json, review] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    store::Inbox inbox(redis, keys_for(cfg));
    store::SubscriberStore subscribers(redis, keys_for(cfg), subject_key(cfg));
    const auto entries = inbox.latest(*limit, *after, *review);
    // Who each sender is now: a question from someone who opted out reads
    // differently from one by an active subscriber or a stranger.
    struct Sender {
      std::string status, language;
    };
    auto sender_of = [&](const std::string& stored) {
      const auto address = util::Address::from_stored(stored);
      if (!address) return Sender{"unknown", ""};
      if (const auto rec = subscribers.record(*address)) {
        return Sender{rec->subscriber.status, rec->subscriber.language};
      }
      return Sender{subscribers.opted_out(*address) ? "stopped" : "unknown", ""};
    };
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : entries) {
        const Sender who = sender_of(e.phone);
        out.push_back({{"id", e.id},
                       {"at", e.at},
                       {"phone", e.phone},
                       {"sender_status", who.status},
                       {"language", who.language.empty() ? nlohmann::json(nullptr) : nlohmann::json(who.language)},
                       {"text", e.text},
                       {"endpoint", e.endpoint},
                       {"provider_id", e.provider_id},
                       {"review", e.review.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.review)}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (entries.empty()) std::cout << "no texts\n";
    for (const auto& e : entries) {
      const Sender who = sender_of(e.phone);
      const std::string about = who.language.empty() ? who.status : who.status + ", " + who.language;
      std::cout << fmt::format("{}  {}  {}  [{}]  {}\n", e.id, e.at, e.phone, about, e.text);
      if (!e.review.empty()) std::cout << fmt::format("    review: {}\n", e.review);
    }
  });
}

}  // namespace broadcaster::cli
