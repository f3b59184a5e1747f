// GSM-7 / UCS-2 segment counting.
#include "simulator/segments.h"

#include <string_view>
#include <vector>

namespace broadcaster::simulator {

namespace {

/// One decoded character; a byte that is not valid UTF-8 keeps its byte value
/// with `invalid` set, so it counts as one UCS-2 unit.
struct CodePoint {
  char32_t value;
  bool invalid;
};

/// Decodes UTF-8 leniently (see CodePoint).
std::vector<CodePoint> decode_utf8(std::string_view s) {
  std::vector<CodePoint> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    }
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        ok = false;
      } else {
        cp = (cp << 6) | (b & 0x3F);
      }
    }
    if (ok) {
      out.push_back({cp, false});
      i += len;
    } else {
      out.push_back({b0, true});
      i += 1;
    }
  }
  return out;
}

/// Characters of the GSM 03.38 default alphabet outside printable ASCII.
constexpr std::u32string_view kGsmBasicExtra = U"\n\r£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà";

/// Septets a code point takes in GSM-7, or 0 when it is not representable.
int septets(char32_t c) {
  // Extension table: escape + character.
  switch (c) {
    case U'^':
    case U'{':
    case U'}':
    case U'\\':
    case U'[':
    case U'~':
    case U']':
    case U'|':
    case U'€':
    case U'\f':
      return 2;
    default:
      break;
  }
  if (c >= 0x20 && c <= 0x7E) return c == U'`' ? 0 : 1;
  return kGsmBasicExtra.find(c) != std::u32string_view::npos ? 1 : 0;
}

std::size_t segments_for(std::size_t units, std::size_t single, std::size_t multi) {
  if (units <= single) return 1;
  return (units + multi - 1) / multi;
}

}  // namespace

std::size_t count_segments(std::string_view utf8_body) {
  const auto points = decode_utf8(utf8_body);
  std::size_t gsm = 0;
  bool is_gsm = true;
  for (const auto& p : points) {
    const int n = p.invalid ? 0 : septets(p.value);
    if (n == 0) {
      is_gsm = false;
      break;
    }
    gsm += static_cast<std::size_t>(n);
  }
  if (is_gsm) return segments_for(gsm, 160, 153);
  std::size_t utf16 = 0;
  for (const auto& p : points) utf16 += (!p.invalid && p.value > 0xFFFF) ? 2 : 1;
  return segments_for(utf16, 70, 67);
}

std::size_t count_characters(std::string_view utf8) { return decode_utf8(utf8).size(); }

}  // namespace broadcaster::simulator
