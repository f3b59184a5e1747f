// Text folding for keyword matching: one inbound SMS body becomes a canonical
// string (and list of words) so that "únete!", "UNETE" and " Únete." compare
// equal, in every script subscribers write in.
//
// Why these steps, in this order (all ICU, see normalize.cpp):
//  1. NFKC + full case folding (ICU's NFKC_Casefold): full-width "ＳＴＯＰ" and
//     compatibility forms become plain letters, "STOP"/"Stop" become "stop",
//     "ß" becomes "ss", invisible format characters (ZWJ, variation
//     selectors) disappear.
//  2. Accent removal, only where accents are routinely dropped when typing on
//     a phone: non-spacing marks on Latin, Greek and Cyrillic letters
//     (é->e, ñ->n, Vietnamese ệ->e, ư->u, plus đ->d which has no
//     decomposition) and Arabic tashkeel and hamza seats (أ->ا), plus the
//     tatweel. The vowel signs of Indic scripts (Gurmukhi) are letters of
//     the word, not decoration, and are kept.
//  3. Trimming of everything that is not a letter, mark or digit at both ends
//     (punctuation . ! ? ¡ ¿ 。 ！ ？ ، ؟, symbols, emoji, whitespace) and
//     collapsing inner whitespace runs to one ASCII space.
// Curly apostrophes (’ ‘ ʼ) become ASCII ' so "don’t" equals "don't".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/errors.h"

namespace broadcaster::keywords {

/// The text given to normalize()/words() is not valid UTF-8 (or ICU could not
/// process it); `what()` says why.
class InvalidText : public Error {
 public:
  using Error::Error;
};

/// Folds `text` (UTF-8) for matching as described at the top of this file:
/// NFKC + full case folding, accents removed on Latin/Greek/Cyrillic letters
/// and Arabic tashkeel removed (Gurmukhi vowel signs kept), full-width forms
/// mapped to ASCII, leading/trailing whitespace, punctuation and symbols
/// (emoji included) trimmed, inner whitespace runs collapsed to one ASCII
/// space. Inner punctuation is kept ("stop, please" stays as is).
/// Throws InvalidText on invalid UTF-8.
std::string normalize(std::string_view text);

/// normalize() split into words: whitespace and any inner punctuation or
/// symbol other than an apostrophe separate words ("opt-out" -> {"opt",
/// "out"}, "don't" -> {"don't"}); apostrophes at the ends of a word are
/// dropped. Empty for a text without letters or digits.
/// Throws InvalidText on invalid UTF-8.
std::vector<std::string> words(std::string_view text);

/// Whether `text` contains a letter of a script normally written without
/// spaces between words (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer,
/// Myanmar, Tibetan). Phrases in such scripts are matched as substrings
/// because word boundaries cannot be seen. Hangul is included: Korean does
/// use spaces, but particles and endings attach to words ("그만보내세요").
/// Expects UTF-8 (normalized or not); returns false on invalid UTF-8.
bool written_without_spaces(std::string_view text);

}  // namespace broadcaster::keywords
