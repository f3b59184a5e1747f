// The structure of a text: what is kept and what is set aside (signatures,
// quoted messages, trailing names), and where sentences and clauses break.
#include "keywords/text_layout.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "keywords/normalize.h"

using broadcaster::keywords::InvalidText;
using broadcaster::keywords::lay_out;
using broadcaster::keywords::LayoutRules;
using broadcaster::keywords::TextLayout;

namespace {

LayoutRules rules() {
  LayoutRules r;
  r.is_signature = [](const std::vector<std::string>& w) {
    return (w.size() >= 2 && w[0] == "sent" && w[1] == "from") ||
           (w.size() >= 2 && w[0] == "enviado" && w[1] == "desde");
  };
  r.is_keyword = [](const std::vector<std::string>& w) {
    return w.size() == 1 && (w[0] == "stop" || w[0] == "fresno");
  };
  return r;
}

/// Kept sentences as folded text, clauses joined by " | ".
std::vector<std::string> sentences(const TextLayout& layout) {
  std::vector<std::string> out;
  for (const auto& s : layout.sentences) {
    std::string text;
    for (const auto& c : s.clauses) {
      if (!text.empty()) text += " | ";
      for (std::size_t i = 0; i < c.words.size(); ++i) text += (i ? " " : "") + c.words[i];
    }
    out.push_back(text + (s.question ? " ?" : ""));
  }
  return out;
}

std::vector<std::string> set_aside(const TextLayout& layout) {
  std::vector<std::string> out;
  for (const auto& part : layout.set_aside) out.push_back(part.why + ": " + part.raw);
  return out;
}

}  // namespace

TEST_CASE("a text is read as sentences and clauses, with what phones and people append set aside") {
  struct Case {
    const char* name;
    const char* text;
    std::vector<std::string> sentences;
    std::vector<std::string> set_aside;
  };
  const std::vector<Case> cases = {
      {"a name after thanks", "STOP. Thanks, Luis", {"stop", "thanks"}, {"trailing name: Luis"}},
      {"a phone's signature",
       "Stop\nSent from Yahoo Mail on Android",
       {"stop"},
       {"signature: Sent from Yahoo Mail on Android"}},
      {"a signature in Spanish on the same line",
       "Alto. Enviado desde mi iPhone",
       {"alto"},
       {"signature: Enviado desde mi iPhone"}},
      {"everything after a signature",
       "ok\nSent from my iPhone\nblah",
       {"ok"},
       {"signature: Sent from my iPhone", "signature: blah"}},
      {"shouting then a question",
       "STOP!! how did you get this number?",
       {"stop", "how did you get this number ?"},
       {}},
      {"a comma splits clauses", "Alto, ya no me interesa", {"alto | ya no me interesa"}, {}},
      {"quoted earlier messages",
       "> Workshop Tuesday 10am\nstop",
       {"stop"},
       {"quoted earlier message: > Workshop Tuesday 10am"}},
      {"a reply header and what it quotes",
       "No more please\nOn Tue, Dec 1, 2026, Clinic wrote:\nWorkshop",
       {"no more please"},
       {"quoted earlier message: On Tue, Dec 1, 2026, Clinic wrote:", "signature: Workshop"}},
      {"emoji are not words", "🛑 STOP 🛑", {"stop"}, {}},
      {"a decimal point is not a sentence end", "Is it at 10.30?", {"is it at 10 30 ?"}, {}},
      {"a spaced dash splits clauses, a hyphen does not", "opt-out - Maria", {"opt out"}, {"trailing name: Maria"}},
      {"a keyword is not a name", "Stop, Fresno", {"stop | fresno"}, {}},
      {"capitals throughout are not a name", "PLEASE STOP. NO MORE", {"please stop", "no more"}, {}},
      {"a lone name is kept", "Luis", {"luis"}, {}},
      {"Chinese and Arabic punctuation", "退订。谢谢！ توقف؟", {"退订", "谢谢", "توقف ?"}, {}},
      {"empty lines", "\n\n  stop  \n\n", {"stop"}, {}},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const TextLayout layout = lay_out(c.text, rules());
      CHECK(sentences(layout) == c.sentences);
      CHECK(set_aside(layout) == c.set_aside);
    }
  }
}

TEST_CASE("a text that is not UTF-8 is refused whole") { CHECK_THROWS_AS(lay_out("stop \xff", rules()), InvalidText); }
