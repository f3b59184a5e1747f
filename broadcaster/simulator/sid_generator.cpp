// SID generation.
#include "simulator/sid_generator.h"

#include <fmt/format.h>

#include <random>

namespace broadcaster::simulator {

namespace {
/// SplitMix64's output function: a bijection on 64-bit values.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

SidGenerator::SidGenerator() {
  std::random_device rd;
  seed_ = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

std::string SidGenerator::next(std::string_view prefix) {
  const std::uint64_t n = counter_++;
  // The low half alone is unique (a bijection of n); the high half only
  // makes consecutive SIDs look unrelated, as Twilio's do.
  constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
  return fmt::format("{}{:016x}{:016x}", prefix, mix(seed_ + kGolden * (n + 1)), mix(n ^ seed_));
}

}  // namespace broadcaster::simulator
