// Checking the status page's bearer token.
#include "status/access_token.h"

#include <openssl/crypto.h>

#include <cctype>

#include "config/staff_token.h"
#include "util/errors.h"

namespace broadcaster::status {

AccessToken AccessToken::from_environment(const std::string& variable, const channels::EnvLookup& env) {
  const std::optional<std::string> token = env(variable);
  const std::string advice = "set " + variable + " to a secret of at least " + std::to_string(kMinTokenLength) +
                             " characters, for example the output of `openssl rand -hex 24`";
  if (!token || token->empty()) throw Error("status_page: " + variable + " is not set; " + advice);
  if (token->size() < kMinTokenLength) throw Error("status_page: the token in " + variable + " is too short; " + advice);
  return AccessToken(config::token_sha256_hex(*token));
}

bool AccessToken::admits(std::string_view authorization) const {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return false;
  }
  std::string_view presented = authorization.substr(kScheme.size());
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  if (presented.empty()) return false;
  const std::string digest = config::token_sha256_hex(presented);
  return digest.size() == digest_hex_.size() && CRYPTO_memcmp(digest.data(), digest_hex_.data(), digest.size()) == 0;
}

}  // namespace broadcaster::status
