// SHA1 of a Lua script with OpenSSL's EVP API.
#include "store/script.h"

#include <openssl/evp.h>

#include "util/errors.h"

namespace broadcaster::store {

namespace {

std::string sha1_hex(std::string_view data, const std::string& name) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr) != 1) {
    throw Error("cannot compute the SHA1 of Lua script '" + name +
                "': OpenSSL's EVP_Digest failed (is SHA1 disabled by the OpenSSL configuration?)");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace

Script::Script(std::string name, std::string_view source)
    : name_(std::move(name)), source_(source), sha1_(sha1_hex(source_, name_)) {}

}  // namespace broadcaster::store
