// Kannel MO requests: get-url and post-url with right, wrong and missing
// secrets, charsets (UTF-8, UCS-2 as UTF-16BE, Latin-1), ids and their
// hashed stand-in, and the plain-text replies, through the channel harness.
#include "channels/kannel/kannel_inbound.h"

#include <catch2/catch.hpp>
#include <random>

#include "support/channel_harness.h"

namespace broadcaster::channels {
namespace {

using testing::InboundCase;
using testing::ReplyCase;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kSecret = "kannel-secret-9d41c7e2b6a85f30";
constexpr const char* kFrom = "+15595550142";
constexpr const char* kTo = "+15595550100";
constexpr const char* kId = "4f1c2b3a-9d8e-4f70-a1b2-c3d4e5f60718";
constexpr const char* kTime = "2024-03-05 17:00:00";
constexpr const char* kSpanish = "ÚNETE español: reunión mañana & café = 100% + más";
constexpr const char* kChinese = "加入 社区会议 🙌";
const std::vector<std::string> kSecrets = {kSecret};

ProviderSettings settings(std::map<std::string, std::string> options) {
  return ProviderSettings{"kannel", "kannel", std::move(options), "config/broadcaster.yaml:52:7", ProviderRole::Inbound};
}

EnvLookup secret_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "KANNEL_SECRET") return std::string(kSecret);
    if (name == "EMPTY_SECRET") return std::string();
    if (name == "SHORT_SECRET") return std::string("abc");
    return std::nullopt;
  };
}

const KannelInboundEndpoint& endpoint() {
  static const KannelInboundEndpoint instance(settings({{"secret_env", "KANNEL_SECRET"}}), secret_env());
  return instance;
}

// get-url = ".../kannel/mo?secret=...&from=%p&to=%P&text=%b&time=%t&id=%I&coding=%c&charset=%C"
Params get_fields(std::string text, std::string secret = kSecret) {
  return {{"secret", std::move(secret)},
          {"from", kFrom},
          {"to", kTo},
          {"text", std::move(text)},
          {"time", kTime},
          {"id", kId},
          {"coding", "0"},
          {"charset", "UTF-8"}};
}

Params without(Params fields, std::initializer_list<std::string_view> names) {
  std::erase_if(fields,
                [&](const auto& field) { return std::find(names.begin(), names.end(), field.first) != names.end(); });
  return fields;
}

Params with(Params fields, std::string name, std::string value) {
  for (auto& field : fields) {
    if (field.first == name) {
      field.second = std::move(value);
      return fields;
    }
  }
  fields.emplace_back(std::move(name), std::move(value));
  return fields;
}

InboundRequest get(const Params& query) {
  return InboundRequest{"GET", "/kannel/mo?" + form_encode(query), {{"User-Agent", "Kannel/1.4.5"}}, ""};
}

// post-url = ".../kannel/mo?secret=...&id=%I" with send-sender = true.
InboundRequest post(std::string body, std::string content_type = "text/plain; charset=\"UTF-8\"",
                    Params query = {{"secret", kSecret}, {"id", kId}}) {
  return InboundRequest{"POST",
                        "/kannel/mo?" + form_encode(query),
                        {{"User-Agent", "Kannel/1.4.5"},
                         {"Content-Type", std::move(content_type)},
                         {"X-Kannel-From", kFrom},
                         {"X-Kannel-To", kTo},
                         {"X-Kannel-Time", kTime},
                         {"X-Kannel-Coding", "0"},
                         {"X-Kannel-SMSC", "modem1"},
                         {"X-Kannel-Service", "default"}},
                        std::move(body)};
}

InboundMessage message(std::string body, std::string id = kId) {
  return InboundMessage{"kannel", kFrom, kTo, std::move(body), std::move(id)};
}

std::string utf16be(std::u16string_view text) {
  std::string out;
  for (const char16_t unit : text) {
    out += static_cast<char>(unit >> 8);
    out += static_cast<char>(unit & 0xFF);
  }
  return out;
}

}  // namespace

TEST_CASE("kannel inbound: get-url requests", "[channels][kannel][inbound]") {
  CHECK(endpoint().name() == "kannel");
  CHECK(endpoint().path() == "/kannel/mo");

  const std::string ucs2_chinese = utf16be(u"加入 社区会议 🙌");
  InboundRequest head = get(get_fields("ALTO"));
  head.method = "HEAD";
  InboundRequest bad_query{"GET", "/kannel/mo?secret=" + std::string(kSecret) + "&text=%E", {}, ""};
  InboundRequest no_query{"GET", "/kannel/mo", {}, ""};
  InboundRequest from_header = get(without(get_fields("ALTO"), {"from"}));
  from_header.headers.emplace_back("X-Kannel-From", kFrom);

  const std::vector<InboundCase> cases = {
      {.label = "right secret", .request = get(get_fields("ALTO")), .message = message("ALTO")},
      {.label = "Spanish text with & = + %", .request = get(get_fields(kSpanish)), .message = message(kSpanish)},
      {.label = "Chinese text after mo-recode (UTF-8)",
       .request = get(get_fields(kChinese)),
       .message = message(kChinese)},
      {.label = "UCS-2 text as UTF-16BE (charset=%C)",
       .request = get(with(with(get_fields(ucs2_chinese), "charset", "UTF-16BE"), "coding", "2")),
       .message = message(kChinese)},
      {.label = "UCS-2 text with coding 2 and no charset",
       .request = get(with(without(get_fields(ucs2_chinese), {"charset"}), "coding", "2")),
       .message = message(kChinese)},
      {.label = "Latin-1 text",
       .request = get(with(get_fields("ma\xF1"
                                      "ana"),
                           "charset", "ISO-8859-1")),
       .message = message("mañana")},
      {.label = "no charset and not UTF-8: read as Latin-1 (older smsbox)",
       .request = get(without(get_fields("caf\xE9"), {"charset", "coding"})),
       .message = message("café")},
      {.label = "empty text", .request = get(get_fields("")), .message = message("")},
      {.label = "sender from X-Kannel-From (send-sender)", .request = from_header, .message = message("ALTO")},
      {.label = "no id: hashed from sender, receiver, time and text",
       .request = get(without(get_fields("ALTO"), {"id"})),
       .message = message(
           "ALTO",
           "kannel-" + sha256_hex(std::string(kFrom) + '\x1f' + kTo + '\x1f' + kTime + '\x1f' + "ALTO").substr(0, 32))},
      {.label = "wrong secret",
       .request = get(get_fields("ALTO", "kannel-secret-9d41c7e2b6a85f31")),
       .status = 403,
       .reason_contains = "wrong secret",
       .sender = kFrom},
      {.label = "secret with a prefix of the right one",
       .request = get(get_fields("ALTO", std::string(kSecret).substr(0, 10))),
       .status = 403,
       .sender = kFrom},
      {.label = "missing secret",
       .request = get(without(get_fields("ALTO"), {"secret"})),
       .status = 403,
       .reason_contains = "missing secret",
       .sender = kFrom},
      {.label = "empty secret", .request = get(get_fields("ALTO", "")), .status = 403, .sender = kFrom},
      {.label = "secret given twice",
       .request = get([] {
         Params p = get_fields("ALTO");
         p.emplace_back("secret", "guess");
         return p;
       }()),
       .status = 403,
       .sender = kFrom},
      {.label = "no query at all", .request = no_query, .status = 403},
      {.label = "HEAD", .request = head, .status = 405, .sender = kFrom},
      {.label = "malformed query", .request = bad_query, .status = 400, .reason_contains = "query"},
      {.label = "missing sender",
       .request = get(without(get_fields("ALTO"), {"from"})),
       .status = 400,
       .reason_contains = "from=%p"},
      {.label = "missing receiver",
       .request = get(without(get_fields("ALTO"), {"to"})),
       .status = 400,
       .reason_contains = "to=%P",
       .sender = kFrom},
      {.label = "missing text",
       .request = get(without(get_fields("ALTO"), {"text"})),
       .status = 400,
       .reason_contains = "text=%b",
       .sender = kFrom},
      {.label = "text twice",
       .request = get([] {
         Params p = get_fields("ALTO");
         p.emplace_back("text", "JOIN");
         return p;
       }()),
       .status = 400,
       .reason_contains = "more than once",
       .sender = kFrom},
      {.label = "odd-length UTF-16BE",
       .request = get(with(get_fields(std::string("\x52\x30\x00", 3)), "charset", "UTF-16BE")),
       .status = 400,
       .reason_contains = "UTF-16BE",
       .sender = kFrom},
      {.label = "unpaired surrogate",
       .request = get(with(get_fields(std::string("\xD8\x3D\x00\x41", 4)), "charset", "UTF-16BE")),
       .status = 400,
       .sender = kFrom},
      {.label = "declared UTF-8 but is not",
       .request = get(get_fields("caf\xE9")),
       .status = 400,
       .reason_contains = "UTF-8",
       .sender = kFrom},
      {.label = "unknown charset",
       .request = get(with(get_fields("x"), "charset", "KOI8-R")),
       .status = 400,
       .reason_contains = "charset",
       .sender = kFrom},
      {.label = "8-bit binary",
       .request = get(with(without(get_fields("\x01\x02"), {"charset"}), "coding", "1")),
       .status = 400,
       .reason_contains = "binary",
       .sender = kFrom},
      {.label = "malformed id",
       .request = get(with(get_fields("ALTO"), "id", "abc def")),
       .status = 400,
       .sender = kFrom},
      {.label = "sender with a newline",
       .request = get(with(get_fields("ALTO"), "from", "+1559\n5550142")),
       .status = 400},
  };
  testing::run_inbound_cases(endpoint(), cases, kSecrets);
}

TEST_CASE("kannel inbound: post-url requests", "[channels][kannel][inbound]") {
  InboundRequest no_sender = post("ALTO");
  no_sender.headers.erase(no_sender.headers.begin() + 2);  // X-Kannel-From: send-sender off
  InboundRequest ucs2 = post(utf16be(u"加入 社区会议 🙌"), "text/plain; charset=\"UTF-16BE\"");
  InboundRequest old_ucs2 = post(utf16be(u"加入 社区会议 🙌"), "application/octet-stream");
  old_ucs2.headers[5].second = "2";  // X-Kannel-Coding
  InboundRequest binary = post("\x05\x00\x03", "application/octet-stream");
  binary.headers[5].second = "1";

  const std::vector<InboundCase> cases = {
      {.label = "right secret, UTF-8 body", .request = post(kSpanish), .message = message(kSpanish)},
      {.label = "plain text/plain without charset", .request = post("ALTO", "text/plain"), .message = message("ALTO")},
      {.label = "Chinese in UTF-8", .request = post(kChinese), .message = message(kChinese)},
      {.label = "UCS-2 body in UTF-16BE", .request = ucs2, .message = message(kChinese)},
      {.label = "UCS-2 as octet-stream with coding 2 (older smsbox)",
       .request = old_ucs2,
       .message = message(kChinese)},
      {.label = "sender in the URL when send-sender is off",
       .request =
           [] {
             InboundRequest r = post("ALTO", "text/plain", {{"secret", kSecret}, {"id", kId}, {"from", kFrom}});
             r.headers.erase(r.headers.begin() + 2);
             return r;
           }(),
       .message = message("ALTO")},
      {.label = "no id: hash uses X-Kannel-Time",
       .request = post("ALTO", "text/plain", {{"secret", kSecret}}),
       .message = message(
           "ALTO",
           "kannel-" + sha256_hex(std::string(kFrom) + '\x1f' + kTo + '\x1f' + kTime + '\x1f' + "ALTO").substr(0, 32))},
      {.label = "wrong secret",
       .request = post("ALTO", "text/plain", {{"secret", "nope"}, {"id", kId}}),
       .status = 403,
       .sender = kFrom},
      {.label = "secret in a header is not accepted",
       .request =
           [] {
             InboundRequest r = post("ALTO", "text/plain", {{"id", kId}});
             r.headers.emplace_back("X-Kannel-Secret", kSecret);
             return r;
           }(),
       .status = 403,
       .sender = kFrom},
      {.label = "no sender anywhere", .request = no_sender, .status = 400, .reason_contains = "send-sender"},
      {.label = "8-bit binary body", .request = binary, .status = 400, .reason_contains = "binary", .sender = kFrom},
      {.label = "DELETE",
       .request =
           [] {
             InboundRequest r = post("ALTO");
             r.method = "DELETE";
             return r;
           }(),
       .status = 405,
       .sender = kFrom},
  };
  testing::run_inbound_cases(endpoint(), cases, kSecrets);
}

TEST_CASE("kannel inbound: the same message retried keeps its id", "[channels][kannel][inbound]") {
  const auto first = endpoint().parse(get(without(get_fields("STOP"), {"id"})));
  const auto retry = endpoint().parse(get(without(get_fields("STOP"), {"id"})));
  const auto later = endpoint().parse(get(with(without(get_fields("STOP"), {"id"}), "time", "2024-03-05 17:05:00")));
  REQUIRE(first.message);
  REQUIRE(retry.message);
  REQUIRE(later.message);
  CHECK(first.message->provider_id == retry.message->provider_id);
  CHECK(first.message->provider_id != later.message->provider_id);
}

TEST_CASE("kannel inbound: replies are plain text", "[channels][kannel][inbound]") {
  testing::run_reply_cases(endpoint(),
                           {{.label = "no reply: empty body (omit-empty = true sends nothing)",
                             .reply = std::nullopt,
                             .headers = {{"Content-Type", "text/plain; charset=UTF-8"}},
                             .body = "",
                             .absent_headers = {"X-Kannel-Coding"}},
                            {.label = "GSM-7 reply, Spanish letters that GSM has",
                             .reply = std::string("Te uniste. Responde ALTO para salir. ¿Ayuda? ñ é"),
                             .headers = {{"Content-Type", "text/plain; charset=UTF-8"}},
                             .body = "Te uniste. Responde ALTO para salir. ¿Ayuda? ñ é",
                             .absent_headers = {"X-Kannel-Coding"}},
                            {.label = "reply that needs UCS-2 asks for coding 2",
                             .reply = std::string("已加入。回复 STOP 退订"),
                             .headers = {{"Content-Type", "text/plain; charset=UTF-8"}, {"X-Kannel-Coding", "2"}},
                             .body = "已加入。回复 STOP 退订"},
                            {.label = "characters & < > are not escaped in plain text",
                             .reply = std::string("A & B <C>"),
                             .body = "A & B <C>"}});
}

TEST_CASE("kannel inbound: settings", "[channels][kannel][inbound][config]") {
  SECTION("path can be set") {
    const KannelInboundEndpoint custom(settings({{"secret_env", "KANNEL_SECRET"}, {"path", "/sms/kannel"}}),
                                       secret_env());
    CHECK(custom.path() == "/sms/kannel");
  }
  SECTION("a short secret works, with a warning that does not show it") {
    testing::LogCapture log;
    const KannelInboundEndpoint weak(settings({{"secret_env", "SHORT_SECRET"}}), secret_env());
    CHECK_THAT(log.text(), Catch::Matchers::Contains("at least 16"));
    CHECK_THAT(log.text(), !Catch::Matchers::Contains("abc"));
  }
  struct Case {
    const char* label;
    std::map<std::string, std::string> options;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"secret_env missing", {}, "option 'secret_env' is required"},
      {"variable unset", {{"secret_env", "NOT_SET_ANYWHERE"}}, "environment variable NOT_SET_ANYWHERE is not set"},
      {"variable empty", {{"secret_env", "EMPTY_SECRET"}}, "environment variable EMPTY_SECRET is empty"},
      {"secret written in YAML",
       {{"secret_env", "KANNEL_SECRET"}, {"secret", kSecret}},
       "option 'secret' must not be written in the config file"},
      {"misspelt option", {{"secret_env", "KANNEL_SECRET"}, {"pth", "/x"}}, "unknown option 'pth'"},
      {"misspelt secret_env", {{"secret_evn", "KANNEL_SECRET"}}, "'secret_evn' a misspelling"},
      {"path without a slash",
       {{"secret_env", "KANNEL_SECRET"}, {"path", "kannel"}},
       "option 'path' must be a local path"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      try {
        KannelInboundEndpoint bad(settings(c.options), secret_env());
        FAIL("expected a ConfigError");
      } catch (const ConfigError& e) {
        CHECK(e.file() == "config/broadcaster.yaml");
        CHECK(e.line() == 52);
        CHECK_THAT(e.message(), Catch::Matchers::StartsWith("inbound endpoint 'kannel' (kannel): "));
        CHECK_THAT(e.message(), Catch::Matchers::Contains(c.message));
        CHECK_THAT(e.what(), !Catch::Matchers::Contains(kSecret));
      }
    }
  }
}

}  // namespace broadcaster::channels

namespace broadcaster::channels {

TEST_CASE("kannel inbound: scrambled requests are refused, never thrown", "[channels][kannel][inbound]") {
  const std::vector<std::string> pieces = {"secret=",  kSecret,    "&",        "from=",  "%2B15595550142",
                                           "to=",      "text=",    "%",        "%E4%B8", "%ZZ",
                                           "charset=", "UTF-16BE", "coding=2", "id=",    "=",
                                           "+",        "%00",      "%D8%3D",   "time=",  "?"};
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    std::string query;
    const int count = static_cast<int>(random() % 14);
    for (int j = 0; j < count; ++j) query += pieces[random() % pieces.size()];
    const bool post = random() % 2 == 0;
    InboundRequest request{post ? "POST" : "GET", "/kannel/mo?" + query, {}, post ? query : ""};
    if (post && random() % 2 == 0) request.headers.emplace_back("Content-Type", "text/plain; charset=UTF-16BE");
    INFO(request.method << " " << request.target);
    InboundParse parsed;
    REQUIRE_NOTHROW(parsed = endpoint().parse(request));
    CHECK(parsed.message.has_value() == (parsed.status == 200));
    CHECK((parsed.status == 200 || parsed.status == 400 || parsed.status == 403));
  }
}

}  // namespace broadcaster::channels

namespace broadcaster::channels {
namespace {

constexpr const char* kRecipient = "+15595550142";
constexpr const char* kRef = "kannel-0123456789abcdef01234567";

// The dlr-url KannelChannel sends, as smsbox fetches it after filling in %d
// and %A.
Params dlr_fields(std::string status, std::string answer = "") {
  return {{"secret", kSecret}, {"campaign", "spring-clinic"}, {"to", kRecipient},
          {"ref", kRef},       {"status", std::move(status)}, {"answer", std::move(answer)}};
}

InboundRequest dlr_get(const Params& query, std::string path = "/kannel/dlr") {
  return InboundRequest{"GET", path + "?" + form_encode(query), {{"User-Agent", "Kannel/1.4.5"}}, ""};
}

}  // namespace

TEST_CASE("kannel inbound: delivery reports", "[channels][kannel][inbound][dlr]") {
  CHECK(endpoint().paths() == std::vector<std::string>{"/kannel/mo", "/kannel/dlr"});
  struct Case {
    const char* label;
    InboundRequest request;
    int status;
    std::optional<DeliveryState> state = std::nullopt;
    std::string provider_status = {};
    std::string error_code = {};
    std::string reason_contains = {};
  };
  const std::string smpp_undeliv =
      "id:0123 sub:001 dlvrd:000 submit date:2403051700 done date:2403051701 stat:UNDELIV err:034 text:Hola";
  const std::string smpp_deliv =
      "id:0123 sub:001 dlvrd:001 submit date:2403051700 done date:2403051701 stat:DELIVRD err:000 text:Hola";
  const std::vector<Case> cases = {
      {"1 delivered", dlr_get(dlr_fields("1", smpp_deliv)), 200, DeliveryState::Delivered, "delivered", ""},
      {"2 undelivered with the SMSC's err code", dlr_get(dlr_fields("2", smpp_undeliv)), 200,
       DeliveryState::Undelivered, "undelivered", "smsc-034"},
      {"2 undelivered without a code", dlr_get(dlr_fields("2")), 200, DeliveryState::Undelivered, "undelivered",
       "kannel-2"},
      {"4 buffered is sent", dlr_get(dlr_fields("4")), 200, DeliveryState::Sent, "buffered", ""},
      {"8 SMSC accepted is sent", dlr_get(dlr_fields("8", "ACK/")), 200, DeliveryState::Sent, "smsc-accepted", ""},
      {"16 SMSC rejected is failed", dlr_get(dlr_fields("16", "NACK/0x0000000b/Invalid Destination Address")), 200,
       DeliveryState::Failed, "smsc-rejected", "kannel-16"},
      {"no answer field", dlr_get(without(dlr_fields("1"), {"answer"})), 200, DeliveryState::Delivered, "delivered",
       ""},
      {"unknown DLR type", dlr_get(dlr_fields("3")), 400, std::nullopt, "", "", "unknown DLR type"},
      {"status not filled in", dlr_get(dlr_fields("%d")), 400, std::nullopt, "", "", "unknown DLR type"},
      {"wrong secret", dlr_get(with(dlr_fields("1"), "secret", "guess")), 403, std::nullopt, "", "", "wrong secret"},
      {"missing secret", dlr_get(without(dlr_fields("1"), {"secret"})), 403, std::nullopt, "", "", "missing secret"},
      {"missing ref", dlr_get(without(dlr_fields("1"), {"ref"})), 400, std::nullopt, "", "", "field ref"},
      {"missing campaign", dlr_get(without(dlr_fields("1"), {"campaign"})), 400, std::nullopt, "", "",
       "field campaign"},
      {"missing to", dlr_get(without(dlr_fields("1"), {"to"})), 400, std::nullopt, "", "", "field to"},
      {"malformed ref", dlr_get(with(dlr_fields("1"), "ref", "a b")), 400, std::nullopt, "", "", "malformed ref"},
      {"repeated status", dlr_get([] {
         auto f = dlr_fields("1");
         f.emplace_back("status", "16");
         return f;
       }()),
       400, std::nullopt, "", "", "more than once"},
      {"POST refused", InboundRequest{"POST", "/kannel/dlr?" + form_encode(dlr_fields("1")), {}, ""}, 405},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      testing::LogCapture log;
      const InboundParse parsed = endpoint().parse(c.request);
      INFO("reason: " << parsed.reason);
      CHECK(parsed.status == c.status);
      CHECK_FALSE(parsed.message.has_value());
      if (c.state) {
        REQUIRE(parsed.receipt.has_value());
        CHECK(parsed.receipt->endpoint == "kannel");
        CHECK(parsed.receipt->campaign_id == "spring-clinic");
        CHECK(parsed.receipt->to == kRecipient);
        CHECK(parsed.receipt->provider_id == kRef);
        CHECK(parsed.receipt->state == *c.state);
        CHECK(parsed.receipt->provider_status == c.provider_status);
        CHECK(parsed.receipt->error_code == c.error_code);
      } else {
        CHECK_FALSE(parsed.receipt.has_value());
        CHECK_FALSE(parsed.reason.empty());
        if (!c.reason_contains.empty()) CHECK_THAT(parsed.reason, Catch::Matchers::Contains(c.reason_contains));
      }
      testing::check_no_leak(log.text() + parsed.reason, kSecrets, kRecipient);
    }
  }
}

TEST_CASE("kannel inbound: dlr_path option", "[channels][kannel][inbound][dlr][config]") {
  const KannelInboundEndpoint custom(settings({{"secret_env", "KANNEL_SECRET"}, {"dlr_path", "/k/reports"}}),
                                     secret_env());
  CHECK(custom.paths() == std::vector<std::string>{"/kannel/mo", "/k/reports"});
  const auto parsed = custom.parse(dlr_get(dlr_fields("1"), "/k/reports"));
  CHECK(parsed.receipt.has_value());
  for (const char* bad : {"k/reports", "/k?x", "/kannel/mo"}) {
    INFO(bad);
    CHECK_THROWS_AS(KannelInboundEndpoint(settings({{"secret_env", "KANNEL_SECRET"}, {"dlr_path", bad}}), secret_env()),
                    ConfigError);
  }
}

}  // namespace broadcaster::channels
