// Text folding for keyword matching: case, accents (Latin, Vietnamese,
// Cyrillic, Arabic tashkeel), full-width forms, punctuation and emoji at the
// ends, whitespace, the Gurmukhi vowel signs that must survive, word
// splitting and invalid UTF-8.
//
// Expected strings are written by hand from the rules in normalize.h; the
// non-Latin ones are spelled with escapes where the difference from the
// input is a single invisible code point.
#include "keywords/normalize.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using broadcaster::keywords::InvalidText;
using broadcaster::keywords::normalize;
using broadcaster::keywords::words;
using broadcaster::keywords::written_without_spaces;

namespace {

struct FoldCase {
  const char* label;
  std::string input;
  std::string expected;
};

struct WordsCase {
  const char* label;
  std::string input;
  std::vector<std::string> expected;
};

}  // namespace

TEST_CASE("normalize folds case, accents and width and trims punctuation") {
  const std::vector<FoldCase> cases = {
      {"upper case", "STOP", "stop"},
      {"mixed case with spaces and marks", " Stop!! ", "stop"},
      {"full-width Latin", "ＳＴＯＰ", "stop"},
      {"full-width exclamation", "ＳＴＯＰ！", "stop"},
      {"Spanish inverted marks and accent", "¡Únete!", "unete"},
      {"Spanish question marks", "¿AYUDA?", "ayuda"},
      {"accent on a capital", "Álto.", "alto"},
      {"ñ loses its tilde", "ESPAÑOL", "espanol"},
      {"ü loses its diaeresis", "pingüino", "pinguino"},
      {"decomposed input (e + U+0301)", "une\xcc\x81te", "unete"},
      {"Vietnamese stacked marks and đ", "TIẾNG VIỆT", "tieng viet"},
      {"Vietnamese đ has no decomposition", "Đăng ký", "dang ky"},
      {"Vietnamese horn letters", "NGỪNG ƯƠ", "ngung uo"},
      {"German sharp s folds to ss", "Straße", "strasse"},
      {"Cyrillic upper to lower", "СТОП", "стоп"},
      {"Cyrillic breve on й is dropped", "ПОЖАЛУЙСТА", "пожалуиста"},
      {"Cyrillic ё becomes е", "Ёлка", "елка"},
      {"Cyrillic stress mark is dropped", "ДА\xcc\x81", "да"},
      {"Greek tonos and final sigma", "ΤΈΛΟΣ", "τελοσ"},
      {"Arabic hamza below alef is dropped", "إلغاء", "الغاء"},
      {"Arabic tashkeel is dropped", "تَوَقَّفْ", "توقف"},
      {"Arabic tatweel is dropped", "تـوقـف", "توقف"},
      {"Arabic question mark and comma trimmed", "،توقف؟", "توقف"},
      {"Chinese ideographic full stop trimmed", "退订。", "退订"},
      {"Chinese full-width exclamation trimmed", "！停止！", "停止"},
      {"Korean stays composed", "중지!!", "중지"},
      {"Hangul syllables stay composed", "한국어", "한국어"},
      {"emoji at the end", "STOP 🛑🛑", "stop"},
      {"emoji at the start", "😡 stop", "stop"},
      {"emoji with ZWJ and skin tone", "👍🏽 yes 👨‍👩‍👧", "yes"},
      {"quotes around", "\"stop\"", "stop"},
      {"inner whitespace collapsed", "stop   texting\tme\n", "stop texting me"},
      {"no-break and ideographic spaces", "stop\xc2\xa0texting\xe3\x80\x80me", "stop texting me"},
      {"inner punctuation kept", "  stop , please ", "stop , please"},
      {"curly apostrophe becomes ASCII", "Don’t", "don't"},
      {"digits kept", "Taller 10am!", "taller 10am"},
      {"only punctuation", "!!! ??", ""},
      {"empty", "", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(normalize(c.input) == c.expected); }
  }
}

TEST_CASE("normalize keeps the Gurmukhi vowel signs and nukta") {
  // ਪੰਜਾਬੀ: pa, tippi (U+0A70), ja, aa sign (U+0A3E), ba, ii sign (U+0A40).
  const std::string punjabi = "ਪੰਜਾਬੀ";
  CHECK(normalize(punjabi) == punjabi);
  CHECK(normalize("  ਮਦਦ! ") == "ਮਦਦ");
  // ਸ਼ (U+0A36) is a composition exclusion: NFKC spells it ਸ + nukta, and
  // both spellings fold to the same string with the nukta kept.
  const std::string precomposed = "\xe0\xa8\xb6\xe0\xa8\xbe";             // U+0A36 U+0A3E
  const std::string decomposed = "\xe0\xa8\xb8\xe0\xa8\xbc\xe0\xa8\xbe";  // U+0A38 U+0A3C U+0A3E
  CHECK(normalize(precomposed) == decomposed);
  CHECK(normalize(decomposed) == decomposed);
}

TEST_CASE("words splits on whitespace and inner punctuation but not apostrophes") {
  const std::vector<WordsCase> cases = {
      {"hyphen splits", "OPT-OUT", {"opt", "out"}},
      {"apostrophe joins", "Don't stop", {"don't", "stop"}},
      {"curly apostrophe joins", "don’t stop", {"don't", "stop"}},
      {"quotes at word ends dropped", "'stop' 'please'", {"stop", "please"}},
      {"comma without space splits", "stop,please", {"stop", "please"}},
      {"commas and marks", "JOIN ES, FRESNO!", {"join", "es", "fresno"}},
      {"emoji inside splits", "stop😀now", {"stop", "now"}},
      {"Chinese has no spaces", "我要退订！", {"我要退订"}},
      {"Korean words", "문자 그만 보내세요.", {"문자", "그만", "보내세요"}},
      {"Arabic comma splits", "لا،ترسل", {"لا", "ترسل"}},
      {"Cyrillic hyphen", "ПО-РУССКИ", {"по", "русски"}},
      {"Vietnamese", "Hủy đăng ký.", {"huy", "dang", "ky"}},
      {"only symbols", "🙂 ?!", {}},
      {"empty", "", {}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(words(c.input) == c.expected); }
  }
}

TEST_CASE("invalid UTF-8 is rejected, not replaced") {
  const std::vector<FoldCase> cases = {
      {"lone 0xFF", "\xff", ""},
      {"truncated two-byte sequence", "stop\xc3", ""},
      {"encoded surrogate", "\xed\xa0\x80", ""},
      {"overlong slash", "\xc0\xaf", ""},
      {"above U+10FFFF", "\xf4\x90\x80\x80", ""},
      {"continuation byte first", "\x80stop", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK_THROWS_AS(normalize(c.input), InvalidText);
      CHECK_THROWS_AS(words(c.input), InvalidText);
      CHECK_FALSE(written_without_spaces(c.input));
    }
  }
}

TEST_CASE("written_without_spaces recognises CJK and Hangul only") {
  CHECK(written_without_spaces("退订"));
  CHECK(written_without_spaces("不要再發"));
  CHECK(written_without_spaces("그만"));
  CHECK(written_without_spaces("stop 退订"));
  CHECK_FALSE(written_without_spaces("stop texting"));
  CHECK_FALSE(written_without_spaces("ਬੰਦ ਕਰੋ"));
  CHECK_FALSE(written_without_spaces("لا ترسل"));
  CHECK_FALSE(written_without_spaces("не пишите"));
  CHECK_FALSE(written_without_spaces(""));
}
