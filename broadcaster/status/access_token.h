// Who may read the status page's data: whoever presents the token `serve`
// was started with, as "Authorization: Bearer <token>".
// Design: the token comes from the environment (status_page.token_env), so
// it stays out of the configuration file, its backups and version control.
// Only its SHA-256 is kept in memory after start, and a presented token is
// hashed and compared with CRYPTO_memcmp, so the time taken says nothing
// about how close a guess came. The page's HTML and script carry no data
// and need no token; only /status.json does.
#pragma once

#include <string>
#include <string_view>

#include "channels/provider_settings.h"

namespace broadcaster::status {

/// The shortest token accepted: a guessable one would expose campaign
/// activity to anyone who can reach the port.
inline constexpr std::size_t kMinTokenLength = 16;

class AccessToken {
 public:
  /// Reads the token from the environment variable `variable` through `env`.
  /// Throws Error saying what to set when it is unset, empty or shorter than
  /// kMinTokenLength; the message never quotes the value.
  static AccessToken from_environment(const std::string& variable, const channels::EnvLookup& env);

  /// True when `authorization` (an Authorization header's value) is
  /// "Bearer <the token>"; the scheme's case does not matter.
  [[nodiscard]] bool admits(std::string_view authorization) const;

 private:
  explicit AccessToken(std::string digest_hex) : digest_hex_(std::move(digest_hex)) {}
  std::string digest_hex_;  ///< SHA-256 of the token, hex
};

}  // namespace broadcaster::status
