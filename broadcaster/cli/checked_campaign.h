// Reading a campaign file for a command that acts on it (submit, preview):
// every problem is printed, and the command goes ahead only without errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "campaign/campaign.h"
#include "campaign/validator.h"
#include "config/config.h"
#include "templates/template_store.h"

namespace broadcaster::cli {

/// An error when the campaign's channel is configured but would not start
/// (a type broadcaster does not know, options or secrets it refuses), at the
/// campaign's `channel:`; nullopt when it would, or when the channel is not
/// configured (validate_campaign reports that). Builds the channel as
/// `serve` does, without sending.
std::optional<campaign::ValidationIssue> channel_start_issue(const campaign::Campaign& c, const config::Config& cfg,
                                                             const std::string& file);

/// Reads and validates `file` (channel_start_issue included), printing every issue (errors and warnings) to
/// standard error like a compiler. Throws Error "<file>: <refusal>: fix the
/// N errors above" when there are errors, e.g. refusal "not submitted".
campaign::Campaign read_checked_campaign(const std::string& file, const config::Config& cfg,
                                         templates::TemplateStore& templates, std::string_view refusal);

}  // namespace broadcaster::cli
