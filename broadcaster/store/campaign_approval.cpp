// The two-person rule: meta fields, a MULTI block per submission, and
// campaign_approve.lua.
#include "store/campaign_approval.h"

#include "store/audit_log.h"
#include "store/scripts.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::store {

namespace {

std::string field(std::string_view name) { return std::string(name); }

ApproveOutcome outcome_of(const std::string& word) {
  if (word == "approved") return ApproveOutcome::Approved;
  if (word == "unknown") return ApproveOutcome::UnknownCampaign;
  if (word == "not_needed") return ApproveOutcome::NotNeeded;
  if (word == "waived") return ApproveOutcome::Waived;
  if (word == "author") return ApproveOutcome::ByAuthor;
  if (word == "already") return ApproveOutcome::AlreadyApproved;
  throw RedisReplyError("campaign_approve answered '" + word + "', which this version does not know");
}

std::string submission_detail(const Submission& s) {
  std::string detail = s.detail;
  auto add = [&](std::string_view more) {
    if (!detail.empty()) detail += "; ";
    detail += more;
  };
  if (s.approval == ApprovalState::Pending) add("urgent: waits for a second person's approval");
  if (s.approval == ApprovalState::Waived) add("urgent: two-person rule waived by configuration");
  return detail;
}

}  // namespace

std::string_view to_string(ApprovalState state) noexcept {
  switch (state) {
    case ApprovalState::NotNeeded:
      return "not_needed";
    case ApprovalState::Pending:
      return "pending";
    case ApprovalState::Approved:
      return "approved";
    case ApprovalState::Waived:
      return "waived";
  }
  return "pending";
}

ApprovalState parse_approval(const std::optional<std::string>& value) {
  if (!value || value->empty()) return ApprovalState::NotNeeded;
  if (*value == "approved") return ApprovalState::Approved;
  if (*value == "waived") return ApprovalState::Waived;
  return ApprovalState::Pending;  // "pending", or damaged: hold the messages
}

ApprovalState approval_state(const std::map<std::string, std::string>& meta) {
  const auto it = meta.find(field(approval_fields::kApproval));
  if (it == meta.end()) return ApprovalState::NotNeeded;
  return parse_approval(it->second);
}

bool may_send(const std::map<std::string, std::string>& meta) { return may_send(approval_state(meta)); }

SubmissionRecord record_submission(RedisClient& redis, const Keys& keys, const Submission& s) {
  if (s.approval == ApprovalState::Approved) {
    throw Error("a submission cannot arrive approved: a second person approves it afterwards");
  }
  const std::string meta = keys.campaign_meta(s.campaign);
  std::vector<std::string> set{"HSET", meta, field(approval_fields::kAuthor), s.author};
  std::vector<std::string> clear{"HDEL", meta, field(approval_fields::kApprovedBy),
                                 field(approval_fields::kApprovedAt)};
  if (s.approval == ApprovalState::NotNeeded) {
    clear.push_back(field(approval_fields::kApproval));
  } else {
    set.push_back(field(approval_fields::kApproval));
    set.push_back(std::string(to_string(s.approval)));
  }
  AuditEntry entry;
  entry.at = iso8601(s.at);
  entry.actor = s.author;
  entry.action = audit_actions::kSubmit;
  entry.campaign = s.campaign;
  entry.detail = submission_detail(s);
  const auto replies =
      redis.pipeline({{"MULTI"},
                      {"HMGET", meta, field(approval_fields::kApproval), field(approval_fields::kApprovedBy)},
                      std::move(set),
                      std::move(clear),
                      audit_append_command(keys, entry),
                      {"EXEC"}});
  for (const auto& r : replies) {
    if (r.is_error()) throw RedisReplyError("recording a submission of campaign '" + s.campaign + "': " + r.str);
  }
  const auto& results = replies.back().as_array();
  for (const auto& r : results) {
    if (r.is_error()) throw RedisReplyError("recording a submission of campaign '" + s.campaign + "': " + r.str);
  }
  const auto& before = results.at(0).as_array();
  SubmissionRecord out;
  out.previous = parse_approval(before.at(0).as_optional_string());
  out.previous_approved_by = before.at(1).as_optional_string().value_or("");
  out.audit_id = results.at(3).as_string();
  return out;
}

ApproveResult approve(RedisClient& redis, const Keys& keys, const std::string& id, const std::string& approver,
                      std::chrono::system_clock::time_point at) {
  AuditEntry entry;
  entry.at = iso8601(at);
  entry.actor = approver;
  entry.action = audit_actions::kApprove;
  entry.campaign = id;
  entry.detail = "urgent campaign approved for sending (second person)";
  std::vector<std::string> args{approver, entry.at};
  for (auto& f : audit_entry_fields(entry)) args.push_back(std::move(f));
  const auto reply = redis.eval(scripts().campaign_approve, {keys.campaign_meta(id), keys.campaign_audit(id)}, args);
  const auto& parts = reply.as_array();
  ApproveResult out;
  out.outcome = outcome_of(parts.at(0).as_string());
  out.author = parts.at(1).as_string();
  out.approved_by = parts.at(2).as_string();
  out.approved_at = parts.at(3).as_string();
  out.audit_id = parts.at(4).as_string();
  if (out.outcome == ApproveOutcome::ByAuthor) {
    // Nothing changed, so this entry need not share the script's step.
    entry.action = audit_actions::kApproveRefused;
    entry.detail = "refused: the author cannot approve their own campaign";
    out.audit_id = AuditLog(redis, keys).append(entry);
  }
  return out;
}

}  // namespace broadcaster::store
