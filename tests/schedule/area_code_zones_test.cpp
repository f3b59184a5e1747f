// The area code table: the shipped CSV loads and answers for real area
// codes; a malformed row is refused with its line.
#include "schedule/area_code_zones.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"
#include "util/errors.h"

using broadcaster::ConfigError;
using broadcaster::schedule::AreaCodeZones;
using broadcaster::testing::TempDir;

namespace {

const AreaCodeZones& shipped() {
  static const AreaCodeZones table =
      AreaCodeZones::load(std::string(BC_SOURCE_DIR) + "/config/data/nanp_area_codes.csv");
  return table;
}

constexpr const char* kHeader = "area_code,time_zone,region,country,share,other_zones\n";

// The ConfigError's text for a table that must not parse.
std::string error_of(const std::string& text) {
  try {
    (void)AreaCodeZones::parse(text, "codes.csv");
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL_CHECK("expected a ConfigError for:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("the shipped table gives the zone and state of +1 numbers") {
  struct Case {
    const char* label;
    const char* e164;
    const char* zone;
    const char* region;
    const char* country;
  };
  const Case cases[] = {
      {"Fresno", "+15595550142", "America/Los_Angeles", "CA", "US"},
      {"Manhattan", "+12125550142", "America/New_York", "NY", "US"},
      {"Chicago", "+13125550142", "America/Chicago", "IL", "US"},
      {"Phoenix, no DST", "+16025550142", "America/Phoenix", "AZ", "US"},
      {"Miami", "+13055550142", "America/New_York", "FL", "US"},
      {"Houston", "+17135550142", "America/Chicago", "TX", "US"},
      {"Honolulu", "+18085550142", "Pacific/Honolulu", "HI", "US"},
      {"Puerto Rico, a US territory", "+17875550142", "America/Puerto_Rico", "PR", "PR"},
      {"Toronto", "+14165550142", "America/Toronto", "ON", "CA"},
      {"Jamaica: a country, no state", "+18765550142", "America/Jamaica", "", "JM"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto found = shipped().lookup(c.e164);
      REQUIRE(found);
      CHECK(found->zone == c.zone);
      CHECK(found->region == c.region);
      CHECK(found->country == c.country);
    }
  }
  CHECK(shipped().size() > 400);
}

TEST_CASE("an area code that spans zones names the others") {
  const auto idaho = shipped().lookup("+12085550142");
  REQUIRE(idaho);
  CHECK(idaho->zone == "America/Denver");
  CHECK(idaho->region == "ID");
  CHECK(idaho->share < 100);
  CHECK(std::find(idaho->other_zones.begin(), idaho->other_zones.end(), "America/Los_Angeles") !=
        idaho->other_zones.end());
}

TEST_CASE("numbers outside +1, or not E.164, have no entry") {
  for (const char* number : {"+5215555550142", "+445555550142", "+1559555014", "+155955501420", "15595550142",
                             "+1559555014x", "", "+10005550142"}) {
    DYNAMIC_SECTION(number) { CHECK_FALSE(shipped().lookup(number)); }
  }
}

TEST_CASE("a malformed table is refused at its line and column") {
  struct Case {
    const char* label;
    std::string text;
    const char* position;
    const char* fragment;
  };
  const std::string ok = "559,America/Los_Angeles,CA,US,100,\n";
  const Case cases[] = {
      {"missing field", std::string("# comment\n") + kHeader + ok + "212,America/New_York,NY,US\n", "4:1",
       "this one has 4"},
      {"unknown zone", kHeader + ok + "212,America/Manhattan,NY,US,100,\n", "3:5",
       "unknown time zone 'America/Manhattan'"},
      {"bad area code", kHeader + std::string("112,America/New_York,NY,US,100,\n"), "2:1", "'112' is not an area code"},
      {"twice", kHeader + ok + ok, "3:1", "listed twice (first on line 2)"},
      {"region", kHeader + std::string("559,America/Los_Angeles,Calif,US,100,\n"), "2:25", "two-letter region"},
      {"share", kHeader + std::string("559,America/Los_Angeles,CA,US,101,\n"), "2:31", "share from 0 to 100"},
      {"other zone", kHeader + std::string("559,America/Los_Angeles,CA,US,90,America/Denver:5 Mars/Base:5\n"), "2:51",
       "unknown time zone 'Mars/Base'"},
      {"wrong header", std::string("code,zone\n") + ok, "1:1", "the header must read"},
      {"quotes", kHeader + std::string("559,\"America/Los_Angeles\",CA,US,100,\n"), "2:5", "quotes"},
      {"non-ASCII", kHeader + std::string("559,América/Los_Angeles,CA,US,100,\n"), "2:7", "plain ASCII"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const std::string message = error_of(c.text);
      CHECK_THAT(message, Catch::StartsWith(std::string("codes.csv:") + c.position + ": "));
      CHECK_THAT(message, Catch::Contains(c.fragment));
    }
  }
  CHECK_THAT(error_of("# only comments\n"), Catch::Contains("no header line"));
}

TEST_CASE("load names the file it cannot read") {
  TempDir dir;
  CHECK_THROWS_WITH(AreaCodeZones::load(dir.path() / "missing.csv"), Catch::Contains("missing.csv: cannot open"));
  const auto file = dir.write("codes.csv", std::string(kHeader) + "559,America/Los_Angeles,CA,US,100,\r\n");
  CHECK(AreaCodeZones::load(file).lookup("+15595550142")->zone == "America/Los_Angeles");
}
