// What broadcaster does with one text a subscriber sent: classify it, change
// the subscriber and the consent log, and choose the reply.
// Design: synchronous and free of sockets, so the whole keyword flow is
// testable against a real Redis without HTTP; the webhook server runs it on
// a worker thread (see webhook_server.h). Decisions that protect subscribers
// live here, in one place:
//   - an opt-out is honoured first and always, and confirmed exactly once:
//     a second STOP, or anything else from a stopped number except an
//     opt-in or HELP, gets no reply;
//   - only the subscriber's own opt-in lifts an opt-out;
//   - a retried webhook (same provider id) is acted on once, and carries the
//     reply its first attempt chose (the first answer may have been lost, or
//     the process may have died before the reply was queued):
//     reply_dispatch.h sends it at most once more;
//   - replies go only to numbers from configured regions, and at most N per
//     number per hour, so fake sign-ups cannot run up the bill;
//   - anything that is not a keyword goes to the inbox, with no reply;
//   - a probable opt-out is an opt-out (no more campaign messages), and its
//     one confirmation says how to stay subscribed; it, and a text that only
//     might be one (a question about stopping, no reply), are flagged in the
//     inbox for staff (`broadcaster inbox --review`);
//   - the number a text came in on decides who answers: its program name,
//     contact and a new subscriber's language (inbound.numbers).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "channels/inbound.h"
#include "config/config.h"
#include "keywords/keyword_set.h"
#include "store/inbox.h"
#include "store/redis_client.h"
#include "store/subscriber_store.h"
#include "templates/template_store.h"

namespace broadcaster::inbound {

/// What happened to one inbound text, for logs and tests.
struct Outcome {
  keywords::Action action = keywords::Action::None;
  std::string result;                ///< "opted_out", "joined", "pending", "confirmed", "language", "topics",
                                     ///< "help", "inbox", "duplicate", "already_stopped", "ignored"
  std::optional<std::string> reply;  ///< the text to send back, if any
  std::string reply_language;        ///< the language it was chosen in
  /// The number is opted out once this text was acted on.
  bool stopped = false;
  /// The reply may go to an opted-out number: it confirms their STOP, or
  /// answers HELP (both are owed to a stopped number; nothing else is).
  bool reply_to_stopped = false;
  /// result is "duplicate" and `reply` is what the first attempt replied
  /// (chosen again, not taken from the reply cap again).
  bool repeated = false;
  std::string to;  ///< the sender's address (stored form), "" when not an address
  /// Why a reply was not sent ("reply cap of 5 per hour reached", ...), if so.
  std::string reply_withheld;
  /// Why the text was flagged for staff, "" if it was not.
  std::string review;
};

/// Reply template names under templates/.
inline constexpr const char* kReplyOptIn = "keyword-opt-in";
inline constexpr const char* kReplyOptOut = "keyword-opt-out";
/// After a probable (not certain) opt-out: stopped, and how to stay subscribed.
inline constexpr const char* kReplyOptOutUnsure = "keyword-opt-out-unsure";
inline constexpr const char* kReplyHelp = "keyword-help";
inline constexpr const char* kReplyConfirm = "keyword-confirm";
inline constexpr const char* kReplyLanguage = "keyword-language";
inline constexpr const char* kReplyTopics = "keyword-topics";

class KeywordResponder {
 public:
  /// `cfg` supplies the inbound settings, fallback chains and the templates
  /// folder; the reply templates are loaded and checked now (throws
  /// ConfigError if one is missing or does not compile). `clock` stamps the
  /// reply cap's hour.
  KeywordResponder(const config::Config& cfg, keywords::KeywordSet keywords, store::RedisClient& redis,
                   std::optional<std::string> subject_key,
                   std::function<std::chrono::system_clock::time_point()> clock = std::chrono::system_clock::now);

  /// Acts on `message`. Throws RedisError when Redis fails (the provider
  /// should then retry: nothing was acted on, or the retry is recognised).
  Outcome handle(const channels::InboundMessage& message);

 private:
  std::optional<std::string> render(const char* name, const std::string& language, const config::NumberSettings& ours,
                                    const std::vector<std::string>& tags);
  void gate_reply(Outcome& outcome, const util::Address& address, const std::string& subject);
  /// What the seen key of `provider_id` says its first attempt did ("" if unknown).
  std::string first_result(const std::string& provider_id);

  const config::Config& cfg_;
  keywords::KeywordSet keywords_;
  store::RedisClient& redis_;
  store::SubscriberStore subscribers_;
  store::Inbox inbox_;
  templates::TemplateStore templates_;
  std::map<std::string, const templates::TemplateSet*> replies_;
  std::function<std::chrono::system_clock::time_point()> clock_;
};

}  // namespace broadcaster::inbound
