// `broadcaster staff token NAME [--json]`: a new personal token and the
// lines that name its holder in broadcaster.yaml.
#include "config/staff_token.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "config/staff.h"
#include "util/errors.h"

namespace broadcaster::cli {

namespace {

/// The entry to paste under `staff:`, with the name quoted where YAML needs it.
std::string staff_entry_yaml(const std::string& name, const std::string& hash) {
  YAML::Emitter out;
  out << YAML::BeginSeq << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name << YAML::Key << "token_sha256"
      << YAML::Value << hash << YAML::EndMap << YAML::EndSeq;
  return out.c_str();
}

}  // namespace

void add_staff_token_command(CLI::App& staff) {
  auto* cmd = staff.add_subcommand(
      "token",
      "Make a new personal token for a staff member: prints the token (give it to them privately; it is not "
      "stored anywhere) and the lines to add under 'staff:' in broadcaster.yaml (its hash only). Replacing a "
      "person's token_sha256 line with a new one revokes their old token.");
  auto name = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("NAME", *name, "the person's name as the audit log should show it, e.g. \"Ana Ruiz\"")->required();
  cmd->add_flag("--json", *json, "print name, token and token_sha256 as JSON");
  cmd->callback([name, json] {
    if (const auto problem = config::staff_name_problem(*name)) throw Error(*problem);
    const std::string token = config::new_staff_token();
    const std::string hash = config::token_sha256_hex(token);
    if (*json) {
      std::cout << nlohmann::json{{"name", *name}, {"token", token}, {"token_sha256", hash}}.dump(2) << "\n";
      return;
    }
    std::string entry = staff_entry_yaml(*name, hash);
    std::string indented = "  ";
    for (const char ch : entry) {
      indented += ch;
      if (ch == '\n') indented += "  ";
    }
    std::cout << fmt::format(
        "Token for {name} (give it to them privately, e.g. in a password manager; it is shown only once):\n\n"
        "  {token}\n\n"
        "They set it in their shell before commands that act for them:\n"
        "  export {env}='{token}'\n\n"
        "Add this entry to the 'staff:' list in broadcaster.yaml (the hash only, never the token):\n\n"
        "{entry}\n",
        fmt::arg("name", *name), fmt::arg("token", token), fmt::arg("env", config::kStaffTokenEnv),
        fmt::arg("entry", indented));
  });
}

}  // namespace broadcaster::cli
