// Keyword text folding with ICU: NFKC_Casefold, selective accent removal,
// trimming and word splitting (see normalize.h for the rules and why).
#include "keywords/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <string>

namespace broadcaster::keywords {

namespace {

// ---------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------

/// Decodes UTF-8, rejecting ill-formed input (ICU's UnicodeString::fromUTF8
/// would silently substitute U+FFFD, and a keyword must never match through
/// a replacement character).
icu::UnicodeString from_utf8(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > static_cast<std::size_t>(INT32_MAX / 2)) {
    throw InvalidText("text too long to classify (" + std::to_string(text.size()) + " bytes)");
  }
  const auto length = static_cast<int32_t>(text.size());
  UErrorCode status = U_ZERO_ERROR;
  int32_t units = 0;
  u_strFromUTF8(nullptr, 0, &units, text.data(), length, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
    throw InvalidText(std::string("text is not valid UTF-8 (") + u_errorName(status) + ")");
  }
  icu::UnicodeString out;
  UChar* buffer = out.getBuffer(units);
  if (buffer == nullptr) throw InvalidText("out of memory decoding text");
  status = U_ZERO_ERROR;
  u_strFromUTF8(buffer, units, nullptr, text.data(), length, &status);
  out.releaseBuffer(U_SUCCESS(status) ? units : 0);
  if (U_FAILURE(status)) {
    throw InvalidText(std::string("text is not valid UTF-8 (") + u_errorName(status) + ")");
  }
  return out;
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

const icu::Normalizer2& normalizer(const icu::Normalizer2* (*get)(UErrorCode&)) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = get(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw InvalidText(std::string("ICU normalizer unavailable (") + u_errorName(status) + ")");
  }
  return *n;
}

icu::UnicodeString apply(const icu::Normalizer2& n, const icu::UnicodeString& s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = n.normalize(s, status);
  if (U_FAILURE(status)) {
    throw InvalidText(std::string("ICU normalization failed (") + u_errorName(status) + ")");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

/// Letters, marks and digits make up words; everything else (punctuation,
/// symbols, emoji, whitespace, controls) separates or surrounds them.
bool is_word_char(UChar32 c) noexcept {
  const uint32_t mask = U_GET_GC_MASK(c);
  return (mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

bool is_space(UChar32 c) noexcept { return u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR; }

/// Scripts whose non-spacing marks are accents people drop when typing
/// (and which keyword lists are written without): see normalize.h.
bool strips_marks(UScriptCode script) noexcept {
  return script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC || script == USCRIPT_ARABIC;
}

/// Letters that carry a stroke rather than a combining accent, so NFD does
/// not separate it: map them to the plain letter (Vietnamese đ above all).
UChar32 unstroke(UChar32 c) noexcept {
  switch (c) {
    case 0x0111:
      return u'd';  // đ (Vietnamese, Croatian)
    case 0x00F8:
      return u'o';  // ø
    case 0x0142:
      return u'l';  // ł
    case 0x0127:
      return u'h';  // ħ
    case 0x2019:    // ’ right single quotation mark
    case 0x2018:    // ‘
    case 0x02BC:    // ʼ modifier letter apostrophe
      return u'\'';
    default:
      return c;
  }
}

/// Steps 1 and 2 of normalize.h: case/compat folding and accent removal,
/// recomposed to NFC (Hangul syllables, Gurmukhi clusters).
icu::UnicodeString fold(std::string_view text) {
  static_assert(sizeof(UChar) == 2);
  const icu::UnicodeString folded = apply(normalizer(&icu::Normalizer2::getNFKCCasefoldInstance), from_utf8(text));
  const icu::UnicodeString decomposed = apply(normalizer(&icu::Normalizer2::getNFDInstance), folded);

  icu::UnicodeString stripped;
  UScriptCode base_script = USCRIPT_COMMON;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      if (strips_marks(base_script)) continue;
    } else {
      UErrorCode status = U_ZERO_ERROR;
      base_script = uscript_getScript(c, &status);
      if (U_FAILURE(status)) base_script = USCRIPT_COMMON;
    }
    if (c == 0x0640) continue;  // Arabic tatweel: elongation only
    stripped.append(unstroke(c));
  }
  return apply(normalizer(&icu::Normalizer2::getNFCInstance), stripped);
}

/// Step 3: trims non-word characters at both ends and collapses inner
/// whitespace runs to one ASCII space.
icu::UnicodeString trim_and_collapse(const icu::UnicodeString& s) {
  int32_t begin = 0;
  int32_t end = s.length();
  while (begin < end && !is_word_char(s.char32At(begin))) begin = s.moveIndex32(begin, 1);
  while (end > begin) {
    const int32_t prev = s.moveIndex32(end, -1);
    if (is_word_char(s.char32At(prev))) break;
    end = prev;
  }
  icu::UnicodeString out;
  bool in_space = false;
  for (int32_t i = begin; i < end;) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (is_space(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out.append(u' ');
    in_space = false;
    out.append(c);
  }
  return out;
}

}  // namespace

std::string normalize(std::string_view text) { return to_utf8(trim_and_collapse(fold(text))); }

std::vector<std::string> words(std::string_view text) {
  const icu::UnicodeString s = trim_and_collapse(fold(text));
  std::vector<std::string> out;
  icu::UnicodeString word;
  const auto flush = [&] {
    // Apostrophes only join letters ("don't"); at either end they are quotes.
    int32_t b = 0;
    int32_t e = word.length();
    while (b < e && word.charAt(b) == u'\'') ++b;
    while (e > b && word.charAt(e - 1) == u'\'') --e;
    if (b < e) out.push_back(to_utf8(icu::UnicodeString(word, b, e - b)));
    word.remove();
  };
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (is_word_char(c) || c == u'\'') {
      word.append(c);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

bool written_without_spaces(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString s;
  try {
    s = from_utf8(text);
  } catch (const InvalidText&) {
    return false;  // documented: invalid input is not "unspaced" text
  }
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    switch (uscript_getScript(c, &status)) {
      case USCRIPT_HAN:
      case USCRIPT_HIRAGANA:
      case USCRIPT_KATAKANA:
      case USCRIPT_HANGUL:
      case USCRIPT_THAI:
      case USCRIPT_LAO:
      case USCRIPT_KHMER:
      case USCRIPT_MYANMAR:
      case USCRIPT_TIBETAN:
        return true;
      default:
        break;
    }
  }
  return false;
}

}  // namespace broadcaster::keywords
