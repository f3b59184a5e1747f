// Fires the due runs of scheduled campaigns, each exactly once across every
// `serve` process sharing one Redis.
// Design: stateless between ticks; everything lives in the schedule registry
// (store/schedule_registry.h). tick() claims what is due at `now` with a
// lease, and for each claimed occurrence re-reads the campaign file (an edit
// between runs takes effect at the next run), then submits the run, or skips
// it, and finishes it by recording the next occurrence (computed from the
// file just read, after the one finished). A process that dies between claim
// and finish leaves its lease to run out, and whoever claims next re-runs the
// same run id; submission is idempotent per run id, so that queues nobody
// twice. tick() never sleeps: the caller loops (campaign/schedule_runner.h
// once a second in `serve`; tests with an injected clock).
//
// Late runs. When every `serve` was down at an occurrence's time, the first
// to come back claims it; it is sent if it is at most `late_limit` late, and
// skipped as expired (audited) otherwise, and each occurrence missed is
// handled the same way, oldest first, within one tick. The default of 12
// hours lets an outage overnight still send that morning's announcement the
// same day, but a "Tuesday 10:00 clinic reminder" is not sent on Wednesday,
// and a daily rule never sends yesterday's message beside today's. For a
// schedule in each recipient's zone lateness is counted from the occurrence's
// wall time in the latest zone (campaign/scheduled_run.h).
//
// A file that no longer parses (or names another id) skips the run (logged,
// audited once) and is looked at again every kUnreadableRetry: the next
// occurrence can only be computed from a readable file, so the schedule
// continues, from the occurrence after the skipped one, once it is fixed. A
// file without `schedule:` any more ends the schedule. Meta status
// `cancelled` ends it; `paused` skips runs (audited) until resumed.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "campaign/campaign.h"
#include "schedule/zoned_time.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "store/schedule_registry.h"

namespace broadcaster::campaign {

/// Submits one run: `campaign` as its file reads now (with its own id),
/// under campaign id `run_id`, for `occurrence` (a wall time) in `zone` (an
/// IANA id, or "recipient": then each message goes out at that wall time in
/// its recipient's zone). `redis` is the scheduler's own connection, for the
/// submission's commands. Must be idempotent per run_id (submit_campaign
/// is). Throws RedisError (the run is retried after its lease, on a new
/// connection) or Error (logged and audited as run_failed, retried after its
/// lease until it is too late).
using RunSubmitter = std::function<void(store::RedisClient& redis, const Campaign& campaign, const std::string& run_id,
                                        const schedule::LocalDateTime& occurrence, const std::string& zone)>;

/// How late a run may still be sent (see the file comment).
inline constexpr std::chrono::minutes kDefaultLateLimit{12 * 60};
/// How long a claim holds an occurrence: longer than any submission takes.
/// A submission still running when it ends is re-run alongside, harmlessly.
inline constexpr std::chrono::milliseconds kDefaultLease{std::chrono::minutes(10)};
/// How often an occurrence whose file did not parse is looked at again.
inline constexpr std::chrono::minutes kUnreadableRetry{5};
/// The audit log's actor for everything the scheduler does.
inline constexpr std::string_view kSchedulerActor = "scheduler";

/// What one tick did (occurrences, not messages).
struct TickReport {
  std::size_t fired = 0;    ///< runs submitted
  std::size_t expired = 0;  ///< runs skipped as too late
  std::size_t skipped = 0;  ///< runs skipped otherwise (file unreadable, paused)
  std::size_t failed = 0;   ///< submissions that threw Error (retried after the lease)
  std::size_t ended = 0;    ///< schedules with no run left, now unregistered
};

/// Runs what is due. Not thread safe: one per thread, with its own client.
class Scheduler {
 public:
  /// `redis` must outlive the scheduler. `default_zone` is the
  /// organization's `time_zone`, for schedules that name none.
  Scheduler(store::RedisClient& redis, store::Keys keys, std::string default_zone, RunSubmitter submit,
            std::chrono::minutes late_limit = kDefaultLateLimit, std::chrono::milliseconds lease = kDefaultLease);

  /// Claims every occurrence due at `now` and fires, skips or ends each (see
  /// the file comment); at most 1000 per tick, the rest in the next. Throws
  /// RedisError (whatever was claimed and not finished is retried after its
  /// lease).
  TickReport tick(std::chrono::system_clock::time_point now);

 private:
  void handle(const store::ClaimedOccurrence& claimed, std::chrono::system_clock::time_point now, TickReport& report);
  void finish(const store::ClaimedOccurrence& claimed, store::RunOutcome outcome,
              const std::optional<schedule::LocalDateTime>& next, const std::string& next_zone,
              std::chrono::system_clock::time_point now, TickReport& report);
  void end(const std::string& id, const std::string& why, std::chrono::system_clock::time_point now,
           TickReport& report);
  void audit(const std::string& id, std::string_view action, const std::string& detail,
             std::chrono::system_clock::time_point now);

  store::RedisClient& redis_;
  store::Keys keys_;
  store::ScheduleRegistry registry_;
  std::string default_zone_;
  RunSubmitter submit_;
  std::chrono::minutes late_limit_;
  std::chrono::milliseconds lease_;
};

}  // namespace broadcaster::campaign
