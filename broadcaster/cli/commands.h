// Registration functions for every `broadcaster` subcommand, one file each.
// Design: main builds one CLI::App and calls each add_*_command; a command's
// callback does its work and throws broadcaster::Error on failure, which main
// prints once and turns into a non-zero exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace broadcaster::cli {

/// Options shared by all subcommands. Filled by CLI11 before any callback runs.
struct GlobalOptions {
  std::string config_path = "config/broadcaster.yaml";  ///< --config
  int verbosity = 0;                                    ///< -v count
  std::string log_format = "text";                      ///< --log-format: text | json
};

/// Shared so that every subcommand's callback sees the parsed values.
using GlobalOptionsPtr = std::shared_ptr<GlobalOptions>;

/// `broadcaster inspect [TEXT]`: encoding and segments of draft messages.
void add_inspect_command(CLI::App& app);

/// `broadcaster campaign validate FILE`: check a campaign without Redis.
void add_campaign_validate_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign submit FILE`: queue a campaign's messages.
void add_campaign_submit_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign preview FILE`: texts, segments and cost per language.
void add_campaign_preview_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign status ID`: one campaign's progress.
void add_campaign_status_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign approve ID [--json]`: a second person approves an
/// urgent campaign (reads BROADCASTER_STAFF_TOKEN).
void add_campaign_approve_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign list [--all] [--json]`: every campaign with its
/// status, priority, counts and next run.
void add_campaign_list_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign pause ID [--reason T] [--json]` (reads BROADCASTER_STAFF_TOKEN).
void add_campaign_pause_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign resume ID [--reason T] [--json]` (reads BROADCASTER_STAFF_TOKEN).
void add_campaign_resume_command(CLI::App& campaign, GlobalOptionsPtr options);
/// `broadcaster campaign cancel ID [--yes] [--reason T] [--json]` (reads
/// BROADCASTER_STAFF_TOKEN; asks to type the id on a terminal unless --yes).
void add_campaign_cancel_command(CLI::App& campaign, GlobalOptionsPtr options);

/// `broadcaster subscribers import CSV`.
void add_subscribers_import_command(CLI::App& subscribers, GlobalOptionsPtr options);
/// `broadcaster subscribers count [--lang L] [--tag T]`.
void add_subscribers_count_command(CLI::App& subscribers, GlobalOptionsPtr options);

/// `broadcaster subscribers add NUMBER --lang L [--tag T]`.
void add_subscribers_add_command(CLI::App& subscribers, GlobalOptionsPtr options);
/// `broadcaster subscribers show NUMBER [--json]`.
void add_subscribers_show_command(CLI::App& subscribers, GlobalOptionsPtr options);
/// `broadcaster subscribers remove NUMBER [--forget]`.
void add_subscribers_remove_command(CLI::App& subscribers, GlobalOptionsPtr options);
/// `broadcaster subscribers export [--output FILE]`.
void add_subscribers_export_command(CLI::App& subscribers, GlobalOptionsPtr options);
/// `broadcaster subscribers history NUMBER [--json]`.
void add_subscribers_history_command(CLI::App& subscribers, GlobalOptionsPtr options);

/// `broadcaster consent export [--output FILE] [--json]`.
void add_consent_export_command(CLI::App& consent, GlobalOptionsPtr options);

/// `broadcaster inbox [--limit N] [--json]`.
void add_inbox_command(CLI::App& app, GlobalOptionsPtr options);

/// `broadcaster messages --campaign ID [--status S] [--limit N] [--json]`.
void add_messages_command(CLI::App& app, GlobalOptionsPtr options);

/// `broadcaster stats [CAMPAIGN] [--json]`.
void add_stats_command(CLI::App& app, GlobalOptionsPtr options);

/// `broadcaster staff token NAME [--json]`: a new personal token and its config lines.
void add_staff_token_command(CLI::App& staff);
/// `broadcaster staff list [--json]`: the staff broadcaster.yaml names.
void add_staff_list_command(CLI::App& staff, GlobalOptionsPtr options);

/// `broadcaster audit [--campaign ID] [--limit N] [--json]`.
void add_audit_command(CLI::App& app, GlobalOptionsPtr options);

/// `broadcaster calendar [--county C] [--from YYYY-MM-DD] [--json]`.
void add_calendar_command(CLI::App& app, GlobalOptionsPtr options);

/// `broadcaster keywords explain TEXT [--lang L] [--keywords FILE] [--json]`.
void add_keywords_explain_command(CLI::App& keywords, GlobalOptionsPtr options);
/// `broadcaster keywords eval [DIR] [--keywords FILE] [--json]`.
void add_keywords_eval_command(CLI::App& keywords, GlobalOptionsPtr options);

/// `broadcaster serve`: run the senders until SIGTERM.
void add_serve_command(CLI::App& app, GlobalOptionsPtr options);

}  // namespace broadcaster::cli
