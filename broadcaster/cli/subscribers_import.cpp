// `broadcaster subscribers import CSV`
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/context.h"
#include "templates/value.h"
#include "util/excerpt.h"
#include "store/subscriber_csv.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::cli {

namespace {
constexpr std::size_t kBatch = 1000;  // rows per pipelined round of upserts
constexpr int kExitRowsRejected = 3;
}  // namespace

void add_subscribers_import_command(CLI::App& subscribers, GlobalOptionsPtr options) {
  auto* cmd = subscribers.add_subcommand(
      "import",
      "Add or update subscribers from a CSV file (columns: phone, language, tags, consent_source, consent_at, "
      "time_zone). "
      "Rows that cannot be read are listed with their line and skipped; the exit status is then 3. "
      "Numbers that opted out are never re-activated.");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("CSV", *file, "the CSV file")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--json", *json, "print the summary as JSON");
  cmd->callback([options, file, json] {
    const config::Config cfg = load_configuration(*options);
    std::ifstream in(*file, std::ios::binary);
    if (!in) throw ConfigError(*file, 0, 0, "cannot open the file");
    store::CsvImport csv = store::read_subscriber_csv(in, *file, cfg.default_region);
    // A time zone ICU does not know is refused like any unreadable cell.
    for (std::size_t i = 0; i < csv.rows.size();) {
      if (csv.rows[i].time_zone.empty() || templates::is_time_zone(csv.rows[i].time_zone)) {
        ++i;
        continue;
      }
      csv.errors.push_back({csv.row_lines[i], "time_zone '" + util::excerpt(csv.rows[i].time_zone) +
                                                  "' is not a time zone; use an IANA name like America/Los_Angeles"});
      csv.rows.erase(csv.rows.begin() + static_cast<std::ptrdiff_t>(i));
      csv.row_lines.erase(csv.row_lines.begin() + static_cast<std::ptrdiff_t>(i));
    }
    std::sort(csv.errors.begin(), csv.errors.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    for (const auto& e : csv.errors) std::cerr << fmt::format("{}:{}: {}\n", *file, e.line, e.message);

    store::RedisClient redis(redis_endpoint(cfg));
    store::SubscriberStore store(redis, keys_for(cfg), subject_key(cfg));
    std::size_t added = 0, updated = 0, suppressed = 0;
    std::vector<std::string> suppressed_lines;
    const bool tty = isatty(STDERR_FILENO) != 0;
    for (std::size_t start = 0; start < csv.rows.size(); start += kBatch) {
      const std::size_t end = std::min(csv.rows.size(), start + kBatch);
      const std::vector<store::Subscriber> batch(csv.rows.begin() + static_cast<long>(start),
                                                 csv.rows.begin() + static_cast<long>(end));
      const auto results = store.upsert(batch);
      store.set_time_zones(batch);
      for (std::size_t i = 0; i < results.size(); ++i) {
        switch (results[i]) {
          case store::UpsertResult::Added: ++added; break;
          case store::UpsertResult::Updated: ++updated; break;
          case store::UpsertResult::Suppressed:
            ++suppressed;
            std::cerr << fmt::format("{}:{}: {} opted out earlier; left stopped\n", *file, csv.row_lines[start + i],
                                     batch[i].address.masked());
            break;
        }
      }
      if (tty) std::cerr << fmt::format("\rimported {}/{}", end, csv.rows.size()) << std::flush;
    }
    if (tty && !csv.rows.empty()) std::cerr << "\n";
    spdlog::info("import of {}: {} added, {} updated, {} opted out, {} rejected", *file, added, updated, suppressed,
                 csv.errors.size());
    if (*json) {
      std::cout << nlohmann::json{{"file", *file},
                                  {"added", added},
                                  {"updated", updated},
                                  {"opted_out_kept_stopped", suppressed},
                                  {"rejected", csv.errors.size()}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << fmt::format("{}: {} added, {} updated, {} kept stopped (opted out), {} rows rejected\n", *file,
                               added, updated, suppressed, csv.errors.size());
    }
    if (!csv.errors.empty()) throw CLI::RuntimeError(kExitRowsRejected);
  });
}

}  // namespace broadcaster::cli
