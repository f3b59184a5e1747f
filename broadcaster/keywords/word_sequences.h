// A set of short word sequences looked for next to a phrase or at the start
// of a sentence: negations ("don't" before "stop texting"), negations after
// the verb (Korean "지 마세요"), traps ("bus stop") and signatures ("sent from
// my"). Sequences in scripts written without spaces are kept as compact
// strings and compared as substrings, like the phrases they qualify.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace broadcaster::keywords {

class WordSequences {
 public:
  /// Adds one folded sequence.
  void add(const std::vector<std::string>& words);

  bool empty() const { return spaced_.empty() && compact_.empty(); }

  /// The sequence that ends right before `words[pos]` without reaching
  /// before `words[floor]`, or "".
  std::string ending_at(const std::vector<std::string>& words, std::size_t pos, std::size_t floor) const;

  /// The sequence that starts at `words[pos]` and ends by `words[ceiling]`
  /// (exclusive), or "".
  std::string starting_at(const std::vector<std::string>& words, std::size_t pos, std::size_t ceiling) const;

  /// A compact sequence that `text` ends with, or "".
  std::string compact_suffix_of(std::string_view text) const;

  /// A compact sequence that `text` starts with, or "".
  std::string compact_prefix_of(std::string_view text) const;

  /// Every occurrence in `words` as [begin, end) word spans.
  std::vector<std::pair<std::size_t, std::size_t>> spans_in(const std::vector<std::string>& words) const;

  /// Every occurrence in `compact` as [begin, end) byte spans.
  std::vector<std::pair<std::size_t, std::size_t>> compact_spans_in(std::string_view compact) const;

 private:
  std::set<std::string> spaced_;  ///< words joined by ' '
  std::size_t max_words_ = 0;
  std::vector<std::string> compact_;
};

}  // namespace broadcaster::keywords
