// HTTP values shared by channels: form encoding both ways, header lookup.
#include "channels/http_message.h"

#include <catch2/catch.hpp>

namespace broadcaster::channels {

TEST_CASE("http_message: form_encode escapes per WHATWG", "[channels][http]") {
  CHECK(form_encode({}) == "");
  CHECK(form_encode({{"To", "+15595550142"}, {"Body", "a b&c=d%e/f"}}) ==
        "To=%2B15595550142&Body=a+b%26c%3Dd%25e%2Ff");
  CHECK(form_encode({{"k", "-_.~*"}}) == "k=-_.~*");
  CHECK(form_encode({{"ñ", "é"}}) == "%C3%B1=%C3%A9");
}

TEST_CASE("http_message: form_encode and form_decode round-trip", "[channels][http]") {
  const std::vector<std::pair<std::string, std::string>> cases[] = {
      {{"Body", "¡Hola! Reunión mañana & cena = gratis 🎉"}},
      {{"Body", "社区会议：周二晚上7点 & 免费晚餐 = 欢迎 🙌"}},
      {{"a", ""}, {"", "b"}, {"plus", "1+1=2"}, {"pct", "100%"}, {"nl", "line\r\nnext"}},
      {{"MediaUrl", "https://x.example/1"}, {"MediaUrl", "https://x.example/2"}},
  };
  for (const auto& fields : cases) {
    CHECK(form_decode(form_encode(fields)) == fields);
  }
}

TEST_CASE("http_message: form_decode tolerates odd input", "[channels][http]") {
  using Fields = std::vector<std::pair<std::string, std::string>>;
  CHECK(form_decode("") == Fields{});
  CHECK(form_decode("a=1&&b") == Fields{{"a", "1"}, {"b", ""}});
  CHECK(form_decode("a=%zz%4") == Fields{{"a", "%zz%4"}});
  CHECK(form_decode("a=%41%2b+x") == Fields{{"a", "A+ x"}});
  CHECK(form_decode("x=a=b") == Fields{{"x", "a=b"}});
}

TEST_CASE("http_message: header lookup is case-insensitive, first match wins", "[channels][http]") {
  HttpResponse response{
      429,
      {{"Content-Type", "application/json"}, {"Retry-After", "1"}, {"retry-after", "2"}},
      "{}"};
  CHECK(response.header("retry-after") == std::optional<std::string>("1"));
  CHECK(response.header("RETRY-AFTER") == std::optional<std::string>("1"));
  CHECK(response.header("content-type") == std::optional<std::string>("application/json"));
  CHECK_FALSE(response.header("Content-Typ"));
  CHECK_FALSE(response.header("Location"));
}

}  // namespace broadcaster::channels
