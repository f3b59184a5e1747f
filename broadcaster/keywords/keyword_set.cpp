// Classification of one inbound text against the loaded keywords (loading
// is in keyword_set_load.cpp). The rules and their order are listed in
// keyword_set.h; each step below says why it is there.
#include "keywords/keyword_set.h"

#include <algorithm>

#include "keywords/normalize.h"

namespace broadcaster::keywords {

namespace {

std::string join(const std::vector<std::string>& words, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) out += ' ';
    out += words[i];
  }
  return out;
}

/// Whether `needle` occurs in `haystack` as a run of whole words.
bool contains_words(const std::vector<std::string>& haystack, const std::vector<std::string>& needle) {
  if (needle.empty() || needle.size() > haystack.size()) return false;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::string_view to_string(Action action) {
  switch (action) {
    case Action::None:
      return "none";
    case Action::OptOut:
      return "opt_out";
    case Action::OptIn:
      return "opt_in";
    case Action::Help:
      return "help";
    case Action::Language:
      return "language";
    case Action::Topics:
      return "topics";
  }
  return "none";
}

template <class Table>
std::size_t KeywordSet::match_at(const Table& table, const std::vector<std::string>& words, std::size_t pos) const {
  std::size_t best = 0;
  std::string key;
  for (std::size_t n = 1; n <= max_words_ && pos + n <= words.size(); ++n) {
    if (n > 1) key += ' ';
    key += words[pos + n - 1];
    if (table.count(key) != 0) best = n;
  }
  return best;
}

Intent KeywordSet::classify(std::string_view text) const {
  std::vector<std::string> folded;
  try {
    folded = words(text);
  } catch (const InvalidText&) {
    // Not text we can read: no keyword in it. The caller still stores the
    // raw message in the inbox for a person to look at.
    return {};
  }
  return classify_words(folded);
}

Intent KeywordSet::classify_words(const std::vector<std::string>& w) const {
  if (w.empty()) return {};

  // 1. Opt-out phrases anywhere: the FCC's "any reasonable means" makes
  //    "Please stop texting me." a revocation even though it is not a
  //    keyword. Phrases are several words (load() refuses single words,
  //    which would match "stop" in "can you stop by"), or substrings in
  //    scripts written without spaces.
  std::string compact;
  for (const auto& word : w) compact += word;
  for (const Phrase& p : phrases_) {
    const bool hit = p.substring ? compact.find(p.compact) != std::string::npos : contains_words(w, p.words);
    if (hit) {
      Intent out;
      out.action = Action::OptOut;
      out.language = p.language;
      out.matched = p.text;
      return out;
    }
  }

  // 2. Set aside polite words at both ends ("stop please", "gracias").
  std::size_t begin = 0;
  std::size_t end = w.size();
  while (begin < end) {
    const std::size_t n = match_at(polite_, w, begin);
    if (n == 0 || begin + n > end) break;
    begin += n;
  }
  // Polite words at the end: only the last max_words_ words can end one, so
  // each step looks at those alone (linear in the text, however long).
  for (bool trimmed = true; trimmed && begin < end;) {
    trimmed = false;
    for (std::size_t start = end - std::min(end - begin, max_words_); start < end; ++start) {
      const std::size_t n = match_at(polite_, w, start);
      if (n != 0 && start + n == end) {
        end = start;
        trimmed = true;
        break;
      }
    }
  }
  if (begin >= end) return {};  // only "thanks": nothing asked
  const std::vector<std::string> core(w.begin() + static_cast<std::ptrdiff_t>(begin),
                                      w.begin() + static_cast<std::ptrdiff_t>(end));

  // Split the rest into configured keywords (longest match first) and
  // unknown words.
  struct Token {
    const Meaning* meaning = nullptr;  // null: polite or unknown word
    bool polite = false;
    std::string key;
  };
  const auto tokenize = [&](std::size_t from) {
    std::vector<Token> tokens;
    for (std::size_t i = from; i < core.size();) {
      Token t;
      std::size_t n = match_at(keywords_, core, i);
      if (n != 0) {
        t.key = join(core, i, i + n);
        t.meaning = &keywords_.at(t.key);
      } else if ((n = match_at(polite_, core, i)) != 0) {
        t.polite = true;
        t.key = join(core, i, i + n);
      } else {
        n = 1;
        t.key = core[i];
      }
      tokens.push_back(std::move(t));
      i += n;
    }
    return tokens;
  };
  const auto is = [](const Token& t, Action a) { return t.meaning && t.meaning->action == a; };
  const auto all_of = [](const std::vector<Token>& tokens, std::size_t from, auto pred) {
    return std::all_of(tokens.begin() + static_cast<std::ptrdiff_t>(from), tokens.end(),
                       [&](const Token& t) { return t.polite || pred(t); });
  };
  const auto shared_language = [](const std::vector<Token>& tokens) {
    std::string language;
    bool first = true;
    for (const Token& t : tokens) {
      if (!t.meaning) continue;
      if (first) language = t.meaning->language;
      if (!first && language != t.meaning->language) return std::string();
      first = false;
    }
    return language;
  };
  // A topics intent naming every topic in `tokens`, as tags to add or remove.
  const auto topics_intent = [&](const std::vector<Token>& tokens, std::vector<std::string> Intent::*tags) {
    Intent out;
    out.action = Action::Topics;
    out.language = shared_language(tokens);
    for (const Token& t : tokens) {
      if (t.meaning) (out.*tags).push_back(t.meaning->target);
    }
    sort_unique(out.*tags);
    out.matched = join(core, 0, core.size());
    return out;
  };

  // 3. "REMOVE FRESNO": a remove word, then only topics. Checked before the
  //    opt-out rules because a remove word may also be an opt-out keyword
  //    on its own (REMOVE alone is on AWS's opt-out list).
  if (const std::size_t n = match_at(remove_, core, 0); n != 0 && n < core.size()) {
    const std::vector<Token> rest = tokenize(n);
    if (all_of(rest, 0, [&](const Token& t) { return is(t, Action::Topics); })) {
      return topics_intent(rest, &Intent::remove_tags);
    }
  }

  const std::vector<Token> tokens = tokenize(0);
  const Token& first = tokens.front();
  const bool all_known = all_of(tokens, 0, [](const Token& t) { return t.meaning != nullptr; });

  // 4. The whole message is one keyword, maybe repeated ("stop stop"). This
  //    is the only way a single keyword matches: never inside a longer text
  //    ("Stopwatch", "when does it end?", "don't stop").
  if (all_known && first.meaning) {
    const Meaning& m = *first.meaning;
    if (all_of(tokens, 0,
               [&](const Token& t) { return t.meaning->action == m.action && t.meaning->target == m.target; })) {
      Intent out;
      out.action = m.action;
      out.language = m.language;
      if (m.action == Action::Language) out.switch_to = m.target;
      if (m.action == Action::Topics) out.add_tags.push_back(m.target);
      out.matched = first.key;
      return out;
    }
  }

  // 5. An opt-out keyword followed only by opt-out or topic keywords
  //    ("UNSUBSCRIBE STOP", "STOP DACA"): a stop request, even
  //    when it names a topic; the sender must stop.
  if (all_known && is(first, Action::OptOut) &&
      all_of(tokens, 1, [&](const Token& t) { return is(t, Action::OptOut) || is(t, Action::Topics); })) {
    Intent out;
    out.action = Action::OptOut;
    out.language = first.meaning->language;
    out.matched = first.key;
    return out;
  }

  // 6. Only topics ("FRESNO DACA"): subscribe to those tags.
  if (all_known && all_of(tokens, 0, [&](const Token& t) { return is(t, Action::Topics); })) {
    return topics_intent(tokens, &Intent::add_tags);
  }

  // 7. "JOIN ES FRESNO": an opt-in word first; then languages and topics,
  //    other words ignored, except after opt_in_exact words (YES, SÍ,
  //    START), which are also everyday words: "Si no puedo ir" means "if I
  //    cannot go", and must not re-subscribe anyone. An opt-out keyword
  //    among them contradicts the opt-in: if nothing but opt-out keywords
  //    follow ("YES STOP") the stop wins, otherwise ("join? when does it
  //    end?") a person decides.
  if (is(first, Action::OptIn)) {
    Intent out;
    out.action = Action::OptIn;
    out.language = first.meaning->language;
    out.matched = first.key;
    const Token* opt_out = nullptr;
    const Token* language_name = nullptr;  // "español", "spanish"
    const Token* language_code = nullptr;  // "es": also a Spanish word ("en" = in)
    bool only_opt_out = true;
    for (std::size_t i = 1; i < tokens.size(); ++i) {
      const Token& t = tokens[i];
      if (t.polite) continue;
      if (is(t, Action::OptOut)) {
        if (!opt_out) opt_out = &t;
        continue;
      }
      only_opt_out = false;
      // "Si no puedo ir?": an everyday word first, then ordinary words.
      if (first.meaning->exact && !is(t, Action::Language) && !is(t, Action::Topics)) return {};
      if (is(t, Action::Language)) {
        const Token*& slot = t.key == t.meaning->target ? language_code : language_name;
        if (!slot) slot = &t;
      }
      if (is(t, Action::Topics)) out.add_tags.push_back(t.meaning->target);
    }
    if (opt_out) {
      if (!only_opt_out) return {};
      Intent stop;
      stop.action = Action::OptOut;
      stop.language = opt_out->meaning->language;
      stop.matched = opt_out->key;
      return stop;
    }
    // A name beats a code: "Únete en español" is Spanish although "en" is
    // the code of English.
    if (const Token* l = language_name ? language_name : language_code) {
      out.switch_to = l->meaning->target;
    }
    sort_unique(out.add_tags);
    return out;
  }

  // 8. Anything else is a conversation: no action.
  return {};
}

std::vector<std::string> KeywordSet::languages() const {
  std::vector<std::string> out;
  out.reserve(native_names_.size());
  for (const auto& [code, name] : native_names_) out.push_back(code);
  return out;
}

std::string KeywordSet::native_name(const std::string& language) const {
  const auto it = native_names_.find(language);
  return it == native_names_.end() ? std::string() : it->second;
}

}  // namespace broadcaster::keywords
