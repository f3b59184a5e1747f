// Sliding-window count of granted rate-limit slots.
#include "sender/rate_share.h"

#include <algorithm>
#include <cmath>

namespace broadcaster::sender {

void RateShare::granted(TimePoint now) {
  if (!first_) first_ = now;
  grants_.push_back(now);
  expire(now);
}

void RateShare::expire(TimePoint now) {
  while (!grants_.empty() && grants_.front() <= now - window_) grants_.pop_front();
}

std::optional<double> RateShare::per_second(TimePoint now) {
  expire(now);
  if (!first_) return std::nullopt;
  const auto observed = std::min<std::chrono::steady_clock::duration>(now - *first_, window_);
  if (observed < window_ / 5) return std::nullopt;
  return static_cast<double>(grants_.size()) / std::chrono::duration<double>(observed).count();
}

std::size_t RateShare::hold(TimePoint now, double limit_per_second, std::chrono::milliseconds horizon,
                            std::size_t cap) {
  const double rate = per_second(now).value_or(limit_per_second);
  const double n = std::floor(rate * std::chrono::duration<double>(horizon).count());
  const std::size_t wanted = n < 1 ? 1 : static_cast<std::size_t>(std::min(n, static_cast<double>(cap)));
  return std::clamp<std::size_t>(wanted, 1, std::max<std::size_t>(cap, 1));
}

}  // namespace broadcaster::sender
