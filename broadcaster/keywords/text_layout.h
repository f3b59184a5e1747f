// The structure of one inbound text before its words: lines, sentences and
// clauses, with what phones and people append set aside. "STOP. Thanks,
// Luis", "Stop\nSent from Yahoo Mail on Android" and "STOP!! how did you
// get this number" each hold a sentence that is only a keyword; seeing that
// needs the text's shape, not just its words.
//
// What is set aside, and why:
//  - quoted earlier messages: lines starting with '>', and a reply header
//    ("On Tue, ... wrote:", "El ... escribió:") with everything after it;
//    they are our own words coming back, not the subscriber's;
//  - a signature: the first sentence whose words start with a configured
//    signature ("sent from my iphone", "enviado desde mi"), and everything
//    after it;
//  - a trailing name: a last clause of one or two capitalised words that
//    are not keywords ("Thanks, Luis"), when something comes before it;
//  - emoji and punctuation, by normalize.h's word splitting.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::keywords {

/// A clause: a comma- or dash-separated part of a sentence.
struct Clause {
  std::string raw;                 ///< as written, trimmed
  std::vector<std::string> words;  ///< folded words (normalize.h)
  /// Per word: written in capitals ("reply STOP") or in a script without
  /// them (Arabic, Han, Gurmukhi), as a keyword quoted in a question is.
  std::vector<bool> emphatic;
};

/// A sentence: ended by . ! ? ; (and their CJK / Arabic forms) or a line end.
struct Sentence {
  std::string raw;
  std::vector<std::string> words;  ///< all words of its clauses
  std::vector<Clause> clauses;     ///< at least one, none empty
  bool question = false;           ///< ended by ? ？ ؟
};

/// A part of the text that was set aside, with why.
struct SetAside {
  std::string raw;
  std::string why;  ///< "quoted earlier message", "signature", "trailing name"
};

/// The shape of one text.
struct TextLayout {
  std::vector<Sentence> sentences;  ///< kept sentences, in order (none empty)
  std::vector<std::string> lines;   ///< kept lines as written (trimmed)
  std::vector<SetAside> set_aside;
  /// Every kept word, in order.
  std::vector<std::string> words() const;
};

/// What lay_out() asks of the configured keywords.
struct LayoutRules {
  /// Whether folded `words` begin with a signature ("sent from my ...").
  std::function<bool(const std::vector<std::string>& words)> is_signature;
  /// Whether folded `words` are a configured keyword or polite word (then
  /// they are not a trailing name: "Stop, Fresno").
  std::function<bool(const std::vector<std::string>& words)> is_keyword;
};

/// Splits `text` (UTF-8) as described at the top of this file.
/// Throws InvalidText (normalize.h) on invalid UTF-8.
TextLayout lay_out(std::string_view text, const LayoutRules& rules);

}  // namespace broadcaster::keywords
