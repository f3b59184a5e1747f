// `broadcaster campaign cancel ID [--yes] [--reason TEXT] [--json]`: stop a
// campaign for good, for the staff member whose token is in
// BROADCASTER_STAFF_TOKEN.
// Design: cancelling cannot be undone, so on a terminal the command asks
// for the campaign id to be typed back; without a terminal (a script, a
// cron job) it refuses unless --yes says the caller means it.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "cli/campaign_control_command.h"

namespace broadcaster::cli {

namespace {

/// Asks on the terminal; "" when the id typed matches, else why not.
std::string confirm_on_terminal(const stats::CampaignStats& s) {
  if (isatty(STDIN_FILENO) == 0) {
    return fmt::format(
        "cancelling campaign '{}' cannot be undone, so it asks you to type the campaign id on a terminal; "
        "there is none here: pass --yes to cancel without asking",
        s.id);
  }
  std::cerr << fmt::format(
                   "Cancel campaign '{}' ({}, {} of {} messages not sent yet)? Those messages will never be sent, "
                   "and this cannot be undone.\nType the campaign id to cancel it: ",
                   s.id, s.status, s.remaining(), s.queued)
            << std::flush;
  std::string typed;
  if (!std::getline(std::cin, typed)) return "no answer: nothing was cancelled";
  while (!typed.empty() && (typed.back() == '\r' || typed.back() == ' ')) typed.pop_back();
  if (typed != s.id) return fmt::format("'{}' is not '{}': nothing was cancelled", typed, s.id);
  return {};
}

}  // namespace

void add_campaign_cancel_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "cancel",
      "Cancel a campaign for good: messages not sent yet will never be sent. Asks you to type the id unless "
      "--yes. Acts for the staff member whose token is in BROADCASTER_STAFF_TOKEN; the audit log records who.");
  auto control = add_control_options(*cmd);
  auto yes = std::make_shared<bool>(false);
  cmd->add_flag("-y,--yes", *yes, "do not ask; needed when there is no terminal");
  cmd->callback([options, control, yes] {
    run_campaign_control(*options, store::ControlAction::Cancel, *control,
                         *yes ? ControlConfirm{} : ControlConfirm{confirm_on_terminal});
  });
}

}  // namespace broadcaster::cli
