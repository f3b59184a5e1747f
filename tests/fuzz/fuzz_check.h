// The checks every fuzz target makes besides "does not crash": an error
// message must stay short (no input is quoted whole) and anything a parser
// accepted must be storable.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace broadcaster::fuzz {

/// Longest error message any parser may produce for any input, in bytes.
inline constexpr std::size_t kMaxMessageBytes = 1024;

/// Aborts (a finding) when `condition` is false.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
  }
}

/// Aborts when an error message is longer than kMaxMessageBytes.
inline void require_short(std::string_view message) {
  if (message.size() > kMaxMessageBytes) {
    std::fprintf(stderr, "error message of %zu bytes: %.200s...\n", message.size(), message.data());
    std::abort();
  }
}

}  // namespace broadcaster::fuzz
