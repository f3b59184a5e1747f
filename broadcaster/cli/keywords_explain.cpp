// `broadcaster keywords explain TEXT [--lang L] [--json]`: why a text was or
// was not treated as a STOP (or any other keyword), step by step, so staff
// can check a decision or a change to config/keywords.yaml.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/keywords_file.h"

namespace broadcaster::cli {

namespace {

nlohmann::json intent_json(const keywords::Intent& i) {
  nlohmann::json out = {{"action", keywords::to_string(i.action)},
                        {"confidence", keywords::to_string(i.confidence)},
                        {"rule", i.rule},
                        {"needs_review", i.needs_review()},
                        {"matched", i.matched},
                        {"language", i.language}};
  if (!i.switch_to.empty()) out["switch_to"] = i.switch_to;
  if (!i.add_tags.empty()) out["add_tags"] = i.add_tags;
  if (!i.remove_tags.empty()) out["remove_tags"] = i.remove_tags;
  return out;
}

}  // namespace

void add_keywords_explain_command(CLI::App& keywords, GlobalOptionsPtr options) {
  auto* cmd = keywords.add_subcommand(
      "explain",
      "Show how a text is read: the folded text, the lines kept and what was set aside (signatures, quoted "
      "messages, a trailing name), the rule that decided (or why none did), the action and how sure it is");
  auto text = std::make_shared<std::string>();
  auto lang = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("TEXT", *text, "the text as a subscriber sent it (quote it; use $'...\\n...' for lines)")->required();
  cmd->add_option("--lang", *lang, "the sender's language, as the inbound flow knows it (e.g. es)");
  cmd->add_option("--keywords", *file, "keywords file (default: the one the configuration names)");
  cmd->add_flag("--json", *json, "print one JSON object");
  cmd->callback([options, text, lang, file, json] {
    const keywords::KeywordSet set = load_keywords(*options, *file);
    const keywords::Explanation why = set.explain(*text, *lang);
    if (*json) {
      const nlohmann::json out = {{"normalized", why.normalized}, {"lines", why.lines},
                                  {"sentences", why.sentences},   {"set_aside", why.set_aside},
                                  {"notes", why.notes},           {"decision", intent_json(why.intent)}};
      std::cout << out.dump(2) << "\n";
      return;
    }
    const keywords::Intent& i = why.intent;
    std::cout << fmt::format("normalized:  {}\n", why.normalized);
    for (const auto& line : why.lines) std::cout << fmt::format("kept:        {}\n", line);
    for (const auto& part : why.set_aside) std::cout << fmt::format("set aside:   {}\n", part);
    for (const auto& s : why.sentences) std::cout << fmt::format("sentence:    {}\n", s);
    for (const auto& n : why.notes) std::cout << fmt::format("note:        {}\n", n);
    std::cout << fmt::format("rule:        {}{}\n", i.rule, i.matched.empty() ? "" : " ('" + i.matched + "')");
    std::string action(keywords::to_string(i.action));
    if (!i.switch_to.empty()) action += " -> " + i.switch_to;
    std::cout << fmt::format("action:      {}\n", action);
    std::cout << fmt::format("confidence:  {}{}\n", keywords::to_string(i.confidence),
                             i.needs_review() ? " (flagged for staff: broadcaster inbox --review)" : "");
  });
}

}  // namespace broadcaster::cli
