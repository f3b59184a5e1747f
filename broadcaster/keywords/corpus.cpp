// Reading and scoring the opt-out corpus (see corpus.h). The verdict table
// is the one in tests/keywords/corpus/README.md.
#include "keywords/corpus.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/errors.h"

namespace broadcaster::keywords {

namespace {

bool known_label(const std::string& expect) {
  static const std::vector<std::string> labels = {"stop", "review", "none", "join", "help", "topics"};
  if (std::find(labels.begin(), labels.end(), expect) != labels.end()) return true;
  return expect.rfind("language:", 0) == 0 && expect.size() > 9;
}

}  // namespace

std::vector<CorpusRow> read_corpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  if (ec) throw ConfigError(dir.string(), 0, 0, "cannot read the corpus folder: " + ec.message());
  if (files.empty()) throw ConfigError(dir.string(), 0, 0, "no *.jsonl files in the corpus folder");
  std::sort(files.begin(), files.end());
  std::vector<CorpusRow> rows;
  for (const auto& path : files) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path.string(), 0, 0, "cannot open");
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const auto fail = [&](const std::string& why) { return ConfigError(path.string(), number, 1, why); };
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(line);
      } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError(path.string(), number, static_cast<int>(e.byte), "not JSON: " + std::string(e.what()));
      }
      if (!j.is_object()) throw fail("each line must be one JSON object");
      CorpusRow row;
      row.file = path.string();
      row.line = number;
      for (const auto& [key, slot] : {std::pair<const char*, std::string*>{"text", &row.text},
                                      {"lang", &row.language},
                                      {"expect", &row.expect},
                                      {"note", &row.note}}) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_string()) throw fail(std::string("needs a string \"") + key + "\"");
        *slot = it->get<std::string>();
      }
      if (!known_label(row.expect)) {
        throw fail("unknown expect '" + row.expect + "' (stop, review, none, join, help, language:<code>, topics)");
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Right:
      return "right";
    case Verdict::MissedOptOut:
      return "missed opt-out";
    case Verdict::FalseOptOut:
      return "false opt-out";
    case Verdict::MissedReview:
      return "missed review";
    case Verdict::WrongAction:
      return "wrong action";
    case Verdict::NeedlessFlag:
      return "needless flag";
  }
  return "right";
}

Verdict judge(const std::string& expect, const Intent& intent) {
  const bool opted_out = intent.action == Action::OptOut;
  if (expect == "stop") return opted_out ? Verdict::Right : Verdict::MissedOptOut;
  if (opted_out) return Verdict::FalseOptOut;
  if (expect == "review") {
    return intent.needs_review() && intent.action == Action::None ? Verdict::Right : Verdict::MissedReview;
  }
  if (expect == "none") {
    if (intent.action != Action::None) return Verdict::WrongAction;
    return intent.needs_review() ? Verdict::NeedlessFlag : Verdict::Right;
  }
  if (expect == "join") return intent.action == Action::OptIn ? Verdict::Right : Verdict::WrongAction;
  if (expect == "help") return intent.action == Action::Help ? Verdict::Right : Verdict::WrongAction;
  if (expect == "topics") return intent.action == Action::Topics ? Verdict::Right : Verdict::WrongAction;
  // language:<code>
  const std::string code = expect.substr(9);
  const bool switched =
      (intent.action == Action::Language || intent.action == Action::OptIn) && intent.switch_to == code;
  return switched ? Verdict::Right : Verdict::WrongAction;
}

std::vector<const RowResult*> CorpusScore::misses() const {
  std::vector<const RowResult*> out;
  for (const RowResult& r : rows) {
    if (r.verdict != Verdict::Right && r.verdict != Verdict::NeedlessFlag) out.push_back(&r);
  }
  return out;
}

CorpusScore score(const KeywordSet& keywords, const std::vector<CorpusRow>& rows, int repeat) {
  CorpusScore out;
  out.rows.reserve(rows.size());
  const auto started = std::chrono::steady_clock::now();
  for (const CorpusRow& row : rows) {
    RowResult r;
    r.row = &row;
    r.intent = keywords.classify(row.text, row.language);
    r.verdict = judge(row.expect, r.intent);
    for (LanguageScore* s : {&out.languages[row.language], &out.total}) {
      ++s->rows;
      ++s->verdicts[r.verdict];
      const bool stop_row = row.expect == "stop";
      const bool opted_out = r.intent.action == Action::OptOut;
      if (stop_row) ++s->stop_rows;
      if (opted_out) ++s->opted_out;
      if (stop_row && opted_out) {
        ++s->stops_caught;
        if (r.intent.confidence == Confidence::Probable) ++s->caught_probable;
      }
    }
    out.rows.push_back(std::move(r));
  }
  std::size_t classified = rows.size();
  for (int i = 1; i < repeat; ++i) {
    for (const CorpusRow& row : rows) (void)keywords.classify(row.text, row.language);
    classified += rows.size();
  }
  const auto elapsed = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started);
  if (classified > 0) out.microseconds_per_text = elapsed.count() / static_cast<double>(classified);
  return out;
}

}  // namespace broadcaster::keywords
