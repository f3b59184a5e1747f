// `broadcaster campaign submit FILE`
#include <unistd.h>

#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "campaign/submit.h"
#include "campaign/message_renderer.h"
#include "campaign/validator.h"
#include "campaign/same_day.h"
#include "campaign/schedule_registration.h"
#include "cli/checked_campaign.h"
#include "cli/context.h"
#include "config/staff_token.h"
#include "store/campaign_meta.h"
#include "store/serve_presence.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::cli {

void add_campaign_submit_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "submit", "Validate a campaign and queue its messages; submitting again only queues numbers not queued before");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("FILE", *file, "campaign YAML")->required();
  cmd->add_flag("--json", *json, "print the result as JSON");
  cmd->callback([options, file, json] {
    const config::Config cfg = load_configuration(*options);
    templates::TemplateStore templates = campaign::open_template_store(cfg);
    const campaign::Campaign c = read_checked_campaign(*file, cfg, templates, "not submitted");
    store::RedisClient redis(redis_endpoint(cfg));
    const bool tty = isatty(STDERR_FILENO) != 0;
    const auto progress = [tty](std::size_t done, std::size_t total) {
      if (tty) std::cerr << fmt::format("\rqueueing {}/{}", done, total) << std::flush;
    };
    if (c.schedule) {
      const auto first = campaign::register_schedule(redis, keys_for(cfg), c, std::chrono::system_clock::now(),
                                                     cfg.outreach.time_zone);
      if (!first) throw Error(*file + ": the schedule has no occurrence left after now; nothing scheduled");
      namespace m = store::meta;
      const std::string meta = keys_for(cfg).campaign_meta(c.id.value);
      (void)redis.pipeline({{"HSET", meta, std::string(m::kTemplate), c.template_name.value, std::string(m::kChannel),
                             c.channel.value, std::string(m::kDescription), c.description,
                             std::string(m::kLastSubmittedAt), store::now_iso8601()},
                            {"HSETNX", meta, std::string(m::kSubmittedAt), store::now_iso8601()}});
      if (*json) {
        std::cout << nlohmann::json{{"campaign", c.id.value},
                                    {"scheduled", true},
                                    {"schedule", c.schedule->describe()},
                                    {"next_run", first->to_string()}}
                         .dump(2)
                  << "\n";
      } else {
        std::cout << fmt::format("campaign '{}' scheduled: {}; next run {} ({}); each run is sent by a running "
                                 "`broadcaster serve` under the id {}--<date>\n",
                                 c.id.value, c.schedule->describe(), first->to_string(),
                                 c.schedule->per_recipient_zone() ? "in each recipient's zone"
                                                                  : c.schedule->zone_or(cfg.outreach.time_zone),
                                 c.id.value);
      }
      return;
    }
    if (c.priority.value != campaign::Priority::Urgent) {
      for (const auto& o : campaign::same_day_overlaps(c, cfg, redis, keys_for(cfg), std::chrono::system_clock::now())) {
        std::cerr << fmt::format("{}: warning: {} of these subscribers also get campaign '{}' on {}\n", *file,
                                 o.subscribers, o.campaign, o.date);
      }
    }
    // An urgent campaign names its author (the two-person rule); any other
    // does when the caller's token is set, for the audit log.
    std::string author;
    if (c.priority.value == campaign::Priority::Urgent || config::process_env(std::string(config::kStaffTokenEnv))) {
      author = config::caller_from_environment(cfg).name;
    }
    const auto report = campaign::submit_campaign(c, cfg, templates, redis, keys_for(cfg), author, progress);
    if (tty) std::cerr << "\n";
    const auto starts = std::chrono::duration_cast<std::chrono::seconds>(report.starts_at.time_since_epoch()).count();
    const std::size_t senders = store::live_serve_processes(redis, keys_for(cfg)).size();
    if (*json) {
      nlohmann::json out = {{"campaign", c.id.value},
                            {"matched", report.matched},
                            {"queued", report.newly_queued},
                            {"already_queued", report.already_queued},
                            {"no_template", report.no_template},
                            {"unreachable", report.unreachable},
                            {"by_language", report.by_variant},
                            {"fallbacks", report.fallbacks},
                            {"with_footer", report.with_footer},
                            {"starts_at_unix", starts},
                            {"senders_running", senders},
                            {"approval", std::string(store::to_string(report.approval))}};
      std::cout << out.dump(2) << "\n";
      return;
    }
    const std::string& id = c.id.value;
    if (report.newly_queued == 0) {
      std::cout << fmt::format("campaign '{}': nothing new to queue: ", id);
      if (report.matched == 0) {
        std::cout << "no active subscriber matches the audience\n";
      } else {
        std::cout << fmt::format("the {} subscribers it matches were queued by an earlier submission\n",
                                 report.already_queued);
      }
    } else {
      std::cout << fmt::format("campaign '{}': {} messages queued", id, report.newly_queued);
      if (report.already_queued > 0) {
        std::cout << fmt::format(" ({} of the {} matching subscribers were queued before)", report.already_queued,
                                 report.matched);
      }
      std::cout << "\n";
      for (const auto& [lang, n] : report.by_variant) std::cout << fmt::format("  {:<8} {}\n", lang, n);
      for (const auto& [pair, n] : report.fallbacks) std::cout << fmt::format("  fallback {}: {}\n", pair, n);
      if (report.with_footer > 0) {
        std::cout << fmt::format("  {} carry the opt-out footer (footer: {})\n", report.with_footer,
                                 campaign::to_string(c.footer.value));
      }
    }
    if (report.no_template > 0) {
      std::cout << fmt::format("  {} subscribers skipped: no variant in their language and no fallback\n",
                               report.no_template);
    }
    if (report.unreachable > 0) {
      std::cout << fmt::format("  {} subscribers skipped: channel '{}' cannot reach their kind of address\n",
                               report.unreachable, c.channel.value);
    }
    if (report.approval == store::ApprovalState::Pending) {
      std::cout << fmt::format(
          "waiting for approval: urgent campaigns go out only after a second staff member runs `broadcaster "
          "campaign approve {}`{}\n",
          id, report.previous_approval == store::ApprovalState::Approved ? " (again: this submission may change it)"
                                                                          : "");
      return;
    }
    if (report.newly_queued == 0) return;
    const auto now = std::chrono::system_clock::now();
    if (report.starts_at > now + std::chrono::seconds(1)) {
      std::cout << fmt::format("scheduled: sending starts {} (in {} minutes){}\n", store::iso8601(report.starts_at),
                               std::chrono::duration_cast<std::chrono::minutes>(report.starts_at - now).count(),
                               senders == 0 ? "; no `broadcaster serve` is running yet" : "");
    } else if (senders > 0) {
      std::cout << fmt::format("sending: {} running `broadcaster serve` process{} send{} it now; follow with "
                               "`broadcaster campaign status {}`\n",
                               senders, senders == 1 ? "" : "es", senders == 1 ? "s" : "", id);
    } else {
      std::cout << "waiting for a sender: no `broadcaster serve` is running; start one (`ops/start --serve`, or "
                   "`broadcaster serve`) and it sends these messages\n";
    }
  });
}

}  // namespace broadcaster::cli
