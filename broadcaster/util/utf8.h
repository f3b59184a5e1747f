// UTF-8 validation that says where the text goes wrong.
// Every text read from outside (templates, YAML files, CSV fields, tags) is
// checked with this before it is stored or handed to ICU, whose
// UnicodeString::fromUTF8 would silently replace bad bytes with U+FFFD.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace broadcaster::util {

/// Decodes the code point starting at `text[i]` into `cp`; returns its length
/// in bytes (1-4), or 0 when the sequence there is not valid UTF-8 (RFC 3629:
/// no overlong forms, no surrogates, nothing above U+10FFFF, no truncated
/// sequence). `i` must be less than `text.size()`.
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp) noexcept;

/// The 0-based byte offset of the first invalid UTF-8 sequence in `text`, or
/// nullopt when all of it is valid (the empty string included).
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

/// Line and column (1-based; the column counts code points, or bytes after an
/// invalid sequence) of byte `offset` in `text`, for error positions.
struct TextPosition {
  int line = 1;
  int column = 1;
};
[[nodiscard]] TextPosition position_of_byte(std::string_view text, std::size_t offset) noexcept;

/// "invalid UTF-8 at byte offset 12 (byte 0xFF)": the message for invalid
/// UTF-8 at `offset` of `text` (0-based), naming the offending byte.
[[nodiscard]] std::string invalid_utf8_message(std::string_view text, std::size_t offset);

}  // namespace broadcaster::util
