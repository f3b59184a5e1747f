// How long to wait before sending a message again after a retryable failure.
#pragma once

#include <chrono>
#include <optional>
#include <random>

namespace broadcaster::sender {

/// Delay before attempt `attempt + 1` after `attempt` failures (attempt >= 1):
/// exponential from `initial`, doubling each time, capped at `max`, with
/// "equal jitter" (half fixed, half random) so many senders that failed
/// together do not retry together. A provider's Retry-After is a floor: we
/// never retry sooner than it asked.
std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds max,
                                        std::optional<std::chrono::milliseconds> retry_after,
                                        std::mt19937_64& rng);

}  // namespace broadcaster::sender
