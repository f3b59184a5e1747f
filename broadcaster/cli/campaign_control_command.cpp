// Acting on a campaign for a staff member, and reporting it.
#include "cli/campaign_control_command.h"

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "config/staff_token.h"
#include "store/campaign_meta.h"
#include "store/subscriber_store.h"

namespace broadcaster::cli {

namespace {

std::string_view result_word(store::ControlOutcome outcome) {
  switch (outcome) {
    case store::ControlOutcome::Done:
      return "done";
    case store::ControlOutcome::AlreadyInState:
      return "already";
    case store::ControlOutcome::Unknown:
      return "unknown_campaign";
    case store::ControlOutcome::NotAllowed:
      return "not_allowed";
  }
  return "unknown";
}

std::string_view past_tense(store::ControlAction action) {
  switch (action) {
    case store::ControlAction::Pause:
      return "paused";
    case store::ControlAction::Resume:
      return "resumed";
    case store::ControlAction::Cancel:
      return "cancelled";
  }
  return "changed";
}

std::string purge_text(long long purge_at_ms) {
  return store::iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(purge_at_ms)));
}

std::string explain(store::ControlAction action, const store::ControlResult& r, const std::string& id,
                    const std::string& actor) {
  using store::ControlAction;
  using store::ControlOutcome;
  switch (r.outcome) {
    case ControlOutcome::Done:
      switch (action) {
        case ControlAction::Pause:
          return fmt::format(
              "campaign '{}' paused by {} at {}: every `serve` process stops sending it within a second; "
              "`broadcaster campaign resume {}` continues it",
              id, actor, r.at, id);
        case ControlAction::Resume:
          return fmt::format(
              "campaign '{}' resumed by {} at {}: sending continues where it stopped, and nobody who has their "
              "message is sent it again",
              id, actor, r.at);
        case ControlAction::Cancel:
          return fmt::format(
              "campaign '{}' cancelled by {} at {}: {} message(s) not sent yet will never be sent; its numbers "
              "and texts are deleted at {} (the counts and the audit log stay)",
              id, actor, r.at, r.cancelled, purge_text(r.purge_at_ms));
      }
      break;
    case ControlOutcome::AlreadyInState:
      if (action == ControlAction::Resume) return fmt::format("campaign '{}' is not paused: it is sending", id);
      return fmt::format("campaign '{}' is already {}", id, past_tense(action));
    case ControlOutcome::Unknown:
      return fmt::format("no campaign '{}' has been submitted (`broadcaster campaign list --all` lists them)", id);
    case ControlOutcome::NotAllowed:
      if (r.status_before == store::meta::kDone) {
        return fmt::format("campaign '{}' is done: every message has its outcome, so there is nothing to {}", id,
                           to_string(action));
      }
      if (r.status_before == store::meta::kCancelled) {
        return fmt::format("campaign '{}' was cancelled, which is final: it cannot be {}", id, past_tense(action));
      }
      return fmt::format("campaign '{}' has status '{}', which cannot be {}", id, r.status_before, past_tense(action));
  }
  return {};
}

/// Whether `action` can change a campaign whose meta.status is `status`.
bool could_change(store::ControlAction action, const std::string& status) {
  namespace m = store::meta;
  switch (action) {
    case store::ControlAction::Pause:
      return status == m::kSending;
    case store::ControlAction::Resume:
      return status == m::kPaused;
    case store::ControlAction::Cancel:
      return status == m::kSending || status == m::kPaused;
  }
  return false;
}

nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

}  // namespace

std::shared_ptr<ControlOptions> add_control_options(CLI::App& cmd) {
  auto options = std::make_shared<ControlOptions>();
  cmd.add_option("ID", options->id, "campaign id (the `id:` in its YAML)")->required();
  cmd.add_flag("--json", options->json, "print the result as JSON");
  cmd.add_option("--reason", options->reason, "why, for the audit log (never a phone number)");
  return options;
}

void run_campaign_control(const GlobalOptions& global, store::ControlAction action, const ControlOptions& options,
                          const ControlConfirm& confirm) {
  const config::Config cfg = load_configuration(global);
  const config::Staff& actor = config::caller_from_environment(cfg);
  store::RedisClient redis(redis_endpoint(cfg));
  const store::Keys keys = keys_for(cfg);
  const std::string& id = options.id;
  auto print_refusal = [&](std::string_view result, const std::string& message) {
    if (options.json) {
      std::cout << nlohmann::json{{"campaign", id},
                                  {"action", to_string(action)},
                                  {"result", result},
                                  {"actor", actor.name},
                                  {"message", message}}
                       .dump(2)
                << "\n";
    } else {
      std::cerr << "error: " << message << "\n";
    }
  };
  if (confirm) {
    const auto status = redis.command({"HGET", keys.campaign_meta(id), std::string(store::meta::kStatus)});
    if (!status.is_nil() && could_change(action, status.as_string())) {
      const std::string refusal = confirm(stats::read_campaign_stats(redis, keys, id));
      if (!refusal.empty()) {
        print_refusal("not_confirmed", refusal);
        throw CLI::RuntimeError(kExitControlRefused);
      }
    }
  }
  const auto r = store::control_campaign(redis, keys, id, action, actor.name, options.reason);
  const std::string message = explain(action, r, id, actor.name);
  const bool done = r.outcome == store::ControlOutcome::Done;
  if (!done) {
    print_refusal(result_word(r.outcome), message);
    throw CLI::RuntimeError(r.outcome == store::ControlOutcome::Unknown ? kExitControlNotFound : kExitControlRefused);
  }
  if (!options.json) {
    std::cout << message << "\n";
    return;
  }
  nlohmann::json out{{"campaign", id},
                     {"action", to_string(action)},
                     {"result", result_word(r.outcome)},
                     {"actor", actor.name},
                     {"at", r.at},
                     {"status_before", text_or_null(r.status_before)},
                     {"status", store::target_status(action)},
                     {"audit_id", r.audit_id},
                     {"message", message}};
  if (action == store::ControlAction::Cancel) {
    out["cancelled"] = r.cancelled;
    out["purge_at"] = purge_text(r.purge_at_ms);
  }
  std::cout << out.dump(2) << "\n";
}

}  // namespace broadcaster::cli
