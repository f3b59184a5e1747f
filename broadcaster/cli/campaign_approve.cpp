// `broadcaster campaign approve ID [--json]`: the second person's approval
// of an urgent campaign (the two-person rule), by the staff member whose
// token is in BROADCASTER_STAFF_TOKEN.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "config/staff_token.h"
#include "store/campaign_approval.h"

namespace broadcaster::cli {

namespace {

constexpr int kExitRefused = 3;   // nothing to approve, or not by this person
constexpr int kExitNotFound = 4;  // no such campaign

std::string_view result_word(store::ApproveOutcome outcome) {
  switch (outcome) {
    case store::ApproveOutcome::Approved:
      return "approved";
    case store::ApproveOutcome::UnknownCampaign:
      return "unknown_campaign";
    case store::ApproveOutcome::NotNeeded:
      return "not_needed";
    case store::ApproveOutcome::Waived:
      return "waived";
    case store::ApproveOutcome::ByAuthor:
      return "refused_author";
    case store::ApproveOutcome::AlreadyApproved:
      return "already_approved";
  }
  return "unknown";
}

std::string explain(const store::ApproveResult& r, const std::string& id, const std::string& approver) {
  switch (r.outcome) {
    case store::ApproveOutcome::Approved:
      return fmt::format("campaign '{}' approved by {} at {} (submitted by {}); it may be sent now", id, r.approved_by,
                         r.approved_at, r.author.empty() ? "unknown" : r.author);
    case store::ApproveOutcome::UnknownCampaign:
      return fmt::format("no campaign '{}' has been submitted (`broadcaster campaign submit FILE` first)", id);
    case store::ApproveOutcome::NotNeeded:
      return fmt::format("campaign '{}' is not urgent: it needs no approval", id);
    case store::ApproveOutcome::Waived:
      return fmt::format(
          "campaign '{}' needs no approval: the configuration waives the two-person rule "
          "(approval.urgent_needs_second_person: false)",
          id);
    case store::ApproveOutcome::ByAuthor:
      return fmt::format(
          "{} submitted campaign '{}', so {} cannot approve it: a second staff member must (the two-person "
          "rule); ask a colleague to run `broadcaster campaign approve {}` with their own token. This attempt is "
          "in the audit log.",
          r.author, id, approver, id);
    case store::ApproveOutcome::AlreadyApproved:
      return fmt::format("campaign '{}' was already approved by {} at {}", id, r.approved_by, r.approved_at);
  }
  return {};
}

}  // namespace

void add_campaign_approve_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "approve",
      "Approve an urgent campaign as the second person (the two-person rule): it goes out only after someone "
      "other than its author approves it. Acts for the staff member whose token is in BROADCASTER_STAFF_TOKEN.");
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("ID", *id, "campaign id (the `id:` in its YAML)")->required();
  cmd->add_flag("--json", *json, "print the result as JSON");
  cmd->callback([options, id, json] {
    const config::Config cfg = load_configuration(*options);
    const config::Staff& approver = config::caller_from_environment(cfg);
    store::RedisClient redis(redis_endpoint(cfg));
    const auto r = store::approve(redis, keys_for(cfg), *id, approver.name);
    const std::string message = explain(r, *id, approver.name);
    const bool approved = r.outcome == store::ApproveOutcome::Approved;
    if (*json) {
      auto text_or_null = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
      std::cout << nlohmann::json{{"campaign", *id},
                                  {"result", result_word(r.outcome)},
                                  {"approver", approver.name},
                                  {"author", text_or_null(r.author)},
                                  {"approved_by", text_or_null(r.approved_by)},
                                  {"approved_at", text_or_null(r.approved_at)},
                                  {"message", message}}
                       .dump(2)
                << "\n";
    } else {
      (approved ? std::cout : std::cerr) << (approved ? "" : "error: ") << message << "\n";
    }
    if (r.outcome == store::ApproveOutcome::UnknownCampaign) throw CLI::RuntimeError(kExitNotFound);
    if (!approved) throw CLI::RuntimeError(kExitRefused);
  });
}

}  // namespace broadcaster::cli
