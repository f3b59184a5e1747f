// Reading HTTP's Retry-After header (RFC 9110 section 10.2.3), which providers
// send with 429 and 503 answers.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace broadcaster::channels {

/// The wait a Retry-After value asks for, in milliseconds from `now`.
/// Accepts delay-seconds ("1", "120") and IMF-fixdate
/// ("Wed, 21 Oct 2015 07:28:00 GMT"); surrounding spaces are ignored. A date
/// in the past gives 0. Returns nullopt for anything else (including the
/// obsolete RFC 850 and asctime date forms, and numbers too large for a
/// day-scale wait), so the caller falls back to its own backoff.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace broadcaster::channels
