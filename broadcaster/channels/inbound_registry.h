// The one list of inbound endpoint types (`inbound.endpoints.<name>.type` in
// broadcaster.yaml), the factory that builds a configured endpoint, and the
// option reading every endpoint constructor shares.
// Design: an explicit table in inbound_registry.cpp, as channels/registry.cpp
// does for outbound channels (no self-registration from static initialisers).
// Option errors reuse OptionReader's checks and "did you mean" suggestions
// but name the inbound endpoint, located at the entry in the config file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/inbound.h"
#include "channels/options.h"
#include "util/errors.h"

namespace broadcaster::channels {

/// Builds the endpoint settings.type names. Options:
///  twilio: public_url (required: the exact URL configured at Twilio, used for the signature),
///          path (default: the path of public_url), auth_token_env (required; the variable must be
///          set and non-empty -> else ConfigError at settings.source), account_sid (optional: if
///          set, a webhook with another AccountSid is refused 403)
///  kannel: path (default "/kannel/mo"), secret_env (required, must be set and non-empty)
/// Unknown options -> ConfigError with a "did you mean" if close. Secrets are read through `env`.
/// An unknown or missing type -> ConfigError listing the known types.
std::unique_ptr<InboundEndpoint> make_inbound_endpoint(const InboundSettings& settings,
                                                       const EnvLookup& env);

/// The endpoint types make_inbound_endpoint accepts, sorted ("kannel", "twilio").
std::vector<std::string> known_inbound_types();

/// A ConfigError located at settings.source ("file:line:col"), reading
/// `file:line:col: inbound endpoint 'twilio' (twilio): <message>`.
ConfigError inbound_config_error(const InboundSettings& settings, std::string_view message);

/// OptionReader for InboundSettings: the same accessors and checks, with
/// every error worded for the inbound endpoint (inbound_config_error). Use it
/// only while constructing an endpoint; `settings` must outlive it.
class InboundOptionReader {
 public:
  explicit InboundOptionReader(const InboundSettings& settings);
  InboundOptionReader(const InboundOptionReader&) = delete;
  InboundOptionReader& operator=(const InboundOptionReader&) = delete;

  /// See OptionReader::optional.
  std::optional<std::string> optional(std::string_view key);
  /// See OptionReader::value_or.
  std::string value_or(std::string_view key, std::string_view fallback);
  /// See OptionReader::required; throws ConfigError.
  std::string required(std::string_view key, std::string_view hint);
  /// True when `key` is present, without marking it as read.
  bool has(std::string_view key) const;
  /// Throws ConfigError "option 'key' <message>".
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;
  /// See OptionReader::finish: refuses unread (unknown) options.
  void finish() const;

  /// The secret in environment variable `variable`, the value of option
  /// `env_key` (read it with required() before finish()). Throws ConfigError
  /// when the variable is unset or empty; the message names the variable and
  /// the option, never a value. `what` says what it holds ("your Twilio auth
  /// token"). Call it after finish(), so mistakes in the file come first.
  std::string secret_from_env(std::string_view env_key, const std::string& variable,
                              std::string_view what, const EnvLookup& env) const;

  /// Throws ConfigError if option `key` holds a secret written in YAML, which
  /// must instead come from the variable named by option `env_key`.
  void refuse_inline_secret(std::string_view key, std::string_view env_key) const;

 private:
  template <class F>
  auto translated(F&& f) const -> decltype(f());

  const InboundSettings& settings_;
  ChannelSettings channel_;  // the same options, for OptionReader
  OptionReader reader_;
};

}  // namespace broadcaster::channels
