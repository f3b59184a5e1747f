// A whole broadcaster installation for integration tests: a real
// redis-server, the provider simulator and `broadcaster` processes, each
// started from the build tree on free loopback ports, in a temp directory.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "channels/http_message.h"
#include "channels/twilio/twilio_signature.h"
#include "store/redis_client.h"
#include "support/http_get.h"
#include "support/loopback_port.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

namespace broadcaster::testing {

inline constexpr const char* kAccountSid = "ACa0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";
inline constexpr const char* kAuthToken = "integration-token";

struct PipelineOptions {
  double per_second = 0;  ///< channel rate limit, 0 = off
  int burst = 1;
  int max_in_flight = 16;
  long claim_idle_ms = 3000;               ///< at least 3x timeout_ms, as serve demands
  std::vector<std::string> sim_args = {};  ///< extra simulator flags
  long timeout_ms = 1000;                  ///< the Twilio channel's request deadline
  long in_doubt_settle_ms = 300;           ///< ask the provider this soon after a send without answer
  long retry_after_max_ms = 60000;         ///< cap on the provider's Retry-After
  int max_attempts = 4;
  /// How the test's redis-server runs (appendonly for crash tests).
  RedisServerOptions redis = {};
  /// `serve` also receives Twilio webhooks (shipped keywords and reply
  /// templates) at inbound_url().
  bool inbound = false;
  /// With inbound: the channel asks for status callbacks at status_url(),
  /// which `serve` receives (give the simulator --status-callbacks too).
  bool receipts = false;
  /// Top-level YAML for quiet_hours, frequency_cap, urgent, approval, staff
  /// (each line ending in a newline); empty: quiet hours off, the defaults
  /// for the rest.
  std::string outreach = {};
  /// With inbound: more options of the Twilio endpoint, ", key: value..."
  /// (e.g. ", replies: outbound, reply_channel: sms").
  std::string inbound_endpoint = {};
  /// More channels beside `sms`, as YAML lines indented under `channels:`
  /// (e.g. "  dry:\n    type: console\n").
  std::string extra_channels = {};
};

class Pipeline {
 public:
  explicit Pipeline(PipelineOptions options = {}) : options_(std::move(options)), redis_(options_.redis) {
    const std::string port_file = (dir_.path() / "sim.port").string();
    std::vector<std::string> args{std::string(BC_BINARY_DIR) + "/bin/broadcaster-sim",
                                  "--port",
                                  "0",
                                  "--port-file",
                                  port_file,
                                  "--account-sid",
                                  kAccountSid,
                                  "--lifetime-seconds",
                                  "900"};
    args.insert(args.end(), options_.sim_args.begin(), options_.sim_args.end());
    sim_ = std::make_unique<Process>(args, std::vector<std::string>{std::string("TWILIO_AUTH_TOKEN=") + kAuthToken},
                                     dir_.path() / "sim.log");
    if (!wait_for_condition(
            [&] {
              std::ifstream in(port_file);
              return static_cast<bool>(in >> sim_port_) && sim_port_ > 0;
            },
            std::chrono::seconds(20))) {
      throw std::runtime_error("the simulator did not start: " + sim_->output());
    }
    write_config();
  }

  TempDir& dir() { return dir_; }
  RedisServer& redis_server() { return redis_; }
  std::string config_path() const { return (dir_.path() / "config" / "broadcaster.yaml").string(); }
  std::string sim_url() const { return "http://127.0.0.1:" + std::to_string(sim_port_); }
  /// Where `serve` takes Twilio's inbound-SMS webhooks (with inbound on).
  std::string inbound_url() const { return "http://127.0.0.1:" + std::to_string(inbound_port_) + "/twilio/sms"; }
  /// Where `serve` takes Twilio's status callbacks (with receipts on).
  std::string status_url() const { return "http://127.0.0.1:" + std::to_string(inbound_port_) + "/twilio/status"; }

  /// Runs `broadcaster ARGS...` to completion; returns its exit status.
  int run(std::vector<std::string> args, std::string* output = nullptr, std::vector<std::string> env = {}) {
    auto p = start(std::move(args), "run-" + std::to_string(runs_++) + ".log", std::move(env));
    const int status = p->wait(std::chrono::seconds(120));
    if (output) *output = p->output();
    return status;
  }

  /// Starts `broadcaster ARGS...` in the background, with `env` ("NAME=value") added;
  /// TWILIO_AUTH_TOKEN is the simulator's unless `env` sets it.
  std::unique_ptr<Process> start(std::vector<std::string> args, const std::string& log_name,
                                 std::vector<std::string> env = {}) {
    std::vector<std::string> argv{std::string(BC_BINARY_DIR) + "/bin/broadcaster", "--config", config_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    const bool own_token =
        std::any_of(env.begin(), env.end(), [](const std::string& e) { return e.starts_with("TWILIO_AUTH_TOKEN="); });
    if (!own_token) env.push_back(std::string("TWILIO_AUTH_TOKEN=") + kAuthToken);
    return std::make_unique<Process>(argv, std::move(env), dir_.path() / log_name);
  }

  /// Messages the simulator accepted, as JSON objects.
  nlohmann::json sim_messages() const { return nlohmann::json::parse(http_get(sim_url() + "/sim/messages")); }
  nlohmann::json sim_stats() const { return nlohmann::json::parse(http_get(sim_url() + "/sim/stats")); }

 private:
  void write_config() {
    if (options_.inbound) inbound_port_ = free_loopback_port();
    std::string yaml = "redis:\n  host: 127.0.0.1\n  port: " + std::to_string(redis_.port()) +
                       "\n  prefix: \"it:\"\ntemplates_dir: ../templates\nfallback_language: en\n"
                       "channels:\n  sms:\n    type: twilio\n    base_url: " +
                       sim_url() + "\n    account_sid: " + kAccountSid +
                       "\n    from: \"+15595550100\"\n    timeout_ms: " + std::to_string(options_.timeout_ms) +
                       "\n    max_in_flight: " + std::to_string(options_.max_in_flight) + "\n";
    if (options_.receipts) yaml += "    status_callback: " + status_url() + "\n";
    if (options_.per_second > 0) {
      yaml += "    rate_limit: {per_second: " + std::to_string(options_.per_second) +
              ", burst: " + std::to_string(options_.burst) + "}\n";
    }
    yaml += options_.extra_channels;
    yaml += "sender:\n  claim_idle_ms: " + std::to_string(options_.claim_idle_ms) +
            "\n  poll_interval_ms: 50\n  backoff_initial_ms: 50\n  backoff_max_ms: 500\n  max_attempts: " +
            std::to_string(options_.max_attempts) +
            "\n  in_doubt_settle_ms: " + std::to_string(options_.in_doubt_settle_ms) +
            "\n  retry_after_max_ms: " + std::to_string(options_.retry_after_max_ms) + "\n";
    // Tests run at any hour: no quiet hours unless a test sets its own.
    yaml += options_.outreach.empty() ? "quiet_hours: {start: \"00:00\", end: \"24:00\"}\n" : options_.outreach;
    if (options_.inbound) {
      yaml += "inbound:\n  listen: 127.0.0.1:" + std::to_string(inbound_port_) +
              "\n  keywords: " BC_SOURCE_DIR
              "/config/keywords.yaml\n"
              "  program: Valley Immigrant Legal Network\n  contact: \"(559) 555-0100\"\n"
              "  endpoints:\n    twilio: {type: twilio, public_url: \"" +
              inbound_url() + "\", auth_token_env: TWILIO_AUTH_TOKEN" +
              (options_.receipts ? ", status_url: \"" + status_url() + "\"" : std::string()) +
              options_.inbound_endpoint + "}\n";
      std::filesystem::create_directories(dir_.path() / "templates");
      for (const auto& entry : std::filesystem::directory_iterator(BC_SOURCE_DIR "/templates")) {
        if (entry.path().filename().string().rfind("keyword-", 0) == 0) {
          std::filesystem::copy(entry.path(), dir_.path() / "templates" / entry.path().filename(),
                                std::filesystem::copy_options::recursive);
        }
      }
    }
    dir_.write("config/broadcaster.yaml", yaml);
  }

  PipelineOptions options_;
  TempDir dir_;
  RedisServer redis_;
  std::unique_ptr<Process> sim_;
  int sim_port_ = 0;
  int inbound_port_ = 0;
  int runs_ = 0;
};

/// POSTs an inbound-SMS webhook to `serve` at p.inbound_url() the way Twilio
/// does: from `from` to our +1 559 555 0100, with message id `sid`, signed
/// with the test's auth token unless `sign` is false.
inline HttpAnswer text_in(const Pipeline& p, const std::string& from, const std::string& body, const std::string& sid,
                          bool sign = true) {
  const std::vector<std::pair<std::string, std::string>> form{{"MessageSid", sid}, {"AccountSid", kAccountSid},
                                                              {"From", from},      {"To", "+15595550100"},
                                                              {"Body", body},      {"NumMedia", "0"}};
  std::vector<std::string> headers{"Content-Type: application/x-www-form-urlencoded"};
  if (sign) headers.push_back("X-Twilio-Signature: " + channels::twilio_signature(p.inbound_url(), form, kAuthToken));
  return http_request("POST", p.inbound_url(), headers, channels::form_encode(form));
}

/// Waits until `serve`'s webhook port answers at all (any status); false
/// when it has not within `deadline`.
inline bool webhooks_answer(const Pipeline& p, std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
  return wait_for_condition([&] { return http_request("GET", p.inbound_url()).status != 0; }, deadline);
}

}  // namespace broadcaster::testing
