// Fixed-width GMT dates as providers write them: HTTP's IMF-fixdate
// (RFC 9110 5.6.7, "Sun, 06 Nov 1994 08:49:37 GMT", in Retry-After) and the
// RFC 2822 form Twilio uses for date_created and date_sent
// ("Thu, 24 Aug 2023 05:01:45 +0000").
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace broadcaster::channels {

/// The instant `text` names, or nullopt unless it is exactly an IMF-fixdate
/// or the same with the zone written "+0000" (no surrounding spaces, no other
/// zone, no obsolete forms).
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace broadcaster::channels
