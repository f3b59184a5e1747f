// Request routing and state of the simulator, without sockets.
#include "simulator/simulator.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "channels/http_message.h"
#include "simulator/basic_auth.h"

namespace sim = broadcaster::simulator;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr const char* kSid = "AC0123456789abcdef0123456789abcdef";
constexpr const char* kToken = "sim-auth-token";
const std::string kPath = std::string("/2010-04-01/Accounts/") + kSid + "/Messages.json";

// 2023-08-24T05:01:45Z plus 123456 µs.
const auto kNow =
    std::chrono::system_clock::time_point(std::chrono::microseconds(1692853305123456));

sim::Request post(const std::string& target,
                  const std::vector<std::pair<std::string, std::string>>& form,
                  std::optional<std::string> authorization = sim::make_basic_auth(kSid, kToken)) {
  sim::Request req{http::verb::post, boost::beast::string_view(target.data(), target.size()), 11};
  req.set(http::field::content_type, "application/x-www-form-urlencoded");
  if (authorization) req.set(http::field::authorization, *authorization);
  req.body() = broadcaster::channels::form_encode(form);
  req.prepare_payload();
  return req;
}

sim::Request get(const std::string& target) {
  return sim::Request{http::verb::get, boost::beast::string_view(target.data(), target.size()), 11};
}

const std::vector<std::pair<std::string, std::string>> kGoodForm = {
    {"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", "Hello & welcome"}};

json body_of(const sim::SimReply& reply) { return json::parse(reply.response.body()); }

sim::SimOptions options() {
  sim::SimOptions o;
  o.unsubscribed = {"+15595550199"};
  return o;
}

}  // namespace

TEST_CASE("Simulator answers Messages.json like Twilio", "[simulator]") {
  sim::Simulator s(options(), nullptr, [] { return kNow; });

  struct Case {
    const char* label;
    sim::Request request;
    unsigned status;
    int code;  // 0 = no error body
  };
  const std::vector<Case> cases = {
      {"accepted", post(kPath, kGoodForm), 201, 0},
      {"no credentials", post(kPath, kGoodForm, std::nullopt), 401, 20003},
      {"wrong token", post(kPath, kGoodForm, sim::make_basic_auth(kSid, "x")), 401, 20003},
      {"missing To", post(kPath, {{"From", "+15595550100"}, {"Body", "x"}}), 400, 21604},
      {"missing Body", post(kPath, {{"To", "+15595550142"}, {"From", "+15595550100"}}), 400, 21602},
      {"missing From", post(kPath, {{"To", "+15595550142"}, {"Body", "x"}}), 400, 21603},
      {"bad To", post(kPath, {{"To", "555"}, {"From", "+15595550100"}, {"Body", "x"}}), 400, 21211},
      {"unsubscribed",
       post(kPath, {{"To", "+15595550199"}, {"From", "+15595550100"}, {"Body", "x"}}), 400, 21610},
      {"GET on Messages.json without credentials", get(kPath), 401, 20003},
      {"DELETE on Messages.json",
       sim::Request{http::verb::delete_, boost::beast::string_view(kPath.data(), kPath.size()), 11}, 405, 20004},
      {"unknown path", get("/2010-04-01/Accounts/" + std::string(kSid) + "/Calls.json"), 404,
       20404},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto reply = s.handle(c.request);
      CHECK(reply.response.result_int() == c.status);
      CHECK(reply.response[http::field::content_type] == "application/json");
      const auto j = body_of(reply);
      if (c.code != 0) {
        CHECK(j.at("code") == c.code);
        CHECK(j.at("status") == c.status);
      } else {
        CHECK(j.at("to") == "+15595550142");
        CHECK(j.at("body") == "Hello & welcome");
      }
      if (c.status == 401) {
        CHECK(reply.response[http::field::www_authenticate] == "Basic realm=\"Twilio API\"");
      }
    }
  }
}

TEST_CASE("a form body in another content type counts as empty", "[simulator]") {
  sim::Simulator s(options());
  auto req = post(kPath, kGoodForm);
  req.set(http::field::content_type, "application/json");
  const auto reply = s.handle(req);
  CHECK(reply.response.result_int() == 400);
  CHECK(body_of(reply).at("code") == 21604);
}

TEST_CASE("accepted messages are recorded, counted and reset", "[simulator]") {
  sim::Simulator s(options(), nullptr, [] { return kNow; });
  auto form = kGoodForm;
  form.emplace_back("StatusCallback", "http://127.0.0.1:9/status");
  const auto created = body_of(s.handle(post(kPath, form)));
  CHECK(created.at("date_created") == "Thu, 24 Aug 2023 05:01:45 +0000");
  (void)s.handle(post(kPath, {{"To", "+15595550199"}, {"From", "+15595550100"}, {"Body", "x"}}));
  (void)s.handle(post(kPath, kGoodForm, std::nullopt));

  const auto messages = body_of(s.handle(get("/sim/messages")));
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].at("sid") == created.at("sid"));
  CHECK(messages[0].at("to") == "+15595550142");
  CHECK(messages[0].at("from") == "+15595550100");
  CHECK(messages[0].at("body") == "Hello & welcome");
  CHECK(messages[0].at("status_callback") == "http://127.0.0.1:9/status");
  CHECK(messages[0].at("messaging_service_sid").is_null());
  CHECK(messages[0].at("received_at_us") == 1692853305123456);

  const auto stats = body_of(s.handle(get("/sim/stats")));
  CHECK(stats.at("requests") == 3);
  CHECK(stats.at("accepted") == 1);
  CHECK(stats.at("rejected") == 2);
  CHECK(stats.at("rejected_by_code") == json{{"21610", 1}, {"20003", 1}});
  CHECK(stats.at("rejected_by_status") == json{{"400", 1}, {"401", 1}});
  CHECK(stats.at("recorded") == 1);

  CHECK(s.handle(get("/sim/reset")).response.result_int() == 405);
  CHECK(s.handle(post("/sim/reset", {})).response.result_int() == 204);
  CHECK(body_of(s.handle(get("/sim/messages"))) == json::array());
  CHECK(body_of(s.handle(get("/sim/stats"))).at("requests") == 0);
}

TEST_CASE("injected faults follow the request count and reset", "[simulator]") {
  auto o = options();
  o.fail_429_every = 2;
  o.retry_after_seconds = 1;
  o.fail_500_every = 5;
  o.html_error_every = 7;
  sim::Simulator s(o);

  // Requests 1..7: 201, 429, 201, 429, 500, 429, 502.
  const std::vector<unsigned> expected = {201, 429, 201, 429, 500, 429, 502};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    DYNAMIC_SECTION("request " << i + 1) {
      // Sections re-run the test case from the top, so replay the earlier ones.
      for (std::size_t k = 0; k < i; ++k) (void)s.handle(post(kPath, kGoodForm));
      const auto reply = s.handle(post(kPath, kGoodForm));
      CHECK(reply.response.result_int() == expected[i]);
      if (expected[i] == 429) {
        CHECK(reply.response[http::field::retry_after] == "1");
        CHECK(body_of(reply).at("code") == 20429);
      } else if (expected[i] == 500) {
        CHECK(body_of(reply).at("code") == 20500);
      } else if (expected[i] == 502) {
        CHECK(reply.response[http::field::content_type] == "text/html");
        CHECK(reply.response.body().find("<html>") != std::string::npos);
      }
    }
  }

  SECTION("reset starts the count again") {
    (void)s.handle(post(kPath, kGoodForm));
    CHECK(s.handle(post("/sim/reset", {})).response.result_int() == 204);
    CHECK(s.handle(post(kPath, kGoodForm)).response.result_int() == 201);
    CHECK(s.handle(post(kPath, kGoodForm)).response.result_int() == 429);
  }

  SECTION("a fault comes before authentication") {
    (void)s.handle(post(kPath, kGoodForm));
    CHECK(s.handle(post(kPath, kGoodForm, std::nullopt)).response.result_int() == 429);
  }
}

TEST_CASE("delay applies to Messages.json only", "[simulator]") {
  auto o = options();
  o.delay_ms = 250;
  sim::Simulator s(o);
  CHECK(s.handle(post(kPath, kGoodForm)).delay == std::chrono::milliseconds(250));
  CHECK(s.handle(post(kPath, kGoodForm, std::nullopt)).delay == std::chrono::milliseconds(250));
  CHECK(s.handle(get("/sim/stats")).delay == std::chrono::milliseconds(0));
}

TEST_CASE("slow_every delays only every Nth Messages.json request, which is accepted all the same", "[simulator]") {
  auto o = options();
  o.delay_ms = 250;
  o.slow_every = 3;
  sim::Simulator s(o);
  std::vector<long> delays;
  for (int i = 0; i < 6; ++i) {
    const auto reply = s.handle(post(kPath, kGoodForm));
    CHECK(reply.response.result_int() == 201);
    delays.push_back(static_cast<long>(reply.delay.count()));
  }
  CHECK(delays == std::vector<long>{0, 0, 250, 0, 0, 250});
  CHECK(s.messages().messages().size() == 6);
}

TEST_CASE("the record file gets one raw JSON line per accepted message", "[simulator]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("bc-sim-test-" + std::to_string(::getpid()) + ".jsonl");
  std::filesystem::remove(path);
  {
    sim::Simulator s(options(), std::make_unique<sim::RecordFile>(path.string()),
                     [] { return kNow; });
    (void)s.handle(post(kPath, {{"To", "+15595550142"},
                                {"MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"},
                                {"Body", "caf\xc3\xa9 \xf0\x9f\x91\x8d"}}));
    (void)s.handle(post(kPath, {{"To", "+15595550199"}, {"From", "+15595550100"}, {"Body", "x"}}));
  }  // destroying the simulator drains the file
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::filesystem::remove(path);
  REQUIRE(lines.size() == 1);
  const auto j = json::parse(lines[0]);
  CHECK(j.at("body") == "caf\xc3\xa9 \xf0\x9f\x91\x8d");
  CHECK(lines[0].find("caf\xc3\xa9") != std::string::npos);  // raw UTF-8, not \u escapes
  CHECK(j.at("messaging_service_sid") == "MG0123456789abcdef0123456789abcdef");
  CHECK(j.at("from").is_null());
  CHECK(j.at("received_at_us") == 1692853305123456);
}

TEST_CASE("invalid UTF-8 in a body does not break the JSON", "[simulator]") {
  sim::Simulator s(options());
  const auto reply =
      s.handle(post(kPath, {{"To", "+15595550142"}, {"From", "+15595550100"}, {"Body", "a\xff"}}));
  REQUIRE(reply.response.result_int() == 201);
  CHECK(body_of(reply).at("body") == "a\xef\xbf\xbd");  // U+FFFD
  CHECK(body_of(s.handle(get("/sim/messages"))).size() == 1);
}

TEST_CASE("GET Messages.json lists accepted messages, filtered by To", "[simulator]") {
  sim::Simulator s(options(), nullptr, [] { return kNow; });
  REQUIRE(s.handle(post(kPath, kGoodForm)).response.result_int() == 201);
  REQUIRE(s.handle(post(kPath, {{"To", "+15595550143"}, {"From", "+15595550100"}, {"Body", "other"}}))
              .response.result_int() == 201);
  auto req = get(kPath + "?To=%2B15595550142");
  req.set(http::field::authorization, sim::make_basic_auth(kSid, kToken));
  const auto reply = s.handle(req);
  REQUIRE(reply.response.result_int() == 200);
  const auto j = body_of(reply);
  REQUIRE(j.at("messages").size() == 1);
  CHECK(j["messages"][0].at("body") == "Hello & welcome");
  CHECK(j["messages"][0].at("status") == "sent");
  CHECK(j.at("next_page_uri").is_null());
  CHECK(s.stats().lists() == 1);
  CHECK(s.stats().requests() == 2);  // lists are not create requests
}
