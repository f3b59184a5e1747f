// Pause, resume and cancel: campaign_control.lua, then the bc:campaigns
// removal a cancel needs.
#include "store/campaign_control.h"

#include <charconv>

#include "store/audit_log.h"
#include "store/campaign_meta.h"
#include "store/scripts.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::store {

namespace {

ControlOutcome outcome_of(const std::string& word) {
  if (word == "done") return ControlOutcome::Done;
  if (word == "already") return ControlOutcome::AlreadyInState;
  if (word == "unknown") return ControlOutcome::Unknown;
  if (word == "not_allowed") return ControlOutcome::NotAllowed;
  throw RedisReplyError("campaign_control answered '" + word + "', which this version does not know");
}

std::string default_detail(ControlAction action) {
  switch (action) {
    case ControlAction::Pause:
      return "paused: no message is sent until it is resumed";
    case ControlAction::Resume:
      return "resumed: sending continues where it stopped";
    case ControlAction::Cancel:
      return "cancelled: messages not sent yet will not be sent";
  }
  return {};
}

long long to_number(const std::string& text) {
  long long n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

}  // namespace

std::string_view to_string(ControlAction action) noexcept {
  switch (action) {
    case ControlAction::Pause:
      return audit_actions::kPause;
    case ControlAction::Resume:
      return audit_actions::kResume;
    case ControlAction::Cancel:
      return audit_actions::kCancel;
  }
  return audit_actions::kPause;
}

std::string_view target_status(ControlAction action) noexcept {
  switch (action) {
    case ControlAction::Pause:
      return meta::kPaused;
    case ControlAction::Resume:
      return meta::kSending;
    case ControlAction::Cancel:
      return meta::kCancelled;
  }
  return meta::kPaused;
}

RedisClient::ScriptCall control_campaign_call(const Keys& keys, const std::string& id, ControlAction action,
                                              const std::string& actor, const std::string& detail,
                                              std::chrono::system_clock::time_point at) {
  AuditEntry entry;
  entry.at = iso8601(at);
  entry.actor = actor;
  entry.action = std::string(to_string(action));
  entry.campaign = id;
  entry.detail = detail.empty() ? default_detail(action) : detail;
  std::vector<std::string> args{std::string(to_string(action)), entry.at};
  for (auto& f : audit_entry_fields(entry)) args.push_back(std::move(f));
  std::vector<std::string> script_keys{keys.campaign_meta(id), keys.campaign_stats(id), keys.campaign_audit(id),
                                       keys.campaign_sending(id)};
  for (auto& key : keys.campaign_message_keys(id)) script_keys.push_back(std::move(key));
  return {std::move(script_keys), std::move(args)};
}

ControlResult control_campaign(RedisClient& redis, const Keys& keys, const std::string& id, ControlAction action,
                               const std::string& actor, const std::string& detail,
                               std::chrono::system_clock::time_point at) {
  const auto [script_keys, args] = control_campaign_call(keys, id, action, actor, detail, at);
  const auto reply = redis.eval(scripts().campaign_control, script_keys, args);
  const auto& parts = reply.as_array();
  ControlResult out;
  out.outcome = outcome_of(parts.at(0).as_string());
  out.status_before = parts.at(1).as_string();
  out.at = args.at(1);
  out.audit_id = parts.at(2).as_string();
  out.cancelled = parts.at(3).as_integer();
  out.purge_at_ms = to_number(parts.at(4).as_string());
  if (action == ControlAction::Cancel &&
      (out.outcome == ControlOutcome::Done || out.outcome == ControlOutcome::AlreadyInState)) {
    // Another slot than the campaign's keys (see the header): not in the script.
    (void)redis.command({"ZREM", keys.campaigns(), id});
  }
  return out;
}

}  // namespace broadcaster::store
