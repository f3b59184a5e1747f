// `broadcaster campaign resume ID [--reason TEXT] [--json]`: continue a
// paused campaign, for the staff member whose token is in
// BROADCASTER_STAFF_TOKEN. Nobody who has their message is sent it again.
#include "cli/campaign_control_command.h"

namespace broadcaster::cli {

void add_campaign_resume_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "resume",
      "Resume a paused campaign where it stopped; nobody who has their message is sent it again. Acts for the "
      "staff member whose token is in BROADCASTER_STAFF_TOKEN; the audit log records who.");
  auto control = add_control_options(*cmd);
  cmd->callback([options, control] { run_campaign_control(*options, store::ControlAction::Resume, *control); });
}

}  // namespace broadcaster::cli
