// End to end: the built `broadcaster-sim` executable, started as a child
// process with real flags, answering real HTTP requests from libcurl.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "channels/http_message.h"
#include "http_client.h"
#include "sim_process.h"

using broadcaster::simulator::test::http_request;
using broadcaster::simulator::test::RequestOptions;
using broadcaster::simulator::test::SimProcess;
using nlohmann::json;

namespace {

constexpr const char* kSid = "AC0123456789abcdef0123456789abcdef";

std::string messages_url(const SimProcess& p, const std::string& sid = kSid) {
  return p.base_url() + "/2010-04-01/Accounts/" + sid + "/Messages.json";
}

RequestOptions send(const std::vector<std::pair<std::string, std::string>>& form,
                    const std::string& token = "sim-auth-token") {
  RequestOptions o;
  o.body = broadcaster::channels::form_encode(form);
  o.basic_auth = std::pair<std::string, std::string>{kSid, token};
  return o;
}

std::vector<std::pair<std::string, std::string>> to(const std::string& number,
                                                    const std::string& body = "Hello") {
  return {{"To", number}, {"From", "+15595550100"}, {"Body", body}};
}

}  // namespace

TEST_CASE("broadcaster-sim speaks Twilio's wire format", "[simulator][e2e]") {
  // 429 on every 4th Messages.json request, the HTML 502 on every 7th.
  SimProcess p({"--port", "0", "--lifetime-seconds", "120", "--unsubscribed", "+15595550199",
                "--invalid", "+15595550198", "--fail-429-every", "4", "--html-error-every", "7"});
  CHECK(p.first_line() == "listening 127.0.0.1:" + std::to_string(p.port()));

  // Request 1: accepted.
  const auto created = http_request("POST", messages_url(p), send(to("+15595550142", "Hi & bye")));
  REQUIRE(created.status == 201);
  CHECK(created.header("Content-Type") == "application/json");
  const auto message = json::parse(created.body);
  CHECK(std::regex_match(message.at("sid").get<std::string>(), std::regex("^SM[0-9a-f]{32}$")));
  CHECK(message.at("account_sid") == kSid);
  CHECK(message.at("to") == "+15595550142");
  CHECK(message.at("from") == "+15595550100");
  CHECK(message.at("body") == "Hi & bye");
  CHECK(message.at("status") == "queued");
  CHECK(message.at("num_segments") == "1");
  CHECK(message.at("date_sent").is_null());

  // Request 2: wrong token.
  const auto unauthorized = http_request("POST", messages_url(p), send(to("+15595550142"), "x"));
  CHECK(unauthorized.status == 401);
  CHECK(json::parse(unauthorized.body).at("code") == 20003);

  // Request 3: unsubscribed recipient.
  const auto unsubscribed = http_request("POST", messages_url(p), send(to("+15595550199")));
  CHECK(unsubscribed.status == 400);
  CHECK(json::parse(unsubscribed.body).at("code") == 21610);

  // Request 4: the injected 429.
  const auto limited = http_request("POST", messages_url(p), send(to("+15595550142")));
  CHECK(limited.status == 429);
  CHECK(limited.header("Retry-After") == "1");
  CHECK(json::parse(limited.body).at("code") == 20429);

  // Request 5: a number scripted as invalid.
  const auto invalid = http_request("POST", messages_url(p), send(to("+15595550198")));
  CHECK(invalid.status == 400);
  CHECK(json::parse(invalid.body).at("code") == 21211);

  // Request 6: accepted, with a Messaging Service instead of From.
  const auto via_service =
      http_request("POST", messages_url(p),
                   send({{"To", "+15595550143"},
                         {"MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"},
                         {"Body", "caf\xc3\xa9"},
                         {"StatusCallback", "http://127.0.0.1:9/status"}}));
  CHECK(via_service.status == 201);

  // Request 7: the proxy's HTML error page.
  const auto html = http_request("POST", messages_url(p), send(to("+15595550142")));
  CHECK(html.status == 502);
  CHECK(html.header("Content-Type") == "text/html");
  CHECK(html.body.find("<title>502 Bad Gateway</title>") != std::string::npos);

  // Request 8: the 429 again, as predicted.
  CHECK(http_request("POST", messages_url(p), send(to("+15595550142"))).status == 429);

  const auto messages = json::parse(http_request("GET", p.base_url() + "/sim/messages").body);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].at("sid") == message.at("sid"));
  CHECK(messages[0].at("to") == "+15595550142");
  CHECK(messages[0].at("body") == "Hi & bye");
  CHECK(messages[1].at("to") == "+15595550143");
  CHECK(messages[1].at("from").is_null());
  CHECK(messages[1].at("messaging_service_sid") == "MG0123456789abcdef0123456789abcdef");
  CHECK(messages[1].at("body") == "caf\xc3\xa9");
  CHECK(messages[1].at("status_callback") == "http://127.0.0.1:9/status");
  CHECK(messages[0].at("received_at_us").get<std::int64_t>() <=
        messages[1].at("received_at_us").get<std::int64_t>());

  const auto stats = json::parse(http_request("GET", p.base_url() + "/sim/stats").body);
  CHECK(stats.at("requests") == 8);
  CHECK(stats.at("accepted") == 2);
  CHECK(stats.at("rejected_by_code") ==
        json{{"20003", 1}, {"20429", 2}, {"21211", 1}, {"21610", 1}});
  CHECK(stats.at("rejected_by_status").at("502") == 1);

  CHECK(http_request("POST", p.base_url() + "/sim/reset").status == 204);
  CHECK(json::parse(http_request("GET", p.base_url() + "/sim/messages").body).empty());

  // SIGTERM stops it cleanly.
  p.signal(SIGTERM);
  const auto status = p.wait_exit(std::chrono::seconds(20));
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
}

TEST_CASE("broadcaster-sim reads its token from the named variable", "[simulator][e2e]") {
  SimProcess p(
      {"--port", "0", "--lifetime-seconds", "120", "--auth-token-env", "BC_SIM_TEST_TOKEN"},
      {"BC_SIM_TEST_TOKEN=token-from-env"});
  CHECK(http_request("POST", messages_url(p), send(to("+15595550142"))).status == 401);
  CHECK(http_request("POST", messages_url(p), send(to("+15595550142"), "token-from-env")).status ==
        201);
  // The path must name the authenticated account.
  CHECK(http_request("POST", messages_url(p, "ACffffffffffffffffffffffffffffffff"),
                     send(to("+15595550142"), "token-from-env"))
            .status == 401);
}

TEST_CASE("broadcaster-sim writes --port-file and --record", "[simulator][e2e]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("bc-sim-e2e-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto port_file = dir / "port";
  const auto record = dir / "record.jsonl";
  {
    SimProcess p({"--port", "0", "--lifetime-seconds", "120", "--port-file", port_file.string(),
                  "--record", record.string()});
    std::ifstream in(port_file);
    int port = 0;
    in >> port;
    CHECK(port == p.port());
    for (const char* number : {"+15595550142", "+15595550143", "+15595550144"}) {
      CHECK(http_request("POST", messages_url(p), send(to(number, "Line\nbreak"))).status == 201);
    }
    p.signal(SIGINT);
    REQUIRE(p.wait_exit(std::chrono::seconds(20)).has_value());
  }
  std::ifstream in(record);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  std::filesystem::remove_all(dir);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].at("to") == "+15595550142");
  CHECK(lines[2].at("to") == "+15595550144");
  CHECK(lines[1].at("body") == "Line\nbreak");
  CHECK(lines[1].at("received_at_us").is_number_integer());
}

TEST_CASE("broadcaster-sim exits by itself after --lifetime-seconds", "[simulator][e2e]") {
  SimProcess p({"--port", "0", "--lifetime-seconds", "1"});
  const auto status = p.wait_exit(std::chrono::seconds(30));
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
}

TEST_CASE("broadcaster-sim refuses a non-loopback --host", "[simulator][e2e]") {
  CHECK_THROWS_WITH(SimProcess({"--host", "0.0.0.0", "--lifetime-seconds", "5"}),
                    Catch::Contains("closed stdout"));
}
