// Short, safe quotations of offending input for error messages.
// An error about a bad value should show enough of it to find it, and no
// more: a 10 MB id must not print 10 MB, a control character must not reach
// the terminal, and a phone number must not reach a log unmasked.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/input_limits.h"

namespace broadcaster::util {

/// At most about `max_bytes` bytes of `value`, for quoting in an error
/// message: runs that look like phone numbers (seven digits or more, with
/// '+', spaces, '-', '.', '(' or ')'; not a date like 2026-12-05) are masked
/// with mask_phone, control
/// characters and invalid UTF-8 bytes are written as \n, \t, \xNN, and a
/// value cut short ends in "…" and its length ("… (10485760 bytes)"). The
/// result is valid UTF-8 and never longer than max_bytes + 32 bytes. Reads
/// only as much of `value` as it shows (plus the rest of a phone-like run).
[[nodiscard]] std::string excerpt(std::string_view value, std::size_t max_bytes = kMaxExcerptBytes);

}  // namespace broadcaster::util
