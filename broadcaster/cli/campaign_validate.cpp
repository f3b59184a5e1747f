// `broadcaster campaign validate FILE`
#include <iostream>

#include <nlohmann/json.hpp>

#include "campaign/validator.h"
#include "cli/context.h"
#include "util/errors.h"

namespace broadcaster::cli {

void add_campaign_validate_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand("validate", "Check a campaign file against the configuration and templates "
                                                  "(no Redis needed); exits 1 if it has errors");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("FILE", *file, "campaign YAML, e.g. config/campaigns/workshop.yaml")->required();
  cmd->add_flag("--json", *json, "print the result as JSON");
  cmd->callback([options, file, json] {
    const config::Config cfg = load_configuration(*options);
    templates::TemplateStore templates(cfg.templates_dir);
    std::vector<campaign::ValidationIssue> issues;
    std::optional<campaign::Campaign> parsed;
    try {
      parsed = campaign::parse_campaign_file(*file);
      issues = campaign::validate_campaign(*parsed, cfg, templates);
    } catch (const ConfigError& e) {
      issues.push_back({campaign::ValidationIssue::Severity::Error, e.file(), {e.line(), e.column()}, e.message()});
    }
    const bool ok = !campaign::has_errors(issues);
    if (*json) {
      nlohmann::json out = {{"file", *file}, {"valid", ok}, {"issues", nlohmann::json::array()}};
      if (parsed) out["campaign"] = parsed->id.value;
      for (const auto& i : issues) {
        out["issues"].push_back({{"severity", i.severity == campaign::ValidationIssue::Severity::Error ? "error" : "warning"},
                                 {"file", i.file},
                                 {"line", i.pos.line},
                                 {"column", i.pos.column},
                                 {"message", i.message}});
      }
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& i : issues) std::cerr << i.to_string() << "\n";
      if (ok) {
        std::cout << *file << ": OK: campaign '" << parsed->id.value << "', template '"
                  << parsed->template_name.value << "', channel '" << parsed->channel.value << "'\n";
      }
    }
    if (!ok) throw CLI::RuntimeError(1);
  });
}

}  // namespace broadcaster::cli
