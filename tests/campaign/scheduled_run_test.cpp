// Run ids and occurrence text of scheduled runs.
#include "campaign/scheduled_run.h"

#include <catch2/catch.hpp>
#include <regex>

#include "util/errors.h"

using namespace broadcaster;

namespace {

schedule::LocalDateTime at(int y, unsigned m, unsigned d, int h, int mi) {
  return {std::chrono::year{y} / m / d, h, mi};
}

}  // namespace

TEST_CASE("run ids name the occurrence, stay valid campaign ids and at most 64 characters") {
  const auto occurrence = at(2027, 3, 9, 8, 5);
  CHECK(campaign::run_id("clinic", occurrence) == "clinic--20270309-0805");
  const std::string id49(49, 'a');
  CHECK(campaign::run_id(id49, occurrence) == id49 + "--20270309-0805");

  const std::string long_a = std::string(60, 'a') + "-one";
  const std::string long_b = std::string(60, 'a') + "-two";
  const std::string ra = campaign::run_id(long_a, occurrence);
  const std::string rb = campaign::run_id(long_b, occurrence);
  CHECK(ra.size() == 64);
  CHECK(ra != rb);
  CHECK(ra.substr(0, 40) == std::string(40, 'a'));
  CHECK(ra == campaign::run_id(long_a, occurrence));  // the same everywhere
  const std::regex valid("[a-z0-9][a-z0-9_-]{0,63}");
  CHECK(std::regex_match(ra, valid));
  CHECK(std::regex_match(campaign::run_id(std::string(64, 'z'), occurrence), valid));
}

TEST_CASE("occurrence text reads back; anything else is refused") {
  const auto occurrence = at(2027, 11, 30, 23, 59);
  CHECK(campaign::occurrence_text(occurrence) == "2027-11-30T23:59");
  CHECK(campaign::parse_occurrence_text("2027-11-30T23:59") == occurrence);
  CHECK_THROWS_AS(campaign::parse_occurrence_text("2027-11-30 23:59"), Error);
  CHECK_THROWS_AS(campaign::parse_occurrence_text("2027-02-30T10:00"), Error);
  CHECK_THROWS_AS(campaign::parse_occurrence_text(""), Error);
}

TEST_CASE("a recipient-zone occurrence is claimed at UTC+14 and late from UTC-12") {
  const auto occurrence = at(2027, 3, 16, 10, 0);
  const auto day = std::chrono::sys_days{std::chrono::year{2027} / 3 / 16};
  CHECK(campaign::claim_instant(occurrence, "recipient") == day - std::chrono::hours(4));
  CHECK(campaign::last_instant(occurrence, "recipient") == day + std::chrono::hours(22));
  CHECK(campaign::claim_instant(occurrence, "America/Los_Angeles") == day + std::chrono::hours(17));
}
