// Reading subscriber CSV files: every bad row is reported with its line.
#include "store/subscriber_csv.h"

#include <catch2/catch.hpp>
#include <sstream>

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
  CHECK(csv.rows[0].address.canonical() == "+15595550142");
  CHECK(csv.rows[0].language == "es");
  CHECK(csv.rows[0].tags == std::vector<std::string>{"fresno", "daca"});
  CHECK(csv.rows[0].consent_source == "web form");
  CHECK(csv.rows[1].address.canonical() == "+12095550101");
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
  CHECK_THROWS_WITH(read_subscriber_csv(in, "s.csv", "US"),
                    Catch::Contains("s.csv:1:1: the header has no 'phone' column"));
}

TEST_CASE("an unclosed quote costs its row only: the row is reported with its line, the rest is read") {
  std::istringstream in(
      "phone,language,tags\n"
      "+15595550141,es,fresno\n"
      "\"+15595550142,es,fresno\n"
      "+15595550143,en,tulare\n");
  const auto csv = read_subscriber_csv(in, "s.csv", "US");
  REQUIRE(csv.errors.size() == 1);
  CHECK(csv.errors[0].line == 3);
  CHECK_THAT(csv.errors[0].message, Catch::Contains("quoted field opened at line 3, column 1 is not closed"));
  REQUIRE(csv.rows.size() == 2);
  CHECK(csv.rows[1].address.canonical() == "+15595550143");
  CHECK(csv.row_lines == std::vector<std::size_t>{2, 4});
}

TEST_CASE("hostile cells are refused with a short, masked excerpt and never stored") {
  struct Case {
    const char* label;
    std::string row;
    const char* message;
  };
  const Case cases[] = {
      {"a 60 KB phone number", "+1" + std::string(60 * 1024, '5') + ",es,fresno", "too long to be a phone number"},
      {"a 64 KB phone number makes the line too long", "+1" + std::string(64 * 1024, '5') + ",es,fresno",
       "bytes long; a line has at most"},
      {"a tag over the limit", "+15595550142,es," + std::string(65, 't'), "at most 64"},
      {"a tag that is not UTF-8", "+15595550142,es,fres\xFFno", "invalid UTF-8 at byte offset 4"},
      {"too many tags",
       "+15595550142,es," +
           [] {
             std::string tags;
             for (int i = 0; i < 65; ++i) tags += "t" + std::to_string(i) + ";";
             return tags;
           }(),
       "at most 64"},
      {"a 60 KB language", "+15595550142," + std::string(60 * 1024, 'e') + ",fresno", "not a language code"},
      {"consent text that is not UTF-8", "+15595550142,es,fresno,paper\xC3", "consent_source"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      std::istringstream in("phone,language,tags,consent_source\n" + c.row + "\n");
      const auto csv = read_subscriber_csv(in, "s.csv", "US");
      CHECK(csv.rows.empty());
      REQUIRE(csv.errors.size() == 1);
      CHECK(csv.errors[0].line == 2);
      CHECK_THAT(csv.errors[0].message, Catch::Contains(c.message));
      CHECK(csv.errors[0].message.size() < 200);
      CHECK_THAT(csv.errors[0].message, !Catch::Contains("55555555"));
    }
  }
}

TEST_CASE("a 50 MB line is refused whole and the rows around it are read") {
  std::string text = "phone,language,tags\n+15595550141,es,fresno\n+15595550142,es,";
  text.append(50 * 1024 * 1024, 't');
  text += "\n+15595550143,en,tulare\n";
  std::istringstream in(text);
  const auto csv = read_subscriber_csv(in, "s.csv", "US");
  REQUIRE(csv.errors.size() == 1);
  CHECK(csv.errors[0].line == 3);
  CHECK_THAT(csv.errors[0].message, Catch::Contains("bytes long; a line has at most 65536 bytes"));
  REQUIRE(csv.rows.size() == 2);
  for (const auto& row : csv.rows) {
    for (const auto& tag : row.tags) CHECK(tag.size() < 10);
  }
}

TEST_CASE("a header naming a column twice is refused with both columns") {
  std::istringstream in("phone,language,Phone\n+15595550142,es,+15595550143\n");
  CHECK_THROWS_WITH(read_subscriber_csv(in, "s.csv", "US"),
                    Catch::Contains("s.csv:1:1: the header names column 'phone' twice (columns 1 and 3)"));
}

TEST_CASE("a time_zone column gives a subscriber's own zone; without it the area code decides") {
  std::istringstream in(
      "phone,language,time_zone\n(559) 555-0142,es,America/Chicago\n(559) 555-0143,en,\n");
  const auto csv = broadcaster::store::read_subscriber_csv(in, "s.csv", "US");
  REQUIRE(csv.rows.size() == 2);
  CHECK(csv.rows[0].time_zone == "America/Chicago");
  CHECK(csv.rows[1].time_zone.empty());
  CHECK(csv.errors.empty());
}

TEST_CASE("an address column takes phone numbers, email addresses and Telegram chats, each checked") {
  std::istringstream in(
      "address,language,tags\n"
      "+1 559 555 0142,es,fresno\n"
      "Ana.Garcia@Example.org,es,fresno\n"
      "telegram:123456789,hmn,madera\n"
      "ana.garcia@example.ORG,en,fresno\n"
      "ana@localhost,es,fresno\n"
      "telegram:ana,es,fresno\n");
  const auto csv = read_subscriber_csv(in, "s.csv", "US");
  REQUIRE(csv.rows.size() == 3);
  CHECK(csv.rows[0].address.canonical() == "+15595550142");
  CHECK(csv.rows[1].address.canonical() == "email:ana.garcia@example.org");
  CHECK(csv.rows[2].address.canonical() == "telegram:123456789");
  // The second spelling of one mailbox replaces the first, as a repeated
  // number does; the bad rows are reported with their lines.
  CHECK(csv.rows[1].language == "en");
  REQUIRE(csv.errors.size() == 3);
  CHECK(csv.errors[0].line == 3);
  CHECK_THAT(csv.errors[0].message, Catch::Contains("appears again on line 5"));
  CHECK_THAT(csv.errors[0].message, !Catch::Contains("ana.garcia"));  // masked
  CHECK(csv.errors[1].line == 6);
  CHECK_THAT(csv.errors[1].message, Catch::StartsWith("address: ") && Catch::Contains("top-level domain"));
  CHECK_THAT(csv.errors[1].message, !Catch::Contains("ana@"));  // an email address is not quoted
  CHECK(csv.errors[2].line == 7);
  CHECK_THAT(csv.errors[2].message, Catch::Contains("numeric id"));
}

TEST_CASE("a header with both a phone and an address column is refused") {
  std::istringstream in("phone,address,language\n+15595550142,ana@example.org,es\n");
  CHECK_THROWS_WITH(read_subscriber_csv(in, "s.csv", "US"), Catch::Contains("both a 'phone' and an 'address'"));
}
