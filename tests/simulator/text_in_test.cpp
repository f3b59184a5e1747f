// `broadcaster-sim text` against a loopback server that runs the real Twilio
// inbound endpoint: the webhook it sends must pass broadcaster's signature
// and field checks, and the TwiML replies must come back as text.
#include "simulator/text_in.h"

#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "channels/twilio/twilio_inbound.h"
#include "support/http_test_server.h"

namespace broadcaster::simulator {
namespace {

using channels::InboundMessage;
using testing::HttpTestServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

constexpr const char* kFrom = "+15595550142";
constexpr const char* kSpanishReply = "Te diste de baja & no recibirás más mensajes. <AYUDA>";
constexpr const char* kChineseReply = "已加入。回复 STOP 退订 🙌";

// A stand-in for `broadcaster serve`: the real Twilio endpoint configured
// with the server's URL as public_url and the simulator's default token,
// replying to ALTO and JOIN, silent otherwise.
class FakeServe {
 public:
  FakeServe()
      : endpoint_(channels::ProviderSettings{"twilio",
                                            "twilio",
                                            {{"public_url", server_.url("/twilio/sms")},
                                             {"auth_token_env", "TWILIO_AUTH_TOKEN"},
                                             {"account_sid", std::string(kDefaultAccountSid)}},
                                            "test:1:1",
                                            channels::ProviderRole::Inbound},
                  [](const std::string&) { return std::string(kDefaultAuthToken); }) {
    server_.set_responder([this](const RecordedRequest& r) { return answer(r); });
  }

  std::string url() const { return server_.url("/twilio/sms"); }
  HttpTestServer& server() { return server_; }

  std::vector<InboundMessage> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  ScriptedResponse answer(const RecordedRequest& r) {
    const auto parsed =
        endpoint_.parse(channels::InboundRequest{r.method, r.target, r.headers, r.body});
    if (!parsed.message) {
      return ScriptedResponse{
          static_cast<unsigned>(parsed.status), {{"Content-Type", "text/plain"}}, parsed.reason};
    }
    std::optional<std::string> reply;
    if (parsed.message->body == "ALTO") reply = kSpanishReply;
    if (parsed.message->body == "JOIN") reply = kChineseReply;
    {
      std::lock_guard lock(mutex_);
      received_.push_back(*parsed.message);
    }
    auto response = endpoint_.reply(reply);
    if (parsed.message->body == "HELP") {
      response.headers.emplace_back(channels::kReplyWithheldHeader, "reply cap of 5 per hour reached");
    }
    return ScriptedResponse{static_cast<unsigned>(response.status), response.headers,
                            response.body};
  }

  HttpTestServer server_;  // first: the endpoint is configured with its URL
  channels::TwilioInboundEndpoint endpoint_;
  std::mutex mutex_;
  std::vector<InboundMessage> received_;  // guarded by mutex_
};

TextInOptions options_for(const std::string& url, std::optional<std::string> body) {
  TextInOptions options;
  options.webhook_url = url;
  options.from = kFrom;
  options.body = std::move(body);
  return options;
}

EnvReader no_env() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

}  // namespace

TEST_CASE("text_in: a webhook serve accepts, and its reply", "[simulator][text_in]") {
  FakeServe serve;
  const TextInResult result = send_text(options_for(serve.url(), "ALTO"));
  CHECK(result.status == 200);
  CHECK(result.error.empty());
  CHECK(result.replies == std::vector<std::string>{kSpanishReply});
  CHECK(result.message_sid.size() == 34);
  CHECK(result.message_sid.starts_with("SM"));

  const auto received = serve.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].from == kFrom);
  CHECK(received[0].to == "+15595550100");
  CHECK(received[0].body == "ALTO");
  CHECK(received[0].provider_id == result.message_sid);

  const auto requests = serve.server().requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/twilio/sms");
  CHECK(requests[0].header("Content-Type") ==
        std::optional<std::string>("application/x-www-form-urlencoded"));
}

TEST_CASE("text_in: a withheld reply is shown with broadcaster's reason", "[simulator][text_in]") {
  FakeServe serve;
  std::istringstream in("HELP\n");
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_text_command(options_for(serve.url(), std::nullopt), in, out, err, no_env()) == 0);
  CHECK(out.str() == "(no reply: reply cap of 5 per hour reached)\n");
  CHECK(send_text(options_for(serve.url(), "HELP")).reply_withheld == "reply cap of 5 per hour reached");
}

TEST_CASE("text_in: lines of standard input are texts", "[simulator][text_in]") {
  FakeServe serve;
  std::istringstream in("JOIN\r\n\nhola qué tal\n");
  std::ostringstream out;
  std::ostringstream err;
  const int status =
      run_text_command(options_for(serve.url(), std::nullopt), in, out, err, no_env());
  CHECK(status == 0);
  CHECK(out.str() == std::string(kChineseReply) + "\n(no reply)\n");
  CHECK(err.str().empty());
  const auto received = serve.received();
  REQUIRE(received.size() == 2);
  CHECK(received[0].body == "JOIN");
  CHECK(received[1].body == "hola qué tal");
  CHECK(received[0].provider_id != received[1].provider_id);
}

TEST_CASE("text_in: --json", "[simulator][text_in]") {
  FakeServe serve;
  auto options = options_for(serve.url(), "ALTO");
  options.json = true;
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_text_command(options, in, out, err, no_env()) == 0);
  const auto line = nlohmann::json::parse(out.str());
  CHECK(line["status"] == 200);
  CHECK(line["replies"] == nlohmann::json::array({kSpanishReply}));
  CHECK(line["message_sid"].get<std::string>().starts_with("SM"));
  CHECK_FALSE(line.contains("error"));
}

TEST_CASE("text_in: failures give a non-zero exit", "[simulator][text_in]") {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;

  SECTION("a token serve does not know: 403") {
    FakeServe serve;
    const EnvReader env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "OTHER_TOKEN") return std::string("not-the-token");
      return std::nullopt;
    };
    auto options = options_for(serve.url(), "ALTO");
    options.auth_token_env = "OTHER_TOKEN";
    CHECK(run_text_command(options, in, out, err, env) == 1);
    CHECK_THAT(err.str(), Catch::Matchers::Contains("HTTP 403"));
    CHECK(serve.received().empty());
  }
  SECTION("an empty variable falls back to the simulator's default token") {
    FakeServe serve;
    const EnvReader env = [](const std::string&) { return std::optional<std::string>(""); };
    CHECK(run_text_command(options_for(serve.url(), "ALTO"), in, out, err, env) == 0);
    CHECK(serve.received().size() == 1);
  }
  SECTION("an answer that is not TwiML") {
    FakeServe serve;
    serve.server().enqueue({200, {{"Content-Type", "text/html"}}, "<html>Bad Gateway</html>"});
    CHECK(run_text_command(options_for(serve.url(), "ALTO"), in, out, err, no_env()) == 1);
    CHECK_THAT(err.str(), Catch::Matchers::Contains("not TwiML"));
  }
  SECTION("nobody listening") {
    std::string url;
    {
      HttpTestServer closed;
      url = closed.url("/twilio/sms");
    }
    CHECK(run_text_command(options_for(url, "ALTO"), in, out, err, no_env()) == 2);
    CHECK_THAT(err.str(), Catch::Matchers::Contains("could not deliver"));
    CHECK_THROWS_AS(send_text(options_for(url, "ALTO")), Error);
  }
}

TEST_CASE("text_in: the fields Twilio sends", "[simulator][text_in]") {
  auto options = options_for("http://127.0.0.1:9/twilio/sms", std::nullopt);
  options.from = "+12095550123";
  options.messaging_service_sid = "MGfedcba9876543210fedcba9876543210";
  const auto fields =
      incoming_sms_fields(options, "加入 社区会议", "SM0123456789abcdef0123456789abcdef");
  const auto field = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto& [key, value] : fields) {
      if (key == name) return value;
    }
    return std::nullopt;
  };
  CHECK(field("MessageSid") == std::optional<std::string>("SM0123456789abcdef0123456789abcdef"));
  CHECK(field("SmsMessageSid") == field("MessageSid"));
  CHECK(field("SmsSid") == field("MessageSid"));
  CHECK(field("AccountSid") == std::optional<std::string>(std::string(kDefaultAccountSid)));
  CHECK(field("MessagingServiceSid") ==
        std::optional<std::string>("MGfedcba9876543210fedcba9876543210"));
  CHECK(field("From") == std::optional<std::string>("+12095550123"));
  CHECK(field("To") == std::optional<std::string>("+15595550100"));
  CHECK(field("Body") == std::optional<std::string>("加入 社区会议"));
  CHECK(field("NumMedia") == std::optional<std::string>("0"));
  CHECK(field("NumSegments") == std::optional<std::string>("1"));
  CHECK(field("SmsStatus") == std::optional<std::string>("received"));
  CHECK(field("ApiVersion") == std::optional<std::string>("2010-04-01"));
  CHECK(field("FromCountry") == std::optional<std::string>("US"));
  CHECK(field("ToCountry") == std::optional<std::string>("US"));

  options.messaging_service_sid.clear();
  const auto long_fields = incoming_sms_fields(options, std::string(161, 'a'), "SM1");
  CHECK(std::find(long_fields.begin(), long_fields.end(),
                  std::pair<std::string, std::string>{"NumSegments", "2"}) != long_fields.end());
  CHECK(std::none_of(long_fields.begin(), long_fields.end(),
                     [](const auto& f) { return f.first == "MessagingServiceSid"; }));
}

TEST_CASE("text_in: command-line options", "[simulator][text_in]") {
  CLI::App app{"broadcaster-sim"};
  TextInOptions options;
  CLI::App* text = add_text_command(app, options);

  SECTION("all options") {
    app.parse(
        "text --webhook-url http://127.0.0.1:8080/twilio/sms --from +15595550142 --to "
        "+15595550101 --body ALTO --account-sid ACfedcba9876543210fedcba9876543210 "
        "--auth-token-env SIM_TOKEN --timeout-ms 2500 --json");
    CHECK(text->parsed());
    CHECK(options.webhook_url == "http://127.0.0.1:8080/twilio/sms");
    CHECK(options.from == "+15595550142");
    CHECK(options.to == "+15595550101");
    CHECK(options.body == std::optional<std::string>("ALTO"));
    CHECK(options.account_sid == "ACfedcba9876543210fedcba9876543210");
    CHECK(options.auth_token_env == "SIM_TOKEN");
    CHECK(options.timeout_ms == 2500);
    CHECK(options.json);
  }
  SECTION("defaults") {
    app.parse("text --webhook-url http://127.0.0.1:8080/x --from +15595550142");
    CHECK(text->parsed());
    CHECK(options.to == "+15595550100");
    CHECK_FALSE(options.body.has_value());
    CHECK(options.account_sid == std::string(kDefaultAccountSid));
    CHECK(options.auth_token_env == "TWILIO_AUTH_TOKEN");
    CHECK_FALSE(options.json);
  }
  SECTION("a body with spaces, quoted") {
    app.parse(R"(text --webhook-url http://127.0.0.1/x --from +15595550142 --body "hola qué tal")");
    CHECK(options.body == std::optional<std::string>("hola qué tal"));
  }
  SECTION("without the subcommand it is not parsed") {
    app.parse("");
    CHECK_FALSE(text->parsed());
  }
  SECTION("a sender that is not E.164 is refused") {
    CHECK_THROWS_AS(app.parse("text --webhook-url http://127.0.0.1/x --from 5595550142"),
                    CLI::ValidationError);
  }
  SECTION("a webhook URL that is not http(s) is refused") {
    CHECK_THROWS_AS(app.parse("text --webhook-url 127.0.0.1/x --from +15595550142"),
                    CLI::ValidationError);
  }
  SECTION("the webhook URL is required") {
    CHECK_THROWS_AS(app.parse("text --from +15595550142"), CLI::RequiredError);
  }
}

}  // namespace broadcaster::simulator
