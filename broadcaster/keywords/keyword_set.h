// The keyword engine: turns one inbound text ("STOP", "ÚNETE ES FRESNO",
// "ya no quiero mensajes", "中文") into an Intent, from config/keywords.yaml.
// Pure and I/O-free after load(); the webhook server and the Redis side act
// on the Intent.
//
// Design: load() folds every configured keyword with normalize.h's rules and
// keys it by its words joined with one space, so matching is exact lookups
// of word sequences; phrase patterns (phrase_pattern.h) are expanded once
// into a table of word sequences, so a text costs a few hash lookups per
// word whatever the size of the grammar. A text is first laid out
// (text_layout.h: lines, sentences, clauses, signatures and quotes set
// aside), then the rules below run in order; the first that decides wins.
//
// Each decision carries a confidence and the rule that made it:
//   certain  - acted on as asked;
//   probable - acted on (an opt-out stops messages: the FCC's revocation rule,
//              47 CFR 64.1200(a)(10), puts the risk on keeping on sending),
//              with a confirmation that says how to stay subscribed, and
//              flagged for staff;
//   possible - not acted on, flagged for staff (a question about stopping).
//
// Rules, in priority order (also next to the code in keyword_set.cpp):
//  A. The whole kept text is one opt-out keyword, maybe repeated, with
//     polite words ("STOP", "stop please") -> OptOut, certain.
//  B. A sentence is one ("STOP!! how did you get this number") -> OptOut,
//     certain: what follows a plain STOP does not take it back; a clause is
//     one ("Alto, ya no me interesa", but also "Cancel, I can't come") ->
//     OptOut, probable.
//  C. Opt-out phrases anywhere in a sentence (whole words; substrings in
//     scripts without spaces): opt_out_phrases -> certain, opt_out_probable
//     -> probable. Not when a negation comes right before ("don't stop
//     texting me"), not when a language name follows ("stop sending me
//     Spanish": a language change, rule F), and only possible when the
//     sentence is a question about stopping (opt_out_questions).
//  D. The kept text, a sentence or a clause is one word within one edit of
//     an opt-out keyword of four or more letters ("stopp", "unsubscirbe")
//     and is no configured word -> OptOut, probable. Typos never widen a
//     phrase.
//  E. The keyword rules for the whole kept text, in order:
//     1. Polite words at either end are set aside ("por favor alto").
//     2. A remove word followed only by topic keywords ("REMOVE FRESNO")
//        -> Topics with remove_tags.
//     3. The whole rest is one keyword, possibly repeated -> its intent.
//        Single keywords never match inside a longer text: "Stopwatch",
//        "what time does the workshop end?" are not opt-outs.
//     4. An opt-out keyword followed only by opt-out or topic keywords
//        ("UNSUBSCRIBE STOP", "STOP DACA") -> OptOut.
//     5. Only topic keywords ("FRESNO DACA") -> Topics with add_tags.
//     6. First an opt-in keyword, then any words: a language sets
//        switch_to (a name before a code: "ÚNETE EN ESPAÑOL" is Spanish
//        although EN is a code), topics add tags, unknown words are ignored
//        -> OptIn. opt_in_exact words (YES, START, SÍ = "if") accept only
//        languages, topics and polite words after them, so "Si no puedo
//        ir?" does not re-subscribe anyone. An opt-out keyword among the
//        words: only opt-out keywords after it ("YES STOP") -> OptOut,
//        otherwise -> None for a person to read.
//  F. An opt-out phrase about a language ("stop sending me messages in
//     Spanish, English please") -> Language: the other language named, else
//     the language the request is written in (probable), else possible.
//  F2. A request for a language ("send it in Korean", "Пишите на русском")
//     -> Language: the language named in the request's clause.
//  G. A question about stopping ("how do I unsubscribe?") -> None, possible.
//  H. Anything else -> None (the caller keeps it in the inbox).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "keywords/text_layout.h"
#include "keywords/word_sequences.h"

namespace broadcaster::keywords {

/// What an inbound text asks for.
enum class Action { None, OptOut, OptIn, Help, Language, Topics };

/// "none", "opt_out", "opt_in", "help", "language", "topics" (for logs and
/// the consent log).
std::string_view to_string(Action action);

/// How sure a decision is (see the top of this file).
enum class Confidence { Certain, Probable, Possible };

/// "certain", "probable", "possible".
std::string_view to_string(Confidence confidence);

/// The classification of one inbound text.
struct Intent {
  Action action = Action::None;
  /// Language of the matched keyword ("es" for ALTO); "" when unknown or when
  /// the keyword is configured in several languages (STOP, EN, FRESNO).
  std::string language;
  /// Language: the language asked for; OptIn: the language named after the
  /// opt-in word ("JOIN ES" -> "es"), else "".
  std::string switch_to;
  /// OptIn / Topics: tags to add (sorted, unique, lower-case).
  std::vector<std::string> add_tags;
  /// Topics: tags to remove (sorted, unique, lower-case).
  std::vector<std::string> remove_tags;
  /// The normalized keyword or phrase that decided it ("stop", "no more
  /// messages", "join"), for the consent log; "" for None.
  std::string matched;
  Confidence confidence = Confidence::Certain;
  /// The rule that decided, in words ("opt-out keyword alone in a
  /// sentence", "opt-out phrase", "no rule matched").
  std::string rule;
  /// Whether staff should look at it (probable or possible).
  bool needs_review() const { return confidence != Confidence::Certain; }
};

/// Why a text was classified as it was: `broadcaster keywords explain`.
struct Explanation {
  std::string normalized;              ///< the whole text folded (normalize.h)
  std::vector<std::string> lines;      ///< kept lines, as written
  std::vector<std::string> sentences;  ///< kept sentences, folded
  /// What was set aside: "signature: Sent from my iPhone".
  std::vector<std::string> set_aside;
  /// Matches that did not decide and why: "'stop texting' follows the
  /// negation 'don't'".
  std::vector<std::string> notes;
  Intent intent;
};

/// The configured keywords of every language, and the classifier.
/// Copyable value; classify() is const and safe to call from many threads.
class KeywordSet {
 public:
  /// An empty set: every text classifies as Action::None.
  KeywordSet() = default;

  /// Reads keywords.yaml (format documented in config/keywords.yaml).
  /// Throws ConfigError (file:line:column) for unreadable files, YAML syntax
  /// errors, unknown keys, empty lists, keywords without letters or digits,
  /// a keyword configured for two different actions (for example opt-in in
  /// one language and opt-out in another: the message names both places),
  /// and unknown languages in language-switch or topic entries.
  static KeywordSet load(const std::filesystem::path& path);

  /// load() for a keywords file already read into `yaml`; `file` names it
  /// in errors.
  static KeywordSet parse(std::string_view yaml, const std::string& file);

  /// Classifies one inbound text by the rules at the top of this file.
  /// `language` is the sender's language if known ("" if not): a request to
  /// stop messages in another language switches to it. Never throws for any
  /// input: invalid UTF-8 gives Action::None.
  Intent classify(std::string_view text, std::string_view language = {}) const;

  /// classify() with the steps that led to it.
  Explanation explain(std::string_view text, std::string_view language = {}) const;

  /// Languages configured, as sorted codes ("ar", "en", "es", ...).
  std::vector<std::string> languages() const;

  /// Display name of `language` in that language ("Español"), for replies;
  /// "" if the language is not configured.
  std::string native_name(const std::string& language) const;

 private:
  class Builder;  // keyword_set_load.cpp

  /// What one configured keyword (a normalized word sequence) means.
  struct Meaning {
    Action action = Action::None;
    std::string target;    ///< Language: language code; Topics: tag; else ""
    std::string language;  ///< "" when configured in several languages
    bool exact = false;    ///< OptIn from opt_in_exact: no unknown words after it
  };
  /// One expanded opt-out phrase (or question about stopping).
  struct Phrase {
    Confidence strength = Confidence::Certain;  ///< Possible: a question about stopping
    std::string text;                           ///< words joined by one space (Intent::matched)
    std::string language;                       ///< "" when configured in several languages
    std::string pattern;                        ///< the pattern it came from, for explain
  };
  /// A phrase found in a sentence.
  struct PhraseMatch {
    const Phrase* phrase = nullptr;
    std::size_t begin = 0;  ///< word index in the sentence (substring phrases: 0)
    std::size_t end = 0;
    bool negated = false;
    std::string negation;        ///< the negation before it
    std::string scope_language;  ///< language named right after it ("stop sending me Spanish")
  };

  /// Length in words of the longest key of `table` starting at `words[pos]`,
  /// 0 if none.
  template <class Table>
  std::size_t match_at(const Table& table, const std::vector<std::string>& words, std::size_t pos) const;
  Intent classify_words(const std::vector<std::string>& words) const;
  Intent decide(std::string_view text, std::string_view language, Explanation* why) const;
  std::vector<PhraseMatch> find_phrases(const Sentence& sentence) const;
  /// `words` without polite words at either end.
  std::vector<std::string> trim_polite(const std::vector<std::string>& words) const;
  /// The opt-out keyword `word` is a typo of, or "".
  std::string typo_of(const std::vector<std::string>& words) const;
  /// Whether `words` begin with a configured signature.
  bool starts_with_signature(const std::vector<std::string>& words) const;
  /// Whether `words` (joined) are a keyword, polite or remove word.
  bool is_configured(const std::vector<std::string>& words) const;
  /// The language named by a language-name keyword at `words[pos]`, or "".
  std::string language_name_at(const std::vector<std::string>& words, std::size_t pos) const;
  /// The language a sentence asks to be written to in ("mándenlos en
  /// español", "한국어로 보내주세요"), or "".
  std::string language_requested(const Sentence& sentence) const;
  /// Every language named in `sentences`, in order (names, not codes).
  std::vector<std::string> languages_named(const std::vector<Sentence>& sentences) const;
  /// The opt-out keyword a question asks about ("what happens if I reply
  /// STOP?"), written in capitals or in a script without them, or "".
  std::string keyword_in_question(const Sentence& sentence) const;

  std::unordered_map<std::string, Meaning> keywords_;              ///< key: words joined by ' '
  std::set<std::string> polite_;                                   ///< "please", "por favor", ...
  std::set<std::string> remove_;                                   ///< "remove", "quitar", ...
  std::unordered_map<std::string, Phrase> phrases_;                ///< key: words joined by ' '
  std::vector<std::pair<std::string, Phrase>> substring_phrases_;  ///< compact text, phrase
  std::size_t max_phrase_words_ = 1;
  WordSequences negations_;          ///< right before a phrase: "don't"
  WordSequences negations_after_;    ///< right after a phrase: Korean "지 마세요"
  WordSequences traps_;              ///< a phrase inside one does not count: "bus stop"
  WordSequences signatures_;         ///< a sentence starting with one is a signature
  WordSequences language_requests_;  ///< "send it in", "请用": asks for a language named near it
  /// Language names in scripts without spaces (英文, 영어): compact text, target.
  std::vector<std::pair<std::string, std::string>> substring_language_names_;
  /// Opt-out keywords in scripts without spaces (退订), for questions about them.
  std::vector<std::string> substring_opt_out_keywords_;
  std::set<std::string> not_typos_;
  /// Single-word opt-out keywords of 4+ letters, in spaced scripts: typo targets.
  std::vector<std::pair<std::string, std::string>> typo_targets_;  ///< word, language
  std::size_t max_words_ = 1;                                      ///< longest key, in words
  std::map<std::string, std::string> native_names_;                ///< code -> "Español"
};

}  // namespace broadcaster::keywords
