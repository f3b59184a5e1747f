// Phrase patterns of config/keywords.yaml: one line such as
// "(stop|quit) {send} [me] [{msgs}]" stands for every word sequence it can
// spell, so a language's opt-out grammar is written once (verbs x objects x
// polite forms) instead of as hundreds of hand-listed phrases.
//
// Syntax (also documented at the top of config/keywords.yaml):
//   words        separated by spaces, matched after folding (normalize.h)
//   (a|b c)      one of the alternatives; an alternative may be several words
//   [a] [a|b]    optional: nothing, or one of the alternatives
//   {name}       any entry of the language's word class `name`; entries may
//                use ( | ) and [ ] but not other classes
// Expansion happens once at load; matching is then exact lookups of word
// sequences, so a pattern costs nothing per text.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/errors.h"

namespace broadcaster::keywords {

/// A pattern that cannot be expanded; `offset()` is the byte in the pattern
/// where the problem is, for a file:line:column message.
class PatternError : public Error {
 public:
  PatternError(std::size_t offset, const std::string& message) : Error(message), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

/// Word classes of one language: name -> entries (each entry a pattern
/// without {classes}).
using WordClasses = std::map<std::string, std::vector<std::string>>;

/// Every text `pattern` spells, as strings with words separated by single
/// spaces (not yet folded), in pattern order, without duplicates.
/// Throws PatternError for unbalanced brackets, an empty alternative list, an
/// unknown class, a class inside a class entry, or more than `limit`
/// expansions.
std::vector<std::string> expand_pattern(std::string_view pattern, const WordClasses& classes, std::size_t limit = 2000);

}  // namespace broadcaster::keywords
