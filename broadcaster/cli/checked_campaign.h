// Reading a campaign file for a command that acts on it (submit, preview):
// every problem is printed, and the command goes ahead only without errors.
#pragma once

#include <string>
#include <string_view>

#include "campaign/campaign.h"
#include "config/config.h"
#include "templates/template_store.h"

namespace broadcaster::cli {

/// Reads and validates `file`, printing every issue (errors and warnings) to
/// standard error like a compiler. Throws Error "<file>: <refusal>: fix the
/// N errors above" when there are errors, e.g. refusal "not submitted".
campaign::Campaign read_checked_campaign(const std::string& file, const config::Config& cfg,
                                         templates::TemplateStore& templates, std::string_view refusal);

}  // namespace broadcaster::cli
