// Deterministic failure injection for the simulated Messages endpoint.
// Design: one counter of Messages.json POSTs (1-based, reset by POST
// /sim/reset); request n gets a fault when n is a multiple of that fault's
// period. No randomness, so a test can say in advance which request fails.
// When several periods divide n, the HTML 502 wins over the 500, which wins
// over the 429.
#pragma once

#include <cstdint>

namespace broadcaster::simulator {

/// What the next request suffers, if anything.
enum class Fault {
  kNone,
  kRateLimited,    ///< 429, Twilio code 20429, Retry-After header
  kServerError,    ///< 500, Twilio code 20500
  kHtmlBadGateway  ///< 502 with an HTML page, as a proxy in front of the API sends
};

/// Periods of each fault; 0 disables it.
struct FaultSchedule {
  unsigned rate_limited_every = 0;
  unsigned server_error_every = 0;
  unsigned html_error_every = 0;
};

/// Counts requests and assigns faults by the schedule. Not thread-safe: used
/// on the simulator's single I/O thread.
class FaultInjector {
 public:
  explicit FaultInjector(FaultSchedule schedule) : schedule_(schedule) {}

  /// Counts one request and returns the fault it gets.
  [[nodiscard]] Fault next();

  /// Requests counted since construction or the last reset().
  std::uint64_t count() const noexcept { return count_; }

  /// Starts counting from zero again.
  void reset() noexcept { count_ = 0; }

 private:
  FaultSchedule schedule_;
  std::uint64_t count_ = 0;
};

/// Stable lower-case name of a fault for logs ("none", "429", "500", "502-html").
const char* fault_name(Fault fault) noexcept;

}  // namespace broadcaster::simulator
