// What the config tests do for every mistake: write a broadcaster.yaml, load
// it, and read the ConfigError it must give.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "config/config.h"
#include "support/temp_dir.h"
#include "util/errors.h"

namespace broadcaster::testing {

/// A configuration that fails to load: the file written and the error's text.
struct ConfigFailure {
  std::string file;     ///< the path the error should name
  std::string message;  ///< ConfigError::what(); empty (and the test failed) if it loaded
};

/// Writes `yaml` as broadcaster.yaml in `dir` and loads it; a load that
/// succeeds fails the current test.
inline ConfigFailure config_failure(TempDir& dir, const std::string& yaml) {
  const auto file = dir.write("broadcaster.yaml", yaml);
  try {
    (void)config::load_config(file);
    FAIL_CHECK("expected a ConfigError");
  } catch (const ConfigError& e) {
    return {file.string(), e.what()};
  }
  return {file.string(), {}};
}

}  // namespace broadcaster::testing
