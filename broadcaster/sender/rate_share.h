// This process's measured share of a channel's shared rate limit.
// Design: several `serve` processes split one limit, so a process that
// sized what it holds from the whole rate would hold messages far longer
// than it can send them. It counts the slots it was granted over a sliding
// window and sizes from that. Times are passed in (no clock inside), so it is
// tested without waiting.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>

namespace broadcaster::sender {

class RateShare {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// Measures over the last `window`.
  explicit RateShare(std::chrono::milliseconds window = std::chrono::seconds(10)) : window_(window) {}

  /// Notes that a slot was granted at `now` (non-decreasing).
  void granted(TimePoint now);

  /// Slots per second granted over the window, or nullopt while less than a
  /// fifth of the window has passed since the first grant (too early to say).
  [[nodiscard]] std::optional<double> per_second(TimePoint now);

  /// How many messages to hold so that they all go out within `horizon`: at
  /// the measured share, or at `limit_per_second` (the whole limit) before
  /// there is a measurement. At least 1 and at most `cap`.
  [[nodiscard]] std::size_t hold(TimePoint now, double limit_per_second, std::chrono::milliseconds horizon,
                                 std::size_t cap);

 private:
  void expire(TimePoint now);

  std::chrono::milliseconds window_;
  std::deque<TimePoint> grants_;
  std::optional<TimePoint> first_;
};

}  // namespace broadcaster::sender
