// `--log-format json` on a real `serve`: every line it writes is one JSON
// object a log shipper can index, with the campaign and the masked number,
// and no full number anywhere.
#include <catch2/catch.hpp>
#include <csignal>
#include <nlohmann/json.hpp>
#include <sstream>

#include "campaign_checks.h"
#include "pipeline_fixture.h"

using namespace broadcaster;
using namespace broadcaster::testing;

namespace {

std::vector<nlohmann::json> json_lines(const std::string& output) {
  std::vector<nlohmann::json> out;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    INFO(line);
    REQUIRE(nlohmann::json::accept(line));
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

}  // namespace

TEST_CASE("with --log-format json, serve's log lines are JSON objects with campaign and masked number",
          "[logs]") {
  constexpr int kSubscribers = 5;
  Pipeline p;
  write_campaign_files(p, kSubscribers);
  std::string out;
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}, &out) == 0);
  REQUIRE(p.run({"--log-format", "json", "campaign", "submit", (p.dir().path() / "campaign.yaml").string()}, &out) ==
          0);

  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"--log-format", "json", "-v", "serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, "it-invite"); }, std::chrono::seconds(30)));
  serve->signal(SIGTERM);
  REQUIRE(serve->wait(std::chrono::seconds(30)) == 0);
  check_exactly_once(p, kSubscribers);

  const auto lines = json_lines(serve->output());
  REQUIRE(lines.size() >= 3);
  bool campaign_line = false;
  bool number_line = false;
  for (const auto& j : lines) {
    for (const char* key : {"time", "level", "component", "campaign", "number", "message"}) {
      INFO(j.dump() << " lacks " << key);
      CHECK(j.contains(key));
    }
    CHECK(j["component"] == "serve");
    if (j["campaign"] == "it-invite") campaign_line = true;
    if (j["number"].is_string() && j["number"].get<std::string>().starts_with("+1559")) number_line = true;
  }
  CHECK(campaign_line);
  CHECK(number_line);
  for (int i = 0; i < kSubscribers; ++i) CHECK(serve->output().find(number(i)) == std::string::npos);
}
