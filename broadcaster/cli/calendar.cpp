// `broadcaster calendar [--county C] [--from YYYY-MM-DD] [--json]`: the
// partners' upcoming events, each with the other partners' events in the
// same county on the same day.
#include "calendar/calendar.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "calendar/calendar_file.h"
#include "cli/context.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::cli {

void add_calendar_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand(
      "calendar",
      "List the partners' upcoming events (config/calendar/*.yaml, or calendar_dir), marking other partners' "
      "events in the same county on the same day");
  auto county = std::make_shared<std::string>();
  auto from = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--county", *county, "only events in this county (e.g. Fresno)");
  cmd->add_option("--from", *from, "first day to list, YYYY-MM-DD (default: today)");
  cmd->add_flag("--json", *json, "print a JSON array");
  cmd->callback([options, county, from, json] {
    const config::Config cfg = load_configuration(*options);
    const std::string zone(calendar::kDefaultTimeZone);
    calendar::Date first = calendar::today_in(zone);
    if (!from->empty()) {
      const auto d = calendar::parse_date(*from);
      if (!d) throw Error("--from must be a date written YYYY-MM-DD, like 2026-12-01");
      first = *d;
    }
    const calendar::Calendar cal = calendar::load_calendar(cfg.calendar_dir, zone);
    const auto events = cal.upcoming(first, *county);
    auto others_of = [&](const calendar::Event& e) {
      std::vector<std::string> names;
      for (const auto& o : cal.conflicts({e.date, e.county, e.partner, "", 0, 0})) {
        if (std::find(names.begin(), names.end(), o.partner) == names.end()) names.push_back(o.partner);
      }
      return names;
    };
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : events) {
        out.push_back({{"date", calendar::format_date(e.date)},
                       {"start", calendar::format_time(e.start)},
                       {"end", calendar::format_time(e.end)},
                       {"time_zone", e.time_zone},
                       {"starts_at", store::iso8601(e.starts_at)},
                       {"ends_at", store::iso8601(e.ends_at)},
                       {"county", e.county},
                       {"partner", e.partner},
                       {"title", e.title},
                       {"languages", e.languages},
                       {"same_day_other_partners", others_of(e)},
                       {"source", e.source}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (events.empty()) {
      std::cout << fmt::format("no events from {}{} in {}\n", calendar::format_date(first),
                               county->empty() ? "" : " in " + *county, cfg.calendar_dir.string());
    }
    for (const auto& e : events) {
      std::cout << fmt::format("{} {}-{}  {:<12} {:<32} {} [{}]\n", calendar::format_date(e.date),
                               calendar::format_time(e.start), calendar::format_time(e.end), e.county, e.partner,
                               e.title, fmt::join(e.languages, ", "));
      const auto others = others_of(e);
      if (!others.empty()) {
        std::cout << fmt::format("                  ! same day in {}: {}\n", e.county, fmt::join(others, ", "));
      }
    }
  });
}

}  // namespace broadcaster::cli
