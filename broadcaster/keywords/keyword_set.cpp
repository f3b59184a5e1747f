// Classification of one inbound text against the loaded keywords (loading
// is in keyword_set_load.cpp). The rules and their order are listed in
// keyword_set.h; each step below says why it is there.
#include "keywords/keyword_set.h"

#include <algorithm>

#include "keywords/edit_distance.h"
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

std::string_view to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::Certain:
      return "certain";
    case Confidence::Probable:
      return "probable";
    case Confidence::Possible:
      return "possible";
  }
  return "certain";
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

Intent KeywordSet::classify(std::string_view text, std::string_view language) const {
  return decide(text, language, nullptr);
}

Explanation KeywordSet::explain(std::string_view text, std::string_view language) const {
  Explanation why;
  try {
    why.normalized = normalize(text);
  } catch (const InvalidText& e) {
    why.notes.push_back(std::string("not readable text: ") + e.what());
  }
  why.intent = decide(text, language, &why);
  return why;
}

namespace {

Intent decided(Action action, std::string language, std::string matched, Confidence confidence, std::string rule) {
  Intent out;
  out.action = action;
  out.language = std::move(language);
  out.matched = std::move(matched);
  out.confidence = confidence;
  out.rule = std::move(rule);
  return out;
}

}  // namespace

Intent KeywordSet::decide(std::string_view text, std::string_view language, Explanation* why) const {
  const auto note = [&](const std::string& line) {
    if (why) why->notes.push_back(line);
  };
  TextLayout layout;
  try {
    LayoutRules rules;
    rules.is_signature = [this](const std::vector<std::string>& w) { return starts_with_signature(w); };
    rules.is_keyword = [this](const std::vector<std::string>& w) { return is_configured(w); };
    layout = lay_out(text, rules);
  } catch (const InvalidText&) {
    // Not text we can read: no keyword in it. The caller still stores the
    // raw message in the inbox for a person to look at.
    return decided(Action::None, "", "", Confidence::Certain, "not readable text");
  }
  if (why) {
    why->lines = layout.lines;
    for (const auto& s : layout.sentences) why->sentences.push_back(join(s.words, 0, s.words.size()));
    for (const auto& part : layout.set_aside) why->set_aside.push_back(part.why + ": " + part.raw);
  }
  const std::vector<std::string> all = layout.words();
  if (all.empty()) return decided(Action::None, "", "", Confidence::Certain, "no words left to read");

  // A. The whole kept text through the keyword rules (E below): a plain
  //    "STOP" is the commonest opt-out of all.
  Intent keyword = classify_words(all);
  if (keyword.action == Action::OptOut) {
    keyword.rule = "opt-out keyword";
    return keyword;
  }

  // B. A sentence or clause that is only an opt-out keyword: "STOP. Thanks,
  //    Luis" and "STOP!! how did you get this number" are opt-outs whatever
  //    else they say.
  const bool several = layout.sentences.size() > 1 || layout.sentences.front().clauses.size() > 1;
  if (several) {
    for (const Sentence& s : layout.sentences) {
      Intent in_sentence = classify_words(s.words);
      if (in_sentence.action == Action::OptOut) {
        in_sentence.rule = "opt-out keyword alone in a sentence";
        return in_sentence;
      }
      if (s.clauses.size() < 2) continue;
      for (const Clause& c : s.clauses) {
        Intent in_clause = classify_words(c.words);
        if (in_clause.action == Action::OptOut) {
          // "Alto, ya no me interesa" -- but also "Cancel, I can't come
          // Tuesday": stopped all the same, and told how to stay.
          in_clause.rule = "opt-out keyword alone in a clause";
          in_clause.confidence = Confidence::Probable;
          return in_clause;
        }
      }
    }
  }

  // C. Phrases. The strongest unnegated, unscoped match decides; a sentence
  //    with a question about stopping in it makes its other matches only
  //    possible ("how do I stop these texts?").
  const PhraseMatch* probable = nullptr;
  const PhraseMatch* possible = nullptr;
  const PhraseMatch* scoped = nullptr;
  std::vector<std::vector<PhraseMatch>> found;
  found.reserve(layout.sentences.size());
  for (const Sentence& s : layout.sentences) found.push_back(find_phrases(s));
  for (std::size_t si = 0; si < found.size(); ++si) {
    const auto& matches = found[si];
    const bool asked_as_question = layout.sentences[si].question;
    const bool question = std::any_of(matches.begin(), matches.end(), [](const PhraseMatch& m) {
      return !m.negated && m.phrase->strength == Confidence::Possible;
    });
    for (const PhraseMatch& m : matches) {
      const std::string quoted = "'" + m.phrase->text + "'";
      if (m.negated) {
        note(quoted + " follows the negation '" + m.negation + "': not an opt-out");
        continue;
      }
      if (!m.scope_language.empty()) {
        note(quoted + " is about messages in '" + m.scope_language + "': a language change");
        if (!scoped) scoped = &m;
        continue;
      }
      // A probable phrase asked as a question ("Is the wrong number on the
      // flyer?") only might be an opt-out.
      const bool asked = asked_as_question && m.phrase->strength == Confidence::Probable;
      if (question || asked || m.phrase->strength == Confidence::Possible) {
        if (m.phrase->strength != Confidence::Possible) {
          note(quoted + (asked ? " is asked as a question" : " is inside a question about stopping"));
        }
        if (!possible || m.phrase->strength == Confidence::Possible) possible = &m;
        continue;
      }
      if (m.phrase->strength == Confidence::Certain) {
        return decided(Action::OptOut, m.phrase->language, m.phrase->text, Confidence::Certain, "opt-out phrase");
      }
      if (!probable) probable = &m;
    }
  }
  if (probable) {
    return decided(Action::OptOut, probable->phrase->language, probable->phrase->text, Confidence::Probable,
                   "probable opt-out phrase");
  }

  // D. One word a thumb away from an opt-out keyword.
  {
    std::vector<const std::vector<std::string>*> lone{&all};
    for (const Sentence& s : layout.sentences) {
      lone.push_back(&s.words);
      for (const Clause& c : s.clauses) lone.push_back(&c.words);
    }
    for (const auto* w : lone) {
      if (const std::string target = typo_of(*w); !target.empty()) {
        Intent out = decided(Action::OptOut, "", target, Confidence::Probable,
                             "one letter away from the opt-out keyword '" + target + "'");
        for (const auto& [word, lang] : typo_targets_) {
          if (word == target) out.language = lang;
        }
        return out;
      }
    }
  }

  // E. Other keywords of the whole text (JOIN, HELP, a language, topics).
  if (keyword.action != Action::None) {
    keyword.rule = std::string(to_string(keyword.action)) + " keyword";
    return keyword;
  }
  //    ... or of its first sentence, when more follows ("START. I stopped
  //    by mistake"). An everyday word there ("Yes. What time is it?") may
  //    answer something else: only probable, so staff see it.
  if (layout.sentences.size() > 1) {
    Intent first = classify_words(layout.sentences.front().words);
    // "Join? When does it end?": an opt-out word after it contradicts it;
    // a person decides.
    bool contradicted = false;
    for (std::size_t si = 1; si < layout.sentences.size() && !contradicted; ++si) {
      const auto& w = layout.sentences[si].words;
      for (std::size_t i = 0; i < w.size() && !contradicted; ++i) {
        const std::size_t n = match_at(keywords_, w, i);
        contradicted = n != 0 && keywords_.at(join(w, i, i + n)).action == Action::OptOut;
      }
    }
    if (first.action != Action::None && contradicted) {
      return decided(Action::None, first.language, first.matched, Confidence::Possible,
                     "a keyword contradicted by an opt-out word later in the text");
    }
    if (first.action != Action::None) {
      const auto it = keywords_.find(first.matched);
      const bool everyday = it != keywords_.end() && it->second.exact;
      first.confidence = everyday ? Confidence::Probable : Confidence::Certain;
      first.rule = std::string(to_string(first.action)) + " keyword alone in the first sentence";
      return first;
    }
  }

  // F. "Stop sending me Spanish": which language do they want instead?
  if (scoped) {
    std::string target;
    for (const std::string& named : languages_named(layout.sentences)) {
      if (named != scoped->scope_language) {
        target = named;
        break;
      }
    }
    Confidence confidence = Confidence::Certain;
    if (target.empty()) {
      confidence = Confidence::Probable;
      if (!scoped->phrase->language.empty() && scoped->phrase->language != scoped->scope_language) {
        target = scoped->phrase->language;
      } else if (!language.empty() && language != scoped->scope_language) {
        target = std::string(language);
      }
    }
    if (target.empty()) {
      return decided(Action::None, scoped->phrase->language, scoped->phrase->text, Confidence::Possible,
                     "asks to stop messages in one language without saying which instead");
    }
    Intent out = decided(Action::Language, scoped->phrase->language, scoped->phrase->text, confidence,
                         "asks to stop messages in '" + scoped->scope_language + "'");
    out.switch_to = target;
    return out;
  }

  // F2. "Mándenlos en español": no stop, but a language asked for.
  for (const Sentence& s : layout.sentences) {
    if (std::string wanted = language_requested(s); !wanted.empty()) {
      Intent out = decided(Action::Language, "", wanted, Confidence::Certain, "asks for messages in '" + wanted + "'");
      out.switch_to = std::move(wanted);
      return out;
    }
  }

  // G. A question about stopping: staff answer it. "What happens if I
  //    reply STOP?" asks about the keyword without using it.
  if (possible) {
    return decided(Action::None, possible->phrase->language, possible->phrase->text, Confidence::Possible,
                   "a question about stopping");
  }
  for (const Sentence& s : layout.sentences) {
    if (std::string asked = keyword_in_question(s); !asked.empty()) {
      return decided(Action::None, "", std::move(asked), Confidence::Possible, "a question about the opt-out keyword");
    }
  }

  // H. A conversation.
  return decided(Action::None, "", "", Confidence::Certain, "no keyword or opt-out phrase");
}

std::vector<KeywordSet::PhraseMatch> KeywordSet::find_phrases(const Sentence& sentence) const {
  std::vector<PhraseMatch> out;
  const std::vector<std::string>& w = sentence.words;
  // The clause of each word: negations and language names count only in the
  // phrase's own clause ("No, dejen de mandarme" is an opt-out).
  std::vector<std::size_t> clause_start(w.size());
  std::vector<std::size_t> clause_end(w.size());
  {
    std::size_t i = 0;
    for (const Clause& c : sentence.clauses) {
      for (std::size_t k = 0; k < c.words.size(); ++k) {
        clause_start[i + k] = i;
        clause_end[i + k] = i + c.words.size();
      }
      i += c.words.size();
    }
  }
  const auto traps = traps_.spans_in(w);
  const auto in_trap = [&](std::size_t begin, std::size_t end) {
    return std::any_of(traps.begin(), traps.end(), [&](const auto& t) { return t.first < end && begin < t.second; });
  };
  // The longest phrase at each word, and none inside an earlier one:
  // "stop sending me messages in Spanish" is one request about Spanish, not
  // also a plain "stop sending".
  std::size_t covered = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::string key;
    const Phrase* longest = nullptr;
    std::size_t end = 0;
    for (std::size_t k = 1; k <= max_phrase_words_ && i + k <= w.size(); ++k) {
      if (k > 1) key += ' ';
      key += w[i + k - 1];
      if (const auto it = phrases_.find(key); it != phrases_.end()) {
        longest = &it->second;
        end = i + k;
      }
    }
    if (!longest || end <= covered) continue;
    covered = end;
    if (in_trap(i, end)) continue;  // "bus stop na po ako"
    PhraseMatch m;
    m.phrase = longest;
    m.begin = i;
    m.end = end;
    m.negation = negations_.ending_at(w, i, clause_start[i]);
    if (m.negation.empty()) m.negation = negations_after_.starting_at(w, end, clause_end[i]);
    m.negated = !m.negation.empty();
    // "stop sending me Spanish", "... messages in Spanish", "English vich
    // message band karo": a language name in the phrase's clause, within
    // three words before it or anywhere after it.
    for (std::size_t back = 1; back <= 3 && i >= clause_start[i] + back && m.scope_language.empty(); ++back) {
      m.scope_language = language_name_at(w, i - back);
    }
    for (std::size_t j = end; j < clause_end[i] && m.scope_language.empty(); ++j) {
      m.scope_language = language_name_at(w, j);
    }
    out.push_back(std::move(m));
  }
  if (substring_phrases_.empty()) return out;
  for (const Clause& c : sentence.clauses) {
    std::string compact;
    for (const auto& word : c.words) compact += word;
    const auto clause_traps = traps_.compact_spans_in(compact);
    for (const auto& [needle, phrase] : substring_phrases_) {
      // Every occurrence: one that is not negated or inside a trap decides
      // ("不要停止发送，停止发送！" still asks to stop).
      PhraseMatch m;
      for (std::size_t at = compact.find(needle); at != std::string::npos; at = compact.find(needle, at + 1)) {
        const std::size_t end = at + needle.size();
        if (std::any_of(clause_traps.begin(), clause_traps.end(),
                        [&](const auto& t) { return t.first < end && at < t.second; })) {
          continue;
        }
        m = PhraseMatch();
        m.phrase = &phrase;
        m.negation = negations_.compact_suffix_of(std::string_view(compact).substr(0, at));
        if (m.negation.empty()) m.negation = negations_after_.compact_prefix_of(std::string_view(compact).substr(end));
        m.negated = !m.negation.empty();
        // The language name nearest before the phrase, else the first after
        // it: "영어로 보내지 마시고 한국어로 보내주세요" is about English.
        std::size_t best_before = std::string::npos;
        std::size_t best_after = std::string::npos;
        std::string before_target;
        std::string after_target;
        for (const auto& [name, target] : substring_language_names_) {
          for (std::size_t p = compact.find(name); p != std::string::npos; p = compact.find(name, p + 1)) {
            if (p + name.size() <= at && (best_before == std::string::npos || p > best_before)) {
              best_before = p;
              before_target = target;
            } else if (p >= end && (best_after == std::string::npos || p < best_after)) {
              best_after = p;
              after_target = target;
            }
          }
        }
        m.scope_language = !before_target.empty() ? before_target : after_target;
        if (!m.negated) break;
      }
      if (m.phrase) out.push_back(std::move(m));
    }
  }
  return out;
}

std::string KeywordSet::language_requested(const Sentence& sentence) const {
  if (language_requests_.empty()) return {};
  for (const Clause& c : sentence.clauses) {
    auto spans = language_requests_.spans_in(c.words);
    // "Đừng gửi tiếng Anh": a negated request names what is not wanted.
    spans.erase(std::remove_if(spans.begin(), spans.end(),
                               [&](const auto& sp) { return !negations_.ending_at(c.words, sp.first, 0).empty(); }),
                spans.end());
    if (!spans.empty()) {
      // The nearest name after the request, else before it.
      for (std::size_t j = spans.front().second; j < c.words.size(); ++j) {
        if (std::string named = language_name_at(c.words, j); !named.empty()) return named;
      }
      for (std::size_t j = spans.front().first; j-- > 0;) {
        if (std::string named = language_name_at(c.words, j); !named.empty()) return named;
      }
    }
    std::string compact;
    for (const auto& word : c.words) compact += word;
    auto compact_spans = language_requests_.compact_spans_in(compact);
    compact_spans.erase(std::remove_if(compact_spans.begin(), compact_spans.end(),
                                       [&](const auto& sp) {
                                         return !negations_.compact_suffix_of(compact.substr(0, sp.first)).empty();
                                       }),
                        compact_spans.end());
    if (compact_spans.empty() && spans.empty()) continue;
    std::size_t best = std::string::npos;
    std::string target;
    for (const auto& [name, code] : substring_language_names_) {
      if (const std::size_t p = compact.find(name); p != std::string::npos && p < best) {
        best = p;
        target = code;
      }
    }
    if (!target.empty()) return target;
  }
  return {};
}

std::vector<std::string> KeywordSet::languages_named(const std::vector<Sentence>& sentences) const {
  std::vector<std::string> out;
  for (const Sentence& s : sentences) {
    for (std::size_t i = 0; i < s.words.size(); ++i) {
      if (std::string named = language_name_at(s.words, i); !named.empty()) out.push_back(std::move(named));
    }
    if (substring_language_names_.empty()) continue;
    std::string compact;
    for (const auto& word : s.words) compact += word;
    std::vector<std::pair<std::size_t, std::string>> found;
    for (const auto& [name, target] : substring_language_names_) {
      if (const std::size_t p = compact.find(name); p != std::string::npos) found.emplace_back(p, target);
    }
    std::sort(found.begin(), found.end());
    for (auto& [pos, target] : found) out.push_back(std::move(target));
  }
  return out;
}

std::string KeywordSet::keyword_in_question(const Sentence& sentence) const {
  if (!sentence.question) return {};
  for (const Clause& c : sentence.clauses) {
    for (std::size_t i = 0; i < c.words.size(); ++i) {
      const std::size_t n = match_at(keywords_, c.words, i);
      if (n == 0) continue;
      const std::string key = join(c.words, i, i + n);
      if (keywords_.at(key).action != Action::OptOut) continue;
      const bool quoted =
          std::all_of(c.emphatic.begin() + static_cast<std::ptrdiff_t>(i),
                      c.emphatic.begin() + static_cast<std::ptrdiff_t>(i + n), [](bool e) { return e; });
      if (quoted) return key;
    }
    std::string compact;
    for (const auto& word : c.words) compact += word;
    for (const auto& k : substring_opt_out_keywords_) {
      if (compact.find(k) != std::string::npos) return k;
    }
  }
  return {};
}

std::vector<std::string> KeywordSet::trim_polite(const std::vector<std::string>& w) const {
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
  std::vector<std::string> core(w.begin() + static_cast<std::ptrdiff_t>(begin),
                                w.begin() + static_cast<std::ptrdiff_t>(end));
  // Scripts without spaces glue polite words on: "退订谢谢", "请退订".
  if (core.size() == 1 && written_without_spaces(core.front()) && keywords_.count(core.front()) == 0) {
    std::string& word = core.front();
    for (bool trimmed = true; trimmed && !word.empty();) {
      trimmed = false;
      for (const std::string& p : polite_) {
        if (p.size() >= word.size() || p.find(' ') != std::string::npos || !written_without_spaces(p)) continue;
        if (word.compare(0, p.size(), p) == 0) {
          word.erase(0, p.size());
          trimmed = true;
        } else if (word.compare(word.size() - p.size(), p.size(), p) == 0) {
          word.erase(word.size() - p.size());
          trimmed = true;
        }
      }
    }
  }
  return core;
}

std::string KeywordSet::typo_of(const std::vector<std::string>& words) const {
  const std::vector<std::string> core = trim_polite(words);
  if (core.size() != 1) return {};
  const std::string& word = core.front();
  if (code_points(word) < 4 || is_configured(core) || not_typos_.count(word) != 0) return {};
  for (const auto& [target, language] : typo_targets_) {
    if (within_one_edit(word, target)) return target;
  }
  return {};
}

bool KeywordSet::starts_with_signature(const std::vector<std::string>& words) const {
  if (!signatures_.starting_at(words, 0, words.size()).empty()) return true;
  std::string compact;
  for (const auto& w : words) compact += w;
  return !signatures_.compact_prefix_of(compact).empty();
}

bool KeywordSet::is_configured(const std::vector<std::string>& words) const {
  const std::string key = join(words, 0, words.size());
  return keywords_.count(key) != 0 || polite_.count(key) != 0 || remove_.count(key) != 0;
}

std::string KeywordSet::language_name_at(const std::vector<std::string>& words, std::size_t pos) const {
  std::string key;
  std::string found;
  for (std::size_t n = 1; n <= max_words_ && pos + n <= words.size(); ++n) {
    if (n > 1) key += ' ';
    key += words[pos + n - 1];
    const auto it = keywords_.find(key);
    // Names only: codes ("en", "es") are everyday words in too many languages.
    if (it != keywords_.end() && it->second.action == Action::Language && key != it->second.target) {
      found = it->second.target;
    }
  }
  return found;
}

Intent KeywordSet::classify_words(const std::vector<std::string>& w) const {
  if (w.empty()) return {};

  // E.1 Set aside polite words at both ends ("stop please", "gracias").
  //     A keyword that ends in a word also used politely is kept whole:
  //     Tagalog "ayaw ko na po" is the keyword "ayaw ko na" + "po", although
  //     "na" alone is set aside elsewhere ("tigil na po").
  std::vector<std::string> core = trim_polite(w);
  if (core.empty()) return {};  // only "thanks": nothing asked
  if (keywords_.count(join(core, 0, core.size())) == 0) {
    std::size_t begin = 0;
    while (begin < w.size()) {
      const std::size_t n = match_at(polite_, w, begin);
      if (n == 0) break;
      begin += n;
    }
    // A keyword is at most max_words_ long: only those ends can close one.
    for (std::size_t end = std::min(w.size(), begin + max_words_); end > begin; --end) {
      if (keywords_.count(join(w, begin, end)) == 0) continue;
      if (trim_polite(std::vector<std::string>(w.begin() + static_cast<std::ptrdiff_t>(end), w.end())).empty()) {
        core.assign(w.begin() + static_cast<std::ptrdiff_t>(begin), w.begin() + static_cast<std::ptrdiff_t>(end));
      }
      break;
    }
  }

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

  // E.2 "REMOVE FRESNO": a remove word, then only topics. Checked before the
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

  // E.3 The whole message is one keyword, maybe repeated ("stop stop"). This
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

  // E.4 An opt-out keyword followed only by opt-out or topic keywords
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

  // E.5 Only topics ("FRESNO DACA"): subscribe to those tags.
  if (all_known && all_of(tokens, 0, [&](const Token& t) { return is(t, Action::Topics); })) {
    return topics_intent(tokens, &Intent::add_tags);
  }

  // E.6 "JOIN ES FRESNO": an opt-in word first; then languages and topics,
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

  // E.7 Anything else is a conversation: no action.
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
