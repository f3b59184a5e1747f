// Command-line options of `broadcaster-sim`, the local Twilio stand-in.
// Design: one plain struct filled by CLI11 (add_sim_options) so the server,
// the request handling and the tests share a single description of every
// knob and its default. The auth token is deliberately not a flag: it comes
// from an environment variable so it never shows up in `ps` output.
#pragma once

#include <CLI/App.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::simulator {

/// AccountSid the simulator accepts unless `--account-sid` says otherwise.
inline constexpr std::string_view kDefaultAccountSid = "AC0123456789abcdef0123456789abcdef";
/// Auth token used when the variable named by `--auth-token-env` is unset.
inline constexpr std::string_view kDefaultAuthToken = "sim-auth-token";

/// Every setting of the simulator. Defaults are the documented CLI defaults.
struct SimOptions {
  // --- listening -------------------------------------------------------------
  std::string host = "127.0.0.1";  ///< must be a loopback address
  std::uint16_t port = 0;          ///< 0 = let the kernel pick a free port
  std::string port_file;           ///< when set, the chosen port is written here

  // --- credentials -----------------------------------------------------------
  std::string account_sid{kDefaultAccountSid};  ///< "AC" + 32 hex digits
  std::string auth_token_env = "TWILIO_AUTH_TOKEN";
  /// Resolved by main from the environment; never a command-line flag.
  std::string auth_token{kDefaultAuthToken};

  // --- recipients with scripted outcomes (E.164 strings, compared exactly) ---
  std::vector<std::string> unsubscribed;  ///< answered 400 code 21610
  std::vector<std::string> invalid;       ///< answered 400 code 21211

  // --- failure injection (0 = off; counts Messages.json POSTs, 1-based) ------
  unsigned fail_429_every = 0;       ///< every Nth request: 429, code 20429
  unsigned retry_after_seconds = 1;  ///< Retry-After header of those 429s
  unsigned fail_500_every = 0;       ///< every Nth request: 500, code 20500
  unsigned html_error_every = 0;     ///< every Nth request: 502 with an HTML page
  unsigned delay_ms = 0;             ///< answer Messages.json after this many ms
  unsigned slow_every = 0;           ///< delay only every Nth POST (0 = every one)

  // --- delivery receipts -----------------------------------------------------
  /// "off", "normal" (sent, then the final status) or "reversed" (final,
  /// sent, final again), posted to each message's StatusCallback.
  std::string status_callbacks = "off";

  // --- recording -------------------------------------------------------------
  std::string record_file;            ///< append accepted messages as JSON lines
  std::size_t max_recorded = 100000;  ///< messages kept for GET /sim/messages

  // --- bounds ----------------------------------------------------------------
  std::size_t max_connections = 256;    ///< further connections are closed at once
  std::size_t body_limit = 64 * 1024;   ///< request body bytes; larger gets 413
  std::size_t header_limit = 8 * 1024;  ///< request header bytes; larger gets 431
  unsigned read_timeout_ms = 30000;     ///< deadline for reading one request
  unsigned write_timeout_ms = 30000;    ///< deadline for writing one response

  // --- process ---------------------------------------------------------------
  unsigned lifetime_seconds = 0;   ///< exit by itself after this long; 0 = never
  std::string log_level = "info";  ///< spdlog level name (trace .. off)
};

/// Registers every SimOptions field as a CLI11 option of `app`, with the
/// defaults above and validators (AccountSid pattern, log level names).
/// `options` must outlive the parse.
void add_sim_options(CLI::App& app, SimOptions& options);

}  // namespace broadcaster::simulator
