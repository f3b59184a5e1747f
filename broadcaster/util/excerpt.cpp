// Error-message excerpts: bounded, escaped, phone numbers masked.
#include "util/excerpt.h"

#include <fmt/format.h>

#include "util/phone.h"
#include "util/utf8.h"

namespace broadcaster::util {

namespace {

constexpr std::size_t kPhoneDigits = 7;  // a run with this many digits is masked

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_phone_char(char c) {
  return is_digit(c) || c == '+' || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

// "2026-12-05": a date, which has as many digits as a phone number.
bool is_iso_date(std::string_view run) {
  if (run.size() != 10 || run[4] != '-' || run[7] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(run[i])) return false;
  }
  return true;
}

// How character `c` (a control or an invalid byte) is written.
std::string escaped(unsigned char c) {
  switch (c) {
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return fmt::format("\\x{:02X}", c);
  }
}

}  // namespace

std::string excerpt(std::string_view value, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  bool cut = false;
  // Appends `piece` when it fits; otherwise marks the excerpt as cut.
  const auto append = [&](std::string_view piece) {
    if (out.size() + piece.size() > max_bytes) {
      cut = true;
      return false;
    }
    out += piece;
    return true;
  };
  while (i < value.size() && !cut) {
    const char c = value[i];
    if (is_digit(c) || c == '+' || c == '(') {
      // A phone-like run: masked whole when it holds enough digits.
      std::size_t end = i;
      std::size_t digits = 0;
      while (end < value.size() && is_phone_char(value[end])) digits += is_digit(value[end++]) ? 1 : 0;
      while (end > i && value[end - 1] == ' ') --end;  // trailing spaces are text
      const std::string_view run = value.substr(i, end - i);
      if (!append(digits >= kPhoneDigits && !is_iso_date(run) ? mask_phone(run) : std::string(run))) break;
      i = end;
      continue;
    }
    char32_t cp = 0;
    const std::size_t length = decode_utf8(value, i, cp);
    if (length == 0) {
      if (!append(escaped(static_cast<unsigned char>(c)))) break;
      ++i;
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      if (!append(cp < 0x80 ? escaped(static_cast<unsigned char>(cp))
                            : fmt::format("\\u{:04X}", static_cast<unsigned>(cp))))
        break;
      i += length;
    } else {
      if (!append(value.substr(i, length))) break;
      i += length;
    }
  }
  if (cut) out += fmt::format("\u2026 ({} bytes)", value.size());
  return out;
}

}  // namespace broadcaster::util
