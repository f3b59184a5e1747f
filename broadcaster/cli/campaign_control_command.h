// What `campaign pause`, `resume` and `cancel` share: their options, acting
// for the caller, and saying what happened.
// Design: each command is its own file (campaign_pause.cpp, ...) and calls
// run_campaign_control, so the three say who did what, in text or JSON, and
// exit with the same codes as `campaign approve`: 0 done, 3 refused (with
// why), 4 no such campaign.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "stats/campaign_stats.h"
#include "store/campaign_control.h"

namespace broadcaster::cli {

/// Exit status of a refused action (already in that state, not allowed
/// from the campaign's status, or a cancel not confirmed).
inline constexpr int kExitControlRefused = 3;
/// Exit status when no such campaign was submitted.
inline constexpr int kExitControlNotFound = 4;

/// The options of one control command, filled by CLI11.
struct ControlOptions {
  std::string id;      ///< campaign id
  bool json = false;   ///< --json
  std::string reason;  ///< --reason, the audit entry's detail (empty: a default)
};

/// Asked after the caller is known and before anything changes, with the
/// campaign as it stands; returns an empty string to go ahead, or why it
/// does not (the command then refuses with exit kExitControlRefused).
using ControlConfirm = std::function<std::string(const stats::CampaignStats& campaign)>;

/// Adds ID, --json and --reason to `cmd`; returns where CLI11 puts them.
std::shared_ptr<ControlOptions> add_control_options(CLI::App& cmd);

/// Loads the configuration, finds the caller from BROADCASTER_STAFF_TOKEN
/// (config::caller_from_environment), asks `confirm` (if given and the
/// campaign can take `action`), applies `action` (store::control_campaign)
/// and prints what happened and who did it. Throws Error (no or unknown
/// token, Redis), CLI::RuntimeError(kExitControlRefused or
/// kExitControlNotFound) when nothing changed.
void run_campaign_control(const GlobalOptions& global, store::ControlAction action, const ControlOptions& options,
                          const ControlConfirm& confirm = {});

}  // namespace broadcaster::cli
