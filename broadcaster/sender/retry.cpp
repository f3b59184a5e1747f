// Exponential backoff with jitter.
#include "sender/retry.h"

#include <algorithm>

namespace broadcaster::sender {

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds max,
                                        std::optional<std::chrono::milliseconds> retry_after,
                                        std::mt19937_64& rng) {
  const int doublings = std::clamp(attempt - 1, 0, 30);
  long long base = initial.count();
  for (int i = 0; i < doublings && base < max.count(); ++i) base *= 2;
  base = std::min(base, static_cast<long long>(max.count()));
  const long long half = base / 2;
  std::uniform_int_distribution<long long> jitter(0, half);
  std::chrono::milliseconds delay(base - half + jitter(rng));
  if (retry_after && *retry_after > delay) delay = *retry_after;
  return delay;
}

}  // namespace broadcaster::sender
