// `broadcaster campaign pause ID [--reason TEXT] [--json]`: stop sending a
// campaign, for the staff member whose token is in BROADCASTER_STAFF_TOKEN.
#include "cli/campaign_control_command.h"

namespace broadcaster::cli {

void add_campaign_pause_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "pause",
      "Pause a campaign: every `serve` process stops sending it within a second, until `campaign resume`. Acts for "
      "the staff member whose token is in BROADCASTER_STAFF_TOKEN; the audit log records who.");
  auto control = add_control_options(*cmd);
  cmd->callback([options, control] { run_campaign_control(*options, store::ControlAction::Pause, *control); });
}

}  // namespace broadcaster::cli
