// UTF-8 validation (RFC 3629) with the offset of the first bad sequence.
#include "util/utf8.h"

#include <fmt/format.h>

namespace broadcaster::util {

std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    cp = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;  // allowed range of the first continuation byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates D800..DFFF
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // continuation byte as lead, C0/C1 (overlong) or F5..FF
  }
  if (s.size() - i < length) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if (b < low || b > high) return 0;
    low = 0x80;
    high = 0xBF;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return length;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // ASCII fast path
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t length = decode_utf8(text, i, cp);
    if (length == 0) return i;
    i += length;
  }
  return std::nullopt;
}

TextPosition position_of_byte(std::string_view text, std::size_t offset) noexcept {
  TextPosition pos;
  std::size_t i = 0;
  while (i < offset && i < text.size()) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t length = decode_utf8(text, i, cp);
    i += length == 0 ? 1 : length;
    ++pos.column;
  }
  return pos;
}

std::string invalid_utf8_message(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return fmt::format("invalid UTF-8 at byte offset {}", offset);
  return fmt::format("invalid UTF-8 at byte offset {} (byte 0x{:02X}); save the text as UTF-8", offset,
                     static_cast<unsigned char>(text[offset]));
}

}  // namespace broadcaster::util
