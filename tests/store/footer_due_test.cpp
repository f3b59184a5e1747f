// footer_due on a real redis-server: read in order, cleared without touching
// the rest of the subscriber hash, pipelined across batches.
#include <catch2/catch.hpp>

#include "store/footer_due.h"
#include "store/redis_client.h"
#include "support/redis_server.h"

using namespace broadcaster;

TEST_CASE("footer_due is read per number in order and cleared only where asked") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  (void)redis.command({"HSET", keys.subscriber("+15595550101"), "lang", "es", "footer_due", "1"});
  (void)redis.command({"HSET", keys.subscriber("+15595550102"), "lang", "en"});
  (void)redis.command({"HSET", keys.subscriber("+15595550103"), "lang", "en", "footer_due", "1"});
  const std::vector<std::string> numbers{"+15595550101", "+15595550102", "+15595550103", "+15595550199"};
  CHECK(store::read_footer_due(redis, keys, numbers) == std::vector<bool>{true, false, true, false});

  store::clear_footer_due(redis, keys, {"+15595550101", "+15595550199"});
  CHECK(store::read_footer_due(redis, keys, numbers) == std::vector<bool>{false, false, true, false});
  // The rest of the hash is untouched, and no hash is created for an unknown number.
  CHECK(redis.command({"HGET", keys.subscriber("+15595550101"), "lang"}).as_string() == "es");
  CHECK(redis.command({"EXISTS", keys.subscriber("+15595550199")}).as_integer() == 0);
  CHECK(store::read_footer_due(redis, keys, {}).empty());
}

TEST_CASE("footer_due works across pipelined batches") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  std::vector<std::string> numbers;
  std::vector<bool> expected;
  for (std::size_t i = 0; i < store::kFooterDueBatch * 2 + 7; ++i) {
    // Placeholders, not phone numbers: the functions only build keys from them.
    numbers.push_back("subscriber-" + std::to_string(i));
    expected.push_back(i % 3 == 0);
    if (i % 3 == 0) (void)redis.command({"HSET", keys.subscriber(numbers.back()), "footer_due", "1"});
  }
  CHECK(store::read_footer_due(redis, keys, numbers) == expected);
  store::clear_footer_due(redis, keys, numbers);
  CHECK(store::read_footer_due(redis, keys, numbers) == std::vector<bool>(numbers.size(), false));
}
