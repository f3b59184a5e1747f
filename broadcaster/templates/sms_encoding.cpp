// SMS encoding, length and segment counting, and GSM-7 look-alike replacement.
// Design: UTF-8 is decoded and validated with util/utf8.h (ICU would silently
// substitute U+FFFD, and we must report the offset of bad input); the GSM-7 tables are
// constant arrays in the order of 3GPP TS 23.038 so they can be checked
// against the standard line by line. Grapheme clusters come from one ICU
// character break iterator per thread, created on first use and reused,
// because creating one per message is the expensive part of analysing it.
#include "templates/sms_encoding.h"

#include <fmt/format.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <memory>
#include <optional>

#include "util/utf8.h"

namespace broadcaster::templates {

namespace {

// ---------------------------------------------------------------------------
// UTF-8 decoding
// ---------------------------------------------------------------------------

using util::decode_utf8;  // one UTF-8 decoder for the whole program (util/utf8.h)

/// Calls `fn(code_point, bytes)` for each code point of `utf8`, where `bytes`
/// is its UTF-8 form. Throws InvalidUtf8Error at the first invalid sequence.
template <class Fn>
void for_each_code_point(std::string_view utf8, Fn&& fn) {
  std::size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    const std::size_t length = decode_utf8(utf8, i, cp);
    if (length == 0) throw InvalidUtf8Error(i);
    fn(cp, utf8.substr(i, length));
    i += length;
  }
}

/// UTF-16 code units of one code point: 2 outside the BMP, else 1.
constexpr std::size_t utf16_units(char32_t cp) noexcept { return cp > 0xFFFF ? 2 : 1; }

// ---------------------------------------------------------------------------
// GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1 and §6.2.1.1)
// ---------------------------------------------------------------------------

/// Marks septet 0x1B, the escape to the extension table: not a character.
constexpr char32_t kEscapeSlot = 0xFFFF;

/// The basic table; the index is the septet value. Rows are 0x00, 0x10, ...
// clang-format off
constexpr std::array<char32_t, 128> kGsmBasic = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì',  // 0x00
    U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å', U'å',
    U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ',  // 0x10
    U'Σ', U'Θ', U'Ξ', kEscapeSlot, U'Æ', U'æ', U'ß', U'É',
    U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'',  // 0x20
    U'(', U')', U'*', U'+', U',', U'-', U'.', U'/',
    U'0', U'1', U'2', U'3', U'4', U'5', U'6', U'7',  // 0x30
    U'8', U'9', U':', U';', U'<', U'=', U'>', U'?',
    U'¡', U'A', U'B', U'C', U'D', U'E', U'F', U'G',  // 0x40
    U'H', U'I', U'J', U'K', U'L', U'M', U'N', U'O',
    U'P', U'Q', U'R', U'S', U'T', U'U', U'V', U'W',  // 0x50
    U'X', U'Y', U'Z', U'Ä', U'Ö', U'Ñ', U'Ü', U'§',
    U'¿', U'a', U'b', U'c', U'd', U'e', U'f', U'g',  // 0x60
    U'h', U'i', U'j', U'k', U'l', U'm', U'n', U'o',
    U'p', U'q', U'r', U's', U't', U'u', U'v', U'w',  // 0x70
    U'x', U'y', U'z', U'ä', U'ö', U'ñ', U'ü', U'à',
};
// clang-format on
static_assert(kGsmBasic[0x00] == U'@' && kGsmBasic[0x1B] == kEscapeSlot && kGsmBasic[0x20] == U' ' &&
              kGsmBasic[0x41] == U'A' && kGsmBasic[0x60] == U'¿' && kGsmBasic[0x61] == U'a' && kGsmBasic[0x7F] == U'à');

/// One entry of the extension table: sent as ESC (0x1B) then `septet`.
struct GsmExtension {
  unsigned char septet;
  char32_t character;
};

/// The extension table's characters (SS2 at 0x1B and CR2 at 0x0D are controls
/// we never produce).
constexpr std::array<GsmExtension, 10> kGsmExtension = {{
    {0x0A, U'\f'},
    {0x14, U'^'},
    {0x28, U'{'},
    {0x29, U'}'},
    {0x2F, U'\\'},
    {0x3C, U'['},
    {0x3D, U'~'},
    {0x3E, U']'},
    {0x40, U'|'},
    {0x65, U'€'},
}};

/// Septets of one code point in GSM-7 (1 basic, 2 extension), or 0 when it
/// has no GSM-7 form.
constexpr int gsm_septets_slow(char32_t cp) noexcept {
  if (cp == kEscapeSlot) return 0;
  for (const char32_t c : kGsmBasic) {
    if (c == cp) return 1;
  }
  for (const GsmExtension& e : kGsmExtension) {
    if (e.character == cp) return 2;
  }
  return 0;
}

/// gsm_septets_slow for every ASCII code point, computed at compile time.
constexpr std::array<unsigned char, 128> kAsciiSeptets = [] {
  std::array<unsigned char, 128> table{};
  for (char32_t cp = 0; cp < 128; ++cp) {
    table[cp] = static_cast<unsigned char>(gsm_septets_slow(cp));
  }
  return table;
}();
static_assert(kAsciiSeptets[U'a'] == 1 && kAsciiSeptets[U'{'] == 2 && kAsciiSeptets[U'`'] == 0 &&
              kAsciiSeptets[U'\t'] == 0 && kAsciiSeptets[U'\f'] == 2);

/// Septets of one code point in GSM-7, or 0 when it has no GSM-7 form.
int gsm_septets(char32_t cp) noexcept { return cp < 128 ? kAsciiSeptets[cp] : gsm_septets_slow(cp); }

// ---------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------

/// Segments of a message of `total` units whose code points weigh `width(cp)`
/// units: 0 when empty, 1 up to `single_limit`, otherwise greedy packing into
/// segments of `segment_limit` units, never splitting one code point's units.
template <class Width>
std::size_t count_segments(std::string_view utf8, std::size_t total, std::size_t single_limit,
                           std::size_t segment_limit, Width width) {
  if (total == 0) return 0;
  if (total <= single_limit) return 1;
  std::size_t segments = 1;
  std::size_t used = 0;
  for_each_code_point(utf8, [&](char32_t cp, std::string_view) {
    const std::size_t w = width(cp);
    if (used + w > segment_limit) {
      ++segments;
      used = 0;
    }
    used += w;
  });
  return segments;
}

// ---------------------------------------------------------------------------
// Grapheme clusters (ICU)
// ---------------------------------------------------------------------------

/// Throws Error naming `what` when `status` is an ICU failure.
void check_icu(UErrorCode status, std::string_view what) {
  if (U_FAILURE(status)) {
    throw Error(fmt::format("ICU failed to {}: {} (is the ICU data library installed?)", what, u_errorName(status)));
  }
}

/// This thread's character (grapheme cluster) break iterator.
icu::BreakIterator& character_break_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(
        icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    check_icu(status, "create a character break iterator");
    if (!created) throw Error("ICU returned no character break iterator");
    return created;
  }();
  return *iterator;
}

// ---------------------------------------------------------------------------
// Look-alikes
// ---------------------------------------------------------------------------

/// The GSM-7 replacement of a typographic look-alike (empty: remove it), or
/// nullopt when `cp` is left alone. Every replacement is GSM-7 basic table.
std::optional<std::string_view> lookalike_replacement(char32_t cp) noexcept {
  switch (cp) {
    case 0x2018:  // ‘ left single quotation mark
    case 0x2019:  // ’ right single quotation mark (the usual pasted apostrophe)
    case 0x201A:  // ‚ single low-9 quotation mark
    case 0x201B:  // ‛ single high-reversed-9 quotation mark
    case 0x2032:  // ′ prime
    case 0x2035:  // ‵ reversed prime
    case 0x00B4:  // ´ acute accent (spacing, typed as an apostrophe)
    case 0x0060:  // ` grave accent (typed as an apostrophe; not in GSM-7)
    case 0x2039:  // ‹ single left-pointing angle quotation mark
    case 0x203A:  // › single right-pointing angle quotation mark
      return "'";
    case 0x201C:  // “ left double quotation mark
    case 0x201D:  // ” right double quotation mark
    case 0x201E:  // „ double low-9 quotation mark
    case 0x201F:  // ‟ double high-reversed-9 quotation mark
    case 0x2033:  // ″ double prime
    case 0x2036:  // ‶ reversed double prime
    case 0x00AB:  // « left-pointing double angle quotation mark
    case 0x00BB:  // » right-pointing double angle quotation mark
      return "\"";
    case 0x2010:  // ‐ hyphen
    case 0x2011:  // ‑ non-breaking hyphen
    case 0x2012:  // ‒ figure dash
    case 0x2013:  // – en dash
    case 0x2014:  // — em dash
    case 0x2015:  // ― horizontal bar
    case 0x2212:  // − minus sign
    case 0x2022:  // • bullet: list items read naturally as "- item"
      return "-";
    case 0x2026:  // … horizontal ellipsis
      return "...";
    case 0x00A0:  // no-break space
    case 0x202F:  // narrow no-break space (French punctuation, some keyboards)
    case 0x205F:  // medium mathematical space
      return " ";
    case 0x200B:  // zero width space
    case 0x2060:  // word joiner
    case 0xFEFF:  // zero width no-break space / byte order mark
    case 0x00AD:  // soft hyphen (invisible unless a line breaks there)
      return "";
    default:
      if (cp >= 0x2000 && cp <= 0x200A) return " ";  // en quad .. hair space
      return std::nullopt;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

std::string_view to_string(SmsEncoding encoding) noexcept { return encoding == SmsEncoding::Gsm7 ? "GSM-7" : "UCS-2"; }

InvalidUtf8Error::InvalidUtf8Error(std::size_t byte_offset)
    : Error(fmt::format("invalid UTF-8 at byte offset {} (counting from 0)", byte_offset)), byte_offset_(byte_offset) {}

void check_utf8(std::string_view utf8) {
  for_each_code_point(utf8, [](char32_t, std::string_view) {});
}

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for_each_code_point(utf8, [&](char32_t cp, std::string_view) { out += cp; });
  return out;
}

std::vector<std::string_view> split_characters(std::string_view utf8) {
  check_utf8(utf8);
  std::vector<std::string_view> characters;
  if (utf8.empty()) return characters;
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX)) {
    throw Error(fmt::format("message of {} bytes is too long to analyse", utf8.size()));
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::LocalUTextPointer text(utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status));
  check_icu(status, "open UTF-8 text");
  icu::BreakIterator& iterator = character_break_iterator();
  // The iterator keeps a shallow clone of `text`, which points into `utf8`;
  // it is only read during this loop and replaced by the next call.
  iterator.setText(text.getAlias(), status);
  check_icu(status, "set the break iterator's text");
  std::int32_t start = iterator.first();
  for (std::int32_t end = iterator.next(); end != icu::BreakIterator::DONE; start = end, end = iterator.next()) {
    characters.push_back(utf8.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
  }
  return characters;
}

SmsInfo analyze_sms(std::string_view utf8) {
  SmsInfo info;
  const std::vector<std::string_view> characters = split_characters(utf8);  // validates
  info.characters = characters.size();

  std::size_t septets = 0;
  std::size_t units = 0;
  bool gsm = true;
  for_each_code_point(utf8, [&](char32_t cp, std::string_view) {
    const int s = gsm_septets(cp);
    if (s == 0) gsm = false;
    septets += static_cast<std::size_t>(s);
    units += utf16_units(cp);
  });

  if (gsm) {
    info.encoding = SmsEncoding::Gsm7;
    info.code_units = septets;
    info.segments = count_segments(utf8, septets, kGsm7SingleSeptets, kGsm7SegmentSeptets,
                                   [](char32_t cp) { return std::size_t(gsm_septets(cp)); });
    return info;
  }

  info.encoding = SmsEncoding::Ucs2;
  info.code_units = units;
  info.segments = count_segments(utf8, units, kUcs2SingleUnits, kUcs2SegmentUnits, utf16_units);
  for (const std::string_view character : characters) {
    if (info.non_gsm_characters.size() == kMaxNonGsmCharacters) break;
    bool character_is_gsm = true;
    for_each_code_point(character, [&](char32_t cp, std::string_view) {
      if (gsm_septets(cp) == 0) character_is_gsm = false;
    });
    if (character_is_gsm) continue;
    const bool seen = std::find(info.non_gsm_characters.begin(), info.non_gsm_characters.end(), character) !=
                      info.non_gsm_characters.end();
    if (!seen) info.non_gsm_characters.emplace_back(character);
  }
  return info;
}

std::string smart_encode(std::string_view utf8) {
  std::string replaced;
  replaced.reserve(utf8.size());
  bool changed = false;
  bool gsm = true;
  for_each_code_point(utf8, [&](char32_t cp, std::string_view bytes) {
    if (const std::optional<std::string_view> replacement = lookalike_replacement(cp)) {
      replaced += *replacement;
      changed = true;
      return;
    }
    if (gsm_septets(cp) == 0) gsm = false;
    replaced += bytes;
  });
  if (!changed || !gsm) return std::string(utf8);
  return replaced;
}

}  // namespace broadcaster::templates
