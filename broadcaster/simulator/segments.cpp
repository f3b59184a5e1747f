// Segment and character counts for the simulator's `num_segments`.
#include "simulator/segments.h"

#include <algorithm>

#include "templates/sms_encoding.h"

namespace broadcaster::simulator {

std::size_t count_segments(std::string_view utf8_body) {
  try {
    return std::max<std::size_t>(1, templates::analyze_sms(utf8_body).segments);
  } catch (const templates::InvalidUtf8Error&) {
    // Not UTF-8: count every byte as one UCS-2 unit, as a provider would
    // after replacing each with U+FFFD.
    const std::size_t units = utf8_body.size();
    return units <= 70 ? 1 : (units + 66) / 67;
  }
}

std::size_t count_characters(std::string_view utf8) {
  try {
    return templates::code_points(utf8).size();
  } catch (const templates::InvalidUtf8Error&) {
    return utf8.size();
  }
}

}  // namespace broadcaster::simulator
