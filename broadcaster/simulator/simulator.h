// Request handling of broadcaster-sim: routes one parsed HTTP request to the
// Twilio Messages API or to the /sim control endpoints and builds the answer.
// Design: this object holds all simulator state (fault counter, statistics,
// recorded messages, SID generator, record file) and is called only on the
// single I/O thread, so nothing is locked. It performs no socket I/O: the HTTP
// server reads a request, calls handle(), and writes the reply after the
// reply's `delay` on a timer. Wall time comes from an injected clock.
//
// Endpoints:
//   POST /2010-04-01/Accounts/{AccountSid}/Messages.json   Twilio's create
//   GET  /2010-04-01/Accounts/{AccountSid}/Messages.json   Twilio's list
//        (newest first, filters and paging: see message_list.h)
//   GET  /sim/messages   JSON array of accepted messages (oldest first)
//   GET  /sim/stats      counters, see SimStats::to_json plus recorded/dropped
//   POST /sim/reset      forget messages, counters and the fault counter (204)
// The /sim endpoints need no credentials: the server listens on loopback only.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "simulator/fault_injector.h"
#include "simulator/message_log.h"
#include "simulator/record_file.h"
#include "simulator/sid_generator.h"
#include "simulator/sim_options.h"
#include "simulator/sim_stats.h"
#include "simulator/status_callbacks.h"
#include "simulator/twilio_api.h"

namespace broadcaster::simulator {

namespace http = boost::beast::http;

/// A request as the server hands it over.
using Request = http::request<http::string_body>;
/// A complete response, ready to serialise.
using Response = http::response<http::string_body>;

/// What to answer, and how long to hold the answer back first.
struct SimReply {
  Response response;
  std::chrono::milliseconds delay{0};  ///< --delay-ms for Messages.json (every --slow-every'th), else 0
};

/// Source of wall-clock time (injected so tests control dates).
using WallClock = std::function<std::chrono::system_clock::time_point()>;

/// Serialises `value` as compact JSON; invalid UTF-8 in strings (a body a
/// client sent raw) becomes U+FFFD instead of throwing.
[[nodiscard]] std::string dump_json(const nlohmann::json& value);

/// A JSON response with `status`, for answers produced outside handle() (the
/// server's 413 and 431). HTTP/1.1, connection closed afterwards.
[[nodiscard]] Response plain_json_response(http::status status, const nlohmann::json& body);

/// The simulated provider.
class Simulator {
 public:
  /// `options` supplies credentials, scripted recipients, fault periods,
  /// delay and the in-memory capacity; `record` (may be null) receives one
  /// JSON line per accepted message; `clock` stamps dates and receive times.
  explicit Simulator(
      const SimOptions& options, std::unique_ptr<RecordFile> record = nullptr,
      WallClock clock = [] { return std::chrono::system_clock::now(); });

  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Answers `request`. Never throws for bad input: every outcome is an HTTP
  /// response (Twilio JSON errors, 404 for unknown paths).
  [[nodiscard]] SimReply handle(const Request& request);

  /// Accepted messages kept in memory.
  const MessageLog& messages() const noexcept { return log_; }
  /// Outcome counters.
  const SimStats& stats() const noexcept { return stats_; }
  /// The record file, or null without --record.
  RecordFile* record_file() const noexcept { return record_.get(); }

 private:
  SimReply create_message(const Request& request, std::string_view path_account_sid);
  Response list(const Request& request, std::string_view path_account_sid);
  Response twilio_error(const Request& request, const TwilioError& error);
  Response reject(const Request& request, const TwilioError& error);  // counts it too
  Response injected_fault(const Request& request, Fault fault);

  std::string account_sid_;
  std::string auth_token_;
  RecipientRules rules_;
  std::chrono::milliseconds delay_;
  unsigned slow_every_;
  unsigned retry_after_seconds_;
  FaultInjector faults_;
  SimStats stats_;
  MessageLog log_;
  SidGenerator sids_;
  std::unique_ptr<RecordFile> record_;
  WallClock clock_;
  std::unique_ptr<StatusCallbacks> callbacks_;  ///< null with --status-callbacks off
};

}  // namespace broadcaster::simulator
