// Running the real `broadcaster` binary as a named staff member: the
// caller's token in BROADCASTER_STAFF_TOKEN (or none), a config in `dir`,
// one log file per run. Shared by the CLI tests of commands that act for a
// person (approve, pause, cancel, audit...).
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.h"

namespace broadcaster::testing {

class StaffCommands {
 public:
  /// Runs with `dir`/config/broadcaster.yaml; logs go into `dir`.
  explicit StaffCommands(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// Runs `broadcaster ARGS...` with BROADCASTER_STAFF_TOKEN=`token` (unset
  /// when null) and standard input `input`; returns the exit status and
  /// fills `output` (stdout and stderr).
  int run(std::vector<std::string> args, const char* token, std::string* output,
          const std::string& input = "/dev/null") {
    std::vector<std::string> argv{std::string(BC_BINARY_DIR) + "/bin/broadcaster", "--config",
                                  (dir_ / "config" / "broadcaster.yaml").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env;
    if (token) env.push_back(std::string("BROADCASTER_STAFF_TOKEN=") + token);
    Process p(argv, env, dir_ / ("run-" + std::to_string(runs_++) + ".log"), input);
    const int status = p.wait(std::chrono::seconds(60));
    *output = p.output();
    return status;
  }

  /// run() with --json that expects `status`; the JSON printed on stdout.
  nlohmann::json run_json(std::vector<std::string> args, const char* token, int status = 0) {
    std::string out;
    args.push_back("--json");
    const int got = run(args, token, &out);
    INFO(out);
    REQUIRE(got == status);
    const auto start = out.find_first_of("{[");
    REQUIRE(start != std::string::npos);
    return nlohmann::json::parse(out.substr(start));
  }

 private:
  std::filesystem::path dir_;
  int runs_ = 0;
};

}  // namespace broadcaster::testing
