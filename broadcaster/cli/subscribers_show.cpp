// `broadcaster subscribers show NUMBER [--json]`
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

namespace {
constexpr int kExitNotFound = 4;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}
}  // namespace

void add_subscribers_show_command(CLI::App& subscribers, GlobalOptionsPtr options) {
  auto* cmd = subscribers.add_subcommand(
      "show",
      "Show one subscriber: status, language, tags and consent times. A number that is not stored but opted out "
      "(or was erased on request) is reported as opted out. Exit status 4 if the number is unknown.");
  auto number = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("ADDRESS", *number, "phone number, email address or telegram:<chat id>")->required();
  cmd->add_flag("--json", *json, "print as JSON, for scripts");
  cmd->callback([options, number, json] {
    const config::Config cfg = load_configuration(*options);
    const util::Address address = address_argument(*number, cfg);
    store::RedisClient redis(redis_endpoint(cfg));
    store::SubscriberStore store(redis, keys_for(cfg), subject_key(cfg));
    const auto rec = store.record(address);
    const bool opted_out = store.opted_out(address);
    nlohmann::json out{{"phone", address.canonical()},
                       {"kind", util::to_string(address.kind())},
                       {"stored", rec.has_value()},
                       {"opted_out", opted_out}};
    const std::string own_zone = store.time_zones_of({address.canonical()}).front();
    const auto local = cfg.outreach.zone_for(address.canonical(), own_zone);
    if (rec) {
      const auto& s = rec->subscriber;
      out.update(
          {{"status", s.status},
           {"language", s.language},
           {"tags", s.tags},
           {"consent_source", s.consent_source},
           {"consent_at", s.consent_at},
           {"created_at", rec->created_at},
           {"updated_at", rec->updated_at},
           {"stopped_at", rec->stopped_at.empty() ? nlohmann::json() : nlohmann::json(rec->stopped_at)},
           {"stop_reason", rec->stop_reason.empty() ? nlohmann::json() : nlohmann::json(rec->stop_reason)},
           {"pending_since", rec->pending_since.empty() ? nlohmann::json() : nlohmann::json(rec->pending_since)},
           {"time_zone", local.zone},
           {"time_zone_from", own_zone.empty() ? "area code or organization" : "subscriber"},
           {"state", local.state}});
    } else {
      out["status"] = opted_out ? nlohmann::json("stopped") : nlohmann::json();
    }
    if (*json) {
      std::cout << out.dump(2) << "\n";
    } else if (rec) {
      const auto& s = rec->subscriber;
      std::cout << fmt::format("address      {}\nstatus       {}\nlanguage     {}\ntags         {}\n",
                               address.canonical(), s.status, s.language, join(s.tags));
      std::cout << fmt::format("consent      {} at {}\ncreated      {}\nupdated      {}\n", s.consent_source,
                               s.consent_at, rec->created_at, rec->updated_at);
      std::cout << fmt::format("time zone    {}{} ({})\n", local.zone, local.state.empty() ? "" : ", " + local.state,
                               own_zone.empty() ? "from the area code, else the organization's" : "their own");
      if (!rec->stopped_at.empty())
        std::cout << fmt::format("stopped      {} ({})\n", rec->stopped_at, rec->stop_reason);
      if (!rec->pending_since.empty())
        std::cout << fmt::format("pending      since {} (asked to confirm)\n", rec->pending_since);
    } else if (opted_out) {
      std::cout << fmt::format("{} is not a stored subscriber, but opted out: it will never be sent to or imported\n",
                               address.canonical());
    } else {
      std::cout << fmt::format("{} is not a subscriber\n", address.canonical());
    }
    if (!rec && !opted_out) throw CLI::RuntimeError(kExitNotFound);
  });
}

}  // namespace broadcaster::cli
