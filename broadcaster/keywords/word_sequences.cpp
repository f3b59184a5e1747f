// Lookups of short word sequences around a position (see word_sequences.h).
#include "keywords/word_sequences.h"

#include <algorithm>

#include "keywords/normalize.h"

namespace broadcaster::keywords {

void WordSequences::add(const std::vector<std::string>& words) {
  if (words.empty()) return;
  std::string joined;
  std::string compact;
  for (const auto& w : words) {
    if (!joined.empty()) joined += ' ';
    joined += w;
    compact += w;
  }
  if (written_without_spaces(joined)) {
    if (std::find(compact_.begin(), compact_.end(), compact) == compact_.end()) compact_.push_back(compact);
    return;
  }
  spaced_.insert(joined);
  max_words_ = std::max(max_words_, words.size());
}

std::string WordSequences::ending_at(const std::vector<std::string>& words, std::size_t pos, std::size_t floor) const {
  std::string key;
  std::string found;
  for (std::size_t k = 1; k <= max_words_ && pos >= floor + k; ++k) {
    key = k == 1 ? words[pos - 1] : words[pos - k] + ' ' + key;
    if (spaced_.count(key) != 0) found = key;
  }
  return found;
}

std::string WordSequences::starting_at(const std::vector<std::string>& words, std::size_t pos,
                                       std::size_t ceiling) const {
  std::string key;
  std::string found;
  for (std::size_t k = 1; k <= max_words_ && pos + k <= ceiling; ++k) {
    if (k > 1) key += ' ';
    key += words[pos + k - 1];
    if (spaced_.count(key) != 0) found = key;
  }
  return found;
}

std::string WordSequences::compact_suffix_of(std::string_view text) const {
  for (const auto& c : compact_) {
    if (text.size() >= c.size() && text.substr(text.size() - c.size()) == c) return c;
  }
  return {};
}

std::string WordSequences::compact_prefix_of(std::string_view text) const {
  for (const auto& c : compact_) {
    if (text.substr(0, c.size()) == c) return c;
  }
  return {};
}

std::vector<std::pair<std::size_t, std::size_t>> WordSequences::spans_in(const std::vector<std::string>& words) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string s = starting_at(words, i, words.size());
    if (s.empty()) continue;
    out.emplace_back(i, i + static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1);
  }
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> WordSequences::compact_spans_in(std::string_view compact) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& c : compact_) {
    for (std::size_t at = compact.find(c); at != std::string_view::npos; at = compact.find(c, at + 1)) {
      out.emplace_back(at, at + c.size());
    }
  }
  return out;
}

}  // namespace broadcaster::keywords
