// `broadcaster consent export [--output FILE] [--json]`
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/consent_json.h"
#include "cli/context.h"
#include "cli/csv_writer.h"
#include "store/consent_log.h"
#include "util/errors.h"

namespace broadcaster::cli {

void add_consent_export_command(CLI::App& consent, GlobalOptionsPtr options) {
  auto* cmd = consent.add_subcommand(
      "export",
      "Write the whole consent log, oldest first, as CSV (id, at, action, source, subject, phone, detail, text, "
      "provider_id, endpoint) or JSON lines: the record to show if consent is ever questioned. Entries of "
      "numbers erased on request have empty phone and text and keep their subject hash.");
  auto output = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("-o,--output", *output, "file to write (default: standard output)");
  cmd->add_flag("--json", *json, "one JSON object per line instead of CSV");
  cmd->callback([options, output, json] {
    const config::Config cfg = load_configuration(*options);
    store::RedisClient redis(redis_endpoint(cfg));
    store::ConsentLog log(redis, keys_for(cfg));
    std::ofstream file;
    if (!output->empty()) {
      file.open(*output, std::ios::binary | std::ios::trunc);
      if (!file) throw Error("cannot write '" + *output + "'");
    }
    std::ostream& out = output->empty() ? std::cout : file;
    if (!*json) {
      write_csv_row(out,
                    {"id", "at", "action", "source", "subject", "phone", "detail", "text", "provider_id", "endpoint"});
    }
    const bool tty = isatty(STDERR_FILENO) != 0;
    std::size_t written = 0;
    log.scan([&](const std::vector<store::ConsentEntry>& batch) {
      for (const auto& e : batch) {
        if (*json) {
          out << consent_entry_json(e).dump() << "\n";
        } else {
          write_csv_row(out, {e.id, e.at, e.action, e.source, e.subject, e.phone.value_or(""), e.detail,
                              e.text.value_or(""), e.provider_id, e.endpoint});
        }
      }
      written += batch.size();
      if (tty) std::cerr << fmt::format("\rexported {} entries", written) << std::flush;
    });
    if (tty && written) std::cerr << "\n";
    out.flush();
    if (!out) throw Error("writing the export failed (disk full?)");
    if (!output->empty()) std::cerr << fmt::format("{} consent-log entries written to {}\n", written, *output);
  });
}

}  // namespace broadcaster::cli
