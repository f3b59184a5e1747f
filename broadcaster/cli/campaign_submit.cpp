// `broadcaster campaign submit FILE`
#include <unistd.h>

#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "campaign/submit.h"
#include "campaign/message_renderer.h"
#include "campaign/validator.h"
#include "cli/checked_campaign.h"
#include "cli/context.h"
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
    const auto report = campaign::submit_campaign(c, cfg, templates, redis, keys_for(cfg), progress);
    if (tty) std::cerr << "\n";
    const auto starts = std::chrono::duration_cast<std::chrono::seconds>(report.starts_at.time_since_epoch()).count();
    if (*json) {
      nlohmann::json out = {{"campaign", c.id.value},        {"targeted", report.targeted},
                            {"queued", report.newly_queued}, {"already_queued", report.already_queued},
                            {"no_template", report.no_template}, {"by_language", report.by_variant},
                            {"fallbacks", report.fallbacks},   {"with_footer", report.with_footer},
                            {"starts_at_unix", starts}};
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << fmt::format("campaign '{}': {} subscribers targeted, {} messages queued now, {} queued before\n",
                             c.id.value, report.targeted, report.newly_queued, report.already_queued);
    for (const auto& [lang, n] : report.by_variant) std::cout << fmt::format("  {:<8} {}\n", lang, n);
    for (const auto& [pair, n] : report.fallbacks) std::cout << fmt::format("  fallback {}: {}\n", pair, n);
    if (report.with_footer > 0) {
      std::cout << fmt::format("  {} of the messages queued now carry the opt-out footer (footer: {})\n",
                               report.with_footer, campaign::to_string(c.footer.value));
    }
    if (report.no_template > 0) {
      std::cout << fmt::format("  {} subscribers skipped: no variant in their language and no fallback\n",
                               report.no_template);
    }
    const auto now = std::chrono::system_clock::now();
    if (report.starts_at > now + std::chrono::seconds(1)) {
      std::cout << fmt::format("scheduled: sending starts in {} minutes (run `broadcaster serve`)\n",
                               std::chrono::duration_cast<std::chrono::minutes>(report.starts_at - now).count());
    } else {
      std::cout << "ready: a running `broadcaster serve` sends it now; follow with `broadcaster campaign status "
                << c.id.value << "`\n";
    }
  });
}

}  // namespace broadcaster::cli
