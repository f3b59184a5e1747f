// `broadcaster keywords eval [DIR] [--json]`: the keyword engine measured on
// a labelled corpus (default tests/keywords/corpus): precision and recall of
// opt-outs per language, every miss with its file:line, and the time one
// text takes. Exits 1 when an opt-out is missed or a text is falsely taken
// as one, so a script can gate a change to config/keywords.yaml on it.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/keywords_file.h"
#include "keywords/corpus.h"
#include "util/errors.h"

namespace broadcaster::cli {

void add_keywords_eval_command(CLI::App& keywords, GlobalOptionsPtr options) {
  auto* cmd = keywords.add_subcommand(
      "eval",
      "Measure the keywords file on a labelled corpus: opt-out precision and recall per language and every "
      "miss; exits 1 if an opt-out is missed or a text is wrongly taken as one");
  auto dir = std::make_shared<std::string>("tests/keywords/corpus");
  auto file = std::make_shared<std::string>();
  auto repeat = std::make_shared<int>(20);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("DIR", *dir, "folder of <lang>.jsonl files (format in its README.md)")->capture_default_str();
  cmd->add_option("--keywords", *file, "keywords file (default: the one the configuration names)");
  cmd->add_option("--repeat", *repeat, "classify the corpus this many times for the timing")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--json", *json, "print one JSON object");
  cmd->callback([options, dir, file, repeat, json] {
    const keywords::KeywordSet set = load_keywords(*options, *file);
    const auto rows = keywords::read_corpus(*dir);
    const keywords::CorpusScore s = keywords::score(set, rows, *repeat);
    const auto misses = s.misses();
    const int gate = s.total.count(keywords::Verdict::MissedOptOut) + s.total.count(keywords::Verdict::FalseOptOut);
    if (*json) {
      nlohmann::json langs = nlohmann::json::object();
      const auto counts = [](const keywords::LanguageScore& l) {
        nlohmann::json v = nlohmann::json::object();
        for (const auto& [verdict, n] : l.verdicts) v[std::string(keywords::to_string(verdict))] = n;
        return nlohmann::json{{"rows", l.rows},
                              {"stop_rows", l.stop_rows},
                              {"opted_out", l.opted_out},
                              {"stops_caught", l.stops_caught},
                              {"caught_probable", l.caught_probable},
                              {"precision", l.precision()},
                              {"recall", l.recall()},
                              {"verdicts", v}};
      };
      for (const auto& [code, l] : s.languages) langs[code] = counts(l);
      nlohmann::json miss = nlohmann::json::array();
      for (const auto* r : misses) {
        miss.push_back({{"file", r->row->file},
                        {"line", r->row->line},
                        {"lang", r->row->language},
                        {"text", r->row->text},
                        {"expect", r->row->expect},
                        {"note", r->row->note},
                        {"verdict", keywords::to_string(r->verdict)},
                        {"action", keywords::to_string(r->intent.action)},
                        {"confidence", keywords::to_string(r->intent.confidence)},
                        {"rule", r->intent.rule}});
      }
      const nlohmann::json out = {{"languages", langs},
                                  {"total", counts(s.total)},
                                  {"misses", miss},
                                  {"microseconds_per_text", s.microseconds_per_text}};
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << fmt::format("{:<6} {:>5} {:>5} {:>9} {:>7} {:>8} {:>6}\n", "lang", "rows", "stops", "precision",
                               "recall", "probable", "misses");
      const auto line = [](const std::string& code, const keywords::LanguageScore& l) {
        const int missed = l.rows - l.count(keywords::Verdict::Right) - l.count(keywords::Verdict::NeedlessFlag);
        return fmt::format("{:<6} {:>5} {:>5} {:>9.3f} {:>7.3f} {:>8} {:>6}\n", code, l.rows, l.stop_rows,
                           l.precision(), l.recall(), l.caught_probable, missed);
      };
      for (const auto& [code, l] : s.languages) std::cout << line(code, l);
      std::cout << line("all", s.total);
      for (const auto* r : misses) {
        std::cout << fmt::format("{}:{}: {}: [{}] {}  ({}) => {} ({}, {})\n", r->row->file, r->row->line,
                                 keywords::to_string(r->verdict), r->row->expect, r->row->text, r->row->note,
                                 keywords::to_string(r->intent.action), keywords::to_string(r->intent.confidence),
                                 r->intent.rule);
      }
      std::cout << fmt::format("{} texts, {:.1f} microseconds per text (mean of {} passes)\n", rows.size(),
                               s.microseconds_per_text, *repeat);
    }
    if (gate > 0) throw Error(fmt::format("{} missed or false opt-outs", gate));
  });
}

}  // namespace broadcaster::cli
