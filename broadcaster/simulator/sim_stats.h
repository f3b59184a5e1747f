// Counters behind GET /sim/stats.
// Design: plain counters mutated on the simulator's single I/O thread; the
// rejection maps are keyed by Twilio code and by HTTP status, both bounded by
// the handful of codes the simulator can produce.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

namespace broadcaster::simulator {

/// Request outcome counts of the Messages endpoint.
class SimStats {
 public:
  /// Counts one Messages.json request, whatever its outcome.
  void count_request() noexcept { ++requests_; }

  /// Counts one authenticated GET of the Messages list (an in-doubt lookup).
  void count_list() noexcept { ++lists_; }

  /// Counts one accepted (201) message.
  void count_accepted() noexcept { ++accepted_; }

  /// Counts one rejection with HTTP `status` and, when the answer carried
  /// one, its Twilio `code` (an HTML 502 has none).
  void count_rejected(unsigned status, std::optional<int> code);

  /// Messages.json requests since construction or the last reset().
  std::uint64_t requests() const noexcept { return requests_; }
  /// Messages accepted (201) since construction or the last reset().
  std::uint64_t accepted() const noexcept { return accepted_; }
  /// Rejections with Twilio `code` so far.
  std::uint64_t rejected_with_code(int code) const;

  /// Messages list GETs answered since construction or the last reset().
  std::uint64_t lists() const noexcept { return lists_; }

  /// {"requests": n, "accepted": n, "lists": n, "rejected": n,
  ///  "rejected_by_code": {"21610": n, ...}, "rejected_by_status": {"400": n, ...}}
  [[nodiscard]] nlohmann::json to_json() const;

  /// Sets every counter back to zero.
  void reset() noexcept;

 private:
  std::uint64_t requests_ = 0;
  std::uint64_t accepted_ = 0;
  std::uint64_t lists_ = 0;
  std::uint64_t rejected_ = 0;
  std::map<int, std::uint64_t> by_code_;
  std::map<unsigned, std::uint64_t> by_status_;
};

}  // namespace broadcaster::simulator
