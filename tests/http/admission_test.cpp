// The admission rules without sockets: per-client cap, fair share near the
// total, the total cap, exempt proxies, and per-address rules switched off.
#include "http/admission.h"

#include <catch2/catch.hpp>
#include <optional>
#include <utility>
#include <vector>

namespace bh = broadcaster::http;
using boost::asio::ip::make_address;

TEST_CASE("who may open one more connection", "[http][admission]") {
  struct Case {
    const char* label;
    std::size_t max_connections;
    std::size_t max_per_client;
    std::vector<std::pair<const char*, std::size_t>> held;  // address -> connections it holds
    std::size_t live;                                       // open connections, counted or not
    const char* client;
    bool exempt;
    std::optional<bh::Refusal> expected;
  };
  const Case cases[] = {
      {"a newcomer on an empty server", 8, 4, {}, 0, "192.0.2.1", false, std::nullopt},
      {"below its cap, not crowded", 8, 4, {{"192.0.2.1", 3}}, 3, "192.0.2.1", false, std::nullopt},
      {"at its cap", 8, 4, {{"192.0.2.1", 4}}, 4, "192.0.2.1", false, bh::Refusal::per_client},
      {"another address while one is at its cap", 8, 4, {{"192.0.2.1", 4}}, 4, "192.0.2.2", false, std::nullopt},
      {"full", 8, 4, {{"192.0.2.1", 4}, {"192.0.2.2", 4}}, 8, "192.0.2.3", false, bh::Refusal::total},
      {"crowded: an address holding the average",
       8,
       4,
       {{"192.0.2.1", 3}, {"192.0.2.2", 3}},
       6,
       "192.0.2.1",
       false,
       bh::Refusal::fair_share},
      {"crowded: a newcomer", 8, 4, {{"192.0.2.1", 3}, {"192.0.2.2", 3}}, 6, "192.0.2.3", false, std::nullopt},
      {"crowded: a light address below the average",
       8,
       4,
       {{"192.0.2.1", 4}, {"192.0.2.2", 1}},
       5 + 1,
       "192.0.2.2",
       false,
       std::nullopt},
      {"crowded by one address alone: it stops at three quarters",
       8,
       8,
       {{"192.0.2.1", 6}},
       6,
       "192.0.2.1",
       false,
       bh::Refusal::fair_share},
      {"one below crowded: still admitted", 8, 8, {{"192.0.2.1", 5}}, 5, "192.0.2.1", false, std::nullopt},
      {"crowded by many light addresses: each at the average",
       8,
       8,
       {{"192.0.2.1", 1}, {"192.0.2.2", 1}, {"192.0.2.3", 1}, {"192.0.2.4", 1}, {"192.0.2.5", 1}, {"192.0.2.6", 1}},
       6,
       "192.0.2.6",
       false,
       bh::Refusal::fair_share},
      {"a trusted proxy is only subject to the total", 8, 1, {}, 7, "127.0.0.1", true, std::nullopt},
      {"a trusted proxy on a full server", 8, 1, {}, 8, "127.0.0.1", true, bh::Refusal::total},
      {"per-address rules off: one address may fill the server", 8, 0, {}, 7, "192.0.2.1", false, std::nullopt},
      {"per-address rules off: the total still holds", 8, 0, {}, 8, "192.0.2.1", false, bh::Refusal::total},
      {"too small for a reserve: never crowded", 3, 3, {{"192.0.2.1", 2}}, 2, "192.0.2.1", false, std::nullopt},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      bh::Admission admission(c.max_connections, c.max_per_client);
      for (const auto& [address, n] : c.held) {
        for (std::size_t i = 0; i < n; ++i) admission.add(make_address(address));
      }
      const auto refusal = admission.check_connection(make_address(c.client), c.live, c.exempt);
      CHECK(refusal == c.expected);
    }
  }
}

TEST_CASE("a forwarded request is held to the client's cap only", "[http][admission]") {
  bh::Admission admission(8, 2);
  const auto client = make_address("198.51.100.7");
  CHECK_FALSE(admission.check_request(client));
  admission.add(client);
  CHECK_FALSE(admission.check_request(client));
  admission.add(client);
  CHECK(admission.check_request(client) == bh::Refusal::per_client);
  CHECK_FALSE(admission.check_request(make_address("198.51.100.8")));
  bh::Admission unlimited(8, 0);
  for (int i = 0; i < 20; ++i) unlimited.add(client);
  CHECK_FALSE(unlimited.check_request(client));
}

TEST_CASE("counts go back to nothing when everything is released", "[http][admission]") {
  bh::Admission admission(8, 4);
  const auto a = make_address("192.0.2.1");
  const auto b = make_address("192.0.2.2");
  admission.add(a);
  admission.add(a);
  admission.add(b);
  CHECK(admission.count(a) == 2);
  CHECK(admission.clients() == 2);
  CHECK(admission.counted() == 3);
  admission.remove(a);
  admission.remove(b);
  admission.remove(b);  // more releases than adds change nothing
  CHECK(admission.count(a) == 1);
  CHECK(admission.count(b) == 0);
  CHECK(admission.clients() == 1);
  admission.remove(a);
  CHECK(admission.clients() == 0);
  CHECK(admission.counted() == 0);
  CHECK(bh::to_string(bh::Refusal::per_client) == std::string("per_client"));
}
