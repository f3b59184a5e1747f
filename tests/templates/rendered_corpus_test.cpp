// A corpus of real-looking campaign templates in ten languages, rendered
// with a typed date (Saturday 2026-12-05, 10:00 in Fresno), a seat count and
// text arguments, for the locale the template store would choose, and what
// each rendered message costs, as written and smart-encoded.
//
// The expected texts are CLDR 42 (ICU 72) output, read and checked by eye
// for each language (Arabic-Indic digits and the `many` plural form for 12
// in Arabic, no plural forms in Chinese and Korean, `many` for 12 in
// Russian). The UTF-16 lengths were counted independently (Python's
// UTF-16 encoder), and the segments follow from sms_encoding.h's rules:
// UCS-2 holds 70 units in one segment, else 67 per segment; GSM-7 160, else
// 153. CLDR writes a narrow no-break space (U+202F) before AM/PM: it is not
// GSM-7, so an English text with a time is UCS-2 unless smart-encoded.
#include <catch2/catch.hpp>

#include "templates/message_template.h"
#include "templates/sms_encoding.h"

using namespace broadcaster::templates;

namespace {

struct CorpusCase {
  const char* language;
  const char* format_locale;  // what the store chooses with region US (hmn -> en-US)
  const char* pattern;
  const char* expected;
  SmsEncoding encoding;
  std::size_t units;
  std::size_t segments;
  SmsEncoding smart_encoding;  // after smart_encode
  std::size_t smart_segments;
};

constexpr SmsEncoding kGsm = SmsEncoding::Gsm7;
constexpr SmsEncoding kUcs = SmsEncoding::Ucs2;

const Variables& corpus_variables() {
  static const Variables vars{{"when", parse_datetime("2026-12-05T10:00", "America/Los_Angeles")},
                              {"seats", Value::number(12)},
                              {"org", Value::text("VILN")},
                              {"place", Value::text("Fresno Central Library")}};
  return vars;
}

}  // namespace

TEST_CASE("workshop invitations in ten languages render and cost as expected") {
  const CorpusCase cases[] = {
      {"en", "en-US",
       "{org}: Free DACA renewal workshop {when, date, ::EEEEMMMMd} at {when, time, short}, {place}. "
       "{seats, plural, one {# seat} other {# seats}} left. Reply YES to save a seat.",
       "VILN: Free DACA renewal workshop Saturday, December 5 at 10:00\u202FAM, Fresno Central Library. "
       "12 seats left. Reply YES to save a seat.",
       kUcs, 131, 2, kGsm, 1},
      {"es", "es-US",
       "{org}: Taller gratuito de renovación de DACA el {when, date, ::EEEEdMMMM} a las {when, time, short} en "
       "{place}. {seats, plural, one {Queda # lugar} other {Quedan # lugares}}. Responda SÍ para reservar.",
       "VILN: Taller gratuito de renovación de DACA el sábado, 5 de diciembre a las 10:00\u202Fa.\u00A0m. en "
       "Fresno Central Library. Quedan 12 lugares. Responda SÍ para reservar.",
       kUcs, 160, 3, kUcs, 3},  // ó, á, Í are not GSM-7: smart encoding cannot help
      {"zh", "zh",
       "{org}：免费DACA续期讲座，{when, date, ::MMMMdEEEE}{when, time, short}，地点：{place}。还剩{seats}个名额。"
       "回复“是”预约。",
       "VILN：免费DACA续期讲座，12月5日星期六10:00，地点：Fresno Central Library。还剩12个名额。回复“是”预约。", kUcs, 72, 2,
       kUcs, 2},
      {"vi", "vi",
       "{org}: Hội thảo gia hạn DACA miễn phí lúc {when, time, short} {when, date, full} tại {place}. "
       "Còn {seats} chỗ. Trả lời CÓ để giữ chỗ.",
       "VILN: Hội thảo gia hạn DACA miễn phí lúc 10:00 Thứ Bảy, 5 tháng 12, 2026 tại Fresno Central Library. "
       "Còn 12 chỗ. Trả lời CÓ để giữ chỗ.",
       kUcs, 135, 3, kUcs, 3},
      {"tl", "tl",
       "{org}: Libreng workshop sa pag-renew ng DACA sa {when, date, ::EEEEMMMMd}, {when, time, short}, sa "
       "{place}. {seats} na lang ang natitirang upuan. Sumagot ng OO para magpareserba.",
       "VILN: Libreng workshop sa pag-renew ng DACA sa Sabado, Disyembre 5, 10:00\u202FAM, sa Fresno Central "
       "Library. 12 na lang ang natitirang upuan. Sumagot ng OO para magpareserba.",
       kUcs, 170, 3, kGsm, 2},
      // ICU has no Hmong data: dates come from the next language of the chain.
      {"hmn", "en-US",
       "{org}: Kev cob qhia pub dawb txog DACA {when, date, ::EEEEMMMMd}, {when, time, short} ntawm {place}. "
       "Tseem muaj {seats} lub rooj zaum. Teb YOG kom tuav ib lub rooj.",
       "VILN: Kev cob qhia pub dawb txog DACA Saturday, December 5, 10:00\u202FAM ntawm Fresno Central Library. "
       "Tseem muaj 12 lub rooj zaum. Teb YOG kom tuav ib lub rooj.",
       kUcs, 157, 3, kGsm, 1},
      {"pa", "pa",
       "{org}: ਮੁਫ਼ਤ DACA ਨਵੀਨੀਕਰਨ ਵਰਕਸ਼ਾਪ {when, date, ::EEEEdMMMM}, {when, time, short}, {place} ਵਿਖੇ। {seats} ਸੀਟਾਂ "
       "ਬਾਕੀ ਹਨ। ਸੀਟ ਰਾਖਵੀਂ ਕਰਨ ਲਈ YES ਲਿਖੋ।",
       "VILN: ਮੁਫ਼ਤ DACA ਨਵੀਨੀਕਰਨ ਵਰਕਸ਼ਾਪ ਸ਼ਨਿੱਚਰਵਾਰ, 5 ਦਸੰਬਰ, 10:00 ਪੂ.ਦੁ., Fresno Central Library ਵਿਖੇ। 12 ਸੀਟਾਂ ਬਾਕੀ "
       "ਹਨ। ਸੀਟ ਰਾਖਵੀਂ ਕਰਨ ਲਈ YES ਲਿਖੋ।",
       kUcs, 143, 3, kUcs, 3},
      {"ar", "ar",
       "{org}: ورشة مجانية لتجديد DACA يوم {when, date, ::EEEEdMMMM} الساعة {when, time, short} في {place}. "
       "{seats, plural, zero {لا توجد مقاعد} one {بقي مقعد واحد} two {بقي مقعدان} few {بقيت # مقاعد} "
       "many {بقي # مقعدًا} other {بقي # مقعد}}. أرسل نعم للحجز.",
       "VILN: ورشة مجانية لتجديد DACA يوم السبت، ٥ ديسمبر الساعة ١٠:٠٠ ص في Fresno Central Library. "
       "بقي ١٢ مقعدًا. أرسل نعم للحجز.",
       kUcs, 122, 2, kUcs, 2},
      {"ko", "ko",
       "{org}: 무료 DACA 갱신 워크숍 {when, date, ::MMMMdEEEE} {when, time, short}, 장소: {place}. "
       "남은 자리 {seats}석. 예약하려면 YES라고 답장하세요.",
       "VILN: 무료 DACA 갱신 워크숍 12월 5일 토요일 오전 10:00, 장소: Fresno Central Library. 남은 자리 12석. "
       "예약하려면 YES라고 답장하세요.",
       kUcs, 99, 2, kUcs, 2},
      {"ru", "ru",
       "{org}: Бесплатный семинар по продлению DACA {when, date, ::EEEEdMMMM} в {when, time, short}, {place}. "
       "{seats, plural, one {Осталось # место} few {Осталось # места} many {Осталось # мест} "
       "other {Осталось # места}}. Ответьте ДА, чтобы записаться.",
       "VILN: Бесплатный семинар по продлению DACA суббота, 5 декабря в 10:00, Fresno Central Library. "
       "Осталось 12 мест. Ответьте ДА, чтобы записаться.",
       kUcs, 143, 3, kUcs, 3},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.language) {
      const auto t = MessageTemplate::compile(c.pattern, c.language, std::string("t/") + c.language + ".txt",
                                              c.format_locale);
      const std::string text = t.render(corpus_variables());
      CHECK(text == c.expected);
      const SmsInfo info = analyze_sms(text);
      CHECK(info.encoding == c.encoding);
      CHECK(info.code_units == c.units);
      CHECK(info.segments == c.segments);
      const SmsInfo smart = analyze_sms(smart_encode(text));
      CHECK(smart.encoding == c.smart_encoding);
      CHECK(smart.segments == c.smart_segments);
    }
  }
}

TEST_CASE("segment boundaries are counted on the rendered text, arguments included") {
  struct Case {
    const char* label;
    const char* pattern;
    std::size_t filler;  // length of the {x} argument, in 'a'
    SmsEncoding encoding;
    std::size_t segments;
  };
  const Case cases[] = {
      // "Hi " (3) + filler + "." (1)
      {"GSM-7 exactly 160", "Hi {x}.", 156, kGsm, 1},
      {"GSM-7 161", "Hi {x}.", 157, kGsm, 2},
      // "€" is two septets: 3 + 154 + 2 + 1 = 160 fits one segment.
      {"extension character fills 160", "Hi {x}€.", 154, kGsm, 1},
      {"extension character tips to 161", "Hi {x}€.", 155, kGsm, 2},
      // 306 septets would be 2 × 153, but ESC+€ would start at septet 153 of
      // the first segment and cannot be split from its escape, so it moves
      // on: 152 | 153 | 1 septets, three segments.
      {"escape pair at a segment boundary", "Hi {x}€{x}aaa", 149, kGsm, 3},
      // "á" makes it UCS-2: "á " (2) + filler = 70, 71.
      {"UCS-2 exactly 70", "á {x}", 68, kUcs, 1},
      {"UCS-2 71", "á {x}", 69, kUcs, 2},
      // 🎉 is one character but two UTF-16 units: 2 + 66 + 2 = 70.
      {"emoji at 70 units", "🎉 {x}🎉", 65, kUcs, 1},
      {"emoji at 71 units", "🎉 {x}🎉", 66, kUcs, 2},
      // A family emoji (ZWJ sequence) is 11 units: 11 + 59 = 70.
      {"ZWJ sequence at 70 units", "👨‍👩‍👧‍👦{x}", 59, kUcs, 1},
      {"ZWJ sequence at 71 units", "👨‍👩‍👧‍👦{x}", 60, kUcs, 2},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto t = MessageTemplate::compile(c.pattern, "en", "t/en.txt");
      const SmsInfo info = analyze_sms(t.render({{"x", Value::text(std::string(c.filler, 'a'))}}));
      CHECK(info.encoding == c.encoding);
      CHECK(info.segments == c.segments);
    }
  }
}
