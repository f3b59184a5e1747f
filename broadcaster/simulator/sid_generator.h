// Message SIDs in Twilio's shape: "SM" followed by 32 lowercase hex digits.
// Design: 64 random bits drawn once per generator; the low 64 bits of a SID
// are a counter passed through the SplitMix64 finaliser (a bijection), so
// SIDs look random yet never repeat within a process, and the high 64 bits
// are a second mix so consecutive SIDs share no visible prefix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace broadcaster::simulator {

/// Hands out unique resource SIDs. Not thread-safe: use from one thread.
class SidGenerator {
 public:
  /// Seeds from std::random_device.
  SidGenerator();
  /// Deterministic sequence for tests.
  explicit SidGenerator(std::uint64_t seed) : seed_(seed) {}

  /// Next SID: `prefix` (e.g. "SM") + 32 hex digits; never repeats for the
  /// life of this generator (2^64 SIDs).
  [[nodiscard]] std::string next(std::string_view prefix = "SM");

 private:
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

}  // namespace broadcaster::simulator
