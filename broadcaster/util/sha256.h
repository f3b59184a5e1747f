// SHA-256 with OpenSSL: one place for the digest and its hex form (staff
// token hashes, the references of campaign texts).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace broadcaster::util {

inline constexpr std::size_t kSha256Bytes = 32;
using Sha256 = std::array<unsigned char, kSha256Bytes>;

/// The SHA-256 of `data`. Throws Error if OpenSSL fails.
[[nodiscard]] Sha256 sha256(std::string_view data);

/// The first `bytes` bytes of `digest` as lower-case hex (2 digits a byte).
[[nodiscard]] std::string to_hex(const Sha256& digest, std::size_t bytes = kSha256Bytes);

}  // namespace broadcaster::util
