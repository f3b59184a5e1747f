// CSV records: RFC 4180 quoting, bounded lines, and recovery from a quote
// that never closes, in linear time.
#include "store/csv_reader.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "util/input_limits.h"

using broadcaster::store::CsvReader;
using broadcaster::store::CsvRecord;

namespace {

std::vector<CsvRecord> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<CsvRecord> out;
  while (auto r = reader.next()) out.push_back(std::move(*r));
  return out;
}

}  // namespace

TEST_CASE("quoted fields hold commas, doubled quotes and line breaks") {
  const auto records = read_all("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\nlast,no newline");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == std::vector<std::string>{"a", "b,c", "say \"hi\""});
  CHECK(records[1].line == 2);
  CHECK(records[1].fields == std::vector<std::string>{"two\nlines", "x"});
  CHECK(records[2].line == 4);
  CHECK(records[2].fields == std::vector<std::string>{"last", "no newline"});
}

TEST_CASE("a quote inside a field is an ordinary character") {
  const auto records = read_all("5'10\" tall,b\n");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == std::vector<std::string>{"5'10\" tall", "b"});
}

TEST_CASE("a quote that never closes is reported where it opens, and the lines after it are still read") {
  const auto records = read_all(
      "+15595550101,es\n"
      "\"+15595550102,es,fresno\n"  // the typo: no closing quote
      "+15595550103,en\n"
      "+15595550104,en\n");
  REQUIRE(records.size() == 4);
  CHECK(records[0].error.empty());
  CHECK(records[1].line == 2);
  CHECK_THAT(records[1].error, Catch::Contains("opened at line 2, column 1 is not closed before the end of the file"));
  CHECK(records[2].line == 3);
  CHECK(records[2].fields == std::vector<std::string>{"+15595550103", "en"});
  CHECK(records[3].fields == std::vector<std::string>{"+15595550104", "en"});
}

TEST_CASE("a quote that swallows more than the record limit stops there") {
  std::string text = "\"open\n";
  const std::string row = "+15595550103,en\n";
  while (text.size() < broadcaster::util::kMaxCsvLineBytes + 2 * row.size()) text += row;
  const auto records = read_all(text);
  REQUIRE(records.size() > 2);
  CHECK_THAT(records[0].error, Catch::Contains("is not closed within 64 KiB"));
  for (std::size_t i = 1; i < records.size(); ++i) {
    INFO(i);
    CHECK(records[i].error.empty());
    CHECK(records[i].line == i + 1);
  }
}

TEST_CASE("lines longer than the limit are skipped and reported without being kept") {
  const std::string huge(broadcaster::util::kMaxCsvLineBytes + 1, 'x');
  const auto records = read_all("a,b\n" + huge + "\nc,d\n" + huge);
  REQUIRE(records.size() == 4);
  CHECK(records[1].line == 2);
  CHECK_THAT(records[1].error, Catch::Contains("65537 bytes long"));
  CHECK(records[1].error.size() < 200);
  CHECK(records[2].fields == std::vector<std::string>{"c", "d"});
  CHECK_THAT(records[3].error, Catch::Contains("65537 bytes long"));  // at the end, without a newline
}

TEST_CASE("a line of exactly the limit is read") {
  const std::string line(broadcaster::util::kMaxCsvLineBytes, 'x');
  const auto records = read_all(line + "\n" + line);
  REQUIRE(records.size() == 2);
  CHECK(records[0].error.empty());
  CHECK(records[0].fields.front().size() == line.size());
  CHECK(records[1].error.empty());
}

TEST_CASE("NUL bytes and empty input are data, not the end") {
  CHECK(read_all("").empty());
  const auto records = read_all(std::string("a\0b,c\n", 6));
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields.front() == std::string("a\0b", 3));
}
