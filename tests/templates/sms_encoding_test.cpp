// SMS encoding, segments and smart encoding: a corpus of outreach texts in
// eleven languages, the 160/153 and 70/67 boundaries, escape and surrogate
// pairs at segment edges, grapheme counting, look-alike replacement and
// invalid UTF-8.
//
// Expected values are worked out by hand from the rules in sms_encoding.h,
// not copied from the implementation's output: lengths of the corpus texts
// were counted independently (code points and UTF-16 units of each string),
// and the segment counts follow from them as noted next to each case.
#include "templates/sms_encoding.h"

#include <catch2/catch.hpp>

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

using broadcaster::templates::analyze_sms;
using broadcaster::templates::code_points;
using broadcaster::templates::InvalidUtf8Error;
using broadcaster::templates::smart_encode;
using broadcaster::templates::SmsEncoding;
using broadcaster::templates::SmsInfo;
using broadcaster::templates::split_characters;

namespace {

constexpr SmsEncoding kGsm = SmsEncoding::Gsm7;
constexpr SmsEncoding kUcs = SmsEncoding::Ucs2;
/// `characters` not checked (scripts whose grapheme clusters are not obvious).
constexpr std::size_t kAny = std::numeric_limits<std::size_t>::max();

struct SmsCase {
  const char* label;
  std::string text;
  SmsEncoding encoding;
  std::size_t characters;  // grapheme clusters, or kAny
  std::size_t code_units;  // septets (GSM-7) or UTF-16 units (UCS-2)
  std::size_t segments;
};

std::string repeat(std::size_t n, char c = 'a') { return std::string(n, c); }

void check_case(const SmsCase& c) {
  const SmsInfo info = analyze_sms(c.text);
  CHECK(info.encoding == c.encoding);
  if (c.characters != kAny) CHECK(info.characters == c.characters);
  CHECK(info.code_units == c.code_units);
  CHECK(info.segments == c.segments);
  CHECK(info.non_gsm_characters.empty() == (c.encoding == kGsm));
}

}  // namespace

// ---------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------

TEST_CASE("outreach texts in many languages get the expected encoding and segments") {
  // GSM-7: <= 160 septets is 1 segment, <= 306 is 2. UCS-2 (BMP only, so no
  // surrogate pairs): <= 70 units is 1, <= 134 is 2, <= 201 is 3.
  const std::vector<SmsCase> cases = {
      // ASCII only, no extension characters: 137 septets.
      {"English, GSM-7",
       "Free know-your-rights workshop Sat 10am at Fresno Library, 2420 Mariposa St. Bring "
       "questions; no documents needed. Reply STOP to opt out.",
       kGsm, 137, 137, 1},
      // 95 characters; the two ’ (U+2019) make it UCS-2: 95 units > 70.
      {"English with a curly apostrophe, UCS-2",
       "Don’t sign anything you don’t understand. Free legal help: 559-555-0142. Reply STOP "
       "to opt out.",
       kUcs, 95, 95, 2},
      // 83 characters; í and á are not in GSM-7: 83 units > 70.
      {"Spanish with í and á, UCS-2",
       "Taller gratuito de ciudadanía el sábado 10am en Fresno. Responde ALTO para cancelar", kUcs,
       83, 83, 2},
      // ñ and ¿ are in the GSM-7 basic table: 102 septets.
      {"Spanish with ñ and ¿, GSM-7",
       "Niños y familias: ¿Tienes preguntas sobre tu caso? Llama al 559-555-0142. Responde "
       "ALTO para cancelar.",
       kGsm, 102, 102, 1},
      // 210 septets: 161..306, two segments.
      {"Spanish long, GSM-7",
       "Conoce tus derechos: si ICE toca a tu puerta, no abras. Pide que pasen la orden por "
       "debajo de la puerta. Tienes derecho a guardar silencio. Llama al 559-555-0142 si "
       "necesitas ayuda. Responde ALTO para cancelar.",
       kGsm, 210, 210, 2},
      // 45 BMP characters, each one grapheme.
      {"Chinese, UCS-2",
       "免费移民法律咨询：本周六上午10点，弗雷斯诺公共图书馆。请携带身份证件。回复STOP退订。", kUcs,
       45, 45, 1},
      // 97 precomposed (NFC) characters.
      {"Vietnamese, UCS-2",
       "Hội thảo miễn phí về quyền của bạn: thứ Bảy 10 giờ sáng tại thư viện Fresno. Trả lời "
       "STOP để hủy.",
       kUcs, 97, 97, 2},
      // 185 units: 135..201, three segments.
      {"Vietnamese long, UCS-2",
       "Biết quyền của bạn: Nếu ICE đến nhà, đừng mở cửa. Bạn có quyền giữ im lặng và không "
       "ký bất cứ giấy tờ nào. Gọi đường dây nóng 559-555-0142 để được giúp đỡ miễn phí. Trả "
       "lời STOP để hủy.",
       kUcs, 185, 185, 3},
      // ASCII: 119 septets.
      {"Tagalog, GSM-7",
       "Libreng konsultasyon sa imigrasyon ngayong Sabado, 10am sa Fresno Library. Magdala ng "
       "ID. Sumagot ng STOP para huminto.",
       kGsm, 119, 119, 1},
      // Hmong RPA is written in ASCII letters: 118 septets.
      {"Hmong, GSM-7",
       "Kev qhia pub dawb txog koj txoj cai: hnub Saturday 10am ntawm Fresno Library. Teb STOP "
       "kom tsis txhob tau txais ntxiv.",
       kGsm, 118, 118, 1},
      // 93 UTF-16 units; vowel signs and virama join graphemes, so the
      // character count is not checked here.
      {"Punjabi, UCS-2",
       "ਮੁਫ਼ਤ ਇਮੀਗ੍ਰੇਸ਼ਨ ਕਾਨੂੰਨੀ ਸਲਾਹ: ਸ਼ਨੀਵਾਰ ਸਵੇਰੇ 10 ਵਜੇ, ਫਰਿਜ਼ਨੋ ਲਾਇਬ੍ਰੇਰੀ। ਬੰਦ ਕਰਨ ਲਈ STOP ਭੇਜੋ।", kUcs, kAny,
       93, 2},
      // 83 units, no harakat, so every letter is its own grapheme.
      {"Arabic, UCS-2",
       "ورشة مجانية حول حقوقك يوم السبت الساعة 10 صباحا في مكتبة فريسنو. أرسل STOP للإلغاء.", kUcs,
       83, 83, 2},
      // 55 precomposed Hangul syllables and ASCII.
      {"Korean, UCS-2",
       "무료 이민 법률 상담: 토요일 오전 10시 프레즈노 도서관. 신분증을 지참하세요. 수신거부 STOP",
       kUcs, 55, 55, 1},
      {"Russian, UCS-2",
       "Бесплатная юридическая консультация по иммиграции в субботу в 10:00 в библиотеке "
       "Фресно. Для отписки ответьте STOP.",
       kUcs, 115, 115, 2},
      // 190 units: three segments.
      {"Russian long, UCS-2",
       "Знайте свои права: если к вам пришли из ICE, не открывайте дверь. Вы имеете право "
       "хранить молчание и ничего не подписывать. Бесплатная горячая линия: 559-555-0142. "
       "Ответьте STOP для отписки.",
       kUcs, 190, 190, 3},
      // 99 characters, of which { } € [ ] are extension characters: 99 + 5 = 104.
      {"English with extension characters, GSM-7",
       "Bring your ID and proof of address {if you have it}. Fee: 0 € [free]. Questions? Call "
       "559-555-0142.",
       kGsm, 99, 104, 1},
  };
  for (const SmsCase& c : cases) {
    DYNAMIC_SECTION(c.label) { check_case(c); }
  }
}

// ---------------------------------------------------------------------------
// Segment boundaries
// ---------------------------------------------------------------------------

TEST_CASE("GSM-7 segments: 160 single, 153 per concatenated segment") {
  const std::string a152 = repeat(152);
  const std::vector<SmsCase> cases = {
      {"empty body: nothing to send", "", kGsm, 0, 0, 0},
      {"1 septet", "a", kGsm, 1, 1, 1},
      {"160 septets fit one message", repeat(160), kGsm, 160, 160, 1},
      {"161 septets need two segments", repeat(161), kGsm, 161, 161, 2},
      {"306 septets fill two segments", repeat(306), kGsm, 306, 306, 2},
      {"307 septets need three", repeat(307), kGsm, 307, 307, 3},
      // 158 + 2 = 160 septets in 159 characters.
      {"euro at the end of 160 septets", repeat(158) + "€", kGsm, 159, 160, 1},
      // 159 + 2 = 161 septets: concatenated.
      {"euro pushing past 160", repeat(159) + "€", kGsm, 160, 161, 2},
      // 152 + 2 + 152 = 306 septets, which division would put in 2 segments;
      // but ESC+€ would straddle septets 153/154, so € opens segment 2
      // (2 + 151 = 153) and the last 'a' needs segment 3.
      {"escape pair straddling 153 opens the next segment", a152 + "€" + a152, kGsm, 305, 306, 3},
      // Same 306 septets with the pair at 152/153: it fits, 153 + 153.
      {"escape pair ending exactly at 153 fits", repeat(151) + "€" + repeat(153), kGsm, 305, 306,
       2},
      // 152 + 2 + 10 = 164: { moves to segment 2, which holds 12 septets.
      {"brace straddling 153", a152 + "{" + repeat(10), kGsm, 163, 164, 2},
      // Every extension character costs 2: 10 characters, 20 septets.
      {"extension table costs two septets each", "^{}\\[~]|€\f", kGsm, 10, 20, 1},
      // CR LF is one grapheme but two septets.
      {"CR LF is one character, two septets", "a\r\nb", kGsm, 3, 4, 1},
  };
  for (const SmsCase& c : cases) {
    DYNAMIC_SECTION(c.label) { check_case(c); }
  }
}

TEST_CASE("UCS-2 segments: 70 single, 67 per concatenated segment") {
  // "á" is one UTF-16 unit that forces UCS-2; '😀' (U+1F600) is a surrogate pair.
  const std::vector<SmsCase> cases = {
      {"1 + 69 = 70 units fit one message", "á" + repeat(69), kUcs, 70, 70, 1},
      {"71 units need two segments", "á" + repeat(70), kUcs, 71, 71, 2},
      {"134 units fill two segments", "á" + repeat(133), kUcs, 134, 134, 2},
      {"135 units need three", "á" + repeat(134), kUcs, 135, 135, 3},
      // 1 + 65 + 2 + 66 = 134 units, which division would put in 2 segments;
      // the pair would straddle units 67/68, so it opens segment 2
      // (2 + 65 = 67) and the last 'a' needs segment 3.
      {"surrogate pair straddling 67 opens the next segment", "á" + repeat(65) + "😀" + repeat(66),
       kUcs, 133, 134, 3},
      // 1 + 64 + 2 = 67 exactly, then 67: two segments.
      {"surrogate pair ending exactly at 67 fits", "á" + repeat(64) + "😀" + repeat(67), kUcs, 133,
       134, 2},
      {"one emoji is one character, two units", "😀", kUcs, 1, 2, 1},
      // U+1F468 U+200D U+1F469 U+200D U+1F467 U+200D U+1F466: 4 pairs + 3 ZWJ.
      {"ZWJ family is one character, 11 units", "👨‍👩‍👧‍👦", kUcs, 1, 11, 1},
      // Two regional indicators (U+1F1F2 U+1F1FD): one flag, two pairs.
      {"flag is one character, 4 units", "🇲🇽", kUcs, 1, 4, 1},
      // a + U+0301 COMBINING ACUTE ACCENT: one character, not GSM-7.
      {"decomposed á is one character, two units", "a\xCC\x81", kUcs, 1, 2, 1},
  };
  for (const SmsCase& c : cases) {
    DYNAMIC_SECTION(c.label) { check_case(c); }
  }
}

// ---------------------------------------------------------------------------
// The GSM-7 alphabet
// ---------------------------------------------------------------------------

TEST_CASE("every GSM 03.38 basic character is one septet") {
  // The 127 characters of the basic table (ESC at 0x1B excluded), grouped by
  // kind rather than by position so this is not a copy of the source table.
  const std::vector<std::pair<const char*, std::string>> groups = {
      {"ASCII letters", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
      {"digits", "0123456789"},
      {"ASCII punctuation", " !\"#%&'()*+,-./:;<=>?@_$"},
      {"controls", "\n\r"},
      {"Latin letters", "èéùìòÇØøÅåÆæßÉÄÖÑÜäöñüà"},
      {"Greek capitals", "ΔΦΓΛΩΠΨΣΘΞ"},
      {"symbols", "£¥¤¡§¿"},
  };
  std::size_t total = 0;
  for (const auto& [label, characters] : groups) {
    DYNAMIC_SECTION(label) {
      for (const std::string_view c : split_characters(characters)) {
        INFO("character " << c);
        const SmsInfo info = analyze_sms(c);
        CHECK(info.encoding == kGsm);
        CHECK(info.code_units == 1);
      }
    }
    total += split_characters(characters).size();
  }
  CHECK(total == 127);
}

TEST_CASE("characters outside GSM-7 force UCS-2") {
  // á í ó ú are not in the table although é is; lowercase ç is not (Ç is);
  // lowercase Greek is not; the backtick and tab are ASCII but not GSM-7.
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"a acute", "á"},      {"i acute", "í"},
      {"o acute", "ó"},      {"u acute", "ú"},
      {"c cedilla", "ç"},    {"a tilde", "ã"},
      {"e circumflex", "ê"}, {"delta", "δ"},
      {"backtick", "`"},     {"tab", "\t"},
      {"right quote", "’"},  {"em dash", "—"},
      {"cent", "¢"},         {"NUL", std::string(1, '\0')},
  };
  for (const auto& [label, text] : cases) {
    DYNAMIC_SECTION(label) {
      const SmsInfo info = analyze_sms("Hola " + text);
      CHECK(info.encoding == kUcs);
      CHECK(info.non_gsm_characters == std::vector<std::string>{text});
    }
  }
}

TEST_CASE("Spanish: á forces UCS-2 while é does not") {
  CHECK(analyze_sms("Llame al médico").encoding == kGsm);
  CHECK(analyze_sms("Llame el sábado").encoding == kUcs);
}

TEST_CASE("non_gsm_characters lists distinct offenders in order, at most five") {
  // é, ü and ñ are GSM-7; á repeats; ã is the sixth offender and is dropped.
  const SmsInfo info = analyze_sms("á á é í ó ú ü ñ ç ã");
  CHECK(info.non_gsm_characters == std::vector<std::string>{"á", "í", "ó", "ú", "ç"});
  // Whole grapheme clusters are reported, not their code points.
  CHECK(analyze_sms("Hola 👨‍👩‍👧‍👦").non_gsm_characters ==
        std::vector<std::string>{"👨‍👩‍👧‍👦"});
  CHECK(analyze_sms("Jose\xCC\x81").non_gsm_characters == std::vector<std::string>{"e\xCC\x81"});
}

TEST_CASE("split_characters returns grapheme clusters as views") {
  const std::string text = "Sí 👍🏽\r\n";  // thumbs up + skin tone modifier is one cluster
  const std::vector<std::string_view> characters = split_characters(text);
  CHECK(characters == std::vector<std::string_view>{"S", "í", " ", "👍🏽", "\r\n"});
  CHECK(split_characters("").empty());
}

TEST_CASE("code_points decodes UTF-8 of every length") {
  CHECK(code_points("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == U"a\u00E9\u20AC\U0001F600");
  CHECK(code_points("").empty());
}

// ---------------------------------------------------------------------------
// Smart encoding
// ---------------------------------------------------------------------------

TEST_CASE("smart_encode replaces look-alikes when that makes the message GSM-7") {
  const std::vector<std::tuple<const char*, std::string, std::string>> cases = {
      {"curly apostrophe", "Don’t miss it", "Don't miss it"},
      {"curly double quotes", "“Know your rights”", "\"Know your rights\""},
      {"low and reversed quotes", "‚a‛ „b‟", "'a' \"b\""},
      {"primes", "5′ 10″", "5' 10\""},
      {"acute and grave used as apostrophes", "It´s Maria`s", "It's Maria's"},
      {"guillemets", "«Taller» y ‹charla›", "\"Taller\" y 'charla'"},
      {"en dash", "Sat 10am–2pm", "Sat 10am-2pm"},
      {"em dash and bar", "Bring ID—any kind―please", "Bring ID-any kind-please"},
      {"hyphens and minus", "co‐op non‑profit −5 ‒", "co-op non-profit -5 -"},
      {"ellipsis becomes three dots", "Wait…", "Wait..."},
      {"no-break spaces", "10\u00A0am 11\u202Fam", "10 am 11 am"},
      {"typographic spaces", "a\u2002b\u2003c\u2009d\u200Ae\u205Ff", "a b c d e f"},
      {"zero-width characters removed", "\uFEFFFres\u200Bno\u2060 ca\u00ADse", "Fresno case"},
      {"bullets become hyphens", "• Bring ID\n• Bring proof", "- Bring ID\n- Bring proof"},
      // Spanish GSM-7 letters stay; only the quotes change.
      {"Spanish with GSM letters", "«Taller» para niños ¡bienvenidos! ¿Preguntas?",
       "\"Taller\" para niños ¡bienvenidos! ¿Preguntas?"},
  };
  for (const auto& [label, input, expected] : cases) {
    DYNAMIC_SECTION(label) {
      REQUIRE(analyze_sms(input).encoding == kUcs);
      const std::string result = smart_encode(input);
      CHECK(result == expected);
      CHECK(analyze_sms(result).encoding == kGsm);
      CHECK(smart_encode(result) == result);  // idempotent
    }
  }
}

TEST_CASE("smart_encode leaves text alone when it would stay UCS-2 or has nothing to replace") {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"Spanish ó and á keep the message UCS-2", "Niños ¿Dónde? Está aquí"},
      {"quotes kept when á keeps it UCS-2", "¿Dónde está el “taller”?"},
      {"Chinese keeps its quotes", "请带上“身份证件”——谢谢…"},
      {"Vietnamese untouched", "Hội thảo miễn phí – thứ Bảy"},
      {"Russian keeps guillemets", "«Знайте свои права» — бесплатно"},
      {"emoji keeps it UCS-2", "Don’t forget 😀"},
      {"ZWJ sequence untouched", "Familia 👨‍👩‍👧 ’"},
      {"modifier letter apostrophe is a letter", "Hawaiʻi and Kyivʼs"},
      {"fullwidth forms are not mapped", "ＳＴＯＰ"},
      {"already GSM-7", "Niños"},
      {"Hmong", "Teb STOP kom tsis txhob tau txais ntxiv."},
      {"empty", ""},
  };
  for (const auto& [label, input] : cases) {
    DYNAMIC_SECTION(label) { CHECK(smart_encode(input) == input); }
  }
}

TEST_CASE("a corpus text that was UCS-2 only because of ’ becomes one GSM-7 segment") {
  const std::string text =
      "Don’t sign anything you don’t understand. Free legal help: 559-555-0142. Reply STOP to "
      "opt out.";
  REQUIRE(analyze_sms(text).segments == 2);  // 95 UCS-2 units
  const SmsInfo info = analyze_sms(smart_encode(text));
  CHECK(info.encoding == kGsm);
  CHECK(info.code_units == 95);
  CHECK(info.segments == 1);
}

// ---------------------------------------------------------------------------
// Invalid UTF-8
// ---------------------------------------------------------------------------

TEST_CASE("invalid UTF-8 is reported with its byte offset") {
  const std::vector<std::tuple<const char*, std::string, std::size_t>> cases = {
      {"bad continuation byte", "abc\xC3(", 3},
      {"lone continuation byte", "\x80", 0},
      {"overlong two-byte form", "ok \xC0\xAF", 3},
      {"overlong three-byte form", "ok\xE0\x80\xAF", 2},
      {"UTF-16 surrogate", "\xED\xA0\x80", 0},
      {"truncated at the end", "ab\xE2\x82", 2},
      {"above U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"invalid lead byte", "x\xF5\x80\x80\x80", 1},
      // "¡" is two bytes, "Hola!" five.
      {"after multi-byte text", "¡Hola!\xFF", 7},
  };
  for (const auto& [label, text, offset] : cases) {
    DYNAMIC_SECTION(label) {
      for (int api = 0; api < 3; ++api) {
        try {
          if (api == 0) (void)analyze_sms(text);
          if (api == 1) (void)smart_encode(text);
          if (api == 2) (void)split_characters(text);
          FAIL("no exception from api " << api);
        } catch (const InvalidUtf8Error& e) {
          CHECK(e.byte_offset() == offset);
          CHECK(std::string(e.what()).find("byte offset " + std::to_string(offset)) !=
                std::string::npos);
        }
      }
    }
  }
}

TEST_CASE("InvalidUtf8Error is a broadcaster::Error") {
  CHECK_THROWS_AS(analyze_sms("\xFF"), broadcaster::Error);
}
