// broadcaster-sim: a local Twilio-compatible SMS API for demos, tests and
// benchmarks. It answers POST /2010-04-01/Accounts/{AccountSid}/Messages.json
// in Twilio's wire format, injects failures on request and records what it
// accepted (see simulator.h for the endpoints, sim_options.h for the flags).
// Serving is the default mode: with no subcommand the top-level flags
// configure the server. Subcommands (registered in main's `subcommands`
// list) run instead when named on the command line.
// Design (server mode): one io_context on the main thread runs the server,
// a signal_set (SIGINT, SIGTERM) and an optional lifetime timer; any of them
// stopping closes the acceptor and every connection, so run() returns and
// the process exits 0. The first stdout line is "listening HOST:PORT",
// flushed once the socket listens (and after --port-file is written), so a
// parent can wait for readiness; logs go to stderr.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <vector>

#include "simulator/http_server.h"
#include "simulator/record_file.h"
#include "simulator/sim_options.h"
#include "simulator/simulator.h"
#include "simulator/text_in.h"
#include "util/errors.h"

namespace {

namespace net = boost::asio;
namespace sim = broadcaster::simulator;
using broadcaster::ConfigError;
using broadcaster::Error;

/// Reads the auth token from the variable the options name, or the default.
std::string resolve_auth_token(const sim::SimOptions& options) {
  const char* value = std::getenv(options.auth_token_env.c_str());
  if (value == nullptr || *value == '\0') return std::string(sim::kDefaultAuthToken);
  return value;
}

/// "127.0.0.1:8080" or "[::1]:8080".
std::string host_port(const net::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

/// Writes `port` to `path` through a temporary file and a rename, so a reader
/// polling for the file never sees it half written.
void write_port_file(const std::string& path, unsigned short port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out.flush()) throw Error("cannot write port file '" + tmp + "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error("cannot rename '" + tmp + "' to '" + path + "': " + ec.message());
}

net::ip::tcp::endpoint listen_endpoint(const sim::SimOptions& options) {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(options.host, ec);
  if (ec) throw ConfigError("--host '" + options.host + "' is not an IP address");
  if (!address.is_loopback()) {
    throw ConfigError("--host '" + options.host +
                      "' is not a loopback address; the simulator only listens locally "
                      "(use 127.0.0.1 or ::1)");
  }
  return {address, options.port};
}

/// Server mode: serves until a signal or --lifetime-seconds; returns the exit code.
int run_server(sim::SimOptions options) {
  options.auth_token = resolve_auth_token(options);

  std::unique_ptr<sim::RecordFile> record;
  if (!options.record_file.empty()) {
    record = std::make_unique<sim::RecordFile>(options.record_file);
  }

  net::io_context io{1};
  sim::Simulator simulator(options, std::move(record));
  sim::HttpServer server(io, simulator, sim::limits_from(options));
  const auto bound = server.listen(listen_endpoint(options));

  // The port file first, so a parent that saw the stdout line finds it too.
  if (!options.port_file.empty()) write_port_file(options.port_file, bound.port());
  std::cout << "listening " << host_port(bound) << std::endl;  // flushes: readiness signal
  spdlog::info(
      "Twilio simulator on http://{} for account {} (faults: 429 every {}, 500 every "
      "{}, 502 every {}; delay {} ms)",
      host_port(bound), options.account_sid, options.fail_429_every, options.fail_500_every,
      options.html_error_every, options.delay_ms);

  net::signal_set signals(io, SIGINT, SIGTERM);
  net::steady_timer lifetime(io);
  const auto stop = [&] {
    boost::system::error_code ignored;
    signals.cancel(ignored);
    lifetime.cancel();
    server.stop();
  };
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;  // cancelled by another stop
    spdlog::info("signal {} received, stopping", signal_number);
    stop();
  });
  if (options.lifetime_seconds > 0) {
    lifetime.expires_after(std::chrono::seconds(options.lifetime_seconds));
    lifetime.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      spdlog::info("lifetime of {} s reached, stopping", options.lifetime_seconds);
      stop();
    });
  }

  server.start();
  io.run();

  if (auto* file = simulator.record_file(); file && file->write_errors() > 0) {
    spdlog::error("{} record line(s) could not be written to '{}'", file->write_errors(),
                  file->path());
  }
  spdlog::info("stopped: {} request(s), {} accepted, {} connection(s) refused",
               simulator.stats().requests(), simulator.stats().accepted(),
               server.refused_connections());
  return 0;
}

/// A subcommand of broadcaster-sim: its CLI11 app (registered before parsing)
/// and what runs when the command line names it.
struct Subcommand {
  CLI::App* app;
  std::function<int()> run;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "broadcaster-sim: a local Twilio-compatible SMS API for demos, tests and "
      "benchmarks.\nCredentials: Basic auth with --account-sid and the token in "
      "$TWILIO_AUTH_TOKEN (or the variable --auth-token-env names; default "
      "'sim-auth-token')."};
  // Server mode's flags live on the top-level app: with no subcommand,
  // `broadcaster-sim --port 0 ...` serves.
  sim::SimOptions options;
  sim::add_sim_options(app, options);

  // Subcommands: each registers itself on `app` here (options it needs must
  // outlive the parse) and is dispatched below instead of the server.
  std::vector<Subcommand> subcommands;
  sim::TextInOptions text_options;
  subcommands.push_back({sim::add_text_command(app, text_options),
                         [&text_options] { return sim::run_text_command(text_options, std::cin, std::cout, std::cerr); }});
  app.require_subcommand(0, 1);

  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("sim");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(options.log_level));

  try {
    for (const Subcommand& command : subcommands) {
      if (command.app->parsed()) return command.run();
    }
    return run_server(std::move(options));
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
