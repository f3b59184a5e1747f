// The simulator's Messages list resource: filters, order and paging as
// Twilio's ListMessage operation documents them.
#include "simulator/message_list.h"

#include <catch2/catch.hpp>

#include "channels/http_message.h"

namespace sim = broadcaster::simulator;
using nlohmann::json;

namespace {

constexpr const char* kSid = "AC0123456789abcdef0123456789abcdef";
const std::string kPath = std::string("/2010-04-01/Accounts/") + kSid + "/Messages.json";

// 2026-12-01T10:00:00Z in microseconds.
constexpr std::int64_t kDecFirst = 1796119200LL * 1000000;
constexpr std::int64_t kDay = 86400LL * 1000000;

sim::RecordedMessage message(std::string sid, std::string to, std::string body, std::int64_t at_us) {
  return sim::RecordedMessage{std::move(sid), std::move(to), std::string("+15595550100"), std::nullopt, std::move(body),
                              std::nullopt,   at_us};
}

json page(const sim::MessageLog& log, const std::string& query) {
  auto result = sim::list_messages(log, kSid, kPath + query);
  REQUIRE(std::holds_alternative<json>(result));
  return std::get<json>(result);
}

std::vector<std::string> sids(const json& body) {
  std::vector<std::string> out;
  for (const auto& m : body.at("messages")) out.push_back(m.at("sid"));
  return out;
}

}  // namespace

TEST_CASE("the list filters by To and DateSent, newest first", "[simulator][list]") {
  sim::MessageLog log(100);
  log.add(message("SM1", "+15595550142", "a", kDecFirst - kDay));  // Nov 30
  log.add(message("SM2", "+15595550143", "b", kDecFirst));
  log.add(message("SM3", "+15595550142", "c", kDecFirst));
  log.add(message("SM4", "+15595550142", "d", kDecFirst + kDay));  // Dec 2

  struct Case {
    const char* label;
    std::string query;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"no filter", "", {"SM4", "SM3", "SM2", "SM1"}},
      {"To", "?To=%2B15595550142", {"SM4", "SM3", "SM1"}},
      {"To and DateSent on a day", "?To=%2B15595550142&DateSent=2026-12-01", {"SM3"}},
      {"DateSent>=", "?To=%2B15595550142&DateSent=%3E%3D2026-12-01", {"SM4", "SM3"}},
      {"DateSent<=", "?To=%2B15595550142&DateSent=%3C%3D2026-12-01", {"SM3", "SM1"}},
      {"DateSent> parameter", "?DateSent%3E=2026-12-02", {"SM4"}},
      {"DateSent< parameter", "?DateSent%3C=2026-11-30", {"SM1"}},
      {"From", "?From=%2B15595550100&To=%2B15595550143", {"SM2"}},
      {"nobody", "?To=%2B15595550199", {}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const json body = page(log, c.query);
      CHECK(sids(body) == c.expected);
      CHECK(body.at("next_page_uri").is_null());
      for (const auto& m : body.at("messages")) {
        CHECK(m.at("status") == "sent");
        CHECK(m.at("date_sent") == m.at("date_created"));
        CHECK(m.at("account_sid") == kSid);
      }
    }
  }
}

TEST_CASE("the list pages with PageSize and the next_page_uri it hands out", "[simulator][list]") {
  sim::MessageLog log(100);
  for (int i = 0; i < 5; ++i) log.add(message("SM" + std::to_string(i), "+15595550142", "x", kDecFirst + i));

  json body = page(log, "?To=%2B15595550142&PageSize=2");
  CHECK(sids(body) == std::vector<std::string>{"SM4", "SM3"});
  CHECK(body.at("page_size") == 2);
  std::vector<std::string> all = sids(body);
  int pages = 1;
  while (!body.at("next_page_uri").is_null()) {
    const std::string next = body.at("next_page_uri");
    REQUIRE(next.starts_with(kPath + "?"));
    body = page(log, next.substr(kPath.size()));
    for (const auto& s : sids(body)) all.push_back(s);
    REQUIRE(++pages <= 5);
  }
  CHECK(pages == 3);
  CHECK(all == std::vector<std::string>{"SM4", "SM3", "SM2", "SM1", "SM0"});
  CHECK(body.at("previous_page_uri").is_string());
}

TEST_CASE("malformed list parameters are refused with 400", "[simulator][list]") {
  sim::MessageLog log(10);
  for (const std::string query : {"?PageSize=0", "?PageSize=1001", "?PageSize=x", "?DateSent=2026-13-01",
                                  "?DateSent=yesterday", "?PageToken=zz", "?Page=-1"}) {
    DYNAMIC_SECTION(query) {
      auto result = sim::list_messages(log, kSid, kPath + query);
      REQUIRE(std::holds_alternative<sim::TwilioError>(result));
      CHECK(std::get<sim::TwilioError>(result).status == 400);
    }
  }
}
