// `broadcaster inspect`: escape decoding, line reading, error positions, the
// table and the JSON report, and the command's wiring into CLI11.
#include "cli/inspect.h"

#include "cli/commands.h"
#include "util/errors.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using broadcaster::ConfigError;
using broadcaster::cli::decode_inspect_escapes;
using broadcaster::cli::format_inspect_report;
using broadcaster::cli::inspect_lines;
using broadcaster::cli::inspect_message;
using broadcaster::cli::InspectOptions;
using broadcaster::cli::InspectRow;
using broadcaster::cli::run_inspect;
using broadcaster::templates::SmsEncoding;

namespace {

/// Lines of `text`, without their newlines.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Sends std::cout into a string for the lifetime of the guard.
class CaptureStdout {
 public:
  CaptureStdout() : previous_(std::cout.rdbuf(captured_.rdbuf())) {}
  ~CaptureStdout() { std::cout.rdbuf(previous_); }
  CaptureStdout(const CaptureStdout&) = delete;
  CaptureStdout& operator=(const CaptureStdout&) = delete;
  std::string text() const { return captured_.str(); }

 private:
  std::ostringstream captured_;
  std::streambuf* previous_;
};

}  // namespace

TEST_CASE("inspect escapes decode to newline, carriage return and backslash") {
  // Written as C++ literals: "\\n" is the two characters backslash and n.
  const std::vector<std::tuple<const char*, std::string, std::string>> cases = {
      {"plain text", "Taller gratuito", "Taller gratuito"},
      {"newline", "Hola\\nAdiós", "Hola\nAdiós"},
      {"carriage return and newline", "a\\r\\nb", "a\r\nb"},
      {"escaped backslash before n stays a backslash and n", "a\\\\nb", "a\\nb"},
      {"lone escaped backslash", "C:\\\\", "C:\\"},
      {"empty", "", ""},
  };
  for (const auto& [label, raw, expected] : cases) {
    DYNAMIC_SECTION(label) { CHECK(decode_inspect_escapes(raw, "<stdin>", 1) == expected); }
  }
}

TEST_CASE("bad inspect escapes are errors at their line and column") {
  const std::vector<std::tuple<const char*, std::string, int>> cases = {
      {"unknown escape", "a\\tb", 2},
      {"backslash at the end", "end\\", 4},
      {"unknown after valid ones", "\\n\\\\\\x", 5},
  };
  for (const auto& [label, raw, column] : cases) {
    DYNAMIC_SECTION(label) {
      try {
        (void)decode_inspect_escapes(raw, "<stdin>", 7);
        FAIL("no exception");
      } catch (const ConfigError& e) {
        CHECK(e.file() == "<stdin>");
        CHECK(e.line() == 7);
        CHECK(e.column() == column);
        CHECK(std::string(e.what()).rfind("<stdin>:7:" + std::to_string(column) + ": ", 0) == 0);
      }
    }
  }
}

TEST_CASE("inspect_message checks UTF-8 before decoding, positioned in the raw line") {
  try {
    (void)inspect_message("ok\\n\xFF", "<stdin>", 3, false);
    FAIL("no exception");
  } catch (const ConfigError& e) {
    CHECK(e.line() == 3);
    CHECK(e.column() == 5);  // byte 5 of the line as typed
    CHECK(std::string(e.what()).find("invalid UTF-8") != std::string::npos);
  }
}

TEST_CASE("inspect_message analyses the decoded text, smart-encoded on request") {
  const InspectRow plain = inspect_message("Don’t\\nmiss it", "TEXT", 1, false);
  CHECK(plain.text == "Don’t\nmiss it");
  CHECK(plain.info.encoding == SmsEncoding::Ucs2);
  CHECK(plain.info.code_units == 13);

  const InspectRow smart = inspect_message("Don’t\\nmiss it", "TEXT", 1, true);
  CHECK(smart.text == "Don't\nmiss it");
  CHECK(smart.info.encoding == SmsEncoding::Gsm7);
  CHECK(smart.info.code_units == 13);
}

TEST_CASE("inspect_lines reads one message per line") {
  SECTION("blank lines are skipped, numbers kept, CRLF endings dropped") {
    std::istringstream in("Hello\n\nLlame el sábado\r\nlast line without newline");
    const std::vector<InspectRow> rows = inspect_lines(in, false);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].line == 1);
    CHECK(rows[1].line == 3);
    CHECK(rows[1].text == "Llame el sábado");
    CHECK(rows[1].info.encoding == SmsEncoding::Ucs2);
    CHECK(rows[2].line == 4);
  }
  SECTION("the first bad line stops with its line number") {
    std::istringstream in("fine\nalso fine\nbroken \\q escape\n");
    try {
      (void)inspect_lines(in, false);
      FAIL("no exception");
    } catch (const ConfigError& e) {
      CHECK(std::string(e.what()).rfind("<stdin>:3:8: ", 0) == 0);
    }
  }
  SECTION("invalid UTF-8 is reported with its line number") {
    std::istringstream in("fine\n\xC3(\n");
    CHECK_THROWS_WITH(inspect_lines(in, false), Catch::StartsWith("<stdin>:2:1: invalid UTF-8"));
  }
}

TEST_CASE("the JSON report has one object per message") {
  std::istringstream in("Hola\\nAdiós\nNiños\n");
  const std::string report = format_inspect_report(inspect_lines(in, false), true);
  const nlohmann::json json = nlohmann::json::parse(report);
  REQUIRE(json.is_array());
  REQUIRE(json.size() == 2);

  const nlohmann::json& first = json[0];
  CHECK(first.at("line") == 1);
  CHECK(first.at("text") == "Hola\nAdiós");
  CHECK(first.at("encoding") == "UCS-2");
  CHECK(first.at("characters") == 10);
  CHECK(first.at("code_units") == 10);
  CHECK(first.at("segments") == 1);
  CHECK(first.at("non_gsm_characters") == nlohmann::json::array({"ó"}));

  const nlohmann::json& second = json[1];
  CHECK(second.at("line") == 2);
  CHECK(second.at("encoding") == "GSM-7");
  CHECK(second.at("code_units") == 5);
  CHECK(second.at("non_gsm_characters") == nlohmann::json::array());

  CHECK(format_inspect_report({}, true) == "[]\n");
}

TEST_CASE("the table aligns its columns, previews on one line and explains UCS-2") {
  std::vector<InspectRow> rows;
  rows.push_back(inspect_message("Hola\\nAdiós", "<stdin>", 1, false));
  // 161 septets: two segments, and a preview cut at 40 characters.
  rows.push_back(inspect_message(std::string(161, 'x'), "<stdin>", 12, false));
  const std::vector<std::string> lines = lines_of(format_inspect_report(rows, false));
  REQUIRE(lines.size() == 5);  // header, 2 rows, 1 explanation, total
  CHECK(lines[0] == " #  encoding  chars  units  segments  text");
  CHECK(lines[1] == " 1  UCS-2        10     10         1  Hola\\nAdiós");
  CHECK(lines[2] == "12  GSM-7       161    161         2  " + std::string(40, 'x') + "…");
  CHECK(lines[3] == "line 1 is UCS-2 because of: ó U+00F3");
  CHECK(lines[4] == "2 messages, 3 segments in total");
}

TEST_CASE("run_inspect takes TEXT or standard input") {
  std::ostringstream out;
  std::istringstream unused("should not be read\n");
  InspectOptions options;
  options.text = "";
  options.json = true;
  run_inspect(options, unused, out);
  const nlohmann::json empty = nlohmann::json::parse(out.str());
  REQUIRE(empty.size() == 1);  // an empty TEXT is still one (empty, unsendable) message
  CHECK(empty[0].at("segments") == 0);

  std::ostringstream out2;
  std::istringstream in("a\nb\n");
  run_inspect(InspectOptions{std::nullopt, true, false}, in, out2);
  CHECK(nlohmann::json::parse(out2.str()).size() == 2);
}

TEST_CASE("add_inspect_command wires TEXT, --json and --smart") {
  CLI::App app{"broadcaster"};
  broadcaster::cli::add_inspect_command(app);
  const char* argv[] = {"broadcaster", "inspect", "--json", "--smart", "Don’t"};
  std::string printed;
  {
    CaptureStdout capture;
    app.parse(5, argv);
    printed = capture.text();
  }
  const nlohmann::json json = nlohmann::json::parse(printed);
  CHECK(json[0].at("text") == "Don't");
  CHECK(json[0].at("encoding") == "GSM-7");

  const std::string help = app.get_subcommand("inspect")->help();
  CHECK(help.find("\\n stands for a newline") != std::string::npos);
  CHECK(help.find("--smart") != std::string::npos);
}
