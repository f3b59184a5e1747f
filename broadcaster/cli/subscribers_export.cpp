// `broadcaster subscribers export [--output FILE] [--status S]`
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/context.h"
#include "cli/csv_writer.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::cli {

void add_subscribers_export_command(CLI::App& subscribers, GlobalOptionsPtr options) {
  auto* cmd = subscribers.add_subcommand(
      "export",
      "Write subscribers as CSV with the columns `subscribers import` reads (phone, language, tags, "
      "consent_source, consent_at) plus status; the phone column holds every kind of address. Contains phone "
      "numbers and other addresses: store the file accordingly.");
  auto output = std::make_shared<std::string>();
  auto status = std::make_shared<std::string>("all");
  cmd->add_option("-o,--output", *output, "file to write (default: standard output)");
  cmd->add_option("--status", *status, "which subscribers")
      ->check(CLI::IsMember({"all", "active", "pending", "stopped"}));
  cmd->callback([options, output, status] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    store::SubscriberStore store(redis, keys_for(cfg), subject_key(cfg));
    std::ofstream file;
    if (!output->empty()) {
      file.open(*output, std::ios::binary | std::ios::trunc);
      if (!file) throw Error("cannot write '" + *output + "'");
    }
    std::ostream& out = output->empty() ? std::cout : file;
    write_csv_row(out, {"phone", "language", "tags", "consent_source", "consent_at", "status"});
    const auto numbers = store.all_numbers();
    const bool tty = isatty(STDERR_FILENO) != 0;
    std::size_t written = 0, seen = 0;
    for (const auto& number : numbers) {
      const auto address = util::Address::from_stored(number);
      const auto rec = address ? store.record(*address) : std::nullopt;
      ++seen;
      if (tty && seen % 500 == 0) std::cerr << fmt::format("\rexported {}/{}", seen, numbers.size()) << std::flush;
      if (!rec || (*status != "all" && rec->subscriber.status != *status)) continue;
      std::string tags;
      for (const auto& t : rec->subscriber.tags) tags += (tags.empty() ? "" : ";") + t;
      write_csv_row(out, {number, rec->subscriber.language, tags, rec->subscriber.consent_source,
                          rec->subscriber.consent_at, rec->subscriber.status});
      ++written;
    }
    if (tty && numbers.size() >= 500) std::cerr << "\n";
    out.flush();
    if (!out) throw Error("writing the export failed (disk full?)");
    if (!output->empty()) std::cerr << fmt::format("{} subscribers written to {}\n", written, *output);
  });
}

}  // namespace broadcaster::cli
