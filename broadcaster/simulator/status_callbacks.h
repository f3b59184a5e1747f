// The simulator's delivery receipts: for each accepted message with a
// StatusCallback, Twilio-format status callbacks (form fields MessageSid,
// MessageStatus, ErrorCode, AccountSid, From, To, ApiVersion, signed with
// X-Twilio-Signature over the callback URL) posted from a background
// thread, as Twilio posts them after it accepted a message.
// Design: one worker thread and a bounded queue (callbacks beyond it are
// dropped and counted, as a provider under load would lose them); the fate
// of a message is chosen from its number so tests know what to expect:
//   ...96 undelivered 21610 (the carrier says the recipient opted out)
//   ...97 undelivered 30007 (carrier filtering)
//   ...98 failed      30008 (unknown error)
//   ...99 undelivered 30003 (unreachable handset)
//   anything else: delivered.
// Order "normal" posts sent then the final status; "reversed" posts the
// final status, then sent, then the final status again (late and duplicate
// callbacks, as Twilio documents they can arrive).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace broadcaster::simulator {

class StatusCallbacks {
 public:
  /// `order`: "normal" or "reversed". Starts the worker thread.
  StatusCallbacks(std::string account_sid, std::string auth_token, std::string order, std::size_t max_pending = 100000);
  /// Posts what is already queued, then joins the worker.
  ~StatusCallbacks();
  StatusCallbacks(const StatusCallbacks&) = delete;
  StatusCallbacks& operator=(const StatusCallbacks&) = delete;

  /// Queues the callbacks of one accepted message.
  void accepted(const std::string& url, const std::string& sid, const std::string& from, const std::string& to);

  /// Callbacks posted and answered 2xx, and those that failed or were dropped.
  std::size_t posted() const;
  std::size_t failed() const;

  /// The final status and error code the simulator gives a message to `to`.
  static std::pair<std::string, std::string> fate(const std::string& to);

 private:
  struct Callback {
    std::string url;
    std::vector<std::pair<std::string, std::string>> fields;
  };
  void work();
  void post(const Callback& c);

  std::string account_sid_;
  std::string auth_token_;
  std::string order_;
  std::size_t max_pending_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Callback> queue_;
  bool stopping_ = false;
  std::size_t posted_ = 0;
  std::size_t failed_ = 0;
  std::thread worker_;
};

}  // namespace broadcaster::simulator
