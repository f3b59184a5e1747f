// A campaign on a channel no serve could start is refused before anything
// is queued: `campaign validate` names the channel and why, `campaign
// submit` queues nothing (it used to sit forever with every message
// remaining).
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "campaign_checks.h"

using namespace broadcaster;
using namespace broadcaster::testing;

TEST_CASE("validate and submit refuse a campaign whose channel would not start") {
  Pipeline p;
  write_campaign_files(p, 3);
  // The channel's type is one broadcaster does not know.
  std::string config;
  {
    std::ifstream in(p.config_path());
    std::stringstream all;
    all << in.rdbuf();
    config = all.str();
  }
  const auto at = config.find("type: twilio");
  REQUIRE(at != std::string::npos);
  config.replace(at, 12, "type: pager");
  std::ofstream(p.config_path()) << config;

  const std::string campaign = (p.dir().path() / "campaign.yaml").string();
  std::string out;
  CHECK(p.run({"campaign", "validate", "--offline", campaign}, &out) == 1);
  CHECK_THAT(out, Catch::Contains("error: channel 'sms' would not start:"));
  CHECK_THAT(out, Catch::Contains("pager"));
  CHECK(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  CHECK(p.run({"campaign", "submit", campaign}, &out) != 0);
  CHECK_THAT(out, Catch::Contains("not submitted"));
  CHECK(p.run({"campaign", "status", "it-invite"}, &out) != 0);  // nothing was queued
}
