// The settings of one configured use of a provider, as broadcaster.yaml
// writes them: a sending channel (`channels.<name>`) or a receiving endpoint
// (`inbound.endpoints.<name>`). Both are read the same way (options.h) and
// built by the same registry (registry.h); only their wording in errors
// differs.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/errors.h"

namespace broadcaster::channels {

/// Which side of a provider a settings entry configures.
enum class ProviderRole {
  Channel,  ///< sends: `channels.<name>`
  Inbound,  ///< receives texts and delivery receipts: `inbound.endpoints.<name>`
};

/// One `channels.<name>` or `inbound.endpoints.<name>` entry.
struct ProviderSettings {
  std::string name;                            ///< key in the config, e.g. "sms"
  std::string type;                            ///< provider, e.g. "twilio"
  std::map<std::string, std::string> options;  ///< scalar options as written
  std::string source;                          ///< "file:line:col" for errors
  ProviderRole role = ProviderRole::Channel;
};

/// Reads an environment variable; injected so tests need not touch the real
/// environment. Returns nullopt when the variable is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// "channel 'sms' (twilio)" or "inbound endpoint 'twilio' (twilio)"; without
/// the parenthesis when no type is set.
std::string describe(const ProviderSettings& settings);

/// A ConfigError located at settings.source ("file:line:col"), reading
/// `file:line:col: channel 'sms' (twilio): <message>`.
ConfigError settings_error(const ProviderSettings& settings, std::string_view message);

}  // namespace broadcaster::channels
