// Reading the options of one channel or inbound endpoint (`channels.<name>.*`
// or `inbound.endpoints.<name>.*` in broadcaster.yaml) with errors that point
// at the entry in the config file.
// Design: each channel reads its options through one OptionReader, which
// remembers the keys it was asked for; `finish` then refuses any other key,
// suggesting the nearest known one, as config/ does for every other YAML key
// (config strips the keys it owns, such as type, rate_limit and max_in_flight,
// before a provider sees the rest). Messages name keys; they echo a value only where
// the accessor's caller chose to, never for secrets.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "channels/provider_settings.h"
#include "util/errors.h"

namespace broadcaster::channels {

/// Typed access to ProviderSettings::options. Every accessor throws
/// ConfigError (via settings_error) naming the key when a value is missing
/// or malformed. Not thread-safe; use it only while constructing a channel
/// or an endpoint.
class OptionReader {
 public:
  /// Keeps a reference: `settings` must outlive the reader.
  explicit OptionReader(const ProviderSettings& settings) : settings_(settings) {}

  /// The value of `key` when present (an empty string counts as present).
  std::optional<std::string> optional(std::string_view key);

  /// The value of `key`, or `fallback` when the key is absent.
  std::string value_or(std::string_view key, std::string_view fallback);

  /// The value of `key`; throws ConfigError when it is absent or empty
  /// (asking about a present near miss, e.g. 'acount_sid', when there is one).
  /// `hint` says what the value is, e.g. "your Twilio Account SID".
  std::string required(std::string_view key, std::string_view hint);

  /// A positive whole number of milliseconds no larger than `max`, or
  /// `fallback` when absent; throws ConfigError on anything else.
  std::chrono::milliseconds milliseconds(std::string_view key, std::chrono::milliseconds fallback,
                                         std::chrono::milliseconds max);

  /// True when `key` is present, without marking it as read.
  bool has(std::string_view key) const;

  /// Throws a ConfigError about option `key`: "option 'key': <message>".
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;

  /// Throws ConfigError for the first option no accessor asked for:
  /// "unknown option 'acount_sid' (did you mean 'account_sid'?)". Call it
  /// after reading every option, so a misspelt key never passes silently.
  void finish() const;

  /// Throws ConfigError if option `key` holds a secret written in YAML, which
  /// must instead come from the environment variable named by option
  /// `env_key`. Call it first, so the secret reaches no other message.
  void refuse_inline_secret(std::string_view key, std::string_view env_key) const;

  /// The secret in environment variable `variable` (the value of option
  /// `env_key`). Throws ConfigError when the variable is unset or empty; the
  /// message names the variable and the option, never a value. `what` says
  /// what it holds ("your Twilio auth token"). Call it after finish(), so
  /// mistakes in the file come first.
  std::string secret_from_env(std::string_view env_key, const std::string& variable, std::string_view what,
                              const EnvLookup& env) const;

 private:
  const ProviderSettings& settings_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace broadcaster::channels
