// TwiML: escaping and writing replies, and reading <Message> texts back.
#include "channels/twilio/twiml.h"

#include <catch2/catch.hpp>
#include <random>

namespace broadcaster::channels {
namespace {

constexpr const char* kDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

std::string doc(const std::string& inner) { return kDecl + inner; }

}  // namespace

TEST_CASE("twiml: escaping text", "[channels][twiml]") {
  struct Case {
    const char* label;
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"plain ASCII", "Reply STOP to end", "Reply STOP to end"},
      {"the five special characters", R"(a & b < c > d "e" 'f')",
       "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"},
      {"already escaped text is escaped again", "&amp;", "&amp;amp;"},
      {"Spanish stays UTF-8", "¡Reunión mañana! Responde ALTO", "¡Reunión mañana! Responde ALTO"},
      {"Chinese and emoji stay UTF-8", "社区会议 & 晚餐 🙌", "社区会议 &amp; 晚餐 🙌"},
      {"newline, tab and CR kept", "a\nb\tc\rd", "a\nb\tc\rd"},
      {"NUL and other controls dropped",
       std::string("a\0b\x01"
                   "c\x7F",
                   6),
       "abc"},
      {"invalid UTF-8 becomes U+FFFD", "caf\xC3", "caf\xEF\xBF\xBD"},
      {"lone continuation byte becomes U+FFFD", "\x80x", "\xEF\xBF\xBDx"},
      {"surrogate encoded in UTF-8 becomes U+FFFD", "\xED\xA0\x80",
       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(xml_escape(c.text) == c.expected); }
  }
}

TEST_CASE("twiml: writing responses", "[channels][twiml]") {
  CHECK(twiml_response({}) == doc("<Response/>"));
  CHECK(twiml_response({""}) == doc("<Response/>"));
  CHECK(twiml_response({"Gracias. Responde ALTO para salir & <más>"}) ==
        doc("<Response><Message>Gracias. Responde ALTO para salir &amp; "
            "&lt;más&gt;</Message></Response>"));
  CHECK(twiml_response({"一", "", "二"}) ==
        doc("<Response><Message>一</Message><Message>二</Message></Response>"));
}

TEST_CASE("twiml: reading messages back", "[channels][twiml]") {
  struct Case {
    const char* label;
    std::string xml;
    std::optional<std::vector<std::string>> expected;
  };
  const std::vector<Case> cases = {
      {"empty response", doc("<Response/>"), std::vector<std::string>{}},
      {"empty response with a closing tag", doc("<Response></Response>"),
       std::vector<std::string>{}},
      {"one message, unescaped",
       doc("<Response><Message>a &amp; b &lt;c&gt; &quot;d&quot; "
           "&apos;e&apos;</Message></Response>"),
       std::vector<std::string>{R"(a & b <c> "d" 'e')"}},
      {"two messages in order",
       doc("<Response><Message>uno</Message><Message>dos</Message></Response>"),
       std::vector<std::string>{"uno", "dos"}},
      {"numeric references", "<Response><Message>caf&#233; &#x1F64C;</Message></Response>",
       std::vector<std::string>{"café 🙌"}},
      {"attributes, whitespace and comments",
       doc("\n<!-- reply -->\n<Response>\n  <Message to=\"+15595550142\" "
           "action=\"/x?a=1&amp;b=2\">Hola</Message>\n</Response>\n"),
       std::vector<std::string>{"Hola"}},
      {"Body child with Media",
       doc("<Response><Message><Body>Mira</Body><Media>https://example.org/a.png</Media></"
           "Message></Response>"),
       std::vector<std::string>{"Mira"}},
      {"text next to a Media child keeps only the text",
       doc("<Response><Message>Mira<Media>https://example.org/a.png</Media></Message></Response>"),
       std::vector<std::string>{"Mira"}},
      {"CDATA taken literally", doc("<Response><Message><![CDATA[a & <b>]]></Message></Response>"),
       std::vector<std::string>{"a & <b>"}},
      {"self-closing message is empty", doc("<Response><Message/></Response>"),
       std::vector<std::string>{""}},
      {"unknown entity left as is", doc("<Response><Message>&nbsp;x</Message></Response>"),
       std::vector<std::string>{"&nbsp;x"}},
      {"other verbs ignored",
       doc("<Response><Redirect>/next</Redirect><Message>ok</Message></Response>"),
       std::vector<std::string>{"ok"}},
      {"HTML error page is not TwiML", "<html><body>502 Bad Gateway</body></html>", std::nullopt},
      {"empty body is not TwiML", "", std::nullopt},
      {"plain text is not TwiML", "ok", std::nullopt},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(twiml_messages(c.xml) == c.expected); }
  }
}

TEST_CASE("twiml: what is written reads back the same", "[channels][twiml]") {
  const std::vector<std::string> texts = {R"(Responde "ALTO" & 'STOP' <ahora>)",
                                          "社区会议：周二晚上7点 & 免费晚餐 🙌", "Línea 1\nLínea 2"};
  CHECK(twiml_messages(twiml_response(texts)) == std::optional<std::vector<std::string>>(texts));
}

}  // namespace broadcaster::channels

namespace broadcaster::channels {

TEST_CASE("twiml: reading never fails on scrambled documents", "[channels][twiml]") {
  // Pieces of real TwiML shuffled together: every prefix, nesting and
  // unterminated construct the scanner may meet.
  const std::vector<std::string> pieces = {"<?xml version=\"1.0\"?>",
                                           "<Response>",
                                           "</Response>",
                                           "<Response/>",
                                           "<Message>",
                                           "</Message>",
                                           "<Message/>",
                                           "<Body>",
                                           "</Body>",
                                           "<Media>",
                                           "</Media>",
                                           "<![CDATA[",
                                           "]]>",
                                           "<!--",
                                           "-->",
                                           "&amp;",
                                           "&#x1F64C;",
                                           "&#0;",
                                           "&#xD800;",
                                           "&",
                                           ";",
                                           "<",
                                           ">",
                                           "\"",
                                           "'",
                                           "a=\"x>y\"",
                                           "hola",
                                           "社区",
                                           "\xC3",
                                           "/"};
  std::mt19937 random(20240305);
  for (int i = 0; i < 3000; ++i) {
    std::string xml;
    const int count = static_cast<int>(random() % 12);
    for (int j = 0; j < count; ++j) xml += pieces[random() % pieces.size()];
    INFO(xml);
    const auto messages = twiml_messages(xml);
    if (messages) {
      for (const auto& message : *messages) CHECK(message.size() <= xml.size() * 2);
    }
    CHECK(twiml_messages(twiml_response({xml})) ==
          std::optional<std::vector<std::string>>(
              xml_unescape(xml_escape(xml)).empty()
                  ? std::vector<std::string>{}
                  : std::vector<std::string>{xml_unescape(xml_escape(xml))}));
  }
}

}  // namespace broadcaster::channels
