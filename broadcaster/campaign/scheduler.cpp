// Claiming, firing, skipping and finishing scheduled runs.
#include "campaign/scheduler.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "campaign/scheduled_run.h"
#include "store/audit_log.h"
#include "store/campaign_meta.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::campaign {

namespace {

constexpr std::size_t kMaxClaimsPerTick = 1000;
constexpr std::size_t kClaimBatch = 100;

// "2027-03-16 10:00 America/Los_Angeles", "2027-03-16 10:00 in each recipient's zone".
std::string describe_occurrence(const schedule::LocalDateTime& occurrence, const std::string& zone) {
  if (zone == schedule::kRecipientZone) return occurrence.to_string() + " in each recipient's zone";
  return occurrence.to_string() + " " + zone;
}

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary. (Not
// util::excerpt: it would mask run ids such as clinic--20270309-1000 as
// phone numbers; the texts here hold no numbers, and the file errors quoted
// were excerpted by the parser.)
std::string truncated(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

Scheduler::Scheduler(store::RedisClient& redis, store::Keys keys, std::string default_zone, RunSubmitter submit,
                     std::chrono::minutes late_limit, std::chrono::milliseconds lease)
    : redis_(redis),
      keys_(keys),
      registry_(redis, keys),
      default_zone_(std::move(default_zone)),
      submit_(std::move(submit)),
      late_limit_(late_limit),
      lease_(lease) {}

TickReport Scheduler::tick(std::chrono::system_clock::time_point now) {
  TickReport report;
  // Claimed entries are leased past `now`, so each round claims new work;
  // a chain of missed occurrences comes back round by round, oldest first.
  for (std::size_t claimed_total = 0; claimed_total < kMaxClaimsPerTick;) {
    const auto claimed = registry_.claim_due(now, lease_, kClaimBatch);
    if (claimed.empty()) break;
    claimed_total += claimed.size();
    for (const auto& c : claimed) handle(c, now, report);
  }
  return report;
}

void Scheduler::handle(const store::ClaimedOccurrence& claimed, std::chrono::system_clock::time_point now,
                       TickReport& report) {
  const std::string& id = claimed.id;
  schedule::LocalDateTime occurrence;
  try {
    occurrence = parse_occurrence_text(claimed.occurrence.local);
    (void)claim_instant(occurrence, claimed.occurrence.zone);  // the zone is known
  } catch (const RedisError&) {
    throw;
  } catch (const Error& e) {
    spdlog::error("scheduler: campaign '{}': damaged schedule record ({}); taking it off the schedule", id, e.what());
    end(id, fmt::format("damaged schedule record: {}", e.what()), now, report);
    return;
  }
  const std::string when = describe_occurrence(occurrence, claimed.occurrence.zone);

  // The campaign as its file reads now.
  Campaign campaign;
  try {
    campaign = parse_campaign_file(claimed.file);
    if (campaign.id.value != id) {
      throw Error(fmt::format("{}: the file now names campaign '{}'", claimed.file, campaign.id.value));
    }
  } catch (const RedisError&) {
    throw;
  } catch (const Error& e) {
    if (!claimed.skipped) {
      spdlog::warn("scheduler: campaign '{}': run of {} skipped: {}", id, when, e.what());
      audit(id, store::audit_actions::kRunSkipped,
            fmt::format("run {} of {} skipped: the campaign file does not parse ({}); the schedule goes on once "
                        "it is fixed",
                        run_id(id, occurrence), when, e.what()),
            now);
      ++report.skipped;
    }
    (void)registry_.defer(id, claimed.occurrence.local, now + kUnreadableRetry);
    return;
  }
  if (!campaign.schedule) {
    spdlog::info("scheduler: campaign '{}': its file has no schedule any more; taking it off the schedule", id);
    end(id, "the campaign file has no `schedule:` any more", now, report);
    return;
  }

  const auto next =
      next_occurrence(*campaign.schedule, claim_instant(occurrence, claimed.occurrence.zone), default_zone_);
  const std::string next_zone = schedule_zone(*campaign.schedule, default_zone_);
  if (claimed.skipped) {  // skipped and audited before; the file reads again: move on
    finish(claimed, store::RunOutcome::Skipped, next, next_zone, now, report);
    return;
  }

  const auto status = redis_.command({"HGET", keys_.campaign_meta(id), std::string(store::meta::kStatus)})
                          .as_optional_string()
                          .value_or("");
  if (status == store::meta::kCancelled) {
    end(id, "the campaign is cancelled", now, report);
    return;
  }
  const std::string run = run_id(id, occurrence);
  if (status == store::meta::kPaused) {
    spdlog::info("scheduler: campaign '{}' is paused: run {} of {} skipped", id, run, when);
    audit(id, store::audit_actions::kRunSkipped, fmt::format("run {} of {} skipped: the campaign is paused", run, when),
          now);
    ++report.skipped;
    finish(claimed, store::RunOutcome::Skipped, next, next_zone, now, report);
    return;
  }

  const auto late = now - last_instant(occurrence, claimed.occurrence.zone);
  if (late > late_limit_) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(late).count();
    spdlog::warn("scheduler: campaign '{}': run {} of {} skipped as expired, {} minutes late", id, run, when, minutes);
    audit(id, store::audit_actions::kRunExpired,
          fmt::format("run {} of {} skipped as expired: {} minutes late, beyond the late limit of {} minutes (no "
                      "`serve` was running at its time)",
                      run, when, minutes, late_limit_.count()),
          now);
    ++report.expired;
    finish(claimed, store::RunOutcome::Expired, next, next_zone, now, report);
    return;
  }

  try {
    submit_(redis_, campaign, run, occurrence, claimed.occurrence.zone);
  } catch (const RedisError&) {
    throw;
  } catch (const Error& e) {
    spdlog::error("scheduler: campaign '{}': run {} of {} failed (attempt {}): {}; retrying after {} s", id, run, when,
                  claimed.attempt, e.what(), std::chrono::duration_cast<std::chrono::seconds>(lease_).count());
    if (claimed.attempt == 1) {
      audit(id, store::audit_actions::kRunFailed,
            fmt::format("run {} of {} failed: {}; retried until it is too late", run, when, e.what()), now);
    }
    ++report.failed;
    return;  // the lease runs out and the occurrence is claimed again
  }
  spdlog::info("scheduler: campaign '{}': run {} of {} submitted{}", id, run, when,
               claimed.attempt > 1 ? fmt::format(" (attempt {})", claimed.attempt) : "");
  audit(
      id, store::audit_actions::kRun,
      fmt::format(
          "run {} of {} submitted{}", run, when,
          claimed.attempt > 1 ? fmt::format(" (attempt {}: an earlier claimer did not finish)", claimed.attempt) : ""),
      now);
  ++report.fired;
  finish(claimed, store::RunOutcome::Fired, next, next_zone, now, report);
}

void Scheduler::finish(const store::ClaimedOccurrence& claimed, store::RunOutcome outcome,
                       const std::optional<schedule::LocalDateTime>& next, const std::string& next_zone,
                       std::chrono::system_clock::time_point now, TickReport& report) {
  std::optional<store::ScheduledOccurrence> stored;
  if (next) stored = registry_occurrence(*next, next_zone);
  switch (registry_.complete(claimed.id, claimed.occurrence.local, outcome, stored)) {
    case store::CompleteResult::Next:
      (void)redis_.command({"HSET", keys_.campaign_meta(claimed.id), std::string(store::meta::kNextRunMs),
                            std::to_string(stored->due_ms)});
      return;
    case store::CompleteResult::Ended:
      (void)redis_.command({"HDEL", keys_.campaign_meta(claimed.id), std::string(store::meta::kNextRunMs)});
      spdlog::info("scheduler: campaign '{}': no run left; off the schedule", claimed.id);
      audit(claimed.id, store::audit_actions::kScheduleEnd, "the schedule has no run left", now);
      ++report.ended;
      return;
    case store::CompleteResult::Stale:
    case store::CompleteResult::Unknown:
    case store::CompleteResult::Deferred:
      // Another claimer finished this occurrence, or the campaign was
      // submitted again or taken off the schedule meanwhile: nothing to do.
      spdlog::debug("scheduler: campaign '{}': occurrence {} already finished elsewhere", claimed.id,
                    claimed.occurrence.local);
      return;
  }
}

void Scheduler::end(const std::string& id, const std::string& why, std::chrono::system_clock::time_point now,
                    TickReport& report) {
  (void)registry_.remove(id);
  (void)redis_.command({"HDEL", keys_.campaign_meta(id), std::string(store::meta::kNextRunMs)});
  audit(id, store::audit_actions::kScheduleEnd, "off the schedule: " + why, now);
  ++report.ended;
}

void Scheduler::audit(const std::string& id, std::string_view action, const std::string& detail,
                      std::chrono::system_clock::time_point now) {
  store::AuditEntry entry;
  entry.at = store::iso8601(now);
  entry.actor = kSchedulerActor;
  entry.action = action;
  entry.campaign = id;
  entry.detail = truncated(detail, store::kMaxAuditDetailBytes);
  (void)store::AuditLog(redis_, keys_).append(entry);
}

}  // namespace broadcaster::campaign
