// The marker send_begin.lua stores for a message whose send has started and
// whose outcome is not stored yet: "<first ms>|<last ms>|<token>" in the
// campaign's `sending` hash (see keys.h). The format is owned here and by
// that script; nothing else reads or writes it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace broadcaster::store {

struct SendMarker {
  std::int64_t first_ms = 0;  ///< earliest attempt not known to have failed (ms since the epoch)
  std::int64_t last_ms = 0;   ///< start of the latest attempt
  std::string token;          ///< which attempt wrote it: "<consumer>#<n>"
};

/// Reads a marker; nullopt if `text` is not one (then the message is
/// treated as in doubt since the epoch: the lookup covers everything).
[[nodiscard]] std::optional<SendMarker> parse_send_marker(std::string_view text);

/// When a message whose latest attempt is `marker` may be looked up at the
/// provider: `settle` after that attempt started (ms since the epoch).
[[nodiscard]] std::int64_t lookup_due_ms(const SendMarker& marker, std::chrono::milliseconds settle);

/// The oldest creation time a provider-side match may have: the first
/// attempt's start less `skew` (the two clocks may disagree by that much).
[[nodiscard]] std::chrono::system_clock::time_point lookup_since(const SendMarker& marker,
                                                                 std::chrono::milliseconds skew);

}  // namespace broadcaster::store
