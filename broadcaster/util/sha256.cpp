// SHA-256 through OpenSSL's EVP interface.
#include "util/sha256.h"

#include <openssl/evp.h>

#include <algorithm>

#include "util/errors.h"

namespace broadcaster::util {

Sha256 sha256(std::string_view data) {
  Sha256 digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw Error("cannot compute a SHA-256: OpenSSL's EVP_Digest failed");
  }
  return digest;
}

std::string to_hex(const Sha256& digest, std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  bytes = std::min(bytes, digest.size());
  hex.reserve(bytes * 2);
  for (std::size_t i = 0; i < bytes; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace broadcaster::util
