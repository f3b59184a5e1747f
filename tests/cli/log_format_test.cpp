// --log-format json: each log line is one JSON object with time, level,
// component, campaign, masked number and message, whatever the message holds.
#include "cli/log_format.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/phone.h"

namespace broadcaster::cli {
namespace {

// Logs `lines` through a logger using the JSON formatter; returns its output.
std::string json_lines(const std::vector<std::pair<spdlog::level::level_enum, std::string>>& lines) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  spdlog::logger logger("test", sink);
  logger.set_formatter(json_log_formatter("serve"));
  logger.set_level(spdlog::level::debug);
  for (const auto& [level, text] : lines) logger.log(level, "{}", text);
  return out.str();
}

}  // namespace

TEST_CASE("log format: json lines carry the campaign and the masked number", "[cli][logs]") {
  const auto phone = util::Phone::from_trusted_e164("+15595550142");
  const std::string sent = fmt::format("campaign daca-renewal-es: send to {} failed (HTTP 503), retry 1 of 3", phone);
  const std::string out = json_lines({{spdlog::level::warn, sent},
                                      {spdlog::level::info, "webhook server listening on 127.0.0.1:8080"},
                                      {spdlog::level::err, "campaign 'x' is not known"}});
  std::istringstream in(out);
  std::string line;
  std::vector<nlohmann::json> parsed;
  while (std::getline(in, line)) parsed.push_back(nlohmann::json::parse(line));  // throws if a line is not JSON
  REQUIRE(parsed.size() == 3);

  CHECK(parsed[0]["level"] == "warning");
  CHECK(parsed[0]["component"] == "serve");
  CHECK(parsed[0]["campaign"] == "daca-renewal-es");
  CHECK(parsed[0]["number"] == "+1559\u2022\u2022\u20220142");
  CHECK(parsed[0]["message"] == sent);
  const std::string time = parsed[0]["time"];
  CHECK(time.size() == 24);  // 2026-12-02T10:04:05.123Z
  CHECK(time.back() == 'Z');
  CHECK(out.find("5550142") == std::string::npos);  // the full number is nowhere

  CHECK(parsed[1]["level"] == "info");
  CHECK(parsed[1]["campaign"].is_null());
  CHECK(parsed[1]["number"].is_null());
  CHECK(parsed[2]["campaign"].is_null());  // "campaign 'x' is..." names no campaign in the leading form
}

TEST_CASE("log format: quotes, newlines and broken UTF-8 stay one valid JSON line", "[cli][logs]") {
  const std::string hostile = "campaign c1: text \"quoted\"\nsecond line \xff\xfe tab\t end";
  const std::string out = json_lines({{spdlog::level::info, hostile}});
  REQUIRE(out.find('\n') == out.size() - 1);  // one line
  const auto j = nlohmann::json::parse(out);
  CHECK(j["campaign"] == "c1");
  const std::string message = j["message"];
  CHECK_THAT(message, Catch::Contains("\"quoted\"\nsecond line"));
  CHECK_THAT(message, Catch::Contains("\xEF\xBF\xBD"));  // U+FFFD for the bad bytes
}

TEST_CASE("log format: names", "[cli][logs]") {
  CHECK(parse_log_format("json") == LogFormat::Json);
  CHECK(parse_log_format("text") == LogFormat::Text);
  CHECK_FALSE(parse_log_format("JSON "));
  CHECK(log_fields("no number \u2022 here").number.empty());
}

}  // namespace broadcaster::cli
