// The labelled opt-out corpus (tests/keywords/corpus/<lang>.jsonl, format in
// its README.md) and the score of a KeywordSet against it: what the corpus
// test asserts and what `broadcaster keywords eval` / ops/keywords-eval print.
// Design: one reader and one scorer shared by the test and the command, so
// a miss reads the same in CI as on a staff member's screen.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "keywords/keyword_set.h"

namespace broadcaster::keywords {

/// One labelled text.
struct CorpusRow {
  std::string file;  ///< where it is, for messages
  int line = 0;
  std::string text;
  std::string language;  ///< the sender's language ("lang")
  std::string expect;    ///< stop | review | none | join | help | language:<code> | topics
  std::string note;
};

/// Every row of every *.jsonl file in `dir`, files in name order. Throws
/// ConfigError (file:line:column) for a line that is not a JSON object with
/// string keys text, lang, expect and note, or an unknown expect label.
std::vector<CorpusRow> read_corpus(const std::filesystem::path& dir);

/// How one row came out.
enum class Verdict {
  Right,         ///< as labelled
  MissedOptOut,  ///< a stop row that did not opt out
  FalseOptOut,   ///< any other row that opted out
  MissedReview,  ///< a review row not flagged for staff
  WrongAction,   ///< another keyword action than labelled
  NeedlessFlag,  ///< a none row flagged for review (reported, not a miss)
};

/// "right", "missed opt-out", "false opt-out", ...
std::string_view to_string(Verdict verdict);

/// The verdict for `intent` on a row labelled `expect`.
Verdict judge(const std::string& expect, const Intent& intent);

/// One row's result.
struct RowResult {
  const CorpusRow* row = nullptr;
  Intent intent;
  Verdict verdict = Verdict::Right;
};

/// Counts for one language.
struct LanguageScore {
  int rows = 0;
  int stop_rows = 0;
  int opted_out = 0;        ///< rows of any label the engine opted out
  int stops_caught = 0;     ///< stop rows opted out
  int caught_probable = 0;  ///< of those, only probable
  std::map<Verdict, int> verdicts;
  /// Rows with `verdict`.
  int count(Verdict verdict) const {
    const auto it = verdicts.find(verdict);
    return it == verdicts.end() ? 0 : it->second;
  }
  /// Of the texts opted out, the share that asked to stop (1 when none were).
  double precision() const { return opted_out == 0 ? 1.0 : static_cast<double>(stops_caught) / opted_out; }
  /// Of the texts that asked to stop, the share opted out (1 when none did).
  double recall() const { return stop_rows == 0 ? 1.0 : static_cast<double>(stops_caught) / stop_rows; }
};

/// The score of a KeywordSet on a corpus.
struct CorpusScore {
  std::vector<RowResult> rows;
  std::map<std::string, LanguageScore> languages;  ///< by row language
  LanguageScore total;
  double microseconds_per_text = 0;  ///< mean classify() time over the corpus, repeated
  /// Rows that are misses (not Right and not NeedlessFlag).
  std::vector<const RowResult*> misses() const;
};

/// Classifies every row (in its language) and scores it. `repeat` times
/// the whole corpus again for the timing (the decisions come from the first
/// pass).
CorpusScore score(const KeywordSet& keywords, const std::vector<CorpusRow>& rows, int repeat = 1);

}  // namespace broadcaster::keywords
