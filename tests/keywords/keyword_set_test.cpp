// The keyword engine against the shipped config/keywords.yaml: every
// configured language's opt-out, opt-in, help and language words in case,
// accent, full-width and punctuation variants; opt-out phrases and the
// texts that merely contain a stop word (both directions, since a false
// opt-out silently loses a subscriber); opt-in with language and topics;
// topics added and removed; and configuration errors with file:line:column
// from small YAML files.
#include "keywords/keyword_set.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "keywords/normalize.h"
#include "support/temp_dir.h"
#include "util/errors.h"

using broadcaster::ConfigError;
using broadcaster::keywords::Action;
using broadcaster::keywords::Intent;
using broadcaster::keywords::KeywordSet;
using broadcaster::testing::TempDir;
namespace kw = broadcaster::keywords;

namespace {

const KeywordSet& shipped() {
  static const KeywordSet set = KeywordSet::load(BC_SOURCE_DIR "/config/keywords.yaml");
  return set;
}

bool is_ascii(const std::string& s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

/// ASCII letters and punctuation as their full-width forms (U+FF01..U+FF5E),
/// spaces as the ideographic space, as a phone's full-width keyboard types.
std::string full_width(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == ' ') {
      out += "\xe3\x80\x80";
      continue;
    }
    const unsigned cp = 0xFF01u + static_cast<unsigned>(c - '!');
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::string ascii_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

/// `s` as subscribers send it: with punctuation, emoji, quotes and spaces
/// around it, and for ASCII words also lower case and full width.
std::vector<std::string> decorated(const std::string& s) {
  std::vector<std::string> out = {s,           " " + s + ".",   s + "!!",         "¡" + s + "!", "¿" + s + "?",
                                  s + " 🙂", "\"" + s + "\"", "\n" + s + " \n", s + "。",      s + "！"};
  if (is_ascii(s)) {
    out.push_back(ascii_lower(s));
    out.push_back(full_width(s));
  }
  return out;
}

std::string folded_key(const std::string& s) {
  std::string out;
  for (const auto& w : kw::words(s)) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

struct KeywordCase {
  const char* label;
  std::vector<std::string> spellings;
  Action action;
  std::string language;
  std::string switch_to;
};

struct TextCase {
  const char* label;
  std::string text;
  Action action;
  std::string language;  ///< checked unless "*"
};

void check_keyword(const KeywordCase& c) {
  for (const auto& spelling : c.spellings) {
    for (const auto& text : decorated(spelling)) {
      INFO("text: [" << text << "]");
      const Intent intent = shipped().classify(text);
      CHECK(intent.action == c.action);
      CHECK(intent.language == c.language);
      CHECK(intent.switch_to == c.switch_to);
      CHECK(intent.add_tags.empty());
      CHECK(intent.remove_tags.empty());
      CHECK(intent.matched == folded_key(spelling));
    }
  }
}

void check_text(const TextCase& c) {
  INFO("text: [" << c.text << "]");
  const Intent intent = shipped().classify(c.text);
  CHECK(to_string(intent.action) == to_string(c.action));
  if (c.language != "*") CHECK(intent.language == c.language);
  // A None flagged for staff names what it is about ("取消" in a question).
  if (c.action == Action::None && !intent.needs_review()) CHECK(intent.matched.empty());
  if (c.action != Action::None) CHECK_FALSE(intent.matched.empty());
}

}  // namespace

// ---------------------------------------------------------------------------
// The shipped configuration
// ---------------------------------------------------------------------------

TEST_CASE("the shipped keywords configure the required languages") {
  CHECK(shipped().languages() == std::vector<std::string>{"ar", "en", "es", "hmn", "ko", "pa", "ru", "tl", "vi", "zh"});
  CHECK(shipped().native_name("es") == "Español");
  CHECK(shipped().native_name("vi") == "Tiếng Việt");
  CHECK(shipped().native_name("zh") == "中文");
  CHECK(shipped().native_name("fr").empty());
  CHECK(KeywordSet().classify("STOP").action == Action::None);
  CHECK(KeywordSet().languages().empty());
}

TEST_CASE("opt-out keywords of every language, in every spelling") {
  const std::vector<KeywordCase> cases = {
      {"en STOP", {"STOP", "Stop"}, Action::OptOut, "en", ""},
      {"en STOPALL / STOP ALL", {"STOPALL", "STOP ALL"}, Action::OptOut, "en", ""},
      {"en UNSUBSCRIBE", {"UNSUBSCRIBE"}, Action::OptOut, "en", ""},
      {"en CANCEL", {"CANCEL"}, Action::OptOut, "en", ""},
      {"en END", {"END"}, Action::OptOut, "en", ""},
      {"en QUIT", {"QUIT"}, Action::OptOut, "en", ""},
      {"en REVOKE", {"REVOKE"}, Action::OptOut, "en", ""},
      {"en OPTOUT", {"OPTOUT"}, Action::OptOut, "en", ""},
      {"en OPT-OUT / OPT OUT", {"OPT-OUT", "Opt Out"}, Action::OptOut, "en", ""},
      {"en REMOVE", {"REMOVE"}, Action::OptOut, "en", ""},
      {"en STOP IT / STOP NOW", {"STOP IT", "Stop now"}, Action::OptOut, "en", ""},
      {"es ALTO", {"ALTO", "Álto", "alto"}, Action::OptOut, "es", ""},
      {"es PARAR", {"PARAR"}, Action::OptOut, "es", ""},
      {"es CANCELAR", {"CANCELAR"}, Action::OptOut, "es", ""},
      {"es BAJA", {"BAJA"}, Action::OptOut, "es", ""},
      {"es DETENER", {"DETENER"}, Action::OptOut, "es", ""},
      {"es SALIR", {"SALIR"}, Action::OptOut, "es", ""},
      {"es NO MÁS", {"NO MÁS", "no mas", "No Más"}, Action::OptOut, "es", ""},
      {"es DARSE DE BAJA", {"Darse de baja"}, Action::OptOut, "es", ""},
      {"zh 退订", {"退订", "退訂"}, Action::OptOut, "zh", ""},
      {"zh TD", {"TD"}, Action::OptOut, "zh", ""},
      {"zh 取消", {"取消"}, Action::OptOut, "zh", ""},
      {"zh 停止", {"停止"}, Action::OptOut, "zh", ""},
      {"vi NGỪNG", {"NGỪNG", "Ngừng", "ngung", "NGƯNG"}, Action::OptOut, "vi", ""},
      {"vi DỪNG LẠI", {"DỪNG LẠI", "dung lai"}, Action::OptOut, "vi", ""},
      {"vi HỦY ĐĂNG KÝ", {"HỦY ĐĂNG KÝ", "Huỷ đăng ký", "huy dang ky"}, Action::OptOut, "vi", ""},
      {"tl TIGIL", {"TIGIL", "Itigil"}, Action::OptOut, "tl", ""},
      {"tl HINTO", {"HINTO", "Huminto"}, Action::OptOut, "tl", ""},
      {"hmn NRES", {"NRES", "Nres"}, Action::OptOut, "hmn", ""},
      {"pa ਰੋਕੋ", {"ਰੋਕੋ"}, Action::OptOut, "pa", ""},
      {"pa ਬੰਦ ਕਰੋ", {"ਬੰਦ ਕਰੋ"}, Action::OptOut, "pa", ""},
      {"ar توقف", {"توقف", "تَوَقَّفْ", "تـوقـف"}, Action::OptOut, "ar", ""},
      {"ar إيقاف", {"إيقاف", "ايقاف"}, Action::OptOut, "ar", ""},
      {"ar إلغاء الاشتراك", {"إلغاء الاشتراك", "الغاء الاشتراك"}, Action::OptOut, "ar", ""},
      {"ko 중지", {"중지"}, Action::OptOut, "ko", ""},
      {"ko 수신거부", {"수신거부"}, Action::OptOut, "ko", ""},
      {"ko 그만", {"그만"}, Action::OptOut, "ko", ""},
      {"ko 취소", {"취소"}, Action::OptOut, "ko", ""},
      {"ru СТОП", {"СТОП", "стоп", "Стоп"}, Action::OptOut, "ru", ""},
      {"ru ОТПИСАТЬСЯ", {"ОТПИСАТЬСЯ", "Отписаться"}, Action::OptOut, "ru", ""},
      {"ru ХВАТИТ", {"ХВАТИТ"}, Action::OptOut, "ru", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_keyword(c); }
  }
}

TEST_CASE("opt-in keywords of every language, in every spelling") {
  const std::vector<KeywordCase> cases = {
      {"en JOIN", {"JOIN", "Join"}, Action::OptIn, "en", ""},
      {"en START", {"START"}, Action::OptIn, "en", ""},
      {"en SUBSCRIBE", {"SUBSCRIBE"}, Action::OptIn, "en", ""},
      {"en UNSTOP", {"UNSTOP"}, Action::OptIn, "en", ""},
      {"en YES", {"YES", "Yes"}, Action::OptIn, "en", ""},
      {"es ÚNETE", {"ÚNETE", "Únete", "UNETE", "unete"}, Action::OptIn, "es", ""},
      {"es ALTA", {"ALTA", "Alta"}, Action::OptIn, "es", ""},
      {"es SÍ", {"SÍ", "Sí", "si"}, Action::OptIn, "es", ""},
      {"zh 加入", {"加入"}, Action::OptIn, "zh", ""},
      {"zh 订阅", {"订阅", "訂閱"}, Action::OptIn, "zh", ""},
      {"vi THAM GIA", {"THAM GIA", "Tham gia"}, Action::OptIn, "vi", ""},
      {"vi ĐĂNG KÝ", {"ĐĂNG KÝ", "Đăng ký", "dang ky"}, Action::OptIn, "vi", ""},
      {"tl SUMALI", {"SUMALI"}, Action::OptIn, "tl", ""},
      {"tl OO", {"OO", "Oo"}, Action::OptIn, "tl", ""},
      {"hmn KOOM", {"KOOM"}, Action::OptIn, "hmn", ""},
      {"pa ਹਾਂ", {"ਹਾਂ"}, Action::OptIn, "pa", ""},
      {"pa ਸ਼ਾਮਲ ਹੋਵੋ", {"ਸ਼ਾਮਲ ਹੋਵੋ"}, Action::OptIn, "pa", ""},
      {"ar اشترك / نعم", {"اشترك", "نعم"}, Action::OptIn, "ar", ""},
      {"ko 가입 / 시작", {"가입", "시작"}, Action::OptIn, "ko", ""},
      {"ru ДА", {"ДА", "да", "Да", "ДА\xcc\x81"}, Action::OptIn, "ru", ""},
      {"ru ПОДПИСАТЬСЯ", {"ПОДПИСАТЬСЯ"}, Action::OptIn, "ru", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_keyword(c); }
  }
}

TEST_CASE("help keywords of every language, in every spelling") {
  const std::vector<KeywordCase> cases = {
      {"en HELP / INFO", {"HELP", "Help", "INFO", "Help me"}, Action::Help, "en", ""},
      {"es AYUDA", {"AYUDA", "Ayuda", "INFORMACIÓN", "informacion"}, Action::Help, "es", ""},
      {"zh 帮助", {"帮助", "幫助"}, Action::Help, "zh", ""},
      {"vi GIÚP", {"GIÚP", "giup", "TRỢ GIÚP"}, Action::Help, "vi", ""},
      {"tl TULONG", {"TULONG"}, Action::Help, "tl", ""},
      {"hmn PAB", {"PAB"}, Action::Help, "hmn", ""},
      {"pa ਮਦਦ", {"ਮਦਦ"}, Action::Help, "pa", ""},
      {"ar مساعدة", {"مساعدة", "مُسَاعَدَة"}, Action::Help, "ar", ""},
      {"ko 도움말", {"도움", "도움말"}, Action::Help, "ko", ""},
      {"ru ПОМОЩЬ", {"ПОМОЩЬ", "помощь"}, Action::Help, "ru", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_keyword(c); }
  }
}

TEST_CASE("language names and codes switch the language") {
  const std::vector<KeywordCase> cases = {
      {"ESPAÑOL", {"ESPAÑOL", "espanol", "Español"}, Action::Language, "es", "es"},
      {"SPANISH", {"SPANISH"}, Action::Language, "en", "es"},
      {"code ES", {"ES", "es"}, Action::Language, "", "es"},
      {"ENGLISH", {"ENGLISH", "English"}, Action::Language, "en", "en"},
      {"INGLÉS (Spanish and Tagalog)", {"INGLÉS", "ingles"}, Action::Language, "", "en"},
      {"中文", {"中文", "汉语", "普通話"}, Action::Language, "zh", "zh"},
      {"英文", {"英文"}, Action::Language, "zh", "en"},
      {"TIẾNG VIỆT", {"TIẾNG VIỆT", "Tiếng Việt", "tieng viet"}, Action::Language, "vi", "vi"},
      {"TAGALOG (English and Tagalog)", {"TAGALOG", "Filipino"}, Action::Language, "", "tl"},
      {"HMOOB", {"HMOOB", "Hmoob"}, Action::Language, "hmn", "hmn"},
      {"HMONG (English and Hmong)", {"HMONG"}, Action::Language, "", "hmn"},
      {"ਪੰਜਾਬੀ", {"ਪੰਜਾਬੀ", "پنجابی"}, Action::Language, "pa", "pa"},
      {"العربية", {"العربية", "عربي"}, Action::Language, "ar", "ar"},
      {"한국어", {"한국어", "한국말"}, Action::Language, "ko", "ko"},
      {"РУССКИЙ", {"РУССКИЙ", "Русский", "по-русски"}, Action::Language, "ru", "ru"},
      {"code ZH", {"ZH"}, Action::Language, "", "zh"},
      {"code HMN", {"HMN"}, Action::Language, "", "hmn"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_keyword(c); }
  }
}

// ---------------------------------------------------------------------------
// Opt-out: both directions
// ---------------------------------------------------------------------------

TEST_CASE("clear stop requests in other words opt out") {
  const std::vector<TextCase> cases = {
      {"en phrase with punctuation", "Please stop texting me.", Action::OptOut, "en"},
      {"en phrase in upper case", "STOP SENDING ME THESE", Action::OptOut, "en"},
      {"en no more messages", "No more messages please", Action::OptOut, "*"},      // also a code-switched phrase of es
      {"en unsubscribe me", "unsubscribe me from this list", Action::OptOut, "*"},  // also a code-switched phrase of es
      {"en remove me", "Remove me from this list!", Action::OptOut, "en"},
      {"en take me off", "Can you take me off your list?", Action::OptOut, "en"},
      {"en curly apostrophe", "Don’t text me again", Action::OptOut, "en"},
      {"en wrong number", "Wrong number", Action::OptOut, "*"},  // also a code-switched phrase of es
      {"en opt-out with hyphen inside", "I want to opt-out", Action::OptOut, "en"},
      {"es ya no quiero mensajes", "ya no quiero mensajes", Action::OptOut, "es"},
      {"es with polite word", "Ya no quiero mensajes, gracias", Action::OptOut, "es"},
      {"es no me manden más", "no me manden más mensajes", Action::OptOut, "es"},
      {"es without accents", "No me manden mas mensajes por favor", Action::OptOut, "es"},
      {"es dejen de mandarme", "Dejen de mandarme mensajes", Action::OptOut, "es"},
      {"es bórrenme", "¡Bórrenme de la lista!", Action::OptOut, "es"},
      {"zh simplified", "我不想再收到这些短信", Action::OptOut, "zh"},
      {"zh don't send", "请不要再发短信给我", Action::OptOut, "zh"},
      {"zh traditional", "請不要再發了！", Action::OptOut, "zh"},
      {"zh 退订 in a sentence", "我要退订", Action::OptOut, "zh"},
      {"ko no more texts", "문자 그만 보내세요", Action::OptOut, "ko"},
      {"ko spaced 수신 거부", "수신 거부 합니다", Action::OptOut, "ko"},
      {"ru don't write", "Больше не пишите мне, пожалуйста", Action::OptOut, "ru"},
      {"ar don't send", "لا ترسل لي رسائل", Action::OptOut, "ar"},
      {"ar hamza folded", "لا اريد رسائل", Action::OptOut, "ar"},
      {"vi don't text", "Đừng nhắn tin nữa", Action::OptOut, "vi"},
      {"keyword then polite", "Stop please", Action::OptOut, "en"},
      {"polite then keyword", "please stop!", Action::OptOut, "en"},
      {"keyword repeated", "STOP STOP STOP", Action::OptOut, "en"},
      {"es keyword and polite", "Alto por favor", Action::OptOut, "es"},
      {"es polite first", "Gracias, alto", Action::OptOut, "es"},
      {"two opt-out keywords", "UNSUBSCRIBE STOP", Action::OptOut, "en"},
      {"opt-out scoped to a topic", "STOP DACA", Action::OptOut, "en"},
      {"tl with po", "Tigil po", Action::OptOut, "tl"},
      {"hmn with thov", "Thov nres", Action::OptOut, "hmn"},
      {"pa with please", "ਕਿਰਪਾ ਕਰਕੇ ਰੋਕੋ", Action::OptOut, "pa"},
      {"ru with please", "СТОП, пожалуйста", Action::OptOut, "ru"},
      {"yes then stop", "YES STOP", Action::OptOut, "en"},
      {"stop wins over join", "join? no, stop texting me", Action::OptOut, "en"},
      {"emoji around", "🛑 STOP 🛑", Action::OptOut, "en"},
      {"ok and thanks around", "ok thanks, stop", Action::OptOut, "en"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_text(c); }
  }
}

TEST_CASE("texts that only contain a stop word do not opt out") {
  const std::vector<TextCase> cases = {
      {"word inside a word", "Stopwatch", Action::None, "*"},
      {"end in a question", "what time does the workshop end?", Action::None, "*"},
      {"stop by", "Can you stop by the office?", Action::None, "*"},
      {"stop by, imperative", "Stop by tomorrow at 3", Action::None, "*"},
      {"stop it in a question", "How do I stop it from renewing?", Action::None, "*"},
      {"negated", "don't stop", Action::None, "*"},
      {"cancelled as a question", "Is the workshop cancelled?", Action::None, "*"},
      {"cancel in a sentence", "Do I need to cancel my appointment?", Action::None, "*"},
      {"quit in a sentence", "I will quit my job next week", Action::None, "*"},
      {"the end", "The end", Action::None, "*"},
      {"end of the month", "End of the month?", Action::None, "*"},
      {"es alto as tall", "Es muy alto", Action::None, "*"},
      {"es Baja California", "Vivo en Baja California", Action::None, "*"},
      {"es salir a", "¿A qué hora vamos a salir?", Action::None, "*"},
      {"es no más de", "¿No más de 5 personas?", Action::None, "*"},
      {"zh cancelled?", "活动取消了吗？", Action::None, "*"},
      {"ko that much", "그만큼 필요해요", Action::None, "*"},
      {"vi đúng (correct), folds like dừng", "Đúng", Action::None, "*"},
      {"ru stop in a sentence", "Где остановка автобуса?", Action::None, "*"},
      {"just thanks", "Thanks!", Action::None, "*"},
      {"empty", "", Action::None, "*"},
      {"only emoji", "🙂", Action::None, "*"},
      {"invalid UTF-8", "STOP\xff", Action::None, "*"},
      {"a question", "Hola, ¿a qué hora termina el taller?", Action::None, "*"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_text(c); }
  }
}

// ---------------------------------------------------------------------------
// Opt-in with languages and topics
// ---------------------------------------------------------------------------

TEST_CASE("opt-in takes a language and topics after the keyword") {
  struct Case {
    const char* label;
    std::string text;
    std::string language;
    std::string switch_to;
    std::vector<std::string> add_tags;
    std::string matched;
  };
  const std::vector<Case> cases = {
      {"JOIN ES FRESNO", "JOIN ES FRESNO", "en", "es", {"fresno"}, "join"},
      {"lower case with punctuation", "Join, es, Fresno!", "en", "es", {"fresno"}, "join"},
      {"full width", full_width("JOIN ES FRESNO"), "en", "es", {"fresno"}, "join"},
      {"Spanish word, two topics", "ÚNETE ESPAÑOL TULARE FRESNO", "es", "es", {"fresno", "tulare"}, "unete"},
      {"language name", "JOIN SPANISH DACA", "en", "es", {"daca"}, "join"},
      {"name beats code", "Únete en español", "es", "es", {}, "unete"},
      {"Chinese name", "JOIN 中文", "en", "zh", {}, "join"},
      {"per-language topic word", "SUSCRIBIRME CIUDADANÍA", "es", "", {"citizenship"}, "suscribirme"},
      {"unknown words ignored", "Join me too, Fresno please", "en", "", {"fresno"}, "join"},
      {"topics deduplicated", "JOIN FRESNO fresno KERN", "en", "", {"fresno", "kern"}, "join"},
      {"exact word with a language", "YES ES", "en", "es", {}, "yes"},
      {"exact word with polite word", "Sí, gracias", "es", "", {}, "si"},
      {"exact word with topics", "START MADERA", "en", "", {"madera"}, "start"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const Intent intent = shipped().classify(c.text);
      CHECK(intent.action == Action::OptIn);
      CHECK(intent.language == c.language);
      CHECK(intent.switch_to == c.switch_to);
      CHECK(intent.add_tags == c.add_tags);
      CHECK(intent.remove_tags.empty());
      CHECK(intent.matched == c.matched);
    }
  }
}

TEST_CASE("everyday words that are opt-in words do not opt in inside sentences") {
  const std::vector<TextCase> cases = {
      {"Spanish si = if", "Si no puedo ir, ¿qué hago?", Action::None, "*"},
      {"start time", "Start time?", Action::None, "*"},
      {"yes in a sentence", "Yes I'll be there", Action::None, "*"},
      {"opt-in contradicted by an opt-out word", "Join? When does it end?", Action::None, "*"},
      {"Korean yes in a sentence", "네 알겠습니다", Action::None, "*"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { check_text(c); }
  }
}

// ---------------------------------------------------------------------------
// Topics
// ---------------------------------------------------------------------------

TEST_CASE("topic keywords add tags and remove words take them away") {
  struct Case {
    const char* label;
    std::string text;
    std::vector<std::string> add_tags;
    std::vector<std::string> remove_tags;
    std::string language;
  };
  const std::vector<Case> cases = {
      {"one county", "FRESNO", {"fresno"}, {}, ""},
      {"county in lower case with punctuation", "fresno.", {"fresno"}, {}, ""},
      {"two topics", "Fresno, DACA!", {"daca", "fresno"}, {}, ""},
      {"Spanish topic word", "CIUDADANÍA", {"citizenship"}, {}, "es"},
      {"Spanish topic word without accent", "ciudadania", {"citizenship"}, {}, "es"},
      {"Chinese topic word", "入籍", {"citizenship"}, {}, "zh"},
      {"REMOVE FRESNO", "REMOVE FRESNO", {}, {"fresno"}, ""},
      {"remove with polite word", "Remove Kern please", {}, {"kern"}, ""},
      {"QUITAR DACA", "quitar daca", {}, {"daca"}, ""},
      {"Spanish remove, Spanish topic", "Quitar ciudadanía", {}, {"citizenship"}, "es"},
      {"Russian remove", "УДАЛИТЬ TPS", {}, {"tps"}, ""},
      {"Tagalog remove", "ALISIN TULARE MERCED", {}, {"merced", "tulare"}, ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const Intent intent = shipped().classify(c.text);
      CHECK(intent.action == Action::Topics);
      CHECK(intent.add_tags == c.add_tags);
      CHECK(intent.remove_tags == c.remove_tags);
      CHECK(intent.language == c.language);
      CHECK(intent.switch_to.empty());
      CHECK_FALSE(intent.matched.empty());
    }
  }
}

TEST_CASE("a remove word alone or with other words is not a topic change") {
  CHECK(shipped().classify("REMOVE").action == Action::OptOut);     // AWS opt-out keyword
  CHECK(shipped().classify("remove me").action == Action::OptOut);  // opt-out phrase
  CHECK(shipped().classify("Remove the Fresno ones").action == Action::None);
  CHECK(shipped().classify("QUITAR").action == Action::None);
  // "and" is not a topic: a person reads it rather than a guess.
  CHECK(shipped().classify("remove fresno and kern please").action == Action::None);
}

TEST_CASE("matched names the phrase or keyword for the consent log") {
  CHECK(shipped().classify("Please stop texting me.").matched == "stop texting");
  CHECK_THAT(shipped().classify("¡Ya no quiero mensajes!").matched, Catch::Matchers::Contains("no quiero mensajes"));
  CHECK(shipped().classify(" Stop!! ").matched == "stop");
  CHECK(shipped().classify("OPT-OUT").matched == "opt out");
  CHECK(shipped().classify("ESPAÑOL").matched == "espanol");
  CHECK(shipped().classify("Hello").matched.empty());
}

TEST_CASE("classify never throws, whatever the bytes") {
  // Fixed seed: the same inputs every run. Pieces of real keywords, stray
  // UTF-8 lead and continuation bytes, NULs and emoji, glued at random.
  const std::vector<std::string> pieces = {
      "STOP", " ",       "!",  "\xff",   "\xc3",         "\x80", std::string(1, '\0'),
      "退订", "Ú",       "ne", "te",     "\xed\xa0\x80", "🛑", "'",
      "-",    "JOIN",    "es", "FRESNO", "ਮਦਦ",          "لا ",  "ترسل",
      "\t",   "\xe2\x80"};
  std::mt19937 random(20240215);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = length(random); n > 0; --n) text += pieces[pick(random)];
    INFO("case " << i);
    CHECK_NOTHROW(shipped().classify(text));
  }
}

TEST_CASE("to_string names every action") {
  CHECK(kw::to_string(Action::None) == "none");
  CHECK(kw::to_string(Action::OptOut) == "opt_out");
  CHECK(kw::to_string(Action::OptIn) == "opt_in");
  CHECK(kw::to_string(Action::Help) == "help");
  CHECK(kw::to_string(Action::Language) == "language");
  CHECK(kw::to_string(Action::Topics) == "topics");
}

// ---------------------------------------------------------------------------
// Configuration errors
// ---------------------------------------------------------------------------

namespace {

/// A valid two-language file; error cases append to or replace parts of it.
/// Line numbers in the cases below count from here (line 1 = "languages:").
const std::string kBase =
    "languages:\n"           // 1
    "  en:\n"                // 2
    "    name: English\n"    // 3
    "    opt_out: [STOP]\n"  // 4
    "    opt_in: [JOIN]\n"   // 5
    "    help: [HELP]\n"     // 6
    "  es:\n"                // 7
    "    name: Español\n"    // 8
    "    opt_out: [ALTO]\n"  // 9
    "    opt_in: [UNETE]\n"  // 10
    "    help: [AYUDA]\n";   // 11

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a small valid file loads and shares words between languages") {
  TempDir dir;
  const auto path =
      dir.write("keywords.yaml", replaced(kBase, "[ALTO]", "[ALTO, STOP]") + "topics:\n  fresno: [FRESNO]\n");
  const KeywordSet set = KeywordSet::load(path);
  CHECK(set.languages() == std::vector<std::string>{"en", "es"});
  const Intent stop = set.classify("stop");
  CHECK(stop.action == Action::OptOut);
  CHECK(stop.language.empty());  // configured in en and es
  CHECK(set.classify("ALTO").language == "es");
  CHECK(set.classify("UNETE FRESNO").add_tags == std::vector<std::string>{"fresno"});
  CHECK(set.classify("Español").switch_to == "es");
}

TEST_CASE("a phrase configured in two languages has no single language") {
  TempDir dir;
  const std::string yaml = replaced(kBase, "    help: [HELP]\n",
                                    "    help: [HELP]\n    opt_out_phrases: [\"Stop texting\", \"no more texts\"]\n") +
                           "    opt_out_phrases: [\"stop texting\"]\n";
  const KeywordSet set = KeywordSet::load(dir.write("keywords.yaml", yaml));
  const Intent shared = set.classify("please stop texting me");
  CHECK(shared.action == Action::OptOut);
  CHECK(shared.language.empty());
  CHECK(shared.matched == "stop texting");
  CHECK(set.classify("No more texts!").language == "en");
}

TEST_CASE("configuration errors point at file:line:column") {
  struct Case {
    const char* label;
    std::string yaml;
    int line;
    int column;
    std::string message;  ///< a part of the message
  };
  const std::vector<Case> cases = {
      {"unknown key in a language", replaced(kBase, "    help: [HELP]\n", "    hlep: [HELP]\n"), 6, 5,
       "unknown key 'hlep' in language 'en' (did you mean 'help'?)"},
      {"unknown top-level key", kBase + "topix:\n  fresno: [FRESNO]\n", 12, 1, "unknown key 'topix'"},
      {"same word opt-in in one language and opt-out in another", replaced(kBase, "[ALTO]", "[ALTO, JOIN]"), 9, 21,
       "'join' is an opt_out keyword of 'es' here but an opt_in keyword of 'en' at "},
      {"conflict found through accent folding", replaced(kBase, "[UNETE]", "[UNETE, Álto]"), 10, 21,
       "'alto' is an opt_in keyword of 'es' here but an opt_out keyword of 'es' at "},
      {"topic word that is also a keyword", kBase + "topics:\n  help: [AYUDA]\n", 13, 10,
       "'ayuda' is a keyword of topic 'help' here but a help keyword of 'es' at "},
      {"empty list", replaced(kBase, "[ALTO]", "[]"), 9, 14, "'opt_out' of language 'es' is empty"},
      {"missing opt_out", replaced(kBase, "    opt_out: [ALTO]\n", ""), 8, 5,
       "missing required list 'opt_out' in language 'es'"},
      {"no opt-in words at all", replaced(kBase, "    opt_in: [JOIN]\n", ""), 3, 5,
       "missing required list 'opt_in' in language 'en'"},
      {"unknown language in language_names", kBase + "    language_names:\n      fr: [FRANCES]\n", 13, 7,
       "unknown language 'fr' in language_names of 'es' (configured: en, es)"},
      {"unknown language in a topic", kBase + "topics:\n  daca:\n    fr: [DACA]\n", 14, 5,
       "unknown language 'fr' in topic 'daca'"},
      {"one-word phrase", kBase + "    opt_out_phrases: [basta]\n", 12, 23, "opt-out phrase 'basta' is a single word"},
      {"phrase that is an opt-in keyword elsewhere",
       kBase + "    opt_out_phrases: [\"Join Now\"]\n    opt_in_exact: [JOIN NOW]\n", 12, 23,
       "opt-out phrase 'join now' of 'es' is also an opt_in_exact keyword of 'es' at "},
      {"keyword without letters", replaced(kBase, "[STOP]", "[STOP, \"!!\"]"), 4, 21, "'!!' has no letters or digits"},
      {"polite word that is a keyword", kBase + "    polite: [ALTO]\n", 12, 14,
       "'alto' is a polite word of 'es' here but an opt_out keyword of 'es' at "},
      {"remove word that is a help keyword", kBase + "    remove: [AYUDA]\n", 12, 14,
       "'ayuda' is a remove word of 'es' here but a help keyword of 'es' at "},
      {"bad language code", replaced(kBase, "  es:\n", "  ES:\n"), 7, 3, "language code 'ES' must be lower-case"},
      {"bad topic tag", kBase + "topics:\n  Fresno County: [FRESNO]\n", 13, 3,
       "topic tag 'Fresno County' must be lower-case"},
      {"list that is a mapping", replaced(kBase, "[HELP]", "{a: b}"), 6, 11, "'help' of language 'en' must be a list"},
      {"YAML syntax error", replaced(kBase, "[STOP]", "[STOP"), 5, 11, "YAML syntax error"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      TempDir dir;
      const auto path = dir.write("keywords.yaml", c.yaml);
      try {
        (void)KeywordSet::load(path);
        FAIL("no ConfigError for:\n" << c.yaml);
      } catch (const ConfigError& e) {
        INFO(e.what());
        CHECK(e.file() == path.string());
        CHECK(e.line() == c.line);
        CHECK(e.column() == c.column);
        CHECK_THAT(e.message(), Catch::Matchers::Contains(c.message));
      }
    }
  }
}

TEST_CASE("a conflict names the first place too") {
  TempDir dir;
  const auto path = dir.write("keywords.yaml", replaced(kBase, "[ALTO]", "[ALTO, JOIN]"));
  try {
    (void)KeywordSet::load(path);
    FAIL("no ConfigError");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains(path.string() + ":9:21: ") &&
                             Catch::Matchers::Contains("at " + path.string() + ":5:14"));
  }
}

TEST_CASE("a missing keywords file is a ConfigError naming it") {
  TempDir dir;
  const auto path = dir.path() / "absent.yaml";
  CHECK_THROWS_MATCHES(KeywordSet::load(path), ConfigError,
                       Catch::Matchers::Predicate<ConfigError>(
                           [&](const ConfigError& e) { return e.file() == path.string(); }, "names the file"));
}
