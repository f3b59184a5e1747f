// Registration functions for every `broadcaster` subcommand, one file each.
// Design: main builds one CLI::App and calls each add_*_command; a command's
// callback does its work and throws broadcaster::Error on failure, which main
// prints once and turns into a non-zero exit status.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace broadcaster::cli {

/// Options shared by all subcommands. Filled by CLI11 before any callback runs.
struct GlobalOptions {
  std::string config_path = "config/broadcaster.yaml";  ///< --config
  int verbosity = 0;                                    ///< -v count
};

/// `broadcaster inspect [TEXT]`: encoding and segments of draft messages.
void add_inspect_command(CLI::App& app);

}  // namespace broadcaster::cli
