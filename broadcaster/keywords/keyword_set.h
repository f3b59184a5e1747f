// The keyword engine: turns one inbound text ("STOP", "ÚNETE ES FRESNO",
// "ya no quiero mensajes", "中文") into an Intent, from config/keywords.yaml.
// Pure and I/O-free after load(); the webhook server and the Redis side act
// on the Intent.
//
// Design: load() folds every configured keyword with normalize.h's rules and
// keys it by its words joined with one space, so matching is exact lookups
// of word sequences; opt-out phrases are a list scanned per message (whole-
// word sequences, or substrings for scripts written without spaces).
// Classification rules, in priority order, and why (also in
// keyword_set.cpp next to the code):
//  1. An opt-out phrase anywhere in the message ("Please stop texting me.")
//     -> OptOut. The FCC's revocation rule (47 CFR 64.1200(a)(10)) requires
//     honouring any reasonable means, so clear stop requests in other words
//     must count; opt-out wins over everything else.
//  2. Polite words at either end are set aside ("stop please", "por favor
//     alto", "thanks").
//  3. A remove word followed only by topic keywords ("REMOVE FRESNO",
//     "QUITAR DACA") -> Topics with remove_tags.
//  4. The whole rest is one keyword, possibly repeated ("stop stop") ->
//     that keyword's intent (OptOut, OptIn, Help, Language, Topics).
//     Single keywords never match inside a longer text: "Stopwatch",
//     "what time does the workshop end?" and "don't stop" are not
//     opt-outs, because a false opt-out silently loses a subscriber.
//  5. An opt-out keyword followed only by opt-out or topic keywords
//     ("UNSUBSCRIBE STOP", "STOP DACA") -> OptOut (a stop request scoped to
//     a topic is still a stop request to the sender).
//  6. Only topic keywords ("FRESNO DACA") -> Topics with add_tags.
//  7. First an opt-in keyword, then any words: a language sets switch_to
//     (the first language name, else the first code: "ÚNETE EN ESPAÑOL" is
//     Spanish although EN is a code), topics add tags, unknown words are
//     ignored ("JOIN ES FRESNO", "join me too") -> OptIn. Opt-in words that are also everyday
//     answers or words (YES, START, Spanish SÍ which folds to "si" = "if")
//     are configured as opt_in_exact: they accept languages, topics and
//     polite words after them ("YES ES", "Sí, gracias") but no other words,
//     so "Si no puedo ir?" or "Start time?" do not re-subscribe someone who
//     opted out. If an opt-out keyword is among the words the message
//     contradicts itself: only opt-out keywords after the opt-in word
//     ("YES STOP") -> OptOut, otherwise ("join? when does it end?") -> None
//     so that a person reads it.
//  8. Anything else -> None (the caller keeps it in the inbox).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace broadcaster::keywords {

/// What an inbound text asks for.
enum class Action { None, OptOut, OptIn, Help, Language, Topics };

/// "none", "opt_out", "opt_in", "help", "language", "topics" (for logs and
/// the consent log).
std::string_view to_string(Action action);

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
  /// Never throws for any input: invalid UTF-8 gives Action::None.
  Intent classify(std::string_view text) const;

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
  /// One opt-out phrase.
  struct Phrase {
    std::vector<std::string> words;  ///< normalized words
    std::string compact;             ///< words concatenated, for substring matching
    bool substring = false;          ///< written_without_spaces(): match as substring
    std::string text;                ///< words joined by one space (Intent::matched)
    std::string language;
  };

  /// Length in words of the longest key of `table` starting at `words[pos]`,
  /// 0 if none.
  template <class Table>
  std::size_t match_at(const Table& table, const std::vector<std::string>& words, std::size_t pos) const;
  Intent classify_words(const std::vector<std::string>& words) const;

  std::unordered_map<std::string, Meaning> keywords_;  ///< key: words joined by ' '
  std::set<std::string> polite_;                       ///< "please", "por favor", ...
  std::set<std::string> remove_;                       ///< "remove", "quitar", ...
  std::vector<Phrase> phrases_;
  std::size_t max_words_ = 1;                        ///< longest key, in words
  std::map<std::string, std::string> native_names_;  ///< code -> "Español"
};

}  // namespace broadcaster::keywords
