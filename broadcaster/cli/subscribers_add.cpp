// `broadcaster subscribers add NUMBER --lang L [--tag T]...`
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "templates/value.h"
#include "store/subscriber_fields.h"
#include "store/subscriber_store.h"
#include "util/excerpt.h"

namespace broadcaster::cli {

namespace {
constexpr int kExitOptedOut = 3;
}

void add_subscribers_add_command(CLI::App& subscribers, GlobalOptionsPtr options) {
  auto* cmd = subscribers.add_subcommand(
      "add",
      "Add one subscriber on staff's behalf (for example from a paper sign-up form), or change the language and "
      "tags of an existing one. A number that opted out is never re-activated this way (exit status 3): only the "
      "person can rejoin, by texting an opt-in keyword. Logged in the consent log with source 'staff'.");
  auto number = std::make_shared<std::string>();
  auto lang = std::make_shared<std::string>();
  auto tags = std::make_shared<std::vector<std::string>>();
  auto how = std::make_shared<std::string>("staff");
  auto json = std::make_shared<bool>(false);
  auto zone = std::make_shared<std::string>();
  cmd->add_option("ADDRESS", *number,
                  "phone number (E.164, or national in the default region), email address or telegram:<chat id>")
      ->required();
  cmd->add_option("--lang", *lang, "language code (es, en, hmn, ...)")->required();
  cmd->add_option("--tag", *tags, "tag: county or topic (repeat for several)");
  cmd->add_option("--consent-source", *how, "how consent was given, kept with the subscriber (e.g. 'paper form')");
  cmd->add_option("--time-zone", *zone,
                  "their own IANA time zone (e.g. America/Chicago), for quiet hours and recipient-zone schedules; "
                  "without it their area code decides");
  cmd->add_flag("--json", *json, "print the result as JSON");
  cmd->callback([options, number, lang, tags, how, json, zone] {
    const config::Config cfg = load_configuration(*options);
    const util::Address address = address_argument(*number, cfg);
    auto lower = [](std::string s) {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      return s;
    };
    // Checked before Redis is contacted, quoting at most a short excerpt.
    const std::string language = lower(*lang);
    if (const auto problem = store::language_problem(language)) {
      throw Error("--lang '" + util::excerpt(*lang) + "' " + *problem);
    }
    std::vector<std::string> tag_list;
    for (const auto& t : *tags) {
      tag_list.push_back(lower(t));
      if (const auto problem = store::tag_problem(tag_list.back())) {
        throw Error("--tag '" + util::excerpt(t) + "' " + *problem);
      }
    }
    if (const auto problem = store::tags_problem(tag_list)) throw Error("--tag: " + *problem);
    if (const auto problem = store::stored_text_problem(*how)) {
      throw Error("--consent-source '" + util::excerpt(*how) + "' " + *problem);
    }
    if (!zone->empty() && !templates::is_time_zone(*zone)) {
      throw Error("--time-zone '" + util::excerpt(*zone) + "' is not a time zone; use an IANA name like America/Chicago");
    }
    store::RedisClient redis(redis_endpoint(cfg));
    store::SubscriberStore store(redis, keys_for(cfg), subject_key(cfg));
    const store::Subscriber s{address, language, tag_list, "active", *how, "", *zone};
    const auto result = store.upsert({s}, "staff").front();
    if (result != store::UpsertResult::Suppressed) store.set_time_zones({s});
    const char* word = result == store::UpsertResult::Added     ? "added"
                       : result == store::UpsertResult::Updated ? "updated"
                                                                : "opted_out";
    if (*json) {
      std::cout << nlohmann::json{{"phone", address.canonical()}, {"result", word}}.dump() << "\n";
    } else if (result == store::UpsertResult::Suppressed) {
      std::cout << fmt::format("{} opted out earlier; not added (only the person can rejoin by text)\n",
                               address.canonical());
    } else {
      std::cout << fmt::format("{} {}\n", address.canonical(), word);
    }
    if (result == store::UpsertResult::Suppressed) throw CLI::RuntimeError(kExitOptedOut);
  });
}

}  // namespace broadcaster::cli
