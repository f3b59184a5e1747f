// The opt-out rules of the keyword engine (keyword_set.h, rules A-H) on a
// small keywords file written here, so each rule is shown on its own: the
// structure of a text, phrases with negation and language scope, typos,
// questions about stopping, and the confidence and rule every decision
// carries. The shipped config/keywords.yaml is measured by the corpus test.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "keywords/keyword_set.h"
#include "util/errors.h"

using broadcaster::ConfigError;
using broadcaster::keywords::Action;
using broadcaster::keywords::Confidence;
using broadcaster::keywords::Explanation;
using broadcaster::keywords::Intent;
using broadcaster::keywords::KeywordSet;

namespace {

constexpr const char* kKeywords = R"yaml(languages:
  en:
    name: English
    opt_out: [STOP, UNSUBSCRIBE, CANCEL, END, QUIT]
    opt_out_phrases:
      - "[please] (stop|quit) {send} [me] [{msgs}]"
      - "no more {msgs}"
    opt_out_probable: ["not interested"]
    opt_out_questions: ["how (do|can) i (stop|unsubscribe)"]
    negations: ["(don't|dont|do not|never)"]
    word_classes:
      send: [texting, sending, messaging]
      msgs: [messages, texts]
    signatures: ["sent from [my]"]
    not_typos: [shop]
    opt_in: [JOIN]
    help: [HELP]
    polite: [PLEASE, THANKS]
    language_names: {en: [ENGLISH], es: [SPANISH]}
  es:
    name: Español
    opt_out: [ALTO]
    opt_out_phrases: ["no me (manden|envíen) más", "dejen de (mandarme|enviarme)"]
    negations: ["no"]
    opt_in: [ÚNETE]
    help: [AYUDA]
    language_names: {es: [CASTELLANO], en: [INGLÉS]}
  zh:
    name: 中文
    opt_out: [退订]
    opt_out_phrases: ["不要再发", "停止发送"]
    negations: ["不要"]
    opt_in: [加入]
    help: [帮助]
)yaml";

const KeywordSet& keywords() {
  static const KeywordSet set = KeywordSet::parse(kKeywords, "keywords.yaml");
  return set;
}

}  // namespace

TEST_CASE("every decision says how sure it is and which rule made it") {
  struct Case {
    const char* text;
    Action action;
    Confidence confidence;
    const char* rule;
    const char* switch_to = "";
  };
  const std::vector<Case> cases = {
      {"STOP", Action::OptOut, Confidence::Certain, "opt-out keyword"},
      {"Stop please!!", Action::OptOut, Confidence::Certain, "opt-out keyword"},
      {"STOP. Thanks, Luis", Action::OptOut, Confidence::Certain, "opt-out keyword"},
      {"STOP!! how did you get this number", Action::OptOut, Confidence::Certain, "alone in a sentence"},
      {"Alto, ya no me interesa", Action::OptOut, Confidence::Probable, "alone in a clause"},
      {"HELP, stop", Action::OptOut, Confidence::Probable, "alone in a clause"},
      {"Stop\nSent from my iPhone", Action::OptOut, Confidence::Certain, "opt-out keyword"},
      {"> Workshop on Tuesday, reply STOP to end\nstop", Action::OptOut, Confidence::Certain, "opt-out keyword"},
      {"please stop texting me", Action::OptOut, Confidence::Certain, "opt-out phrase"},
      {"I said no more texts!!! 😡", Action::OptOut, Confidence::Certain, "opt-out phrase"},
      {"no me manden más", Action::OptOut, Confidence::Certain, "opt-out phrase"},
      {"No, dejen de mandarme", Action::OptOut, Confidence::Certain, "opt-out phrase"},
      {"请不要再发", Action::OptOut, Confidence::Certain, "opt-out phrase"},
      {"not interested", Action::OptOut, Confidence::Probable, "probable opt-out phrase"},
      {"stopp", Action::OptOut, Confidence::Probable, "one letter away from the opt-out keyword 'stop'"},
      {"unsubscirbe", Action::OptOut, Confidence::Probable, "'unsubscribe'"},
      {"Cancle please", Action::OptOut, Confidence::Probable, "'cancel'"},
      {"How do I unsubscribe?", Action::None, Confidence::Possible, "a question about stopping"},
      {"how do I stop texting?", Action::None, Confidence::Possible, "a question about stopping"},
      {"stop sending me messages in Spanish, English please", Action::Language, Confidence::Certain,
       "asks to stop messages in 'es'", "en"},
      {"stop sending me Spanish", Action::Language, Confidence::Probable, "asks to stop messages in 'es'", "en"},
      {"JOIN", Action::OptIn, Confidence::Certain, "opt_in keyword"},
      {"don't stop texting me about the clinics", Action::None, Confidence::Certain, "no keyword or opt-out phrase"},
      {"never stop sending these", Action::None, Confidence::Certain, "no keyword"},
      {"no dejen de mandarme", Action::None, Confidence::Certain, "no keyword"},
      {"不要停止发送", Action::None, Confidence::Certain, "no keyword"},
      {"shop", Action::None, Confidence::Certain, "no keyword"},
      {"Stopwatch", Action::None, Confidence::Certain, "no keyword"},
      {"Can I stop by the office?", Action::None, Confidence::Certain, "no keyword"},
      {"What time does it end?", Action::None, Confidence::Certain, "no keyword"},
      {"Sent from my iPhone", Action::None, Confidence::Certain, "no words left"},
      {"\xff\xfe", Action::None, Confidence::Certain, "not readable"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.text) {
      const Intent intent = keywords().classify(c.text);
      CHECK(intent.action == c.action);
      CHECK(intent.confidence == c.confidence);
      CHECK_THAT(intent.rule, Catch::Matchers::Contains(c.rule));
      CHECK(intent.switch_to == c.switch_to);
      CHECK(intent.needs_review() == (c.confidence != Confidence::Certain));
    }
  }
}

TEST_CASE("a request to stop one language switches to the sender's own when it names no other") {
  // "no me manden" is Spanish, so the phrase itself does not say which
  // language is wanted instead: the subscriber's language does.
  const KeywordSet set = KeywordSet::parse(std::string(kKeywords) + "\n", "k.yaml");
  const Intent with_hint = set.classify("no me manden más en castellano", "en");
  CHECK(with_hint.action == Action::Language);
  CHECK(with_hint.switch_to == "en");
  const Intent without = set.classify("no me manden más en castellano");
  CHECK(without.action == Action::None);
  CHECK(without.confidence == Confidence::Possible);
}

TEST_CASE("explain shows the lines kept, what was set aside and the matches that did not decide") {
  const Explanation why = keywords().explain("Don't stop texting me!\nThanks, Ana\nSent from my iPhone");
  CHECK(why.normalized == "don't stop texting me! thanks, ana sent from my iphone");
  CHECK(why.lines == std::vector<std::string>{"Don't stop texting me!", "Thanks, Ana"});
  CHECK(why.set_aside == std::vector<std::string>{"signature: Sent from my iPhone", "trailing name: Ana"});
  REQUIRE(why.notes.size() == 1);
  CHECK(why.notes[0] == "'stop texting me' follows the negation 'don't': not an opt-out");
  CHECK(why.intent.action == Action::None);
}

TEST_CASE("a broken pattern in the keywords file points at its line and column") {
  const std::string yaml = R"yaml(languages:
  en:
    name: English
    opt_out: [STOP]
    opt_out_phrases: ["stop (texting|sending me"]
    opt_in: [JOIN]
    help: [HELP]
)yaml";
  try {
    KeywordSet::parse(yaml, "k.yaml");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(e.line() == 5);
    CHECK(e.column() == 29);  // the '(' that is not closed
    CHECK_THAT(e.message(), Catch::Matchers::Contains("'(' is not closed"));
  }
}

TEST_CASE("polite words glued to a keyword in a script without spaces are set aside") {
  const KeywordSet set = KeywordSet::parse(std::string(kKeywords) + "    polite: [谢谢, 请]\n", "k.yaml");
  for (const char* text : {"退订谢谢", "请退订", "请退订谢谢", "退订 谢谢"}) {
    DYNAMIC_SECTION(text) {
      const Intent intent = set.classify(text);
      CHECK(intent.action == Action::OptOut);
      CHECK(intent.confidence == Confidence::Certain);
    }
  }
  // Only whole polite words come off: the rest must be the keyword itself.
  CHECK(set.classify("退订单").action == Action::None);
}
