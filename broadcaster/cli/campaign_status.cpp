// `broadcaster campaign status ID`
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/context.h"
#include "stats/campaign_stats.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

void add_campaign_status_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand("status", "Show one campaign's progress: queued, sent, failed, skipped");
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto wait = std::make_shared<int>(-1);
  cmd->add_option("ID", *id, "campaign id (the `id:` in its YAML)")->required();
  cmd->add_flag("--json", *json, "print the result as JSON");
  cmd->add_option("--wait", *wait,
                  "wait up to SECONDS for the campaign to be done, showing progress on standard error, then print "
                  "the status; exits 1 if it is not done by then")
      ->expected(0, 1)
      ->default_str("600");
  cmd->callback([options, id, json, wait] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    auto s = stats::read_campaign_stats(redis, keys_for(cfg), *id);
    if (*wait >= 0) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait);
      const bool tty = isatty(STDERR_FILENO) != 0;
      std::string last;
      // A cancelled campaign will not be done: stop waiting for it.
      while (s.status != "done" && s.status != "cancelled" && std::chrono::steady_clock::now() < deadline) {
        const std::string line = fmt::format("{}: {} of {} messages have an outcome{}", s.id, s.queued - s.remaining(),
                                             s.queued, s.status == "waiting" ? " (waiting for a sender)" : "");
        if (line != last) std::cerr << (tty ? "\r" : "") << line << (tty ? "" : "\n") << std::flush;
        last = line;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        s = stats::read_campaign_stats(redis, keys_for(cfg), *id);
      }
      if (tty && !last.empty()) std::cerr << "\n";
    }
    if (*json) {
      std::cout << stats::stats_to_json(s).dump(2) << "\n";
      if (*wait >= 0 && s.status != "done") throw CLI::RuntimeError(1);
      return;
    }
    const std::string status =
        s.status == "waiting"
            ? "waiting for a sender (no `broadcaster serve` is running: start one with `ops/start --serve` or "
              "`broadcaster serve`)"
            : s.status;
    std::cout << fmt::format("campaign     {}\nstatus       {}\ntemplate     {}\nchannel      {}\nsubmitted    {}\n",
                             s.id, status, s.template_name, s.channel, s.submitted_at);
    if (s.last_submitted_at != s.submitted_at) std::cout << fmt::format("resubmitted  {}\n", s.last_submitted_at);
    if (!s.done_at.empty()) std::cout << fmt::format("done         {}\n", s.done_at);
    if (!s.cancelled_at.empty()) std::cout << fmt::format("cancelled at {}\n", s.cancelled_at);
    std::cout << fmt::format(
        "targeted     {}\nqueued       {}\nsent         {}\nfailed       {}\nskipped      {} (stopped)\n"
        "remaining    {} ({} being sent)\n",
        s.targeted(), s.queued, s.sent, s.failed, s.skipped_stopped, s.remaining(), s.in_flight);
    if (s.waiting > 0 || s.deferred_quiet_hours > 0 || s.deferred_cap > 0) {
      std::cout << fmt::format("waiting      {} now (set aside {} times for quiet hours, {} for the frequency cap)\n",
                               s.waiting, s.deferred_quiet_hours, s.deferred_cap);
    }
    if (s.skipped_cap > 0) std::cout << fmt::format("over cap     {} (not sent: over_cap: skip)\n", s.skipped_cap);
    if (s.skipped_expired > 0) std::cout << fmt::format("expired      {} (not sent by valid_until)\n", s.skipped_expired);
    if (s.skipped_no_template > 0) std::cout << fmt::format("no template  {}\n", s.skipped_no_template);
    if (s.skipped_unreachable > 0) {
      std::cout << fmt::format("unreachable  {} (no address the channel reaches)\n", s.skipped_unreachable);
    }
    if (s.in_doubt > 0) {
      std::cout << fmt::format("in doubt     {} (a send got no answer; the provider had it: {}, sent again: {})\n",
                               s.in_doubt, s.in_doubt_found, s.in_doubt_resent);
    }
    if (s.cancelled > 0)
      std::cout << fmt::format("cancelled    {} (never sent: the campaign was cancelled)\n", s.cancelled);
    if (s.dead_letter > 0)
      std::cout << fmt::format("unreadable   {} (set aside in the dead-letter stream)\n", s.dead_letter);
    if (s.erased > 0) {
      std::cout << fmt::format("erased       {} on request ({} before sending)\n", s.erased, s.skipped_erased);
    }
    if (s.purge_at_ms > 0) {
      const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(s.purge_at_ms));
      const auto now = std::chrono::system_clock::now();
      std::cout << (at <= now ? fmt::format("purged       {} (numbers, texts and outcomes deleted; the counts stay)\n",
                                            store::iso8601(at))
                              : fmt::format("purge at     {} (numbers, texts and outcomes go then; the counts stay)\n",
                                            store::iso8601(at)));
    }
    for (const auto& [code, n] : s.failed_by_code) std::cout << fmt::format("  failed {:<8} {}\n", code, n);
    if (*wait >= 0 && s.status == "cancelled") {
      throw Error(fmt::format("campaign '{}' was cancelled ({} messages never sent)", s.id, s.cancelled));
    }
    if (*wait >= 0 && s.status != "done") {
      throw Error(fmt::format("campaign '{}' is not done after {} s ({} messages without an outcome)", s.id, *wait,
                              s.remaining()));
    }
  });
}

}  // namespace broadcaster::cli
