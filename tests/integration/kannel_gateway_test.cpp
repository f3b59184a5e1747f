// Broadcaster against a real Kannel 1.4.5 (bearerbox, smsbox and the fake
// SMSC from kannel-extras), set up as README's Kannel section tells an
// operator to: a campaign goes out through smsbox's sendsms and reaches the
// SMSC with the right text (accented Spanish as UCS-2), the SMSC's delivery
// reports come back through smsbox to `serve`'s /kannel/dlr and show in
// `broadcaster stats`, and texts from subscribers (JOIN, ÚNETE) come in
// through smsbox's get-url to /kannel/mo and are answered through Kannel.
// Without Kannel installed these tests fail (KannelGateway says which
// packages to install); they never skip.
#include "support/kannel_gateway.h"
#include "support/loopback_port.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/http_get.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

using namespace broadcaster::testing;

namespace {

constexpr const char* kSecret = "kannel-shared-secret-8b31f0";
constexpr const char* kOurNumber = "+15595550100";

/// smsbox's get-url as README tells operators to write it, pointing at `serve` on `port`.
KannelGatewayOptions kannel_for(int port) {
  KannelGatewayOptions options;
  options.mo_url = "http://127.0.0.1:" + std::to_string(port) + "/kannel/mo?secret=" + kSecret +
                   "&from=%p&to=%P&text=%b&time=%t&id=%I&coding=%c&charset=%C";
  return options;
}

/// Redis, a real Kannel and broadcaster configured with a `kannel` channel
/// and a `kannel` inbound endpoint, in one temp dir.
class KannelInstallation {
 public:
  KannelInstallation() : inbound_port_(free_loopback_port()), kannel_(kannel_for(inbound_port_)) { write_config(); }

  TempDir& dir() { return dir_; }
  KannelGateway& kannel() { return kannel_; }
  std::string inbound_base() const { return "http://127.0.0.1:" + std::to_string(inbound_port_); }

  /// Runs `broadcaster ARGS...` to completion; returns its exit status.
  int run(std::vector<std::string> args, std::string* output = nullptr) {
    auto p = start(std::move(args), "run-" + std::to_string(runs_++) + ".log");
    const int status = p->wait(std::chrono::seconds(60));
    if (output) *output = p->output();
    return status;
  }

  /// Starts `broadcaster ARGS...` in the background, with the Kannel credentials in its environment.
  std::unique_ptr<Process> start(std::vector<std::string> args, const std::string& log_name) {
    std::vector<std::string> argv{std::string(BC_BINARY_DIR) + "/bin/broadcaster", "--config",
                                  (dir_.path() / "config" / "broadcaster.yaml").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env{"KANNEL_SENDSMS_USER=" + kannel_.options().sendsms_username,
                                 "KANNEL_SENDSMS_PASSWORD=" + kannel_.options().sendsms_password,
                                 std::string("KANNEL_SECRET=") + kSecret};
    return std::make_unique<Process>(argv, std::move(env), dir_.path() / log_name, "/dev/null");
  }

  /// `serve`, started and answering on the inbound port.
  std::unique_ptr<Process> serve() {
    auto serve = start({"serve"}, "serve.log");
    REQUIRE(wait_for_condition(
        [&] { return !serve->alive() || http_request("GET", inbound_base() + "/kannel/mo").status != 0; },
        std::chrono::seconds(20)));
    INFO(serve->output());
    REQUIRE(serve->alive());
    return serve;
  }

  /// `broadcaster ARGS... --json`, parsed.
  nlohmann::json json(std::vector<std::string> args) {
    args.emplace_back("--json");
    std::string out;
    const int status = run(args, &out);
    INFO(out);
    REQUIRE(status == 0);
    return nlohmann::json::parse(out.substr(out.find_first_of("{[")));
  }

 private:
  void write_config() {
    const std::string yaml = "redis:\n  host: 127.0.0.1\n  port: " + std::to_string(redis_.port()) +
                             "\n  prefix: \"it:\"\ntemplates_dir: ../templates\nfallback_language: en\n"
                             "channels:\n  sms:\n    type: kannel\n    sendsms_url: " +
                             kannel_.sendsms_url() +
                             "\n    username_env: KANNEL_SENDSMS_USER\n    password_env: KANNEL_SENDSMS_PASSWORD\n"
                             "    from: \"" +
                             kOurNumber + "\"\n    dlr_url: \"" + inbound_base() + "/kannel/dlr?secret=" + kSecret +
                             "\"\n    request_timeout_ms: 5000\n"
                             "sender:\n  claim_idle_ms: 15000\n  poll_interval_ms: 50\n  backoff_initial_ms: 50\n"
                             "  backoff_max_ms: 500\n  max_attempts: 4\n"
                             // Tests run at any hour.
                             "quiet_hours: {start: \"00:00\", end: \"24:00\"}\n"
                             "inbound:\n  listen: 127.0.0.1:" +
                             std::to_string(inbound_port_) +
                             "\n  keywords: " BC_SOURCE_DIR
                             "/config/keywords.yaml\n"
                             "  program: Valley Immigrant Legal Network\n"
                             "  contact: \"(559) 555-0100\"\n"
                             "  endpoints:\n    kannel: {type: kannel, secret_env: KANNEL_SECRET}\n";
    dir_.write("config/broadcaster.yaml", yaml);
    std::filesystem::create_directories(dir_.path() / "templates");
    for (const auto& entry : std::filesystem::directory_iterator(BC_SOURCE_DIR "/templates")) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("keyword-", 0) == 0 || name == "footer") {
        std::filesystem::copy(entry.path(), dir_.path() / "templates" / name, std::filesystem::copy_options::recursive);
      }
    }
  }

  TempDir dir_;
  RedisServer redis_;
  int inbound_port_ = 0;
  KannelGateway kannel_;
  int runs_ = 0;
};

std::map<std::string, std::vector<FakeSmscMessage>> per_recipient(const std::vector<FakeSmscMessage>& messages) {
  std::map<std::string, std::vector<FakeSmscMessage>> out;
  for (const auto& m : messages) out[m.to].push_back(m);
  return out;
}

}  // namespace

TEST_CASE("fakesmsc's lines and arguments are read and written as Kannel 1.4.5 prints and parses them") {
  const auto messages = parse_fakesmsc_output(
      "2026-12-02 13:56:27 [5430] [0] DEBUG: Got message 1: <+15595550100 +15595550101 ucs-2 "
      "%00H%00o%00l%00a%00+%00s%00e%00%F1%00o%00r%00%E1>\n"
      "2026-12-02 13:56:27 [5430] [0] INFO: Got message 2: <+15595550100 +15595550102 text Hello there>\n"
      "2026-12-02 13:56:27 [5430] [0] INFO: fakesmsc: sent message 1\n");
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].from == "+15595550100");
  CHECK(messages[0].to == "+15595550101");
  CHECK(messages[0].coding == "ucs-2");
  CHECK(messages[0].text == "Hola señorá");
  CHECK(messages[1].coding == "text");
  CHECK(messages[1].text == "Hello there");
  CHECK(fakesmsc_argument({"+15595550142", kOurNumber, "ÚNETE"}) ==
        "+15595550142 +15595550100 ucs2 %00%DA%00%4E%00%45%00%54%00%45");
  CHECK(fakesmsc_argument({"+15595550143", kOurNumber, "JOIN"}) == "+15595550143 +15595550100 text JOIN");
}

TEST_CASE("a campaign goes out through a real Kannel and its delivery reports come back to stats") {
  KannelInstallation k;
  k.kannel().connect_fake_smsc();
  k.dir().write("templates/clinic/en.txt", "Free legal clinic Saturday at {place}.\n");
  k.dir().write("templates/clinic/es.txt", "Clínica legal gratuita el sábado en {place}. ¡Venga!\n");
  k.dir().write("campaign.yaml",
                "id: it-kannel\ntemplate: clinic\nchannel: sms\nfooter: never\naudience:\n  languages: [en, es]\n"
                "variables:\n  place: Fresno Central Library\n");
  k.dir().write("subscribers.csv",
                "phone,language,tags\n+15595550101,en,fresno\n+15595550102,es,fresno\n+15595550103,en,fresno\n");
  std::string out;
  REQUIRE(k.run({"subscribers", "import", (k.dir().path() / "subscribers.csv").string()}, &out) == 0);
  INFO(out);
  REQUIRE(k.run({"campaign", "submit", (k.dir().path() / "campaign.yaml").string()}, &out) == 0);

  auto serve = k.serve();
  const auto delivered = [&] {
    const auto j = k.json({"stats", "it-kannel"});
    const auto& s = j.is_array() ? j[0] : j;
    return s.value("delivered", 0);
  };
  const bool all_delivered = wait_for_condition([&] { return delivered() == 3; }, std::chrono::seconds(30));
  INFO("Kannel:\n" << k.kannel().logs() << "\nserve:\n" << serve->output());
  REQUIRE(all_delivered);

  // Each subscriber got exactly one message, in their language, from our
  // number; the accented Spanish went as UCS-2 and arrived intact.
  const auto received = per_recipient(k.kannel().received());
  REQUIRE(received.size() == 3);
  for (const auto& [to, messages] : received) CHECK(messages.size() == 1);
  const auto& es = received.at("+15595550102").at(0);
  CHECK(es.from == kOurNumber);
  CHECK(es.coding == "ucs-2");
  CHECK(es.text == "Clínica legal gratuita el sábado en Fresno Central Library. ¡Venga!");
  const auto& en = received.at("+15595550101").at(0);
  CHECK(en.coding == "text");
  CHECK(en.text == "Free legal clinic Saturday at Fresno Central Library.");
  CHECK(received.at("+15595550103").at(0).text == en.text);

  // Stats agree: sent (smsbox accepted) == received at the SMSC == delivered.
  const auto j = k.json({"stats", "it-kannel"});
  const auto& s = j.is_array() ? j[0] : j;
  CHECK(s["sent"] == 3);
  CHECK(s["failed"] == 0);
  CHECK(s["delivered"] == 3);
  CHECK(s["undelivered"] == 0);
  CHECK(s["delivery_rate"].get<double>() == Approx(1.0));
  const auto messages = k.json({"messages", "--campaign", "it-kannel"});
  REQUIRE(messages.size() == 3);
  for (const auto& m : messages) {
    CHECK(m["state"] == "delivered");
    CHECK_THAT(m["provider_id"].get<std::string>(), Catch::StartsWith("kannel-"));  // our reference, back in the DLR
  }

  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("JOIN and ÚNETE texted through a real Kannel join in the right language and are answered through it") {
  KannelInstallation k;
  auto serve = k.serve();
  std::size_t replies = 0;
  const auto await_reply = [&] {
    const bool answered =
        wait_for_condition([&] { return k.kannel().received().size() > replies; }, std::chrono::seconds(20));
    INFO("Kannel:\n" << k.kannel().logs() << "\nserve:\n" << serve->output());
    REQUIRE(answered);
    ++replies;
    return k.kannel().received().back();
  };

  k.kannel().connect_fake_smsc(FakeSmscText{"+15595550142", kOurNumber, "ÚNETE"});
  const auto spanish = await_reply();
  CHECK(spanish.to == "+15595550142");
  CHECK(spanish.from == kOurNumber);
  CHECK(spanish.coding == "text");  // the Spanish confirmation is GSM-7
  CHECK(spanish.text ==
        "Valley Immigrant Legal Network: Gracias por suscribirse. 2-3 msjs/semana. Pueden aplicarse tarifas de msj y "
        "datos. AYUDA para ayuda, ALTO para cancelar.");

  k.kannel().connect_fake_smsc(FakeSmscText{"+15595550143", kOurNumber, "JOIN"});
  const auto english = await_reply();
  CHECK(english.to == "+15595550143");
  CHECK_THAT(english.text, Catch::Contains("STOP"));

  const auto es = k.json({"subscribers", "show", "+15595550142"});
  CHECK(es["status"] == "active");
  CHECK(es["language"] == "es");
  const auto en = k.json({"subscribers", "show", "+15595550143"});
  CHECK(en["status"] == "active");
  CHECK(en["language"] == "en");

  // One reply per text, nothing more.
  CHECK(k.kannel().received().size() == 2);

  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}
