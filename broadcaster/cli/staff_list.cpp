// `broadcaster staff list [--json]`: who broadcaster.yaml names as staff.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"

namespace broadcaster::cli {

void add_staff_list_command(CLI::App& staff, GlobalOptionsPtr options) {
  auto* cmd = staff.add_subcommand("list", "List the staff named in broadcaster.yaml, with the start of each hash");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "print a JSON array");
  cmd->callback([options, json] {
    const config::Config cfg = load_configuration(*options);
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : cfg.staff) {
        out.push_back({{"name", s.name}, {"token_sha256", s.token_sha256}, {"source", s.source}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (cfg.staff.empty()) {
      std::cout << fmt::format("no staff in {} (add them with `broadcaster staff token NAME`)\n", cfg.file.string());
    }
    for (const auto& s : cfg.staff) {
      std::cout << fmt::format("{:<30} {}...  {}\n", s.name, s.token_sha256.substr(0, 12), s.source);
    }
    std::cout << fmt::format("urgent campaigns {}\n",
                             cfg.approval.urgent_needs_second_person
                                 ? "need a second person's approval"
                                 : "need no second person (approval.urgent_needs_second_person "
                                   "is false)");
  });
}

}  // namespace broadcaster::cli
