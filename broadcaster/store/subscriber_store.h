// Subscribers in Redis: add/update in bulk, change by keyword, stop, erase on
// request, look up, and find audiences.
// Design: all subscriber keys share the {subs} hash tag, so each change, its
// index updates and its consent-log entry run as one Lua script (see keys.h):
// the log can never disagree with the state. Changes read the current
// language, tags and status, then write with a check that they are unchanged
// (optimistic concurrency; a conflict reads again). Bulk work is pipelined:
// an import of thousands costs a handful of round trips per thousand rows.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/audience_reader.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "store/subject_hasher.h"
#include "store/subscriber.h"

namespace broadcaster::store {

enum class UpsertResult { Added, Updated, Suppressed };

/// Who or what asked for a change, recorded in the consent log.
struct ConsentContext {
  std::string source;       ///< "import", "staff", "keyword" or "provider"
  std::string text;         ///< the subscriber's text that asked for it ("" otherwise)
  std::string provider_id;  ///< the provider's id of that text ("" otherwise)
  std::string endpoint;     ///< the inbound endpoint it came through ("" otherwise)
  /// When positive, the change is applied once per provider_id: a webhook
  /// the provider retries within this time is reported as Duplicate.
  std::chrono::seconds remember{0};
};

/// How a change went.
enum class ChangeOutcome {
  Added,       ///< a new subscriber
  Updated,     ///< an existing one changed
  Suppressed,  ///< opted out, and only the subscriber may undo that: untouched
  Duplicate,   ///< this inbound message was already acted on
  Unknown,     ///< not a stored subscriber (language or topic change): untouched
};

struct ChangeResult {
  ChangeOutcome outcome = ChangeOutcome::Unknown;
  std::string consent_id;  ///< the consent-log entry written, "" if none
};

/// How a stop went.
enum class StopOutcome {
  Stopped,    ///< the number was not opted out before
  Already,    ///< it already was (the request is still logged)
  Duplicate,  ///< this inbound message was already acted on
};

/// What `forget` erased.
struct ForgetResult {
  bool was_stored = false;        ///< the number was a stored subscriber
  long long consent_entries = 0;  ///< log entries whose number and text were erased
  long long inbox_texts = 0;      ///< inbox texts deleted
  long long campaigns = 0;        ///< campaigns whose per-message data held the number
  long long queue_entries = 0;    ///< campaign messages (number and text) deleted
};

class SubscriberStore {
 public:
  /// Subject hashes use `configured_key` when given, else the installation's
  /// key in Redis (see SubjectHasher), read on first use.
  SubscriberStore(RedisClient& redis, Keys keys, std::optional<std::string> configured_key = std::nullopt)
      : redis_(redis), keys_(std::move(keys)), configured_key_(std::move(configured_key)) {}

  /// Adds or updates `batch` (language and tags are replaced; consent of an
  /// existing subscriber is kept), logging each new subscriber as an opt-in
  /// and each change as an update with `source` ("import", "staff"). A
  /// number that opted out, or was erased on request, is never re-activated:
  /// its result is Suppressed. Throws Error, storing nothing, when a
  /// language, tag or consent text of the batch fails subscriber_fields.h
  /// (callers check first, with the user's position); throws RedisError.
  std::vector<UpsertResult> upsert(const std::vector<Subscriber>& batch, const std::string& source = "import");

  /// The subscriber asked to join (an opt-in keyword): adds or re-activates
  /// them, even after an opt-out, in `language` when given (else kept, or
  /// `default_language` for a new number), adding `tags`. With `pending`
  /// they are stored but not sent to until `confirm`. Throws RedisError.
  ChangeResult opt_in(const util::Address& address, const std::optional<std::string>& language,
                      const std::string& default_language, const std::vector<std::string>& tags, bool pending,
                      const ConsentContext& context);

  /// The subscriber changed language. Unknown if not stored.
  ChangeResult set_language(const util::Address& address, const std::string& language, const ConsentContext& context);

  /// The subscriber added and removed topics (tags). Unknown if not stored.
  ChangeResult change_topics(const util::Address& address, const std::vector<std::string>& add,
                             const std::vector<std::string>& remove, const ConsentContext& context);

  /// Marks `address` opted out (stored or not) and logs the request.
  StopOutcome stop(const util::Address& address, const std::string& reason, const ConsentContext& context);

  /// Marks `address` opted out on staff's behalf. Returns true if that changed anything.
  bool stop(const util::Address& address, const std::string& reason);

  /// Erases the subscriber's personal data (their record, the number and
  /// texts in their consent-log entries, their inbox texts, and their
  /// messages, enqueued marks and outcomes in every campaign) and keeps them
  /// opted out through a keyed hash. The subscriber part goes first, so no
  /// submission can queue the number again while campaigns are erased.
  /// Idempotent: after a failure, calling again finishes the job. Throws
  /// RedisError.
  ForgetResult forget(const util::Address& address);

  /// Stopped or erased on request: import must not add this address.
  bool opted_out(const util::Address& address);

  /// The stored subscriber, or nullopt.
  std::optional<Subscriber> get(const util::Address& address);

  /// The stored subscriber with their consent and change times, or nullopt.
  std::optional<SubscriberRecord> record(const util::Address& address);

  /// Every stored address (stored form, util::Address::canonical()), sorted.
  std::vector<std::string> all_numbers();

  /// Addresses (stored form) of active subscribers whose language is one of
  /// `languages` (any when empty) and who have one of `tags` (any when
  /// empty), sorted; read in slices (store/audience_reader.h).
  std::vector<std::string> audience(const std::vector<std::string>& languages, const std::vector<std::string>& tags);

  /// The same audience with each member's language and own time zone.
  std::vector<AudienceMember> audience_members(const std::vector<std::string>& languages,
                                               const std::vector<std::string>& tags);

  /// How many subscribers `audience` would return.
  long long count(const std::vector<std::string>& languages, const std::vector<std::string>& tags);

  /// Stores each subscriber's own time zone (Subscriber::time_zone; "" is
  /// skipped). The caller has checked the zones with ICU.
  void set_time_zones(const std::vector<Subscriber>& subscribers);

  /// The stored time zone of each of `numbers` ("" when none), in order.
  std::vector<std::string> time_zones_of(const std::vector<std::string>& numbers);

  /// The keyed hash the consent log knows `address` by.
  std::string subject(const util::Address& address);

  const Keys& keys() const noexcept { return keys_; }

 private:
  struct Current;
  struct Plan;
  using Planner = std::function<std::optional<Plan>(const Current&)>;
  struct Change {
    const util::Address* address;
    const ConsentContext* context;
    Planner plan;
  };
  std::vector<ChangeResult> apply(const std::vector<Change>& changes);
  const SubjectHasher& hasher();

  RedisClient& redis_;
  Keys keys_;
  std::optional<std::string> configured_key_;
  std::optional<SubjectHasher> hasher_;
};

/// KEYS and ARGV of the subscriber_stop script for `address` (whose keyed hash
/// is `subject`), for callers that run it on another client (the sender's
/// AsyncRedis, when the provider reports an opt-out).
RedisClient::ScriptCall subscriber_stop_call(const Keys& keys, const util::Address& address, const std::string& subject,
                                             const std::string& reason, const ConsentContext& context);

/// Current UTC time as ISO 8601 ("2026-11-23T17:04:05Z").
std::string now_iso8601();

/// `t` in UTC as ISO 8601, to the second ("2026-11-23T17:04:05Z").
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace broadcaster::store
