// Staff tokens with OpenSSL: RAND_bytes, SHA-256 (util/sha256.h), CRYPTO_memcmp.
#include "config/staff_token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>

#include "util/errors.h"
#include "util/sha256.h"

namespace broadcaster::config {

namespace {

constexpr std::size_t kTokenRandomBytes = 32;

static_assert(kTokenDigestBytes == util::kSha256Bytes);

/// RFC 4648 section 5, without padding.
std::string base64url(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned v = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size - i == 1) {
    const unsigned v = unsigned{data[i]} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (size - i == 2) {
    const unsigned v = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

}  // namespace

std::string new_staff_token() {
  std::array<unsigned char, kTokenRandomBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Error("cannot make a staff token: OpenSSL's random generator (RAND_bytes) failed");
  }
  std::string token(kStaffTokenPrefix);
  token += base64url(bytes.data(), bytes.size());
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return token;
}

std::string token_sha256_hex(std::string_view token) { return util::to_hex(util::sha256(token)); }

const Staff* authenticate(const std::vector<Staff>& staff, std::string_view token) {
  if (token.empty()) return nullptr;
  const util::Sha256 digest = util::sha256(token);
  const Staff* found = nullptr;
  // Every entry is compared, whichever matches.
  for (const auto& s : staff) {
    const bool same = CRYPTO_memcmp(digest.data(), s.token_digest.data(), digest.size()) == 0;
    if (same) found = &s;
  }
  return found;
}

const Staff* authenticate(const Config& cfg, std::string_view token) { return authenticate(cfg.staff, token); }

const Staff& caller_from_environment(const Config& cfg, const channels::EnvLookup& env) {
  const std::string var(kStaffTokenEnv);
  const std::string file = cfg.file.string();
  if (cfg.staff.empty()) {
    throw Error("this command acts for a person, and " + file +
                " names no staff: add each person under 'staff:' with the token_sha256 line that "
                "`broadcaster staff token NAME` prints, then set " +
                var + " to your own token");
  }
  const auto token = env(var);
  if (!token || token->empty()) {
    throw Error("this command acts for a person: set " + var +
                " to your personal staff token (an administrator makes one with `broadcaster staff token "
                "\"Your Name\"` and adds its token_sha256 line under 'staff:' in " +
                file + ")");
  }
  const Staff* who = authenticate(cfg, *token);
  if (!who) {
    throw Error(var + " holds a token that matches no one under 'staff:' in " + file +
                ": check that you copied your whole token, or ask an administrator for a new one "
                "(`broadcaster staff list` shows who is configured)");
  }
  return *who;
}

}  // namespace broadcaster::config
