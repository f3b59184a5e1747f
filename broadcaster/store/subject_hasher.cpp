// HMAC-SHA256 subjects with OpenSSL's one-shot HMAC().
#include "store/subject_hasher.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "util/errors.h"

namespace broadcaster::store {

namespace {

std::string hex(const unsigned char* data, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0x0f];
  }
  return out;
}

}  // namespace

SubjectHasher::SubjectHasher(std::string key) : key_(std::move(key)) {
  if (key_.size() < 16) throw Error("the subject hash key must be at least 16 bytes long");
}

SubjectHasher SubjectHasher::load(RedisClient& redis, const Keys& keys,
                                  const std::optional<std::string>& configured_key) {
  if (configured_key) return SubjectHasher(*configured_key);
  unsigned char random[32];
  if (RAND_bytes(random, sizeof random) != 1) throw Error("OpenSSL could not produce random bytes for the subject key");
  // The first process to get here wins; every other one reads its key.
  (void)redis.command({"SET", keys.subject_key(), hex(random, sizeof random), "NX"});
  return SubjectHasher(redis.command({"GET", keys.subject_key()}).as_string());
}

std::string SubjectHasher::subject(const util::Address& address) const {
  const std::string& number = address.canonical();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(number.data()), number.size(), digest, &length) == nullptr) {
    throw Error("OpenSSL's HMAC-SHA256 failed while hashing an address");
  }
  return hex(digest, 16);
}

}  // namespace broadcaster::store
