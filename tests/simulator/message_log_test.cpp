// The bounded record of accepted messages.
#include "simulator/message_log.h"

#include <catch2/catch.hpp>

namespace sim = broadcaster::simulator;

namespace {
sim::RecordedMessage message(int i) {
  return {"SM" + std::to_string(i),    "+15595550142", "+15595550100", std::nullopt,
          "body " + std::to_string(i), std::nullopt,   1000 + i};
}
}  // namespace

TEST_CASE("MessageLog keeps the newest messages up to its capacity", "[simulator][message_log]") {
  sim::MessageLog log(3);
  for (int i = 1; i <= 5; ++i) log.add(message(i));
  REQUIRE(log.messages().size() == 3);
  CHECK(log.messages().front().sid == "SM3");
  CHECK(log.messages().back().sid == "SM5");
  CHECK(log.dropped() == 2);

  const auto j = log.to_json();
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 3);
  CHECK(j[0].at("sid") == "SM3");
  CHECK(j[0].at("to") == "+15595550142");
  CHECK(j[0].at("from") == "+15595550100");
  CHECK(j[0].at("messaging_service_sid").is_null());
  CHECK(j[0].at("body") == "body 3");
  CHECK(j[0].at("status_callback").is_null());
  CHECK(j[0].at("received_at_us") == 1003);

  log.clear();
  CHECK(log.messages().empty());
  CHECK(log.dropped() == 0);
  CHECK(log.to_json() == nlohmann::json::array());
}
