// Console (dry-run) channel: one JSON line per message, to a stream or a file.
#include "channels/console/console_channel.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/channel_harness.h"

namespace broadcaster::channels {
namespace {

OutboundMessage message(std::string body, const char* to = "+15595550142") {
  return OutboundMessage{"spring-clinic", util::Phone::from_trusted_e164(to), "es",
                         std::move(body)};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A file path in a fresh temporary directory, removed afterwards.
class TempPath {
 public:
  TempPath() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "bc-console-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~TempPath() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  std::string file(const char* name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace

TEST_CASE("console: through the channel harness", "[channels][console]") {
  std::ostringstream out;
  ConsoleChannel channel(ProviderSettings{"dry-run", "console", {}, "b.yaml:3:3"}, out);
  const std::vector<testing::OutgoingCase> cases = {
      {.label = "first message is console-1",
       .message = message("Hola"),
       .result = SendResult{"console-1", "delivered"}},
  };
  testing::run_outgoing_cases(channel, cases, {"no-secret-here"});
}

TEST_CASE("console: writes one JSON line per message, with the full number",
          "[channels][console]") {
  std::ostringstream out;
  ConsoleChannel channel(ProviderSettings{"dry-run", "console", {}, "b.yaml:3:3"}, out);
  CHECK_FALSE(channel.build_request(message("x")));
  const auto first = channel.deliver_locally(message("¡Hola! \"mañana\" & 🎉\nsegunda línea"));
  const auto second = channel.deliver_locally(message("社区会议", "+15595550199"));
  CHECK(first.provider_id == "console-1");
  CHECK(first.status == "delivered");
  CHECK(second.provider_id == "console-2");

  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        R"({"channel":"dry-run","campaign":"spring-clinic","to":"+15595550142","language":"es",)"
        R"("body":"¡Hola! \"mañana\" & 🎉\nsegunda línea","id":"console-1"})");
  const auto parsed = nlohmann::json::parse(lines[1]);
  CHECK(parsed["to"] == "+15595550199");
  CHECK(parsed["body"] == "社区会议");
  CHECK(parsed["id"] == "console-2");
}

TEST_CASE("console: invalid UTF-8 is replaced, not fatal", "[channels][console]") {
  std::ostringstream out;
  ConsoleChannel channel(ProviderSettings{"dry-run", "console", {}, ""}, out);
  CHECK(channel.deliver_locally(message("bad \xff byte")).provider_id == "console-1");
  CHECK_THAT(out.str(), Catch::Matchers::Contains("bad \xEF\xBF\xBD byte"));
}

TEST_CASE("console: option path appends to a file", "[channels][console]") {
  TempPath temp;
  const std::string path = temp.file("dry-run.jsonl");
  {
    std::ofstream existing(path);
    existing << "earlier line\n";
  }
  testing::LogCapture log;
  ConsoleChannel channel(ProviderSettings{"dry-run", "console", {{"path", path}}, "b.yaml:3:3"});
  CHECK_THAT(log.text(), Catch::Matchers::Contains("info channel 'dry-run': dry run, messages are "
                                                   "written to " +
                                                   path + ", not sent"));
  (void)channel.deliver_locally(message("Hola"));
  // Flushed per line: visible before the channel is destroyed.
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const auto lines = lines_of(text.str());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "earlier line");
  CHECK(nlohmann::json::parse(lines[1])["id"] == "console-1");
}

TEST_CASE("console: configuration errors", "[channels][console]") {
  TempPath temp;
  SECTION("path in a missing directory") {
    const std::string path = temp.file("no/such/dir/out.jsonl");
    try {
      ConsoleChannel channel(ProviderSettings{"dry-run", "console", {{"path", path}}, "b.yaml:3:3"});
      FAIL("expected ConfigError");
    } catch (const ConfigError& e) {
      CHECK(e.line() == 3);
      CHECK_THAT(e.what(), Catch::Matchers::Contains("option 'path'"));
      CHECK_THAT(e.what(), Catch::Matchers::Contains(path));
    }
  }
  SECTION("empty path") {
    CHECK_THROWS_AS(ConsoleChannel(ProviderSettings{"dry-run", "console", {{"path", ""}}, ""}),
                    ConfigError);
  }
  SECTION("path with an injected stream") {
    std::ostringstream out;
    CHECK_THROWS_AS(
        ConsoleChannel(ProviderSettings{"dry-run", "console", {{"path", temp.file("x")}}, ""}, out),
        ConfigError);
  }
}

TEST_CASE("console: a failed stream is a permanent SendError", "[channels][console]") {
  std::ostringstream out;
  ConsoleChannel channel(ProviderSettings{"dry-run", "console", {}, ""}, out);
  out.setstate(std::ios::badbit);
  try {
    (void)channel.deliver_locally(message("Hola"));
    FAIL("expected SendError");
  } catch (const SendError& e) {
    CHECK_FALSE(e.retryable());
  }
  CHECK_THROWS_AS(channel.interpret_response(HttpResponse{}, message("Hola")), SendError);
}

}  // namespace broadcaster::channels
