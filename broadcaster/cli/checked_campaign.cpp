// Reading a campaign file for a command that acts on it.
#include "cli/checked_campaign.h"

#include <fmt/format.h>

#include <iostream>

#include "campaign/validator.h"
#include "util/errors.h"

namespace broadcaster::cli {

campaign::Campaign read_checked_campaign(const std::string& file, const config::Config& cfg,
                                         templates::TemplateStore& templates, std::string_view refusal) {
  campaign::CampaignFile read = campaign::read_campaign_file(file);
  const auto issues = campaign::validate_campaign(read, cfg, templates);
  std::size_t errors = 0;
  for (const auto& i : issues) {
    std::cerr << i.to_string() << "\n";
    if (i.severity == campaign::ValidationIssue::Severity::Error) ++errors;
  }
  if (errors > 0) {
    throw Error(fmt::format("{}: {}: fix the {} error{} above (`broadcaster campaign validate {}` checks again)", file,
                            refusal, errors, errors == 1 ? "" : "s", file));
  }
  return std::move(read.campaign);
}

}  // namespace broadcaster::cli
