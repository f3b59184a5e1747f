// CLI11 registration of the simulator's options.
#include "simulator/sim_options.h"

#include <CLI/CLI.hpp>
#include <regex>

namespace broadcaster::simulator {

namespace {

/// Accepts "AC" followed by exactly 32 hexadecimal digits, as Twilio's
/// OpenAPI description requires of an AccountSid.
const CLI::Validator& account_sid_validator() {
  static const CLI::Validator validator(
      [](std::string& value) -> std::string {
        static const std::regex pattern("^AC[0-9a-fA-F]{32}$");
        if (std::regex_match(value, pattern)) return {};
        return "an AccountSid is 'AC' followed by 32 hexadecimal digits";
      },
      "ACCOUNT_SID");
  return validator;
}

/// A number the simulator scripts must look like what a sender would post.
const CLI::Validator& e164_validator() {
  static const CLI::Validator validator(
      [](std::string& value) -> std::string {
        static const std::regex pattern(R"(^\+[0-9]{8,15}$)");
        if (std::regex_match(value, pattern)) return {};
        return "write the number in E.164 form, e.g. +15595550142";
      },
      "E164");
  return validator;
}

}  // namespace

void add_sim_options(CLI::App& app, SimOptions& o) {
  app.add_option("--host", o.host, "Loopback address to listen on")->capture_default_str();
  app.add_option("--port", o.port, "TCP port; 0 picks a free one (printed on stdout)")->capture_default_str();
  app.add_option("--port-file", o.port_file, "Also write the chosen port to this file");

  app.add_option("--account-sid", o.account_sid, "AccountSid clients must authenticate as")
      ->check(account_sid_validator())
      ->capture_default_str();
  app.add_option("--auth-token-env", o.auth_token_env,
                 "Environment variable holding the auth token (unset: 'sim-auth-token')")
      ->capture_default_str();

  app.add_option("--unsubscribed", o.unsubscribed, "Recipient answered 400 code 21610 (repeatable)")
      ->check(e164_validator())
      ->take_all();
  app.add_option("--invalid", o.invalid, "Recipient answered 400 code 21211 (repeatable)")
      ->check(e164_validator())
      ->take_all();

  app.add_option("--fail-429-every", o.fail_429_every,
                 "Every Nth Messages.json request gets 429 code 20429 (0 = never)")
      ->capture_default_str();
  app.add_option("--retry-after-seconds", o.retry_after_seconds, "Retry-After value sent with injected 429s")
      ->check(CLI::Range(0u, 3600u))
      ->capture_default_str();
  app.add_option("--status-callbacks", o.status_callbacks,
                 "Post Twilio status callbacks to each message's StatusCallback: off, normal (sent, then "
                 "delivered; numbers ending 96/97/98/99 get undelivered 21610 / undelivered 30007 / failed 30008 / "
                 "undelivered 30003) or reversed (the final status first, then sent, then the final status again)")
      ->check(CLI::IsMember({"off", "normal", "reversed"}))
      ->capture_default_str();
  app.add_option("--fail-500-every", o.fail_500_every,
                 "Every Nth Messages.json request gets 500 code 20500 (0 = never)")
      ->capture_default_str();
  app.add_option("--html-error-every", o.html_error_every,
                 "Every Nth Messages.json request gets a 502 HTML page (0 = never)")
      ->capture_default_str();
  app.add_option("--slow-every", o.slow_every,
                 "Apply --delay-ms only to every Nth Messages.json POST (0 = to every one); the message is accepted "
                 "at once either way, as a busy provider does")
      ->capture_default_str();
  app.add_option("--delay-ms", o.delay_ms, "Answer Messages.json requests after this delay")
      ->check(CLI::Range(0u, 600000u))
      ->capture_default_str();

  app.add_option("--record", o.record_file, "Append each accepted message to FILE as JSON lines");
  app.add_option("--max-recorded", o.max_recorded,
                 "Accepted messages kept in memory for GET /sim/messages (oldest dropped)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
      ->capture_default_str();

  app.add_option("--max-connections", o.max_connections, "Concurrent connections accepted")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}))
      ->capture_default_str();
  app.add_option("--body-limit", o.body_limit, "Largest request body in bytes")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{16} << 20))
      ->capture_default_str();
  app.add_option("--header-limit", o.header_limit, "Largest request header block in bytes")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--read-timeout-ms", o.read_timeout_ms, "Deadline for reading one request (idle keep-alive included)")
      ->check(CLI::Range(1u, 3'600'000u))
      ->capture_default_str();
  app.add_option("--write-timeout-ms", o.write_timeout_ms, "Deadline for writing one response")
      ->check(CLI::Range(1u, 3'600'000u))
      ->capture_default_str();

  app.add_option("--lifetime-seconds", o.lifetime_seconds,
                 "Exit by itself after this many seconds (0 = until SIGINT/SIGTERM)")
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error, critical, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
}

}  // namespace broadcaster::simulator
