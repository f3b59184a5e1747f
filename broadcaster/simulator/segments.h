// How many SMS segments a message body takes, as Twilio reports it in
// `num_segments`.
// Design: the counting is broadcaster's own (templates/sms_encoding.h), so
// the simulator and `broadcaster inspect` always agree; this file only adds
// what a provider does with odd input (an empty body is one segment, bytes
// that are not UTF-8 count as UCS-2 units). Twilio's Smart Encoding is not
// modelled: a body with a curly quote counts as UCS-2.
#pragma once

#include <cstddef>
#include <string_view>

namespace broadcaster::simulator {

/// Number of segments of `utf8_body`; an empty body counts as one segment.
/// Bytes that are not valid UTF-8 count as one UCS-2 unit each.
std::size_t count_segments(std::string_view utf8_body);

/// Number of Unicode code points in `utf8` (invalid bytes count one each);
/// Twilio's 1,600-character body limit is measured in these.
std::size_t count_characters(std::string_view utf8);

}  // namespace broadcaster::simulator
