// Twilio webhook signatures: known answers from Twilio's own helper-library
// tests, the signed string's ordering rules, and the default-port variants.
#include "channels/twilio/twilio_signature.h"

#include <catch2/catch.hpp>

namespace broadcaster::channels {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

// twilio-python tests/unit/test_request_validator.py: token, URL, and the
// "duplicate" parameters (a repeated name sorts by value) with the
// signature Twilio's library expects for them.
constexpr const char* kToken = "12345";
constexpr const char* kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
const Params kDuplicateParams = {
    {"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}};
constexpr const char* kDuplicateExpected = "IK+Dwps556ElfBT0I3Rgjkr1wJU=";

// The ones below were computed with Python's hmac/base64 following
// twilio-python's RequestValidator.compute_signature (an independent
// implementation of the same rule), with this project's fictional numbers.
const Params kSmsParams = {{"MessageSid", "SM0123456789abcdef0123456789abcdef"},
                           {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
                           {"From", "+15595550142"},
                           {"To", "+15595550100"},
                           {"Body", "¡Hola! ALTO café & más"},
                           {"NumMedia", "0"}};
constexpr const char* kSmsToken = "fake-auth-token-5f2b9c0d7e1a4b3c";
constexpr const char* kSmsUrl = "https://sms.example.org/twilio/sms";

}  // namespace

TEST_CASE("twilio signature: known answers", "[channels][twilio][signature]") {
  struct Case {
    const char* label;
    std::string url;
    Params params;
    std::string token;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"Twilio's duplicate-parameter vector", kUrl, kDuplicateParams, kToken, kDuplicateExpected},
      {"same parameters in another order", kUrl,
       Params{{"Digits", "1234"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Sid", "CA123"}},
       kToken, kDuplicateExpected},
      // twilio-node's "duplicate_values" vector: an identical repeated
      // value is signed once, so the signature equals the one above.
      {"a repeated identical value counts once", kUrl,
       Params{{"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}, {"Digits", "1234"}},
       kToken, kDuplicateExpected},
      {"URL with the default https port", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
       kDuplicateParams, kToken, "S+063oyEnxXwjXm6e8xGRp5y6jU="},
      {"http URL with another port", "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
       kDuplicateParams, kToken, "p6txmgNsWtzLR/pVWMkbdbqbNmA="},
      {"GET: no parameters, the URL alone", kUrl, {}, kToken, "zYQTYrRWXE7LtzbG4PfP7/bkkGo="},
      {"SMS webhook with a Spanish body", kSmsUrl, kSmsParams, kSmsToken,
       "COmRHVtRYyKYyZVU3nWn6+lBajg="},
      {"Chinese body and emoji", kSmsUrl, Params{{"From", "+12095550123"}, {"Body", "社区会议 🙌"}},
       kSmsToken, "Hj0F9CmG/HEMf/VR1tnakQ5w/Bg="},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK(twilio_signature(c.url, c.params, c.token) == c.expected);
      CHECK(twilio_signature_valid(c.url, c.params, c.token, c.expected));
    }
  }
}

TEST_CASE("twilio signature: what it refuses", "[channels][twilio][signature]") {
  struct Case {
    const char* label;
    std::string url;
    Params params;
    std::string token;
    std::string signature;
  };
  Params tampered = kSmsParams;
  tampered[4].second = "¡Hola! JOIN café & más";
  Params extra = kSmsParams;
  extra.emplace_back("NumSegments", "1");
  const std::string good = "COmRHVtRYyKYyZVU3nWn6+lBajg=";
  const std::vector<Case> cases = {
      {"tampered body", kSmsUrl, tampered, kSmsToken, good},
      {"an added parameter", kSmsUrl, extra, kSmsToken, good},
      {"another token", kSmsUrl, kSmsParams, "another-token-0000000000000000", good},
      {"another URL", "https://sms.example.org/twilio/sms2", kSmsParams, kSmsToken, good},
      {"empty signature", kSmsUrl, kSmsParams, kSmsToken, ""},
      {"truncated signature", kSmsUrl, kSmsParams, kSmsToken, good.substr(0, 27)},
      {"one character changed", kSmsUrl, kSmsParams, kSmsToken, "COmRHVtRYyKYyZVU3nWn6+lBajh="},
      {"lowercased", kSmsUrl, kSmsParams, kSmsToken, "comrhvtryykyyzvu3nwn6+lbajg="},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK_FALSE(twilio_signature_valid(c.url, c.params, c.token, c.signature));
    }
  }
  SECTION("surrounding spaces of the header value are ignored") {
    CHECK(twilio_signature_valid(kSmsUrl, kSmsParams, kSmsToken, " " + good + " "));
  }
}

TEST_CASE("twilio signature: signing URLs with and without the default port",
          "[channels][twilio][signature]") {
  struct Case {
    const char* label;
    std::string url;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"https without port gains :443",
       "https://sms.example.org/twilio/sms?x=1",
       {"https://sms.example.org/twilio/sms?x=1", "https://sms.example.org:443/twilio/sms?x=1"}},
      {"https with :443 loses it",
       "https://sms.example.org:443/twilio/sms",
       {"https://sms.example.org:443/twilio/sms", "https://sms.example.org/twilio/sms"}},
      {"http without port gains :80",
       "http://127.0.0.1/twilio/sms",
       {"http://127.0.0.1/twilio/sms", "http://127.0.0.1:80/twilio/sms"}},
      {"http with :80 loses it",
       "http://127.0.0.1:80/x",
       {"http://127.0.0.1:80/x", "http://127.0.0.1/x"}},
      {"another port stays as written",
       "https://sms.example.org:8443/x",
       {"https://sms.example.org:8443/x"}},
      {"IPv6 literal without port", "http://[::1]/x", {"http://[::1]/x", "http://[::1]:80/x"}},
      {"IPv6 literal with another port", "http://[::1]:8080/x", {"http://[::1]:8080/x"}},
      {"host only",
       "https://sms.example.org",
       {"https://sms.example.org", "https://sms.example.org:443"}},
      {"not http(s)", "ftp://example.org/x", {"ftp://example.org/x"}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(twilio_signing_urls(c.url) == c.expected); }
  }
  SECTION("Twilio's :443 vector checks against the URL configured without a port") {
    bool valid = false;
    for (const auto& url : twilio_signing_urls(kUrl)) {
      valid = valid ||
              twilio_signature_valid(url, kDuplicateParams, kToken, "S+063oyEnxXwjXm6e8xGRp5y6jU=");
    }
    CHECK(valid);
  }
}

}  // namespace broadcaster::channels
