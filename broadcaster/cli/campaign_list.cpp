// `broadcaster campaign list [--all] [--json]`: every campaign, one row
// each: where it stands (scheduled, sending, waiting, paused, cancelled,
// done, as `campaign status` says), its priority, counts, and when it next
// runs.
// Design: rows come from bc:campaigns:all and stats::read_campaign_stats,
// so the status agrees with `campaign status` and `stats`. NEXT RUN is
// meta.next_run_ms (written by the scheduler) when present, else send_at
// while it is ahead, else "-"; a done or cancelled campaign has none.
// Without --all, campaigns done or cancelled more than kRecentDays ago are
// left out; ISO 8601 UTC times as store::iso8601 writes them compare as
// text, so no parsing is needed.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "stats/campaign_stats.h"
#include "store/campaign_meta.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

namespace {

/// Done and cancelled campaigns older than this are shown only with --all.
constexpr int kRecentDays = 7;

bool finished(const stats::CampaignStats& s) {
  return s.status == store::meta::kDone || s.status == store::meta::kCancelled;
}

/// When it finished (done_at or cancelled_at), ISO 8601 UTC; "" if unknown.
const std::string& finished_at(const stats::CampaignStats& s) {
  return s.status == store::meta::kCancelled ? s.cancelled_at : s.done_at;
}

/// The next run in ms since the epoch, or 0 for none (see the Design note).
long long next_run_ms(const stats::CampaignStats& s, long long now_ms) {
  if (finished(s)) return 0;
  if (s.next_run_ms > 0) return s.next_run_ms;
  return s.send_at_ms > now_ms ? s.send_at_ms : 0;
}

std::string time_text(long long ms) {
  return store::iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

}  // namespace

void add_campaign_list_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "list",
      "List campaigns: status (scheduled, sending, waiting, paused, cancelled, done), priority, counts and next "
      "run. Campaigns done or cancelled more than 7 days ago are shown with --all.");
  auto json = std::make_shared<bool>(false);
  auto all = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "print a JSON array instead of a table");
  cmd->add_flag("--all", *all, "include campaigns done or cancelled more than 7 days ago, and keyword replies sent as messages");
  cmd->callback([options, json, all] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    const store::Keys keys = keys_for(cfg);
    const auto now = std::chrono::system_clock::now();
    const long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::string recent_since = store::iso8601(now - std::chrono::days(kRecentDays));
    std::vector<stats::CampaignStats> rows;
    std::size_t hidden = 0;
    std::size_t hidden_replies = 0;  // keyword replies sent as messages of their own
    for (const auto& id : stats::list_campaigns(redis, keys)) {
      auto s = stats::read_campaign_stats(redis, keys, id);
      if (!*all && s.keyword_reply) {
        ++hidden_replies;
        continue;
      }
      const std::string& at = finished_at(s);
      if (!*all && finished(s) && !at.empty() && at < recent_since) {
        ++hidden;
        continue;
      }
      rows.push_back(std::move(s));
    }
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : rows) {
        const long long next = next_run_ms(s, now_ms);
        const std::string& at = finished_at(s);
        out.push_back({{"campaign", s.id},
                       {"status", s.status},
                       {"priority", s.priority},
                       {"queued", s.queued},
                       {"sent", s.sent},
                       {"remaining", s.remaining()},
                       {"cancelled", s.cancelled},
                       {"submitted_at", s.submitted_at},
                       {"next_run", next > 0 ? nlohmann::json(time_text(next)) : nlohmann::json()},
                       {"next_run_ms", next > 0 ? nlohmann::json(next) : nlohmann::json()},
                       {"finished_at", at.empty() ? nlohmann::json() : nlohmann::json(at)}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (hidden_replies > 0) {
      std::cout << fmt::format("({} keyword repl{} sent as messages of their own: --all lists them)\n", hidden_replies,
                               hidden_replies == 1 ? "y" : "ies");
    }
    if (rows.empty()) {
      std::cout << (hidden > 0 ? fmt::format("no campaigns in the last {} days ({} older: --all shows them)\n",
                                             kRecentDays, hidden)
                               : std::string("no campaigns submitted yet (broadcaster campaign submit FILE)\n"));
      return;
    }
    std::string table = fmt::format("{:<28} {:<9} {:<8} {:>8} {:>8} {:>9}  {:<20}  {}\n", "CAMPAIGN", "STATUS",
                                    "PRIORITY", "QUEUED", "SENT", "REMAINING", "SUBMITTED", "NEXT RUN");
    for (const auto& s : rows) {
      const long long next = next_run_ms(s, now_ms);
      table += fmt::format("{:<28} {:<9} {:<8} {:>8} {:>8} {:>9}  {:<20}  {}\n", s.id, s.status, s.priority, s.queued,
                           s.sent, s.remaining(), s.submitted_at.empty() ? "-" : s.submitted_at,
                           next > 0 ? time_text(next) : "-");
    }
    std::cout << table;
    if (hidden > 0) {
      std::cout << fmt::format("({} campaign(s) done or cancelled more than {} days ago: --all shows them)\n", hidden,
                               kRecentDays);
    }
  });
}

}  // namespace broadcaster::cli
