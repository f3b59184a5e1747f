// Reading a campaign file for a command that acts on it.
#include "cli/checked_campaign.h"

#include <fmt/format.h>

#include <iostream>

#include "campaign/validator.h"
#include "channels/registry.h"
#include "util/errors.h"

namespace broadcaster::cli {

std::optional<campaign::ValidationIssue> channel_start_issue(const campaign::Campaign& c, const config::Config& cfg,
                                                             const std::string& file) {
  const auto it = cfg.channels.find(c.channel.value);
  if (it == cfg.channels.end()) return std::nullopt;
  try {
    (void)channels::make_channel(it->second.settings, config::process_env);
  } catch (const Error& e) {
    // Otherwise the campaign is queued and sits with every message
    // remaining, since no serve can send on that channel.
    return campaign::ValidationIssue{campaign::ValidationIssue::Severity::Error, file, c.channel.pos,
                                     "channel '" + c.channel.value + "' would not start: " + e.what()};
  }
  return std::nullopt;
}

campaign::Campaign read_checked_campaign(const std::string& file, const config::Config& cfg,
                                         templates::TemplateStore& templates, std::string_view refusal) {
  campaign::CampaignFile read = campaign::read_campaign_file(file);
  auto issues = campaign::validate_campaign(read, cfg, templates);
  if (!campaign::has_errors(issues)) {
    if (auto problem = channel_start_issue(read.campaign, cfg, file)) issues.push_back(std::move(*problem));
  }
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
