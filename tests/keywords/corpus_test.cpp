// The shipped config/keywords.yaml against the labelled corpus
// (tests/keywords/corpus/): every stop row must opt out and no other row may,
// in every language; review, keyword and language rows must come out as
// labelled. A failure lists each row with its file:line, text, note and the
// rule that decided, so it says which word or phrase is missing.
#include "keywords/corpus.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "keywords/keyword_set.h"
#include "support/temp_dir.h"
#include "util/errors.h"

using broadcaster::ConfigError;
using broadcaster::keywords::Action;
using broadcaster::keywords::Confidence;
using broadcaster::keywords::Intent;
using broadcaster::keywords::judge;
using broadcaster::keywords::KeywordSet;
using broadcaster::keywords::read_corpus;
using broadcaster::keywords::score;
using broadcaster::keywords::Verdict;
using broadcaster::testing::TempDir;

namespace {

std::string listing(const broadcaster::keywords::CorpusScore& s, Verdict verdict) {
  std::ostringstream out;
  for (const auto& r : s.rows) {
    if (r.verdict != verdict) continue;
    out << r.row->file.substr(r.row->file.rfind('/') + 1) << ":" << r.row->line << " [" << r.row->expect << "] "
        << r.row->text << "  -- " << r.row->note << "  => " << to_string(r.intent.action) << " ("
        << to_string(r.intent.confidence) << ", " << r.intent.rule << ")\n";
  }
  return out.str();
}

}  // namespace

TEST_CASE("every opt-out in the corpus is recognised and nobody else is opted out") {
  const KeywordSet keywords = KeywordSet::load(BC_SOURCE_DIR "/config/keywords.yaml");
  const auto rows = read_corpus(BC_SOURCE_DIR "/tests/keywords/corpus");
  REQUIRE(rows.size() >= 400);
  const auto s = score(keywords, rows);
  for (const auto& [language, counts] : s.languages) {
    DYNAMIC_SECTION(language) {
      CHECK(counts.stop_rows > 0);
      CHECK(counts.recall() == 1.0);
      CHECK(counts.precision() == 1.0);
    }
  }
  INFO("missed opt-outs:\n" << listing(s, Verdict::MissedOptOut));
  CHECK(s.total.count(Verdict::MissedOptOut) == 0);
  INFO("false opt-outs:\n" << listing(s, Verdict::FalseOptOut));
  CHECK(s.total.count(Verdict::FalseOptOut) == 0);
}

TEST_CASE("questions about stopping, keywords and language changes in the corpus come out as labelled") {
  const KeywordSet keywords = KeywordSet::load(BC_SOURCE_DIR "/config/keywords.yaml");
  const auto s = score(keywords, read_corpus(BC_SOURCE_DIR "/tests/keywords/corpus"));
  INFO("missed reviews:\n" << listing(s, Verdict::MissedReview));
  CHECK(s.total.count(Verdict::MissedReview) == 0);
  INFO("wrong actions:\n" << listing(s, Verdict::WrongAction));
  CHECK(s.total.count(Verdict::WrongAction) == 0);
}

TEST_CASE("a corpus row is judged by the table in the corpus README") {
  const auto intent = [](Action action, Confidence confidence, const char* switch_to = "") {
    Intent i;
    i.action = action;
    i.confidence = confidence;
    i.switch_to = switch_to;
    return i;
  };
  struct Case {
    const char* expect;
    Intent intent;
    Verdict verdict;
  };
  const std::vector<Case> cases = {
      {"stop", intent(Action::OptOut, Confidence::Certain), Verdict::Right},
      {"stop", intent(Action::OptOut, Confidence::Probable), Verdict::Right},
      {"stop", intent(Action::None, Confidence::Possible), Verdict::MissedOptOut},
      {"none", intent(Action::OptOut, Confidence::Probable), Verdict::FalseOptOut},
      {"review", intent(Action::OptOut, Confidence::Certain), Verdict::FalseOptOut},
      {"review", intent(Action::None, Confidence::Possible), Verdict::Right},
      {"review", intent(Action::None, Confidence::Certain), Verdict::MissedReview},
      {"none", intent(Action::None, Confidence::Possible), Verdict::NeedlessFlag},
      {"none", intent(Action::Help, Confidence::Certain), Verdict::WrongAction},
      {"join", intent(Action::OptIn, Confidence::Certain), Verdict::Right},
      {"language:en", intent(Action::Language, Confidence::Certain, "en"), Verdict::Right},
      {"language:en", intent(Action::Language, Confidence::Certain, "es"), Verdict::WrongAction},
      {"topics", intent(Action::None, Confidence::Certain), Verdict::WrongAction},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.expect << " / " << to_string(c.intent.action) << " " << to_string(c.intent.confidence)) {
      CHECK(judge(c.expect, c.intent) == c.verdict);
    }
  }
}

TEST_CASE("a corpus line that is not a labelled row is reported with its file and line") {
  TempDir dir;
  const auto write = [&](const std::string& body) { std::ofstream(dir.path() / "xx.jsonl") << body; };
  write(
      "{\"text\": \"STOP\", \"lang\": \"en\", \"expect\": \"stop\", \"note\": \"ok\"}\n\n"
      "{\"text\": \"hi\", \"lang\": \"en\", \"expect\": \"stopp\", \"note\": \"bad label\"}\n");
  try {
    read_corpus(dir.path());
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(e.line() == 3);
    CHECK_THAT(e.message(), Catch::Matchers::Contains("unknown expect 'stopp'"));
  }
  write("{\"text\": \"STOP\", \"lang\": \"en\", \"expect\": \"stop\"}\n");
  CHECK_THROWS_WITH(read_corpus(dir.path()), Catch::Matchers::Contains("needs a string \"note\""));
  write("{\"text\": \"STOP\",\n");
  CHECK_THROWS_WITH(read_corpus(dir.path()), Catch::Matchers::Contains("xx.jsonl:1:"));
}
