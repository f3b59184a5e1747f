// Reading subscriber CSV files: every bad row is reported with its line.
#include <catch2/catch.hpp>

#include <sstream>

#include "store/subscriber_csv.h"
#include "util/errors.h"

using broadcaster::store::read_subscriber_csv;

TEST_CASE("rows are read with normalised numbers, languages and tags") {
  std::istringstream in(
      "\xEF\xBB\xBFPhone,Language,Tags,consent_source,consent_at\r\n"
      "\"(559) 555-0142\",ES,Fresno; DACA,web form,2026-01-05T10:00:00Z\r\n"
      "+1 209 555 0101,hmn,madera|kyr,,\r\n"
      "\"559-555-0143\",en,\"fresno;\"\"quoted\"\"\",paper,\n");
  const auto csv = read_subscriber_csv(in, "s.csv", "US");
  REQUIRE(csv.errors.empty());
  REQUIRE(csv.rows.size() == 3);
  CHECK(csv.rows[0].phone.e164() == "+15595550142");
  CHECK(csv.rows[0].language == "es");
  CHECK(csv.rows[0].tags == std::vector<std::string>{"fresno", "daca"});
  CHECK(csv.rows[0].consent_source == "web form");
  CHECK(csv.rows[1].phone.e164() == "+12095550101");
  CHECK(csv.rows[1].tags == std::vector<std::string>{"madera", "kyr"});
  CHECK(csv.rows[2].tags == std::vector<std::string>{"fresno", "\"quoted\""});
  CHECK(csv.row_lines == std::vector<std::size_t>{2, 3, 4});
}

TEST_CASE("bad rows are reported with their line and skipped, never dropped silently") {
  std::istringstream in(
      "phone,language,tags\n"
      "+15595550142,es,fresno\n"
      "555-1234,es,fresno\n"
      "+1 555 555 0100,en,\n"
      "\"multi\nline\",en,x\n"
      "+15595550150,,fresno\n"
      "+15595550151,Spanish,fresno\n"
      "+15595550142,en,tulare\n");
  const auto csv = read_subscriber_csv(in, "s.csv", "US");
  REQUIRE(csv.rows.size() == 1);
  CHECK(csv.rows[0].language == "en");  // the later row for the same number wins
  REQUIRE(csv.errors.size() == 6);
  CHECK(csv.errors[0].line == 3);
  CHECK(csv.errors[1].line == 4);
  CHECK_THAT(csv.errors[1].message, Catch::Contains("not a valid number"));
  CHECK(csv.errors[2].line == 5);  // a quoted field spanning lines starts here
  CHECK(csv.errors[3].line == 7);
  CHECK_THAT(csv.errors[3].message, Catch::Contains("language is empty"));
  CHECK(csv.errors[4].line == 8);
  CHECK_THAT(csv.errors[4].message, Catch::Contains("'spanish' is not a language code"));
  CHECK(csv.errors[5].line == 2);
  CHECK_THAT(csv.errors[5].message, Catch::Contains("appears again on line 9"));
  // Numbers in messages are masked.
  for (const auto& e : csv.errors) CHECK_THAT(e.message, !Catch::Contains("5550142"));
}

TEST_CASE("a header without the phone column is refused") {
  std::istringstream in("number,language\n+15595550142,es\n");
  CHECK_THROWS_WITH(read_subscriber_csv(in, "s.csv", "US"), Catch::Contains("s.csv:1:1: the header has no 'phone' column"));
}
