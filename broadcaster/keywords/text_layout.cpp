// Splitting a text into lines, sentences and clauses (see text_layout.h).
// Boundaries are found on the raw UTF-8 (punctuation is gone after folding);
// each piece is then folded with words().
#include "keywords/text_layout.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "keywords/normalize.h"

namespace broadcaster::keywords {

namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n\f\v");
  return std::string(s.substr(first, last - first + 1));
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string_view::npos ? text.size() : end;
    out.push_back(trim(text.substr(start, stop - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

/// Whether a line introduces a quoted message ("On Tue, Dec 1, ... wrote:",
/// "El mar, 1 dic ... escribió:"), as mail and some SMS apps add to replies.
bool is_reply_header(const std::string& line, const std::vector<std::string>& folded) {
  if (line.empty() || line.back() != ':' || folded.empty()) return false;
  const std::string& last = folded.back();
  return last == "wrote" || last == "escribio" || last == "escribió";
}

enum class Break { None, Clause, Sentence, Question };

/// What code point `c` ends, given its neighbours (a '.' between digits,
/// "10.30", ends nothing; a hyphen ends a clause only with spaces around it).
Break break_at(UChar32 c, UChar32 before, UChar32 after) {
  switch (c) {
    case '.':
      if (u_isdigit(before) && u_isdigit(after)) return Break::None;
      return Break::Sentence;
    case '!':
    case ';':
    case 0x3002:  // 。
    case 0xFF01:  // ！
    case 0xFF0E:  // ．
    case 0x2026:  // …
    case 0x06D4:  // Arabic full stop
    case 0x0964:  // । (danda, used in Punjabi)
      return Break::Sentence;
    case '?':
    case 0xFF1F:  // ？
    case 0x061F:  // ؟
      return Break::Question;
    case ',':
    case 0x060C:  // ،
    case 0xFF0C:  // ，
    case 0x3001:  // 、
    case 0x2013:  // –
    case 0x2014:  // —
      return Break::Clause;
    case '-':
      return before == ' ' && after == ' ' ? Break::Clause : Break::None;
    default:
      return Break::None;
  }
}

/// Whether every word of `raw` starts with an upper-case letter and some
/// letter is lower-case ("Luis", "María José"). An all-capitals tail ("QUIT
/// IT", "NO MORE") is how some people write everything, so it is never taken
/// for a name.
bool capitalised(const std::string& raw) {
  bool at_word_start = true;
  bool any = false;
  bool lower = false;
  const auto* p = reinterpret_cast<const uint8_t*>(raw.data());
  const auto n = static_cast<int32_t>(raw.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c == ' ') {
      at_word_start = true;
      continue;
    }
    if (at_word_start && u_isalpha(c)) {
      if (!u_isupper(c) && !u_istitle(c)) return false;
      any = true;
    } else if (u_islower(c)) {
      lower = true;
    }
    at_word_start = false;
  }
  return any && lower;
}

/// Whether `token` has no lower-case letter: "STOP", "退订", "توقف".
bool without_lower_case(const std::string& token) {
  const auto* p = reinterpret_cast<const uint8_t*>(token.data());
  const auto n = static_cast<int32_t>(token.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (u_islower(c)) return false;
  }
  return true;
}

/// Clause::emphatic for `raw`, whose words() are `count` words: each
/// space-separated token's flag goes to the words it folds into.
std::vector<bool> emphasis(const std::string& raw, std::size_t count) {
  std::vector<bool> out;
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find(' ', start);
    if (end == std::string::npos) end = raw.size();
    const std::string token = raw.substr(start, end - start);
    const std::size_t n = words(token).size();
    out.insert(out.end(), n, without_lower_case(token));
    start = end + 1;
  }
  out.resize(count, false);  // folding can split differently; never claim emphasis then
  return out;
}

/// The sentences of one line.
std::vector<Sentence> split_sentences(const std::string& line) {
  std::vector<Sentence> out;
  Sentence current;
  std::string clause;
  const auto end_clause = [&]() {
    Clause c{trim(clause), words(clause), {}};
    clause.clear();
    if (c.words.empty()) return;
    c.emphatic = emphasis(c.raw, c.words.size());
    current.words.insert(current.words.end(), c.words.begin(), c.words.end());
    if (!current.raw.empty()) current.raw += ", ";
    current.raw += c.raw;
    current.clauses.push_back(std::move(c));
  };
  const auto end_sentence = [&](bool question) {
    end_clause();
    if (current.clauses.empty()) return;
    current.question = question;
    out.push_back(std::move(current));
    current = Sentence();
  };
  const auto* p = reinterpret_cast<const uint8_t*>(line.data());
  const auto n = static_cast<int32_t>(line.size());
  UChar32 before = ' ';
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    UChar32 after = ' ';
    if (i < n) {
      int32_t j = i;
      U8_NEXT(p, j, n, after);
    }
    switch (break_at(c, before, after)) {
      case Break::None:
        clause.append(line, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
        break;
      case Break::Clause:
        end_clause();
        break;
      case Break::Sentence:
        end_sentence(false);
        break;
      case Break::Question:
        end_sentence(true);
        break;
    }
    before = c;
  }
  end_sentence(false);
  return out;
}

}  // namespace

std::vector<std::string> TextLayout::words() const {
  std::vector<std::string> out;
  for (const auto& s : sentences) out.insert(out.end(), s.words.begin(), s.words.end());
  return out;
}

TextLayout lay_out(std::string_view text, const LayoutRules& rules) {
  // Invalid UTF-8 is refused here, once, for the whole text.
  (void)normalize(text);
  TextLayout out;
  bool rest_is_signature = false;
  for (const std::string& line : split_lines(text)) {
    if (line.empty()) continue;
    if (rest_is_signature) {
      out.set_aside.push_back({line, "signature"});
      continue;
    }
    if (line.front() == '>') {
      out.set_aside.push_back({line, "quoted earlier message"});
      continue;
    }
    if (is_reply_header(line, words(line))) {
      out.set_aside.push_back({line, "quoted earlier message"});
      rest_is_signature = true;
      continue;
    }
    bool kept_any = false;
    for (Sentence& s : split_sentences(line)) {
      if (rest_is_signature || (rules.is_signature && rules.is_signature(s.words))) {
        out.set_aside.push_back({s.raw, "signature"});
        rest_is_signature = true;
        continue;
      }
      out.sentences.push_back(std::move(s));
      kept_any = true;
    }
    if (kept_any) out.lines.push_back(line);
  }
  // A trailing name: "STOP. Thanks, Luis" or "Please stop - Maria".
  if (!out.sentences.empty()) {
    Sentence& last = out.sentences.back();
    const Clause& tail = last.clauses.back();
    const bool something_before = last.clauses.size() > 1 || out.sentences.size() > 1;
    if (something_before && tail.words.size() <= 2 && capitalised(tail.raw) &&
        !(rules.is_keyword && rules.is_keyword(tail.words))) {
      out.set_aside.push_back({tail.raw, "trailing name"});
      last.words.resize(last.words.size() - tail.words.size());
      last.clauses.pop_back();
      if (last.clauses.empty()) out.sentences.pop_back();
    }
  }
  return out;
}

}  // namespace broadcaster::keywords
