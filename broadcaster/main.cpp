// broadcaster: bulk SMS and multi-channel outreach for community organisations.
// One executable; each subcommand lives in cli/<name>.cpp.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "util/errors.h"

int main(int argc, char** argv) {
  using namespace broadcaster::cli;
  // A write to a peer that went away (Redis, a provider) must be an error
  // code for hiredis and curl to report, not a signal that kills us.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"broadcaster: send opt-in text campaigns in each subscriber's language"};
  app.require_subcommand(1);
  auto options = std::make_shared<GlobalOptions>();
  app.add_option("-c,--config", options->config_path, "configuration file")
      ->capture_default_str()
      ->envname("BROADCASTER_CONFIG");
  app.add_flag("-v,--verbose", options->verbosity, "more detail in logs (-v: per-message debug)");
  app.add_option("--log-format", options->log_format,
                 "text (for people) or json (one object per line: time, level, component, campaign, masked "
                 "number, message)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}))
      ->envname("BROADCASTER_LOG_FORMAT");
  app.set_version_flag("--version", "broadcaster 0.1.0");

  auto* campaign = app.add_subcommand("campaign", "Check, submit and follow campaigns");
  campaign->require_subcommand(1);
  add_campaign_validate_command(*campaign, options);
  add_campaign_preview_command(*campaign, options);
  add_campaign_submit_command(*campaign, options);
  add_campaign_status_command(*campaign, options);
  add_campaign_approve_command(*campaign, options);
  add_campaign_list_command(*campaign, options);
  add_campaign_pause_command(*campaign, options);
  add_campaign_resume_command(*campaign, options);
  add_campaign_cancel_command(*campaign, options);

  auto* subscribers = app.add_subcommand("subscribers", "Import, add, look up, export and remove subscribers");
  subscribers->require_subcommand(1);
  add_subscribers_import_command(*subscribers, options);
  add_subscribers_count_command(*subscribers, options);
  add_subscribers_add_command(*subscribers, options);
  add_subscribers_show_command(*subscribers, options);
  add_subscribers_remove_command(*subscribers, options);
  add_subscribers_export_command(*subscribers, options);
  add_subscribers_history_command(*subscribers, options);

  auto* consent = app.add_subcommand("consent", "The consent log");
  consent->require_subcommand(1);
  add_consent_export_command(*consent, options);

  add_inbox_command(app, options);

  auto* keywords = app.add_subcommand("keywords", "How texts from subscribers are read (config/keywords.yaml)");
  keywords->require_subcommand(1);
  add_keywords_explain_command(*keywords, options);
  add_keywords_eval_command(*keywords, options);

  auto* staff = app.add_subcommand("staff", "Staff tokens: who commands act for");
  staff->require_subcommand(1);
  add_staff_token_command(*staff);
  add_staff_list_command(*staff, options);
  add_audit_command(app, options);
  add_calendar_command(app, options);

  add_stats_command(app, options);
  add_messages_command(app, options);
  add_serve_command(app, options);
  add_inspect_command(app);

  app.parse_complete_callback([options, &app] {
    // The component of JSON lines: the command that runs ("campaign submit").
    std::string component;
    for (const CLI::App* cmd = &app; !cmd->get_subcommands().empty();) {
      cmd = cmd->get_subcommands().front();
      component += (component.empty() ? "" : " ") + cmd->get_name();
    }
    setup_logging(options->verbosity, parse_log_format(options->log_format).value_or(LogFormat::Text), component);
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const broadcaster::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
