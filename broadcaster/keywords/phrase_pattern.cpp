// Expansion of phrase patterns (syntax in phrase_pattern.h) by recursive
// descent: a sequence is a run of items (word, group, optional, class), each
// item a set of alternatives; the sequence's expansions are the products.
#include "keywords/phrase_pattern.h"

#include <set>

namespace broadcaster::keywords {

namespace {

class Expander {
 public:
  Expander(std::string_view text, const WordClasses* classes, std::size_t limit, std::size_t base)
      : text_(text), classes_(classes), limit_(limit), base_(base) {}

  /// The whole pattern.
  std::vector<std::string> all() {
    std::vector<std::string> out = sequence();
    if (pos_ < text_.size()) fail(pos_, std::string("unexpected '") + text_[pos_] + "'");
    return out;
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& why) const { throw PatternError(base_ + at, why); }

  /// Items up to ')' ']' '|' or the end.
  std::vector<std::string> sequence() {
    std::vector<std::string> acc{""};
    while (true) {
      skip_spaces();
      if (pos_ >= text_.size() || text_[pos_] == ')' || text_[pos_] == ']' || text_[pos_] == '|') break;
      acc = product(acc, item());
    }
    return acc;
  }

  std::vector<std::string> item() {
    const char c = text_[pos_];
    if (c == '(' || c == '[') return group(c == '[');
    if (c == '{') return word_class();
    if (c == '}') fail(pos_, "'}' without '{'");
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !is_special(text_[pos_]) && text_[pos_] != ' ') ++pos_;
    return {std::string(text_.substr(start, pos_ - start))};
  }

  std::vector<std::string> group(bool optional) {
    const std::size_t open = pos_;
    const char close = optional ? ']' : ')';
    ++pos_;
    std::vector<std::string> options;
    if (optional) options.emplace_back();
    while (true) {
      const std::size_t alt_start = pos_;
      std::vector<std::string> alt = sequence();
      if (alt.size() == 1 && alt.front().empty()) fail(alt_start, "empty alternative");
      options.insert(options.end(), alt.begin(), alt.end());
      check_limit(options.size(), open);
      if (pos_ >= text_.size()) fail(open, std::string("'") + text_[open] + "' is not closed");
      if (text_[pos_] == '|') {
        ++pos_;
        continue;
      }
      if (text_[pos_] != close) fail(pos_, std::string("expected '") + close + "' to close the '" + text_[open] + "'");
      ++pos_;
      return options;
    }
  }

  std::vector<std::string> word_class() {
    const std::size_t open = pos_;
    const std::size_t end = text_.find('}', pos_);
    if (end == std::string_view::npos) fail(open, "'{' is not closed");
    const std::string name(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    if (classes_ == nullptr) fail(open, "a word class entry cannot use another class ({" + name + "})");
    const auto it = classes_->find(name);
    if (it == classes_->end()) fail(open, "unknown word class {" + name + "}");
    std::vector<std::string> out;
    for (const std::string& entry : it->second) {
      // Offsets inside a class entry point at the class use.
      std::vector<std::string> spelled;
      try {
        spelled = Expander(entry, nullptr, limit_, 0).all();
      } catch (const PatternError& e) {
        fail(open, "in word class {" + name + "} entry '" + entry + "': " + e.what());
      }
      out.insert(out.end(), spelled.begin(), spelled.end());
      check_limit(out.size(), open);
    }
    return out;
  }

  std::vector<std::string> product(const std::vector<std::string>& left, const std::vector<std::string>& right) {
    check_limit(left.size() * right.size(), pos_);
    std::vector<std::string> out;
    out.reserve(left.size() * right.size());
    for (const auto& l : left) {
      for (const auto& r : right) {
        if (l.empty()) {
          out.push_back(r);
        } else if (r.empty()) {
          out.push_back(l);
        } else {
          out.push_back(l + ' ' + r);
        }
      }
    }
    return out;
  }

  void check_limit(std::size_t n, std::size_t at) const {
    if (n > limit_) fail(at, "expands to more than " + std::to_string(limit_) + " phrases: split it into several");
  }

  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  static bool is_special(char c) {
    return c == '(' || c == ')' || c == '[' || c == ']' || c == '|' || c == '{' || c == '}';
  }

  std::string_view text_;
  const WordClasses* classes_;
  std::size_t limit_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<std::string> expand_pattern(std::string_view pattern, const WordClasses& classes, std::size_t limit) {
  std::vector<std::string> spelled = Expander(pattern, &classes, limit, 0).all();
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto& s : spelled) {
    if (s.empty()) continue;  // "[a]" alone: nothing to match
    if (seen.insert(s).second) out.push_back(std::move(s));
  }
  if (out.empty()) throw PatternError(0, "the pattern spells no words");
  return out;
}

}  // namespace broadcaster::keywords
